/**
 * The one configuration module: reads the environment through a zod schema and
 * exports a typed, frozen config. Nothing else in the app reads `Deno.env`.
 */
import { z } from "zod";

const duration = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, "a duration such as 90s, 30m, 1h or 30d")
  .transform(parseDuration);

const bytes = z
  .string()
  .regex(/^\d+(B|KB|KiB|MB|MiB)?$/, "a size such as 8KiB or 50MB")
  .transform(parseBytes);

/** A count limit; 0 turns it off. */
const limit = (fallback: number) =>
  z.coerce.number().int().min(0).max(1_000_000_000).default(fallback);

const ConfigSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOSTNAME: z.string().min(1).default("0.0.0.0"),
  KV_PATH: z.string().min(1).default("./.data/chartroom.kv"),
  ARTIFACT_TTL: duration.default(parseDuration("30d")),
  DOWNLOAD_TTL: duration.default(parseDuration("1h")),
  SECRET_KEY: z.string().min(32, "at least 32 characters").optional(),
  PUBLIC_URL: z.url().optional().transform((u) => u?.replace(/\/+$/, "")),
  TRUST_PROXY: z.enum(["on", "off"], { error: "on or off" }).default("off"),
  MAX_MESSAGE_BYTES: bytes.default(8 * 1024),
  MAX_BODY_BYTES: bytes.default(1024 * 1024),
  MAX_UPLOAD_BYTES: bytes.default(50 * 1000 * 1000),
  MAX_UPLOAD_ROWS: z.coerce.number().int().min(1).max(10_000_000).default(
    1_000_000,
  ),
  MAX_UPLOAD_COLUMNS: z.coerce.number().int().min(1).max(2000).default(500),
  SQL_TIMEOUT_MS: z.coerce.number().int().min(10).max(600_000).default(10_000),
  SQL_MEMORY: bytes.default(256 * 1024 * 1024).refine(
    (n) => n >= 16 * 1024 * 1024 && n <= 4096 * 1024 * 1024,
    "from 16MiB to 4096MiB",
  ),
  SQL_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(2),
  SQL_WORKERS: z.coerce.number().int().min(0).max(16).default(2),
  STREAM_WORD_DELAY_MS: z.coerce.number().int().min(0).max(1000).default(12),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default(
    "info",
  ),
  FONT_PATHS: z.string().default("").transform((text, ctx) => {
    const paths = text.split(",").map((p) => p.trim()).filter((p) => p);
    for (const path of paths.filter((p) => !isFile(p))) {
      ctx.addIssue({ code: "custom", message: `no font file at ${path}` });
    }
    return paths;
  }),
  RENDER_WORKERS: z.coerce.number().int().min(0).max(16).optional(),
  RENDER_CACHE_TTL: duration.default(parseDuration("1d")),
  RENDER_CACHE_SIZE: bytes.default(64 * 1024 * 1024),
  RENDER_CACHE_ENTRY_MAX: bytes.default(1024 * 1024),
  RENDER_TIMEOUT: duration.default(parseDuration("20s")),
  RENDER_MAX_BYTES: bytes.default(32 * 1024 * 1024).refine(
    (n) => n >= 1024 * 1024,
    "at least 1MiB",
  ),
  RENDER_IDLE_TIMEOUT: duration.default(parseDuration("1m")),
  RENDER_WARMUP: z.enum(["on", "off"], { error: "on or off" }).default("on"),
  EVENT_POLL: duration.default(parseDuration("250ms")),
  JOB_LEASE: duration.refine((ms) => ms >= 200, "at least 200ms").default(
    parseDuration("30s"),
  ),
  JOB_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(3),
  SWEEP_INTERVAL: duration.refine((ms) => ms >= 1000, "at least 1s").default(
    parseDuration("1m"),
  ),
  // Every limit is off (0) unless configured: a limit that suits one
  // deployment (and one proxy setup, for the per-address one) does not suit all.
  QUOTA_REQUESTS_PER_MINUTE: limit(0),
  QUOTA_CHAT_TURNS_PER_MINUTE: limit(0),
  QUOTA_RENDERS_PER_MINUTE: limit(0),
  QUOTA_DATASETS: limit(0),
  QUOTA_STORED_BYTES: bytes.default(0),
  QUOTA_SSE_STREAMS: limit(0),
  RENDER_API_PER_MINUTE: limit(0),
  MAX_RESTORE_BYTES: bytes.default(256 * 1024 * 1024),
  QUOTA_WINDOW: duration.refine((ms) => ms >= 1000, "at least 1s").default(
    parseDuration("1m"),
  ),
  /** An OpenAI-compatible chat API, e.g. https://api.openai.com/v1 or http://localhost:11434/v1. */
  LLM_BASE_URL: z.url({ protocol: /^https?$/, error: "an http(s) URL" })
    .optional(),
  LLM_MODEL: z.string().trim().min(1).max(200).optional(),
  /** Sent as a bearer token; never logged or shown. */
  LLM_API_KEY: z.string().trim().min(1).max(4096).optional(),
  LLM_TIMEOUT: duration.default(parseDuration("30s")).refine(
    (ms) => ms >= 100 && ms <= 600_000,
    "from 100ms to 10m",
  ),
  LLM_MAX_TOKENS: z.coerce.number().int().min(64).max(200_000).default(1024),
  /** Set by Deno Deploy: the app then uses the managed KV and ignores KV_PATH. */
  DENO_DEPLOYMENT_ID: z.string().optional(),
}).superRefine((c, ctx) => {
  // A model needs both where to ask and what to ask for.
  if (!!c.LLM_BASE_URL !== !!c.LLM_MODEL) {
    ctx.addIssue({
      code: "custom",
      path: [c.LLM_BASE_URL ? "LLM_MODEL" : "LLM_BASE_URL"],
      message: "LLM_BASE_URL and LLM_MODEL go together",
    });
  }
});

