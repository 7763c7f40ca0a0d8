/**
 * The outside programs that check the exports (xmllint, openpyxl, Jupyter,
 * poppler, unzip). When one is missing its tests are ignored with a loud
 * message, never reported as passed; under CI=true they run and fail.
 */

/** Debian's Python, which has the python3-* packages (a pyenv `python3` may not). */
export const PYTHON = "/usr/bin/python3";

const inCi = Deno.env.get("CI") === "true";

/** A consumer program the tests need, probed once. */
export interface Tool {
  name: string;
  available: boolean;
  /** For `Deno.test({ ignore })`: true only outside CI when the tool is missing. */
  ignore: boolean;
}

function probe(command: string, args: string[]): boolean {
  try {
    return new Deno.Command(command, { args, stdout: "null", stderr: "null" })
      .outputSync().success;
  } catch {
    return false;
  }
}

/**
 * Returns whether `command args` runs; when it does not, prints a banner
 * saying the tests that need it are skipped (or, under CI, will fail).
 */
export function tool(
  name: string,
  command: string,
  args: string[],
  install: string,
): Tool {
  const available = probe(command, args);
  if (!available) {
    const banner = "!".repeat(72);
    console.error(
      `\n${banner}\n${
        inCi ? "FAILING" : "SKIPPING"
      } TESTS THAT NEED ${name}: not found (apt-get install ${install})\n${banner}\n`,
    );
  }
  return { name, available, ignore: !available && !inCi };
}

let openpyxlTool: Tool | undefined;

/** Python's openpyxl (Debian python3-openpyxl), which reads the XLSX files; probed once. */
export function openpyxl(): Tool {
  openpyxlTool ??= tool(
    "openpyxl",
    PYTHON,
    ["-c", "import openpyxl"],
    "python3-openpyxl",
  );
  return openpyxlTool;
}

/** Runs a program and returns its output; throws with its stderr when it fails. */
export async function run(
  command: string,
  args: string[],
  options: { cwd?: string; stdin?: string; env?: Record<string, string> } = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  const child = new Deno.Command(command, {
    args,
    cwd: options.cwd,
    env: options.env,
    stdin: options.stdin === undefined ? "null" : "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  if (options.stdin !== undefined) {
    const writer = child.stdin.getWriter();
    await writer.write(new TextEncoder().encode(options.stdin));
    await writer.close();
  }
  const out = await child.output();
  const decoder = new TextDecoder();
  return {
    stdout: decoder.decode(out.stdout),
    stderr: decoder.decode(out.stderr),
    code: out.code,
  };
}

/** Like `run`, but a non-zero exit is an error carrying the program's output. */
export async function runOk(
  command: string,
  args: string[],
  options: Parameters<typeof run>[2] = {},
): Promise<{ stdout: string; stderr: string }> {
  const result = await run(command, args, options);
  if (result.code !== 0) {
    throw new Error(
      `${command} ${
        args.join(" ")
      } exited ${result.code}:\n${result.stderr}\n${result.stdout}`,
    );
  }
  return result;
}
