import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildAppSchema } from '../src/app/schema.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { mutationProbe } from './support/analytics-fixtures.js';
import { receive, warehouse } from './support/logistics-fixtures.js';
import { AnalyticsBulkCustomersDocument, AnalyticsBulkStockMovementsDocument, AnalyticsBulkOrdersDocument, AnalyticsSalesKpisDocument, CreateApiTokenDocument, MoveOrderDocument, PlaceOrderDocument } from './generated/graphql.js';

let t: TestApp;
let ops: string;
let analyst: string;
let biToken: string;
let orderIds: string[];

beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  const admin = (await staffToken(t, Role.ADMIN)).token;
  const created = await t.gql(CreateApiTokenDocument, { input: { name: 'BI tool', roles: ['ANALYST'] } }, admin);
  biToken = created.data!.createApiToken.secret;
  const buyer = await customer(t);
  const [v] = (await product(t, ops, [{ priceAmount: 1000 }])).variantIds as [string];
  orderIds = [];
  for (let i = 0; i < 6; i++) {
    const res = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: v, quantity: 1 }] } }, buyer.token);
    if (res.data?.placeOrder?.__typename !== 'Order') throw new Error(JSON.stringify(res));
    orderIds.push(res.data.placeOrder.id);
  }
  // History with microsecond precision and a tie on updated_at, which only the id breaks.
  const stamps = ['2026-02-01T10:00:00.000001Z', '2026-02-01T10:00:00.000002Z', '2026-02-01T10:00:00.000002Z', '2026-02-01T11:00:00Z', '2026-02-01T12:00:00Z', '2026-02-01T13:00:00Z'];
  for (const [i, id] of orderIds.entries()) await t.sql('UPDATE sales_order SET updated_at = $2 WHERE id = $1', [id, stamps[i]]);
});
afterAll(() => t?.stop());

async function pullAll(token: string, first: number, start: { after?: string; updatedAfter?: string } = {}) {
  const ids: string[] = [];
  let after = start.after;
  let pages = 0;
  for (;;) {
    const res = await t.gql(AnalyticsBulkOrdersDocument, { first, after, updatedAfter: start.updatedAfter }, token);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
    const c = res.data!.bulkOrders;
    ids.push(...c.nodes.map((n) => n.id));
    pages++;
    if (c.pageInfo.endCursor) after = c.pageInfo.endCursor;
    if (!c.pageInfo.hasNextPage) return { ids, endCursor: after, pages, totalCount: c.totalCount };
  }
}

const expectedOrder = async (where = 'true', params: unknown[] = []) =>
  (await t.sql(`SELECT id FROM sales_order WHERE ${where} ORDER BY updated_at, id`, params)).map((r) => r.id);

