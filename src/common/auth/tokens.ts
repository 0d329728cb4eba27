import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { Role } from './roles.js';

/**
 * Access tokens are compact JWTs (HS256) signed with AUTH_SECRET. They carry the subject kind,
 * id and roles so that a request needs no database round trip to know who is calling.
 */
export interface AccessClaims {
  sub: string;
  /** s = staff user, c = customer */
  knd: 's' | 'c';
  roles?: Role[];
  iat: number;
  exp: number;
}

const b64 = (buf: Buffer | string) => Buffer.from(buf).toString('base64url');
const HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export function signAccessToken(secret: string, claims: Omit<AccessClaims, 'iat' | 'exp'>, ttlSeconds: number, now = Date.now()): { token: string; expiresAt: Date } {
  const iat = Math.floor(now / 1000);
  const exp = iat + ttlSeconds;
  const payload = b64(JSON.stringify({ ...claims, iat, exp }));
  const sig = createHmac('sha256', secret).update(`${HEADER}.${payload}`).digest('base64url');
  return { token: `${HEADER}.${payload}.${sig}`, expiresAt: new Date(exp * 1000) };
}

/**
 * Tokens whose signature was checked, per secret: a console or BI client sends the same token with every request,
 * and an HMAC per request was ~3 % of the server's CPU on a small query. Only well-signed tokens are kept (a forged
 * or garbled one is checked again every time, so junk cannot fill the cache), the expiry is checked on every use,
 * and the claims are frozen because every request of that token shares them. Bounded: when full it starts over.
 */
const verified = new Map<string, Map<string, Readonly<AccessClaims>>>();
const VERIFIED_MAX = 10_000;

/** Returns the claims of a well-signed, unexpired token; otherwise null (never throws). */
export function verifyAccessToken(secret: string, token: string, now = Date.now()): AccessClaims | null {
  let bySecret = verified.get(secret);
  const known = bySecret?.get(token);
  if (known) return known.exp * 1000 > now ? known : null;
  const claims = checkAccessToken(secret, token, now);
  if (claims) {
    if (!bySecret) verified.set(secret, (bySecret = new Map()));
    if (bySecret.size >= VERIFIED_MAX) bySecret.clear();
    if (claims.roles) Object.freeze(claims.roles);
    bySecret.set(token, Object.freeze(claims));
  }
  return claims;
}

function checkAccessToken(secret: string, token: string, now: number): AccessClaims | null {
  const parts = token.split('.');
  if (parts.length !== 3 || parts[0] !== HEADER) return null;
  const expected = createHmac('sha256', secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2]!, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  try {
    const claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as AccessClaims;
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return null;
    if (claims.knd !== 's' && claims.knd !== 'c') return null;
    return claims;
  } catch {
    return null;
  }
}

/** API tokens: `eco_` + 40 random base62-ish chars. Only their SHA-256 is stored. */
export const API_TOKEN_PREFIX = 'eco_';
export function generateApiToken(): string {
  return API_TOKEN_PREFIX + randomBytes(30).toString('base64url');
}
export function hashApiToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
