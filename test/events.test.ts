import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { collect, createTestDatabase, sleep, startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { stockUp } from './support/logistics-fixtures.js';
import { spawnServer } from './support/processes.js';
import { signAccessToken } from '../src/common/auth/tokens.js';
import { CreateProductDocument, OrderStatusChangedDocument, PlaceOrderDocument, RegisterCustomerDocument, TransitionOrderDocument, type OrderStatusChangedSubscription } from './generated/graphql.js';

const SUB = print(OrderStatusChangedDocument);
type Ev = OrderStatusChangedSubscription['orderStatusChanged'];

let t: TestApp;
let ops: string;
let buyer: Awaited<ReturnType<typeof customer>>;
let variant: string;

beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  buyer = await customer(t);
  variant = (await product(t, ops, [{ priceAmount: 1000 }])).variantIds[0]!;
  // Confirmation reserves stock: give the variant some.
  await stockUp(t, ops, [variant]);
});
afterAll(() => t?.stop());

async function placeOrder(app: { gql: TestApp['gql'] } = t, token = buyer.token) {
  const res = await app.gql(PlaceOrderDocument, { input: { lines: [{ variantId: variant, quantity: 1 }] } }, token);
  const o = res.data?.placeOrder;
  if (o?.__typename !== 'Order') throw new Error(JSON.stringify(res));
  return o.id;
}
const move = (orderId: string, to: any, reason?: string, token = ops) => t.gql(TransitionOrderDocument, { input: { orderId, to, reason } }, token);