export type Config = Readonly<z.infer<typeof ConfigSchema>>;

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** Parses a duration such as "90s" or "30d" into milliseconds. */
export function parseDuration(text: string): number {
  const match = /^(\d+)(ms|s|m|h|d)$/.exec(text);
  if (!match) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1e3, m: 6e4, h: 3.6e6, d: 8.64e7 }[match[2] as "ms"];
  return Number(match[1]) * unit;
}

/** Parses a size such as "8KiB" or "50MB" into bytes. */
export function parseBytes(text: string): number {
  const match = /^(\d+)(B|KB|KiB|MB|MiB)?$/.exec(text);
  if (!match) throw new Error(`not a size: ${text}`);
  const unit = { B: 1, KB: 1e3, KiB: 1024, MB: 1e6, MiB: 1048576 }[
    (match[2] ?? "B") as "B"
  ];
  return Number(match[1]) * unit;
}

/** Thrown when the environment does not describe a valid configuration. */
export class ConfigError extends Error {}

/**
 * Returns the frozen config for an environment, or throws a ConfigError whose
 * message names every invalid variable.
 */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const present = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const result = ConfigSchema.safeParse(present);
  if (!result.success) {
    const problems = result.error.issues.map((i) =>
      `${i.path.join(".")}: ${i.message}`
    );
    throw new ConfigError(`invalid configuration: ${problems.join("; ")}`);
  }
  return Object.freeze(result.data);
}

/** The names of the language-model settings. */
export const MODEL_VARIABLES = [
  "LLM_BASE_URL",
  "LLM_MODEL",
  "LLM_API_KEY",
  "LLM_TIMEOUT",
  "LLM_MAX_TOKENS",
] as const;

/**
 * The language-model settings of the process environment, as text, for a
 * tool that starts its own server with them (`deno task eval --model`).
 */
export function modelEnvFromProcess(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of MODEL_VARIABLES) {
    const value = Deno.env.get(name);
    if (value) env[name] = value;
  }
  return env;
}

/** Reads the config from the process environment (only the known variables). */
export function configFromEnv(): Config {
  const names = Object.keys(ConfigSchema.shape);
  const env: Record<string, string | undefined> = {};
  for (const name of names) env[name] = Deno.env.get(name);
  return loadConfig(env);
}
