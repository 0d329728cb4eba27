import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { stockUp } from './support/logistics-fixtures.js';
import { OrderByIdDocument, OrdersDocument, OrdersNestedDocument, PlaceOrderDocument, TransitionOrderDocument } from './generated/graphql.js';

let t: TestApp;
let ops: string;
let buyer: Awaited<ReturnType<typeof customer>>;
let variantA: string;
let variantB: string;

beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  buyer = await customer(t);
  const p = await product(t, ops, [{ priceAmount: 1999 }, { priceAmount: 550 }]);
  [variantA, variantB] = p.variantIds as [string, string];
  // Confirmation reserves stock: give the variants some.
  await stockUp(t, ops, [variantA, variantB]);
});
afterAll(() => t?.stop());

const countRows = async (table: string) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
const snapshot = async () => ({
  orders: await countRows('sales_order'),
  lines: await countRows('order_line'),
  history: await countRows('order_status_change'),
  events: await countRows('event_outbox'),
});

async function place(token = buyer.token, lines = [{ variantId: variantA, quantity: 2 }, { variantId: variantB, quantity: 3 }]) {
  const res = await t.gql(PlaceOrderDocument, { input: { lines } }, token);
  const o = res.data?.placeOrder;
  if (o?.__typename !== 'Order') throw new Error(JSON.stringify(res));
  return o;
}

describe('placing an order', () => {
  it('prices lines at current prices in integer minor units and starts in PENDING_PAYMENT', async () => {
    const order = await place();
    expect(order.status).toBe('PENDING_PAYMENT');
    expect(order.currency).toBe('USD');
    expect(order.lines.map((l) => [l.quantity, l.unitPrice.amount, l.lineTotal.amount])).toEqual([
      [2, 1999, 3998],
      [3, 550, 1650],
    ]);
    expect(order.subtotal.amount).toBe(5648);
    expect(order.total).toEqual({ amount: 5648, currency: 'USD' });
    expect(order.nextStates).toEqual(['PAID', 'CANCELLED']);
    expect(order.statusHistory).toEqual([{ fromStatus: null, toStatus: 'PENDING_PAYMENT', reason: null, actorKind: 'customer' }]);
    const [row] = await t.sql('SELECT total_amount, customer_id FROM sales_order WHERE id = $1', [order.id]);
    expect(row).toEqual({ total_amount: 5648, customer_id: buyer.id });
  });

  it('is idempotent with an idempotency key, and refuses the key for different input', async () => {
    const before = await snapshot();
    const input = { lines: [{ variantId: variantA, quantity: 1 }], idempotencyKey: 'retry-key-0001' };
    const [a, b] = await Promise.all([t.gql(PlaceOrderDocument, { input }, buyer.token), t.gql(PlaceOrderDocument, { input }, buyer.token)]);
    const first = a.data?.placeOrder;
    const second = b.data?.placeOrder;
    expect(first?.__typename).toBe('Order');
    expect(second?.__typename).toBe('Order');
    expect((first as any).id).toBe((second as any).id);
    const after = await snapshot();
    expect(after.orders - before.orders).toBe(1);
    expect(after.events - before.events).toBe(1);

    const reused = await t.gql(PlaceOrderDocument, { input: { ...input, lines: [{ variantId: variantA, quantity: 2 }] } }, buyer.token);
    expect(reused.data?.placeOrder).toMatchObject({ __typename: 'IdempotencyKeyReusedError', errorCode: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
  });

  it('refuses an unavailable (draft) product with a typed error and writes nothing', async () => {
    const draft = await product(t, ops, [{ priceAmount: 100 }], 'DRAFT');
    const before = await snapshot();
    const res = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: draft.variantIds[0]!, quantity: 1 }] } }, buyer.token);
    expect(res.data?.placeOrder).toMatchObject({ __typename: 'VariantUnavailableError', errorCode: 'VARIANT_UNAVAILABLE', field: 'lines[0].variantId' });
    expect(await snapshot()).toEqual(before);
  });

  const badInputs: [string, Record<string, unknown>, string][] = [
    ['zero quantity', { lines: [{ variantId: 'A', quantity: 0 }] }, 'lines[0].quantity'],
    ['negative quantity', { lines: [{ variantId: 'A', quantity: -3 }] }, 'lines[0].quantity'],
    ['unknown variant', { lines: [{ variantId: '00000000-0000-7000-8000-000000000000', quantity: 1 }] }, 'lines[0].variantId'],
    ['malformed variant id', { lines: [{ variantId: 'not-an-id', quantity: 1 }] }, 'lines[0].variantId'],
    ['empty order', { lines: [] }, 'lines'],
    ['repeated variant', { lines: [{ variantId: 'A', quantity: 1 }, { variantId: 'A', quantity: 2 }] }, 'lines[1].variantId'],
    ['over-long note', { lines: [{ variantId: 'A', quantity: 1 }], note: 'x'.repeat(1001) }, 'note'],
  ];
  it.each(badInputs)('refuses %s with BAD_USER_INPUT naming the field, and writes nothing', async (_name, input, field) => {
    const lines = (input.lines as any[]).map((l) => ({ ...l, variantId: l.variantId === 'A' ? variantA : l.variantId }));
    const before = await snapshot();
    const res = await t.gql(PlaceOrderDocument, { input: { ...input, lines } as any }, buyer.token);
    expect(res.data?.placeOrder ?? null).toBeNull();
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(res.errors?.[0]?.message).toMatch(new RegExp(`^${field.replace(/[[\]]/g, '\\$&')}: `));
    expect(await snapshot()).toEqual(before);
  });
});

