/**
 * Identity: an API token (`Authorization: Bearer`, for scripts), or an
 * anonymous random owner id in a signed, HttpOnly, SameSite=Lax cookie. A
 * missing or forged cookie gets a fresh identity; a bearer token that is not
 * valid (unknown, revoked, expired) is refused with 401 and never falls back
 * to the cookie.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { signToken, verifyToken } from "@/lib/links/signing.ts";
import { isId, newId } from "@/lib/ids.ts";
import type { AppEnv } from "./types.ts";
import { isSecureOrigin } from "./urls.ts";
import { verifyApiToken } from "@/lib/kv/tokens.ts";
import { errorBody } from "./errors.ts";

export const IDENTITY_COOKIE = "chartroom_id";
const ONE_YEAR_S = 365 * 24 * 3600;

/** Returns the owner id carried by a cookie value, or null when it is not validly signed. */
export async function ownerFromCookie(
  key: CryptoKey,
  value: string | undefined,
): Promise<string | null> {
  if (!value) return null;
  const payload = await verifyToken<{ o?: unknown }>(key, value);
  return typeof payload?.o === "string" && isId(payload.o) ? payload.o : null;
}

/** Returns a cookie value that carries `ownerId`. */
export function cookieForOwner(
  key: CryptoKey,
  ownerId: string,
): Promise<string> {
  return signToken(key, { o: ownerId });
}

const BEARER = /^Bearer +(\S+) *$/i;

/** Paths served the same to everyone: no identity is read or issued for them. */
const PUBLIC = /^\/(s|d)\/|^\/health(\/|$)|^\/metrics$/;

/**
 * Middleware: sets `c.var.ownerId` (and `c.var.tokenId` for a bearer token),
 * issuing a new identity cookie when needed.
 */
export function identity(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (PUBLIC.test(c.req.path)) return await next();
    const authorization = c.req.header("authorization");
    if (authorization !== undefined) {
      const text = BEARER.exec(authorization)?.[1];
      const token = text ? await verifyApiToken(c.var.kv, text) : null;
      if (!token) {
        return c.json(
          errorBody(
            "invalid_token",
            "the API token is not valid: unknown, revoked or expired",
          ),
          401,
          { "www-authenticate": 'Bearer error="invalid_token"' },
        );
      }
      c.set("ownerId", token.ownerId);
      c.set("tokenId", token.id);
      return await next();
    }
    const key = c.var.signingKey;
    let ownerId = await ownerFromCookie(key, getCookie(c, IDENTITY_COOKIE));
    if (!ownerId) {
      ownerId = newId();
      setCookie(c, IDENTITY_COOKIE, await cookieForOwner(key, ownerId), {
        httpOnly: true,
        sameSite: "Lax",
        path: "/",
        maxAge: ONE_YEAR_S,
        secure: isSecureOrigin(c),
      });
      c.set("identityIssued", true);
    }
    c.set("ownerId", ownerId);
    await next();
  };
}
