/** The one logger: structured JSON lines on stdout (stderr for errors). */

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level | "silent", number> = {
  debug: 10,
  info: 20,
  warn: 30,
  error: 40,
  silent: 99,
};

let threshold = ORDER.info;

/** Sets the lowest level that is written. */
export function setLogLevel(level: Level | "silent"): void {
  threshold = ORDER[level];
}

function write(level: Level, msg: string, fields: Record<string, unknown>) {
  if (ORDER[level] < threshold) return;
  const line = JSON.stringify(
    {
      time: new Date().toISOString(),
      level,
      msg,
      ...fields,
    },
    (_k, v) =>
      v instanceof Error
        ? { name: v.name, message: v.message, stack: v.stack }
        : v,
  );
  if (level === "error") console.error(line);
  else console.log(line);
}

export const log = {
  debug: (msg: string, fields: Record<string, unknown> = {}) =>
    write("debug", msg, fields),
  info: (msg: string, fields: Record<string, unknown> = {}) =>
    write("info", msg, fields),
  warn: (msg: string, fields: Record<string, unknown> = {}) =>
    write("warn", msg, fields),
  error: (msg: string, fields: Record<string, unknown> = {}) =>
    write("error", msg, fields),
};