describe('orderStatusChanged over WebSocket', () => {
  it('delivers placement and every status change live, with the order as it is now', async () => {
    const orderId = await placeOrder();
    await t.drainEvents(); // the placement event is out, so the feed below starts with PAID
    const sub = collect<{ orderStatusChanged: Ev }>(t.ws(ops), SUB, { orderId });
    await sleep(300); // subscription established
    await move(orderId, 'PAID');
    await move(orderId, 'CONFIRMED');
    const got = (await sub.waitFor(2)).map((r) => r.data!.orderStatusChanged);
    expect(got.map((e) => [e.previousStatus, e.status])).toEqual([
      ['PENDING_PAYMENT', 'PAID'],
      ['PAID', 'CONFIRMED'],
    ]);
    expect(got[0]!.order.id).toBe(orderId);
    expect(got[1]!.order.status).toBe('CONFIRMED');
    expect(got[1]!.eventId).toBeGreaterThan(got[0]!.eventId);
    sub.dispose();
  });

  it('resumes with afterEventId: exactly the missed events, in order, once, then live', async () => {
    const orderId = await placeOrder();
    await t.drainEvents();
    const first = collect<{ orderStatusChanged: Ev }>(t.ws(ops), SUB, { orderId });
    await sleep(300);
    await move(orderId, 'PAID');
    const [seen] = await first.waitFor(1);
    const lastSeen = seen!.data!.orderStatusChanged.eventId;
    first.dispose();
    await sleep(100);

    // Missed while disconnected (plus noise on another order that must not appear).
    await move(orderId, 'CONFIRMED');
    const other = await placeOrder();
    await move(other, 'PAID');
    await move(orderId, 'PROCESSING');
    await t.drainEvents();

    const resumed = collect<{ orderStatusChanged: Ev }>(t.ws(ops), SUB, { orderId, afterEventId: lastSeen });
    const replayed = (await resumed.waitFor(2)).map((r) => r.data!.orderStatusChanged);
    expect(replayed.map((e) => e.status)).toEqual(['CONFIRMED', 'PROCESSING']);
    await move(orderId, 'SHIPPED');
    const all = (await resumed.waitFor(3)).map((r) => r.data!.orderStatusChanged);
    expect(all.map((e) => e.status)).toEqual(['CONFIRMED', 'PROCESSING', 'SHIPPED']);
    const ids = all.map((e) => e.eventId);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(3);
    await sleep(500);
    expect(resumed.items).toHaveLength(3); // nothing delivered twice
    resumed.dispose();
  });

  it('numbers events in commit order, so a resume never skips a late committer', async () => {
    // A transaction that wrote its event first but commits last must still be delivered after a resume
    // point taken in between (the "id 10 commits after id 11" trap).
    const orderId = await placeOrder();
    const payload = (status: string) =>
      JSON.stringify({ orderId, customerId: buyer.id, orderNumber: 1, previousStatus: null, status, reason: 'sql', actorKind: 'system', changedAt: new Date().toISOString() });
    const pg = await import('pg');
    const slow = new pg.default.Client({ connectionString: t.dbUrl });
    await slow.connect();
    await slow.query('BEGIN');
    await slow.query(`INSERT INTO event_outbox (topic, payload, created_at) VALUES ('order.status_changed', $1, now())`, [payload('PAID')]); // lower id
    await t.sql(`INSERT INTO event_outbox (topic, payload, created_at) VALUES ('order.status_changed', $1, now())`, [payload('CONFIRMED')]); // higher id, committed first
    await sleep(600);
    const [{ seq: fastSeq }] = await t.sql(`SELECT seq FROM event_outbox WHERE payload->>'status' = 'CONFIRMED' AND payload->>'orderId' = $1`, [orderId]);
    expect(fastSeq).not.toBeNull();
    await slow.query('COMMIT');
    await slow.end();
    await sleep(600);

    const resumed = collect<{ orderStatusChanged: Ev }>(t.ws(ops), SUB, { orderId, afterEventId: Number(fastSeq) });
    const [late] = await resumed.waitFor(1);
    expect(late!.data!.orderStatusChanged.status).toBe('PAID');
    expect(late!.data!.orderStatusChanged.eventId).toBeGreaterThan(Number(fastSeq));
    resumed.dispose();
  });

  it('publishes nothing for a transaction that fails after writing its event', async () => {
    // A deferred constraint trigger makes the commit itself fail, after the event row was written.
    await t.sql(`CREATE FUNCTION fail_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'injected commit failure'; END $$`);
    await t.sql(`CREATE CONSTRAINT TRIGGER fail_on_commit AFTER INSERT ON event_outbox DEFERRABLE INITIALLY DEFERRED
                 FOR EACH ROW WHEN (NEW.payload->>'reason' = 'fail-at-commit') EXECUTE FUNCTION fail_commit()`);
    const orderId = await placeOrder();
    await t.drainEvents();
    const sub = collect<{ orderStatusChanged: Ev }>(t.ws(ops), SUB, { orderId });
    await sleep(300);
    const failed = await move(orderId, 'CANCELLED', 'fail-at-commit');
    expect(failed.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(failed.errors?.[0]?.message).toBe('Internal server error'); // no SQL or trigger text leaks
    await move(orderId, 'PAID');
    const [only] = await sub.waitFor(1);
    expect(only!.data!.orderStatusChanged.status).toBe('PAID');
    await sleep(500);
    expect(sub.items).toHaveLength(1);
    const rows = await t.sql(`SELECT count(*)::int AS n FROM event_outbox WHERE payload->>'reason' = 'fail-at-commit'`);
    expect(rows[0].n).toBe(0);
    const [order] = await t.sql('SELECT status FROM sales_order WHERE id = $1', [orderId]);
    expect(order.status).toBe('PAID');
    sub.dispose();
  });
});

describe('subscription access', () => {
  it('scopes a customer to their own orders and refuses other customers’ orders', async () => {
    const other = await customer(t, 'Other');
    const mine = await placeOrder();
    const theirs = await placeOrder(t, other.token);
    await t.drainEvents();

    const own = collect<{ orderStatusChanged: Ev }>(t.ws(buyer.token), SUB, {});
    await sleep(300);
    await move(theirs, 'PAID');
    await move(mine, 'PAID');
    const [got] = await own.waitFor(1);
    expect(got!.data!.orderStatusChanged.orderId).toBe(mine);
    await sleep(400);
    expect(own.items.map((i) => i.data!.orderStatusChanged.orderId)).toEqual([mine]);
    own.dispose();

    const byOrder = collect(t.ws(buyer.token), SUB, { orderId: theirs });
    await byOrder.settled();
    expect(byOrder.errors.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);

    const byCustomer = collect(t.ws(buyer.token), SUB, { customerId: other.id });
    await byCustomer.settled();
    expect(byCustomer.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);

    const anonymous = collect(t.ws(), SUB, {});
    await anonymous.settled();
    expect(anonymous.errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);

    const merch = (await staffToken(t, Role.MERCHANDISING)).token;
    const wrongRole = collect(t.ws(merch), SUB, {});
    await wrongRole.settled();
    expect(wrongRole.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  });

  async function closeCode(token: string): Promise<number> {
    return new Promise((resolve) => {
      const client = createClient({
        url: t.app.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${token}` },
        retryAttempts: 0,
        on: { closed: (e: any) => resolve(e.code) },
      });
      client.subscribe({ query: SUB }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    });
  }

  it('closes the socket with 4403 for a forged or expired token', async () => {
    const forged = signAccessToken('x'.repeat(64), { sub: buyer.id, knd: 'c' }, 3600).token;
    expect(await closeCode(forged)).toBe(4403);
    const expired = signAccessToken(t.config.authSecret, { sub: buyer.id, knd: 'c' }, 60, Date.now() - 3600_000).token;
    expect(await closeCode(expired)).toBe(4403);
    expect(await closeCode('eco_unknownapitoken')).toBe(4403);
  });
});

describe('two instances on one Redis', () => {
  it('a mutation on instance A reaches a subscriber on instance B, once', async (ctx) => {
    if (!inject('redisUrl')) ctx.skip(inject('redisProblem'));
    // A database of their own: every instance sharing a database must share the event transport too.
    const db = await createTestDatabase();
    const env = {
      DATABASE_URL: db.url,
      REDIS_URL: inject('redisUrl'),
      REDIS_PREFIX: `ecomtest:${randomBytes(4).toString('hex')}`,
      AUTH_SECRET: t.config.authSecret,
      MIGRATE_ON_START: 'false',
      NODE_ENV: 'test',
    };
    const [a, b] = await Promise.all([spawnServer(env), spawnServer(env)]);
    try {
      const call = async (url: string, doc: any, variables: any, token?: string) => {
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify({ query: print(doc), variables }),
        });
        return (await res.json()) as any;
      };
      // Staff tokens are verified by signature alone, so one signed with the shared secret works on both.
      const staff = signAccessToken(t.config.authSecret, { sub: randomUUID(), knd: 's', roles: [Role.OPERATIONS, Role.MERCHANDISING] }, 600).token;
      const reg = await call(a.url, RegisterCustomerDocument, { input: { email: `two-${randomBytes(3).toString('hex')}@example.com`, name: 'Two', password: 'a-long-password-2' } });
      const buyerToken = reg.data.registerCustomer.accessToken;
      const prod = await call(a.url, CreateProductDocument, { input: { name: 'Two-instance product', status: 'ACTIVE', variants: [{ sku: 'TWO-1', name: 'One', priceAmount: 500, currency: 'EUR' }] } }, staff);
      const placed = await call(b.url, PlaceOrderDocument, { input: { lines: [{ variantId: prod.data.createProduct.variants[0].id, quantity: 2 }] } }, buyerToken);
      const orderId = placed.data.placeOrder.id;

      const client = createClient({ url: b.wsUrl, webSocketImpl: WebSocket, connectionParams: { authorization: `Bearer ${staff}` }, retryAttempts: 0 });
      const sub = collect<{ orderStatusChanged: Ev }>(client, SUB, { orderId });
      await sleep(500);
      const res = await call(a.url, TransitionOrderDocument, { input: { orderId, to: 'PAID' } }, staff);
      expect(res.data.transitionOrder.status).toBe('PAID');
      const [ev] = await sub.waitFor(1);
      expect(ev!.data!.orderStatusChanged).toMatchObject({ orderId, status: 'PAID', order: { status: 'PAID' } });
      await sleep(500);
      expect(sub.items).toHaveLength(1); // exactly one relay published it
      await client.dispose();
    } finally {
      await Promise.all([a.stop(), b.stop()]);
      await db.drop();
    }
  });
});
