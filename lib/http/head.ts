/**
 * Head tags a page adds to its document, as Fresh's `<Head>`: collected while
 * the page renders (rendering is synchronous) and put into `<head>` by
 * `renderDocument`. A page's `<title>` replaces the app's.
 */
import type { ComponentChildren } from "preact";

interface Collected {
  children: ComponentChildren[];
}

let collected: Collected | null = null;

/** Adds its children to the document's `<head>` (renders nothing in place). */
export function Head({ children }: { children?: ComponentChildren }): null {
  if (collected && children !== undefined) collected.children.push(children);
  return null;
}

/** Runs `render` collecting `<Head>` contents; returns its result and them. */
export function withHead<T>(render: () => T): { result: T } & Collected {
  const previous = collected;
  const mine: Collected = { children: [] };
  collected = mine;
  try {
    return { result: render(), ...mine };
  } finally {
    collected = previous;
  }
}