describe('order lifecycle', () => {
  it('moves through every state to COMPLETED, recording history with reasons', async () => {
    const order = await place();
    const path = ['PAID', 'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'COMPLETED'] as const;
    for (const to of path) {
      const res = await t.gql(TransitionOrderDocument, { input: { orderId: order.id, to, reason: `to ${to}` } }, ops);
      expect(res.data?.transitionOrder).toMatchObject({ __typename: 'Order', status: to });
    }
    const res = await t.gql(OrderByIdDocument, { id: order.id }, ops);
    expect(res.data?.order.status).toBe('COMPLETED');
    expect(res.data?.order.nextStates).toEqual([]);
    expect(res.data?.order.statusHistory.map((h) => [h.fromStatus, h.toStatus, h.reason])).toEqual([
      [null, 'PENDING_PAYMENT', null],
      ['PENDING_PAYMENT', 'PAID', 'to PAID'],
      ['PAID', 'CONFIRMED', 'to CONFIRMED'],
      ['CONFIRMED', 'PROCESSING', 'to PROCESSING'],
      ['PROCESSING', 'SHIPPED', 'to SHIPPED'],
      ['SHIPPED', 'DELIVERED', 'to DELIVERED'],
      ['DELIVERED', 'COMPLETED', 'to COMPLETED'],
    ]);
  });

  it('returns ILLEGAL_TRANSITION for an illegal move and changes nothing', async () => {
    const order = await place();
    const before = await snapshot();
    const res = await t.gql(TransitionOrderDocument, { input: { orderId: order.id, to: 'SHIPPED' } }, ops);
    expect(res.data?.transitionOrder).toMatchObject({
      __typename: 'IllegalOrderTransitionError',
      errorCode: 'ILLEGAL_TRANSITION',
      from: 'PENDING_PAYMENT',
      to: 'SHIPPED',
      allowed: ['PAID', 'CANCELLED'],
    });
    expect(await snapshot()).toEqual(before);
    const [row] = await t.sql('SELECT status FROM sales_order WHERE id = $1', [order.id]);
    expect(row.status).toBe('PENDING_PAYMENT');
  });

  it('never leaves a terminal state', async () => {
    const order = await place();
    await t.gql(TransitionOrderDocument, { input: { orderId: order.id, to: 'CANCELLED', reason: 'changed my mind' } }, buyer.token);
    const res = await t.gql(TransitionOrderDocument, { input: { orderId: order.id, to: 'PAID' } }, ops);
    expect(res.data?.transitionOrder).toMatchObject({ __typename: 'IllegalOrderTransitionError', from: 'CANCELLED', allowed: [] });
  });

  it('requires a reason to cancel', async () => {
    const order = await place();
    const res = await t.gql(TransitionOrderDocument, { input: { orderId: order.id, to: 'CANCELLED' } }, ops);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const [row] = await t.sql('SELECT status FROM sales_order WHERE id = $1', [order.id]);
    expect(row.status).toBe('PENDING_PAYMENT');
  });

  it('lets customers cancel their own unconfirmed order but not confirm or pay it', async () => {
    const order = await place();
    const pay = await t.gql(TransitionOrderDocument, { input: { orderId: order.id, to: 'PAID' } }, buyer.token);
    expect(pay.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const cancel = await t.gql(TransitionOrderDocument, { input: { orderId: order.id, to: 'CANCELLED', reason: 'ordered twice' } }, buyer.token);
    expect(cancel.data?.transitionOrder).toMatchObject({ __typename: 'Order', status: 'CANCELLED' });
  });

  it('applies exactly one of two concurrent identical moves', async () => {
    const order = await place();
    const results = await Promise.all(
      [1, 2, 3].map(() => t.gql(TransitionOrderDocument, { input: { orderId: order.id, to: 'PAID' } }, ops)),
    );
    const kinds = results.map((r) => r.data?.transitionOrder?.__typename).sort();
    expect(kinds).toEqual(['IllegalOrderTransitionError', 'IllegalOrderTransitionError', 'Order']);
    const [row] = await t.sql(`SELECT count(*)::int AS n FROM order_status_change WHERE order_id = $1 AND to_status = 'PAID'`, [order.id]);
    expect(row.n).toBe(1);
  });
});

describe('orders list', () => {
  it('filters by status, customer and placed-at range, and orders stably', async () => {
    const other = await customer(t, 'Other');
    const mine = [await place(other.token), await place(other.token), await place(other.token)];
    await t.gql(TransitionOrderDocument, { input: { orderId: mine[1]!.id, to: 'PAID' } }, ops);

    const byCustomer = await t.gql(OrdersDocument, { filter: { customerId: other.id }, first: 10 }, ops);
    expect(byCustomer.data?.orders.totalCount).toBe(3);
    expect(byCustomer.data?.orders.edges.map((e) => e.node.id)).toEqual([mine[2]!.id, mine[1]!.id, mine[0]!.id]);

    const paid = await t.gql(OrdersDocument, { filter: { customerId: other.id, status: ['PAID'] } }, ops);
    expect(paid.data?.orders.edges.map((e) => e.node.id)).toEqual([mine[1]!.id]);

    const from = mine[1]!.placedAt;
    const ranged = await t.gql(OrdersDocument, { filter: { customerId: other.id, placedFrom: from }, orderBy: { field: 'PLACED_AT', direction: 'ASC' } }, ops);
    expect(ranged.data?.orders.edges.map((e) => e.node.id)).toEqual([mine[1]!.id, mine[2]!.id]);

    const bad = await t.gql(OrdersDocument, { filter: { placedFrom: from, placedTo: from } }, ops);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'filter.placedTo' });
  });

  it('pages forward and backward with cursors over a stable order', async () => {
    const all = await t.gql(OrdersDocument, { first: 100, orderBy: { field: 'TOTAL', direction: 'DESC' } }, ops);
    const ids = all.data!.orders.edges.map((e) => e.node.id);
    const totals = all.data!.orders.edges.map((e) => e.node.total.amount);
    expect(totals).toEqual([...totals].sort((a, b) => b - a));
    expect(ids.length).toBeGreaterThan(6);

    const seen: string[] = [];
    let after: string | null | undefined;
    for (;;) {
      const page = await t.gql(OrdersDocument, { first: 3, after, orderBy: { field: 'TOTAL', direction: 'DESC' } }, ops);
      const c = page.data!.orders;
      expect(c.totalCount).toBe(ids.length);
      seen.push(...c.edges.map((e) => e.node.id));
      expect(c.pageInfo.hasPreviousPage).toBe(after != null);
      if (!c.pageInfo.hasNextPage) break;
      after = c.pageInfo.endCursor;
    }
    expect(seen).toEqual(ids);

    // Past the last item the page is empty and the count still covers the whole list (page and count share a statement).
    const past = await t.gql(OrdersDocument, { first: 3, after: all.data!.orders.pageInfo.endCursor, orderBy: { field: 'TOTAL', direction: 'DESC' } }, ops);
    expect(past.data!.orders.edges).toEqual([]);
    expect(past.data!.orders.totalCount).toBe(ids.length);
    expect(past.data!.orders.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const nobody = await t.gql(OrdersDocument, { filter: { customerId: '00000000-0000-4000-8000-000000000000' }, first: 5 }, ops);
    expect(nobody.data!.orders).toMatchObject({ totalCount: 0, edges: [] });

    const lastTwo = await t.gql(OrdersDocument, { last: 2, orderBy: { field: 'TOTAL', direction: 'DESC' } }, ops);
    expect(lastTwo.data!.orders.edges.map((e) => e.node.id)).toEqual(ids.slice(-2));
    expect(lastTwo.data!.orders.pageInfo.hasPreviousPage).toBe(true);
    const before = await t.gql(OrdersDocument, { last: 2, before: lastTwo.data!.orders.pageInfo.startCursor, orderBy: { field: 'TOTAL', direction: 'DESC' } }, ops);
    expect(before.data!.orders.edges.map((e) => e.node.id)).toEqual(ids.slice(-4, -2));
  });

  it('refuses a page size over 100 and malformed or foreign cursors', async () => {
    const big = await t.gql(OrdersDocument, { first: 101 }, ops);
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(big.errors?.[0]?.message).toBe('first: must be between 0 and 100');
    const neg = await t.gql(OrdersDocument, { last: -1 }, ops);
    expect(neg.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'last' });
    const junk = await t.gql(OrdersDocument, { after: 'definitely-not-a-cursor' }, ops);
    expect(junk.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    const page = await t.gql(OrdersDocument, { first: 1 }, ops);
    const foreign = await t.gql(OrdersDocument, { after: page.data!.orders.pageInfo.endCursor, orderBy: { field: 'TOTAL', direction: 'DESC' } }, ops);
    expect(foreign.errors?.[0]?.message).toMatch(/^after: is a cursor for ordering PLACED_AT, not TOTAL/);
  });

  it('shows customers only their own orders', async () => {
    const res = await t.gql(OrdersDocument, { first: 100 }, buyer.token);
    const ids = res.data!.orders.edges.map((e) => e.node.customer.id);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids)).toEqual(new Set([buyer.id]));
  });
});

