import assert from "node:assert/strict";
import { ConfigError, loadConfig } from "@/lib/config.ts";

Deno.test("config: defaults give a working local setup", () => {
  const config = loadConfig({});
  assert.equal(config.PORT, 8000);
  assert.equal(config.KV_PATH, "./.data/chartroom.kv");
  assert.equal(config.ARTIFACT_TTL, 30 * 24 * 3600 * 1000);
  assert.equal(config.DOWNLOAD_TTL, 3600 * 1000);
  assert.equal(config.MAX_MESSAGE_BYTES, 8192);
  assert.ok(Object.isFrozen(config));
});

Deno.test("config: values are parsed with their units", () => {
  const config = loadConfig({
    ARTIFACT_TTL: "2h",
    DOWNLOAD_TTL: "90s",
    MAX_UPLOAD_BYTES: "5MiB",
  });
  assert.equal(config.ARTIFACT_TTL, 7_200_000);
  assert.equal(config.DOWNLOAD_TTL, 90_000);
  assert.equal(config.MAX_UPLOAD_BYTES, 5 * 1024 * 1024);
});

Deno.test("config: an invalid value is refused with a message naming it", () => {
  assert.throws(
    () =>
      loadConfig({
        PORT: "eighty",
        DOWNLOAD_TTL: "soon",
        SECRET_KEY: "short",
        RENDER_WARMUP: "yes",
      }),
    (error: Error) =>
      error instanceof ConfigError && /PORT/.test(error.message) &&
      /DOWNLOAD_TTL/.test(error.message) && /SECRET_KEY/.test(error.message) &&
      /RENDER_WARMUP: on or off/.test(error.message),
  );
});

Deno.test("config: the server does not start on an invalid value, and says why", async () => {
  const result = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("../main.ts", import.meta.url).pathname],
    env: { PORT: "not-a-port", KV_PATH: ":memory:" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(result.code, 1);
  assert.match(
    new TextDecoder().decode(result.stderr),
    /invalid configuration: PORT/,
  );
});

Deno.test("config: a language model is configured by LLM_*, with defaults; none without them", () => {
  assert.equal(loadConfig({}).LLM_BASE_URL, undefined);
  const config = loadConfig({
    LLM_BASE_URL: "http://localhost:11434/v1",
    LLM_MODEL: "llama3.1",
  });
  assert.equal(config.LLM_TIMEOUT, 30_000);
  assert.equal(config.LLM_MAX_TOKENS, 1024);
  assert.equal(config.LLM_API_KEY, undefined);
  assert.equal(
    loadConfig({
      LLM_BASE_URL: "https://api.openai.com/v1",
      LLM_MODEL: "gpt-4.1-mini",
      LLM_API_KEY: "sk-x",
      LLM_TIMEOUT: "90s",
      LLM_MAX_TOKENS: "2048",
    }).LLM_TIMEOUT,
    90_000,
  );
});

Deno.test("config: LLM settings that cannot work are refused, naming them and never the key", () => {
  const key = "sk-do-not-print-me";
  assert.throws(
    () => loadConfig({ LLM_BASE_URL: "http://localhost:8080/v1" }),
    /LLM_MODEL: LLM_BASE_URL and LLM_MODEL go together/,
  );
  assert.throws(
    () =>
      loadConfig({
        LLM_BASE_URL: "ftp://example.com",
        LLM_MODEL: "m",
        LLM_API_KEY: key,
        LLM_TIMEOUT: "soon",
        LLM_MAX_TOKENS: "0",
      }),
    (error: Error) =>
      /LLM_BASE_URL: an http\(s\) URL/.test(error.message) &&
      /LLM_TIMEOUT/.test(error.message) &&
      /LLM_MAX_TOKENS/.test(error.message) && !error.message.includes(key),
  );
});
