/** Identifier generation: ULIDs, monotonic within this process, so ids sort by time. */
import { monotonicFactory } from "ulid";

const nextUlid = monotonicFactory();

/** Returns a new ULID; later calls in this process always return larger ids. */
export function newId(): string {
  return nextUlid();
}

const ULID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Whether a string has the shape of an id made by `newId`. */
export function isId(value: string): boolean {
  return ULID_PATTERN.test(value);
}
