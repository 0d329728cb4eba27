import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { IncomingMessage } from 'node:http';
import type { Request, Response, NextFunction } from 'express';
import type { Logger } from '../common/logger.js';

export interface RateLimitOptions {
  /** Requests per window for callers with a bearer token (counted per token). */
  perToken: number;
  /** Requests per window for callers without one (counted per IP address). */
  perIp: number;
  windowSeconds: number;
}

/** Counts hits per key in fixed windows; shared by all instances when backed by Redis. */
export interface HitCounter {
  hit(key: string, windowSeconds: number): Promise<{ count: number; resetInSeconds: number }>;
}

/** INCR and EXPIRE in one round trip; every instance sees the same count. */
export function redisCounter(redis: Redis, prefix: string): HitCounter {
  return {
    async hit(key, windowSeconds) {
      const window = Math.floor(Date.now() / 1000 / windowSeconds);
      const k = `${prefix}:rl:${key}:${window}`;
      const res = await redis.multi().incr(k).expire(k, windowSeconds + 1).exec();
      const count = Number(res?.[0]?.[1] ?? 0);
      return { count, resetInSeconds: windowSeconds - (Math.floor(Date.now() / 1000) % windowSeconds) };
    },
  };
}

/** Single-instance fallback when there is no Redis. */
export function memoryCounter(): HitCounter {
  const counts = new Map<string, { window: number; count: number }>();
  return {
    async hit(key, windowSeconds) {
      const window = Math.floor(Date.now() / 1000 / windowSeconds);
      const entry = counts.get(key);
      const next = entry && entry.window === window ? { window, count: entry.count + 1 } : { window, count: 1 };
      counts.set(key, next);
      if (counts.size > 100_000) for (const [k, v] of counts) if (v.window !== window) counts.delete(k);
      return { count: next.count, resetInSeconds: windowSeconds - (Math.floor(Date.now() / 1000) % windowSeconds) };
    },
  };
}

/** Counter keys by token: a client sends the same token with every request, so it is hashed once (bounded). */
const tokenKeys = new Map<string, string>();
const TOKEN_KEYS_MAX = 10_000;
function tokenKey(token: string): string {
  let key = tokenKeys.get(token);
  if (key === undefined) {
    if (tokenKeys.size >= TOKEN_KEYS_MAX) tokenKeys.clear();
    key = `t:${createHash('sha256').update(token).digest('hex').slice(0, 32)}`;
    tokenKeys.set(token, key);
  }
  return key;
}

/**
 * The client's address for per-IP budgets: the TCP peer, or with `hops` trusted proxies in front, the address that
 * many entries back in X-Forwarded-For (as Express computes `req.ip` for a numeric `trust proxy`). Both HTTP paths
 * use this, so a caller has one budget whichever path serves it.
 */
export function clientAddress(req: IncomingMessage, hops: number): string {
  const peer = req.socket.remoteAddress ?? 'unknown';
  if (hops <= 0) return peer;
  const header = req.headers['x-forwarded-for'];
  const forwarded = typeof header === 'string' ? header.split(',').map((a) => a.trim()).filter(Boolean).reverse() : [];
  const chain = [peer, ...forwarded];
  return chain[Math.min(hops, chain.length - 1)]!;
}

/** What the limiter decided for one request: headers to send either way, and the refusal when over budget. */
export interface RateDecision {
  headers: [name: string, value: string][];
  refusal?: { status: 429; body: unknown };
}

/**
 * The budget check: a caller over its budget gets HTTP 429 with Retry-After and a GraphQL-shaped error.
 * Tokens are counted by a hash of the token (no database lookup on this path); anonymous callers by IP.
 * If the counter fails (Redis down) the request is let through: availability over strictness.
 */
export function rateLimiter(counter: HitCounter, opts: RateLimitOptions, logger: Logger, proxyHops: number) {
  return async (req: IncomingMessage): Promise<RateDecision> => {
    const auth = req.headers.authorization?.replace(/^Bearer\s+/i, '').trim();
    const key = auth ? tokenKey(auth) : `ip:${clientAddress(req, proxyHops)}`;
    const limit = auth ? opts.perToken : opts.perIp;
    try {
      const { count, resetInSeconds } = await counter.hit(key, opts.windowSeconds);
      const headers: [string, string][] = [
        ['RateLimit-Limit', String(limit)],
        ['RateLimit-Remaining', String(Math.max(0, limit - count))],
        ['RateLimit-Reset', String(resetInSeconds)],
      ];
      if (count <= limit) return { headers };
      headers.push(['Retry-After', String(resetInSeconds)]);
      const message = `Too many requests: at most ${limit} per ${opts.windowSeconds} s for this ${auth ? 'token' : 'address'}; retry in ${resetInSeconds} s`;
      return { headers, refusal: { status: 429, body: { errors: [{ message, extensions: { code: 'RATE_LIMITED', retryAfterSeconds: resetInSeconds } }] } } };
    } catch (err) {
      logger.warn('rate limiter unavailable; request allowed', { err: (err as Error).message });
      return { headers: [] };
    }
  };
}

export type RateLimiter = ReturnType<typeof rateLimiter>;

/** The limiter as Express middleware (requests the direct GraphQL path does not take, see graphql-http.ts). */
export function rateLimit(limiter: RateLimiter) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const decision = await limiter(req);
    for (const [name, value] of decision.headers) res.setHeader(name, value);
    if (decision.refusal) {
      res.status(decision.refusal.status).json(decision.refusal.body);
      return;
    }
    next();
  };
}
