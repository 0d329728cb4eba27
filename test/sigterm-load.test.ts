import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collect, sleep, startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { spawnServer, type ServerProcess } from './support/processes.js';
import { OrderStatusChangedDocument, PlaceOrderDocument } from './generated/graphql.js';

const WORKERS = 8;
let t: TestApp;
const servers: ServerProcess[] = [];
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  for (const s of servers) await s.stop('SIGKILL').catch(() => undefined);
  await t?.stop();
});

interface Outcome {
  key: string;
  /** HTTP status, or undefined when the connection failed before a response. */
  status?: number;
  typename?: string;
  orderId?: string;
  networkError?: string;
}

describe('SIGTERM under load', () => {
  it('finishes accepted requests, exits 0 and loses no event of a committed change', async () => {
    const ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
    const buyer = await customer(t);
    const variant = (await product(t, ops, [{ priceAmount: 250 }])).variantIds[0]!;
    // Only the spawned processes may relay events from here on, so "published" below is their doing.
    await t.app.stop();
    const env = { DATABASE_URL: t.dbUrl, AUTH_SECRET: t.config.authSecret, MIGRATE_ON_START: 'false', NODE_ENV: 'test', LOG_LEVEL: 'info', RELAY_POLL_MS: '100', RATE_LIMIT_PER_IP: '1000000', RATE_LIMIT_PER_TOKEN: '1000000' };
    const first = await spawnServer(env);
    servers.push(first);

    const outcomes: Outcome[] = [];
    let signalled = false;
    let n = 0;
    const worker = async (w: number) => {
      // Keep firing until the server refuses connections after the signal.
      for (;;) {
        const key = `sigterm-${w}-${n++}`;
        const o: Outcome = { key };
        outcomes.push(o);
        try {
          const res = await fetch(first.url, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${buyer.token}` },
            body: JSON.stringify({ query: print(PlaceOrderDocument), variables: { input: { lines: [{ variantId: variant, quantity: 1 }], idempotencyKey: key } } }),
          });
          o.status = res.status;
          const body = (await res.json().catch(() => null)) as any;
          o.typename = body?.data?.placeOrder?.__typename ?? body?.errors?.[0]?.extensions?.code;
          o.orderId = body?.data?.placeOrder?.id;
        } catch (err) {
          o.networkError = String((err as any)?.cause?.code ?? (err as Error).message);
          if (signalled) return;
        }
        if (signalled && outcomes.length > 2000) return;
      }
    };
    const load = Promise.all(Array.from({ length: WORKERS }, (_, i) => worker(i)));
    while (outcomes.filter((o) => o.typename === 'Order').length < 40) await sleep(20);
    signalled = true;
    const exitCode = await first.stop('SIGTERM');
    await load;

    expect(exitCode).toBe(0);
    expect(first.output()).toContain('"msg":"stopped"');
    // Every request that got an answer was served (the placed order) or, arriving during the shutdown, refused with
    // 503 SERVICE_UNAVAILABLE before it did anything; nothing failed.
    const answered = outcomes.filter((o) => o.status !== undefined);
    const served = answered.filter((o) => o.status === 200 && o.typename === 'Order');
    const refused = answered.filter((o) => o.status === 503 && o.typename === 'SERVICE_UNAVAILABLE');
    expect(answered.filter((o) => !served.includes(o) && !refused.includes(o))).toEqual([]);
    expect(served.length).toBeGreaterThanOrEqual(40);

    // The database holds exactly the orders whose requests were answered: a request cut off or refused by the
    // shutdown wrote nothing, and no executed request lost its response.
    const rows = await t.sql<{ id: string; idempotency_key: string }>('SELECT id, idempotency_key FROM sales_order WHERE customer_id = $1', [buyer.id]);
    expect(rows.map((r) => r.idempotency_key).sort()).toEqual(served.map((o) => o.key).sort());
    const committed = new Set(rows.map((r) => r.id));

    // Each committed order has its placement event in the outbox.
    const events = await t.sql<{ seq: string; order_id: string; published: boolean }>(
      `SELECT seq, payload->>'orderId' AS order_id, published_at IS NOT NULL AS published FROM event_outbox WHERE topic = 'order.status_changed' AND payload->>'customerId' = $1`,
      [buyer.id],
    );
    expect(new Set(events.map((e) => e.order_id))).toEqual(committed);

    // A second instance on the same database publishes anything left, and a subscriber resuming from 0 sees them all.
    const second = await spawnServer(env);
    servers.push(second);
    const deadline = Date.now() + 15_000;
    for (;;) {
      const [{ n: left }] = await t.sql(`SELECT count(*)::int AS n FROM event_outbox WHERE published_at IS NULL`);
      if (left === 0) break;
      if (Date.now() > deadline) throw new Error(`${left} events never published`);
      await sleep(100);
    }
    const client = createClient({ url: second.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${ops}` }, retryAttempts: 0 });
    const sub = collect<any>(client, print(OrderStatusChangedDocument), { customerId: buyer.id, afterEventId: 0 });
    const seen = await sub.waitFor(committed.size, 20_000);
    expect(new Set(seen.map((e) => e.data!.orderStatusChanged.orderId))).toEqual(committed);
    sub.dispose();
    await client.dispose();
    expect(await second.stop('SIGTERM')).toBe(0);
  }, 120_000);
});
