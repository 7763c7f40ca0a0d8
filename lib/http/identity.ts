/**
 * Anonymous identity: a random owner id in a signed, HttpOnly, SameSite=Lax
 * cookie. A missing or forged cookie gets a fresh identity.
 */
import type { MiddlewareHandler } from "hono";
import { getCookie, setCookie } from "hono/cookie";
import { signToken, verifyToken } from "./signing.ts";
import { isId, newId } from "../ids.ts";
import type { AppEnv } from "./types.ts";
import { isSecureOrigin } from "./urls.ts";

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

/** Middleware: sets `c.var.ownerId`, issuing a new identity cookie when needed. */
export function identity(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
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
    }
    c.set("ownerId", ownerId);
    await next();
  };
}
