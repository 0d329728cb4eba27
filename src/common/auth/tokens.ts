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

/** Returns the claims of a well-signed, unexpired token; otherwise null (never throws). */
export function verifyAccessToken(secret: string, token: string, now = Date.now()): AccessClaims | null {
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
