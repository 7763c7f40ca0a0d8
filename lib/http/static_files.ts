/**
 * Static files from `static/`, sent as the build precompressed them: the
 * brotli (`.br`) or gzip (`.gz`) copy when the request accepts it, with its
 * `Content-Encoding`, its own `Content-Length`, and `Vary: Accept-Encoding` on
 * every response a cache could otherwise mix up. Nothing is compressed at
 * request time.
 */
import type { MiddlewareHandler } from "hono";
import type { AppEnv } from "./types.ts";

const TYPES: Record<string, string> = {
  js: "text/javascript; charset=utf-8",
  mjs: "text/javascript; charset=utf-8",
  css: "text/css; charset=utf-8",
  svg: "image/svg+xml",
  json: "application/json",
  xsd: "application/xml",
  ttf: "font/ttf",
  txt: "text/plain; charset=utf-8",
};
const COMPRESSIBLE = /\.(js|mjs|css|svg)$/;
const ENCODINGS = [["br", ".br"], ["gzip", ".gz"]] as const;

/** Returns the encodings a request accepts (q > 0), from its Accept-Encoding header. */
export function acceptedEncodings(header: string | undefined): Set<string> {
  const accepted = new Set<string>();
  for (const part of (header ?? "").split(",")) {
    const [name, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (name && (!q || Number(q.slice(2)) > 0)) accepted.add(name);
  }
  return accepted;
}

async function fileSize(path: string): Promise<number | null> {
  try {
    const info = await Deno.stat(path);
    return info.isFile ? info.size : null;
  } catch {
    return null;
  }
}

/**
 * Serves `GET`/`HEAD /static/<path>` from `root`; anything else, or a path
 * that is not a file under `root`, goes on to the next handler.
 */
export function staticFiles(root: string): MiddlewareHandler<AppEnv> {
  const base = root.endsWith("/") ? root : `${root}/`;
  return async (c, next) => {
    const method = c.req.method;
    if (method !== "GET" && method !== "HEAD") return await next();
    const rel = c.req.path.replace(/^\/static\//, "");
    // No escapes, no hidden files, no encoded tricks.
    if (
      rel.includes("%") || rel.includes("\\") ||
      rel.split("/").some((p) => p === "" || p.startsWith("."))
    ) return await next();
    const path = base + rel;
    const size = await fileSize(path);
    if (size === null) return await next();
    const headers = new Headers({
      "content-type": TYPES[rel.split(".").pop()!] ??
        "application/octet-stream",
    });
    let served = path;
    let length = size;
    if (COMPRESSIBLE.test(rel)) {
      headers.set("vary", "Accept-Encoding");
      const accepted = acceptedEncodings(c.req.header("accept-encoding"));
      for (const [encoding, suffix] of ENCODINGS) {
        if (!accepted.has(encoding)) continue;
        const compressed = await fileSize(path + suffix);
        if (compressed === null) continue;
        served = path + suffix;
        length = compressed;
        headers.set("content-encoding", encoding);
        break;
      }
    }
    headers.set("content-length", String(length));
    if (method === "HEAD") {
      return c.body(null, 200, Object.fromEntries(headers));
    }
    const file = await Deno.open(served);
    return c.body(file.readable, 200, Object.fromEntries(headers));
  };
}
