import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, sleep, startTestApp, type TestApp } from './support/harness.js';
import { Role, staffToken } from './support/fixtures.js';
import { spawnServer } from './support/processes.js';

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.stop());

describe('metrics', () => {
  it('exposes request, error, subscription, outbox and pool metrics at /metrics', async () => {
    const ops = (await staffToken(t, Role.OPERATIONS)).token;
    await t.post({ query: 'query MetricsProbe { me { kind } }', operationName: 'MetricsProbe' });
    await t.post({ query: 'query Denied { orders { totalCount } }', operationName: 'Denied' });
    const sub = collect(t.ws(ops), 'subscription { orderStatusChanged { eventId } }');
    await sleep(300);
    const text = await (await fetch(t.app.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(text).toMatch(/graphql_requests_total\{operation="MetricsProbe",type="query",outcome="ok"\} 1/);
    expect(text).toMatch(/graphql_requests_total\{operation="Denied",type="query",outcome="error"\} 1/);
    expect(text).toMatch(/graphql_errors_total\{code="UNAUTHENTICATED"\} 1/);
    expect(text).toMatch(/graphql_request_duration_seconds_bucket\{le="0\.005",operation="MetricsProbe",type="query"\}/);
    expect(text).toMatch(/graphql_active_subscriptions 1/);
    expect(text).toMatch(/graphql_ws_connections 1/);
    expect(text).toMatch(/outbox_pending_events \d+/);
    expect(text).toMatch(/outbox_lag_seconds [\d.]+/);
    expect(text).toMatch(/db_pool_used \d+/);
    sub.dispose();
  });
});

describe('logs', () => {
  it('writes one JSON line per request with its id, operation name and duration', async () => {
    const server = await spawnServer({ DATABASE_URL: t.dbUrl, MIGRATE_ON_START: 'false', NODE_ENV: 'test', LOG_LEVEL: 'info' });
    try {
      const res = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-request-id': 'req-test-123' },
        body: JSON.stringify({ query: 'query LogProbe { me { kind } }', operationName: 'LogProbe' }),
      });
      expect(res.headers.get('x-request-id')).toBe('req-test-123');
      const generated = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { kind } }' }) });
      const id = generated.headers.get('x-request-id');
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      await sleep(200);
      const lines = server
        .output()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l));
      const probe = lines.find((l) => l.msg === 'request' && l.requestId === 'req-test-123');
      expect(probe).toMatchObject({ level: 'info', operation: 'LogProbe', type: 'query', viewer: 'anonymous' });
      expect(typeof probe.durationMs).toBe('number');
      expect(typeof probe.time).toBe('string');
      expect(lines.some((l) => l.msg === 'request' && l.requestId === id)).toBe(true);
    } finally {
      await server.stop();
    }
  });
});
