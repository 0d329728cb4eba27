import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, chmodSync, mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collect, sleep, startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { startEmbeddedPostgres } from '../src/app/database.js';
import { createLogger } from '../src/common/logger.js';
import { OrderStatusChangedDocument, PlaceOrderDocument, TransitionOrderDocument } from './generated/graphql.js';
import { print } from 'graphql';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A Redis of this test's own, on its own port, that the test may stop and start. */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  for (let i = 0; i < 50; i++) {
    const up = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, '127.0.0.1', () => {
        s.end();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (up) return child;
    await sleep(100);
  }
  throw new Error('redis-server did not start');
}
const stopProcess = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : (child.once('exit', () => resolve()), child.kill('SIGKILL'))));

const SUB = print(OrderStatusChangedDocument);
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => undefined);
});

async function fixture(t: TestApp) {
  const ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  const buyer = await customer(t);
  const variant = (await product(t, ops, [{ priceAmount: 900 }])).variantIds[0]!;
  const placed = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: variant, quantity: 1 }] } }, buyer.token);
  return { ops, orderId: (placed.data!.placeOrder as any).id as string };
}

describe('Redis down', () => {
  it('keeps queries and mutations working; events wait in the outbox and arrive when Redis is back', async (ctx) => {
    if (!existsSync('/usr/bin/redis-server') && process.env.CI !== 'true') ctx.skip('redis-server binary not installed');
    const port = await freePort();
    let redis = await startRedis(port);
    const t = await startTestApp({ env: { REDIS_URL: `redis://127.0.0.1:${port}`, RELAY_POLL_MS: '100' } });
    cleanups.push(() => t.stop(), () => stopProcess(redis));
    const { ops, orderId } = await fixture(t);
    await t.drainEvents();
    const sub = collect<any>(t.ws(ops), SUB, { orderId });
    await sleep(300);

    await stopProcess(redis);
    await sleep(300);
    const paid = await t.gql(TransitionOrderDocument, { input: { orderId, to: 'PAID' } }, ops);
    expect(paid.data?.transitionOrder).toMatchObject({ __typename: 'Order', status: 'PAID' });
    const ready = await fetch(t.app.url.replace(/\/graphql$/, '/readyz'));
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'degraded', checks: { database: 'ok', redis: 'unreachable' } });
    await sleep(500);
    const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM event_outbox WHERE published_at IS NULL`);
    expect(n).toBe(1); // waiting, not lost
    expect(sub.items).toHaveLength(0);

    redis = await startRedis(port);
    const [event] = await sub.waitFor(1, 20_000);
    expect(event!.data.orderStatusChanged).toMatchObject({ orderId, status: 'PAID' });
    await t.drainEvents();
  });
});

describe('PostgreSQL restarted', () => {
  it('recovers without restarting the server, and the event relay resumes', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecom-pgfault-'));
    chmodSync(dir, 0o755);
    const pgPort = await freePort();
    const logger = createLogger('silent');
    let pg = await startEmbeddedPostgres(path.join(dir, 'pg'), pgPort, logger, 'faults');
    const t = await startTestApp({ env: { DATABASE_URL: pg.url, MIGRATE_ON_START: 'true', RELAY_POLL_MS: '100' } });
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }), () => pg.stop(), () => t.stop());
    const { ops, orderId } = await fixture(t);
    await t.drainEvents();

    await pg.stop();
    const during = await t.post({ query: '{ orders(first: 1) { totalCount } }' }, ops);
    expect(during.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(JSON.stringify(during)).not.toMatch(/ECONNREFUSED|terminat|postgres/i);
    pg = await startEmbeddedPostgres(path.join(dir, 'pg'), pgPort, logger, 'faults');

    let recovered = false;
    for (let i = 0; i < 40 && !recovered; i++) {
      const res = await t.post({ query: '{ orders(first: 1) { totalCount } }' }, ops);
      recovered = res.data?.orders?.totalCount === 1;
      if (!recovered) await sleep(250);
    }
    expect(recovered).toBe(true);
    const sub = collect<any>(t.ws(ops), SUB, { orderId });
    await sleep(300);
    const paid = await t.gql(TransitionOrderDocument, { input: { orderId, to: 'PAID' } }, ops);
    expect(paid.data?.transitionOrder).toMatchObject({ status: 'PAID' });
    const [event] = await sub.waitFor(1, 15_000);
    expect(event!.data.orderStatusChanged.status).toBe('PAID');
  });
});