describe('bulk pull of orders', () => {
  it('pages through every order once in (updatedAt, id) order, ties and microseconds included', async () => {
    const all = await pullAll(analyst, 2);
    expect(all.ids).toEqual(await expectedOrder());
    expect(new Set(all.ids).size).toBe(6);
    expect(all.pages).toBe(3);
    expect(all.totalCount).toBe(6);
  });

  it('continues from the last cursor with only the orders changed since, each once', async () => {
    const first = await pullAll(biToken, 4);
    const changed = [orderIds[1]!, orderIds[4]!];
    for (const id of changed) {
      const res = await t.gql(MoveOrderDocument, { input: { orderId: id, to: 'CANCELLED', reason: 'changed' } }, ops);
      expect(res.data?.transitionOrder?.__typename).toBe('Order');
    }
    const next = await pullAll(biToken, 1, { after: first.endCursor });
    expect(next.ids).toEqual(await expectedOrder('id = ANY($1)', [changed]));
    // Nothing changed since: an empty page.
    const again = await pullAll(biToken, 1, { after: next.endCursor });
    expect(again.ids).toEqual([]);
  });

  it('updatedAfter returns each row changed strictly after the instant, once', async () => {
    const res = await pullAll(analyst, 1, { updatedAfter: '2026-02-01T10:00:00.000Z' });
    const expected = await expectedOrder(`updated_at > '2026-02-01T10:00:00.000Z'`);
    expect(res.ids).toEqual(expected);
    expect(new Set(res.ids).size).toBe(expected.length);
    expect(res.totalCount).toBe(expected.length);
    expect(expected.length).toBe(6);
    const later = await pullAll(analyst, 100, { updatedAfter: '2026-02-01T11:00:00.000Z' });
    expect(later.ids).toEqual(await expectedOrder(`updated_at > '2026-02-01T11:00:00.000Z'`));
  });

  it('allows pages of 1000 to analysts and admins, 100 to everyone else', async () => {
    const ok = await t.gql(AnalyticsBulkOrdersDocument, { first: 1000 }, analyst);
    expect(ok.data?.bulkOrders.nodes).toHaveLength(6);
    const tooMany = await t.gql(AnalyticsBulkOrdersDocument, { first: 1001 }, analyst);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    const opsBig = await t.gql(AnalyticsBulkOrdersDocument, { first: 101 }, ops);
    expect(opsBig.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect((await t.gql(AnalyticsBulkOrdersDocument, { first: 100 }, ops)).errors).toBeUndefined();
    const bad = await t.gql(AnalyticsBulkOrdersDocument, { after: 'not-a-cursor' }, analyst);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const customerToken = (await customer(t)).token;
    expect((await t.gql(AnalyticsBulkOrdersDocument, { first: 1 }, customerToken)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('pulls KPIs with an API token holding the analyst role', async () => {
    const res = await t.gql(AnalyticsSalesKpisDocument, { from: '2026-01-01T00:00:00Z', to: '2027-01-01T00:00:00Z', bucket: 'MONTH', timeZone: 'Europe/Berlin' }, biToken);
    expect(res.errors).toBeUndefined();
  });
});

describe('bulk pull of the stock ledger and customers', () => {
  it('pulls stock movements in (at, id) order; continuing from the cursor yields only new ones', async () => {
    const [v] = (await product(t, ops, [{ priceAmount: 500 }])).variantIds as [string];
    const wh = await warehouse(t, ops);
    for (const q of [5, 7, 9]) await receive(t, ops, v, wh, q);
    const pull = async (after?: string) => {
      const ids: string[] = [];
      for (;;) {
        const res = await t.gql(AnalyticsBulkStockMovementsDocument, { first: 2, after }, biToken);
        if (res.errors) throw new Error(JSON.stringify(res.errors));
        ids.push(...res.data!.bulkStockMovements.nodes.map((n) => n.id));
        after = res.data!.bulkStockMovements.pageInfo.endCursor ?? after;
        if (!res.data!.bulkStockMovements.pageInfo.hasNextPage) return { ids, after };
      }
    };
    const all = await pull();
    expect(all.ids).toEqual((await t.sql('SELECT id FROM stock_movement ORDER BY at, id')).map((r) => r.id));
    expect(all.ids).toHaveLength(3);
    await receive(t, ops, v, wh, 11);
    const next = await pull(all.after);
    expect(next.ids).toEqual((await t.sql('SELECT id FROM stock_movement WHERE quantity = 11')).map((r) => r.id));
  });

  it('pulls customers in registration order; continuing from the cursor yields only new ones', async () => {
    const first = await t.gql(AnalyticsBulkCustomersDocument, { first: 1000 }, analyst);
    const ids = first.data!.bulkCustomers.nodes.map((n) => n.id);
    expect(ids).toEqual((await t.sql('SELECT id FROM customer ORDER BY created_at, id')).map((r) => r.id));
    const fresh = await customer(t, 'Newcomer');
    const next = await t.gql(AnalyticsBulkCustomersDocument, { first: 1000, after: first.data!.bulkCustomers.pageInfo.endCursor }, analyst);
    expect(next.data!.bulkCustomers.nodes.map((n) => n.id)).toEqual([fresh.id]);
    // A cursor of another pull is refused.
    const orders = await t.gql(AnalyticsBulkOrdersDocument, { first: 1 }, analyst);
    const crossed = await t.gql(AnalyticsBulkCustomersDocument, { after: orders.data!.bulkOrders.pageInfo.endCursor }, analyst);
    expect(crossed.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('analyst access', () => {
  it('refuses an analyst user and an analyst API token on every mutation, before anything runs', async () => {
    const schema = await buildAppSchema();
    const all = Object.values(schema.getMutationType()!.getFields());
    // Public mutations (sign-in, sign-up) are open to anyone by design; every other one must refuse the analyst.
    const isPublic = (f: (typeof all)[number]) => ((f.extensions?.access as string[]) ?? []).includes('PUBLIC');
    expect(all.filter(isPublic).map((f) => f.name).sort()).toEqual(['customerLogin', 'login', 'registerCustomer']);
    const mutations = all.filter((f) => !isPublic(f));
    expect(mutations.length).toBeGreaterThan(50);
    const before = await t.sql(`SELECT (SELECT count(*) FROM event_outbox)::int AS events, (SELECT count(*) FROM sales_order)::int AS orders`);
    const notRefused: string[] = [];
    for (const [who, token] of [['analyst user', analyst], ['analyst API token', biToken]] as const) {
      for (const field of mutations) {
        const res = await t.post(mutationProbe(field), token);
        const refused = (res.errors ?? []).some((e) => e.path?.[0] === field.name && e.extensions?.code === 'FORBIDDEN');
        if (!refused) notRefused.push(`${who} ${field.name}: ${JSON.stringify(res).slice(0, 200)}`);
      }
    }
    expect(notRefused).toEqual([]);
    expect(await t.sql(`SELECT (SELECT count(*) FROM event_outbox)::int AS events, (SELECT count(*) FROM sales_order)::int AS orders`)).toEqual(before);
  });
});