describe('batching', () => {
  it('runs the same number of SQL statements for a nested list of 2 or 60 orders', async () => {
    // Enough orders across several customers and products.
    const buyers = [buyer, await customer(t, 'B2'), await customer(t, 'B3')];
    const products = [await product(t, ops, [{ priceAmount: 100 }, { priceAmount: 200 }]), await product(t, ops, [{ priceAmount: 300 }])];
    const variants = products.flatMap((p) => p.variantIds);
    for (let i = 0; i < 60; i++) {
      await place(buyers[i % 3]!.token, [
        { variantId: variants[i % 3]!, quantity: 1 },
        { variantId: variants[(i + 1) % 3]!, quantity: 2 },
      ]);
    }
    let small: any;
    let large: any;
    const q2 = await t.countQueries(async () => (small = await t.gql(OrdersNestedDocument, { first: 2 }, ops)));
    const q60 = await t.countQueries(async () => (large = await t.gql(OrdersNestedDocument, { first: 60 }, ops)));
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(large.data.orders.nodes).toHaveLength(60);
    expect(large.data.orders.nodes.every((o: any) => o.lines.length >= 1 && o.lines[0].variant.product.name)).toBe(true);
    // orders, customers, lines, status history, variants, products
    expect(q2).toBe(6);
    expect(q60).toBe(q2);
  });
});
