/**
 * HMAC-SHA256 signed tokens for identity cookies and download links. The key
 * comes from config; where none is configured one is created once and kept in
 * KV, so every instance (and every restart) signs alike.
 */
import { getOrCreateSecret } from "@/lib/kv/secrets.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Encodes bytes as unpadded base64url. */
export function toBase64Url(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary).replaceAll("+", "-").replaceAll("/", "_").replace(
    /=+$/,
    "",
  );
}

/** Decodes unpadded base64url; returns null when the text is not base64url. */
export function fromBase64Url(text: string): Uint8Array | null {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return null;
  try {
    const binary = atob(text.replaceAll("-", "+").replaceAll("_", "/"));
    return Uint8Array.from(binary, (c) => c.charCodeAt(0));
  } catch {
    return null;
  }
}

/** Returns the HMAC key: from `secret` when given, else the one kept in KV. */
export async function loadSigningKey(
  kv: Deno.Kv,
  secret?: string,
): Promise<CryptoKey> {
  let raw: Uint8Array;
  if (secret) {
    raw = encoder.encode(secret);
  } else {
    raw = await getOrCreateSecret(
      kv,
      "signing_key",
      () => crypto.getRandomValues(new Uint8Array(32)),
    );
  }
  return await crypto.subtle.importKey(
    "raw",
    raw as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign", "verify"],
  );
}

/** Returns `payload.signature`, both base64url, for a JSON-serialisable payload. */
export async function signToken(
  key: CryptoKey,
  payload: unknown,
): Promise<string> {
  const body = toBase64Url(encoder.encode(JSON.stringify(payload)));
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(body));
  return `${body}.${toBase64Url(new Uint8Array(mac))}`;
}

/** Returns the payload of a token whose signature is valid, else null. */
export async function verifyToken<T = unknown>(
  key: CryptoKey,
  token: string,
): Promise<T | null> {
  if (token.length > 4096) return null;
  const [body, mac, extra] = token.split(".");
  if (!body || !mac || extra !== undefined) return null;
  const signature = fromBase64Url(mac);
  // Only the canonical spelling is accepted, so each token has one form.
  if (!signature || toBase64Url(signature) !== mac) return null;
  const ok = await crypto.subtle.verify(
    "HMAC",
    key,
    signature as Uint8Array<ArrayBuffer>,
    encoder.encode(body),
  );
  if (!ok) return null;
  const json = fromBase64Url(body);
  if (!json) return null;
  try {
    return JSON.parse(decoder.decode(json)) as T;
  } catch {
    return null;
  }
}
