/**
 * SQLite result and authorizer codes (sqlite3.h), shared by the native engine
 * and the WebAssembly sandbox; Deno's bundled typings do not list them yet.
 */
export const SQLITE_OK = 0;
export const SQLITE_DENY = 1;
export const SQLITE_NOMEM = 7;
export const SQLITE_INTERRUPT = 9;
export const SQLITE_TOOBIG = 18;
export const SQLITE_READ = 20;
export const SQLITE_SELECT = 21;
export const SQLITE_AUTH = 23;
export const SQLITE_ATTACH = 24;
export const SQLITE_DETACH = 25;
export const SQLITE_FUNCTION = 31;
export const SQLITE_RECURSIVE = 33;

/** The authorizer actions a read-only query needs; everything else is denied. */
export const READ_ACTIONS: ReadonlySet<number> = new Set([
  SQLITE_SELECT,
  SQLITE_READ,
  SQLITE_FUNCTION,
  SQLITE_RECURSIVE,
]);
