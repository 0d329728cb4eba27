import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { Role, staffToken } from './support/fixtures.js';

const apps: TestApp[] = [];
afterAll(() => Promise.all(apps.map((a) => a.stop())));

const me = { query: '{ me { kind } }' };

describe('rate limiting', () => {
  it('answers 429 with Retry-After once an address spends its budget', async () => {
    const t = await startTestApp({ env: { RATE_LIMIT_PER_IP: '5', RATE_LIMIT_WINDOW_SECONDS: '3600' } });
    apps.push(t);
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await t.post(me)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const res = await fetch(t.app.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(me) });
    expect(res.status).toBe(429);
    const retryAfter = Number(res.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    const body = (await res.json()) as any;
    expect(body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: retryAfter });
    // A token has its own budget.
    const token = (await staffToken(t, Role.ANALYST)).token;
    expect((await t.post(me, token)).status).toBe(200);
  });

  it('shares one budget per token across instances through Redis', async (ctx) => {
    if (!inject('redisUrl')) ctx.skip(inject('redisProblem'));
    const prefix = `ecomtest:${randomBytes(4).toString('hex')}`;
    const env = { RATE_LIMIT_PER_TOKEN: '6', RATE_LIMIT_WINDOW_SECONDS: '3600', REDIS_PREFIX: prefix };
    const a = await startTestApp({ redis: true, env });
    apps.push(a);
    const b = await startTestApp({ redis: true, env: { ...env, AUTH_SECRET: a.config.authSecret } });
    apps.push(b);
    const token = (await staffToken(a, Role.ANALYST)).token;
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) statuses.push((await (i % 2 ? a : b).post(me, token)).status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(6);
    expect(statuses.slice(6)).toEqual([429, 429]);
  });
});
