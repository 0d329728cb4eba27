import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { print } from 'graphql';
import { ManualClock } from '../src/common/clock.js';
import { collect, sleep, startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { receive, stockUp, warehouse } from './support/logistics-fixtures.js';
import { category, channel, deliveredOrder } from './support/returns-fixtures.js';
import {
  ExchangeReturnDocument,
  InspectReturnDocument,
  RefundPaymentDocument,
  RefundReturnDocument,
  RequestReturnDocument,
  ReturnByIdDocument,
  ReturnPoliciesDocument,
  ReturnRequestsDocument,
  ReturnStatusChangedDocument,
  SetReturnPolicyDocument,
  TransitionReturnDocument,
  type RequestReturnInput,
  type ReturnStatus,
  type ReturnStatusChangedSubscription,
} from './generated/graphql.js';

const DAY = 86_400_000;
const T0 = new Date('2026-03-02T10:00:00Z');
const clock = new ManualClock(T0);

let t: TestApp;
let ops: string;
let support: string;
let analyst: string;
let buyer: Awaited<ReturnType<typeof customer>>;
let other: Awaited<ReturnType<typeof customer>>;
let wh: string;
/** A 2500 (Apparel), B 4000 (Apparel), D 1500 (Shoes ⊂ Apparel), E 1000 (no category), C 800 (Hygiene, not returnable), X 3000 (Apparel, no stock). */
const v: Record<'A' | 'B' | 'C' | 'D' | 'E' | 'X', string> = {} as any;
let web: string;

beforeAll(async () => {
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  support = (await staffToken(t, Role.SUPPORT)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  buyer = await customer(t, 'Buyer');
  other = await customer(t, 'Other');
  const apparel = await category(t, ops, 'Apparel');
  const shoes = await category(t, ops, 'Shoes', apparel);
  const hygiene = await category(t, ops, 'Hygiene');
  const p1 = await product(t, ops, [{ priceAmount: 2500 }, { priceAmount: 4000 }, { priceAmount: 3000 }]);
  [v.A, v.B, v.X] = p1.variantIds as [string, string, string];
  const p2 = await product(t, ops, [{ priceAmount: 1500 }]);
  v.D = p2.variantIds[0]!;
  const p3 = await product(t, ops, [{ priceAmount: 1000 }]);
  v.E = p3.variantIds[0]!;
  const p4 = await product(t, ops, [{ priceAmount: 800 }]);
  v.C = p4.variantIds[0]!;
  await t.sql('UPDATE product SET category_id = $2 WHERE id = $1', [p1.productId, apparel]);
  await t.sql('UPDATE product SET category_id = $2 WHERE id = $1', [p2.productId, shoes]);
  await t.sql('UPDATE product SET category_id = $2 WHERE id = $1', [p4.productId, hygiene]);
  wh = await stockUp(t, ops, [v.A, v.B, v.C, v.D, v.E], 1000);
  web = await channel(t, ops);
  const policies: [string | undefined, string | undefined, number, boolean][] = [
    [apparel, undefined, 60, true],
    [shoes, undefined, 14, true],
    [undefined, web, 7, true],
    [hygiene, undefined, 30, false],
  ];
  for (const [categoryId, channelId, windowDays, returnable] of policies) {
    const res = await t.gql(SetReturnPolicyDocument, { input: { categoryId, channelId, windowDays, returnable } }, ops);
    if (!res.data?.setReturnPolicy) throw new Error(JSON.stringify(res));
  }
});
afterAll(() => t?.stop());

const count = async (sql: string, params: unknown[] = []) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);
const request = (input: RequestReturnInput, token = buyer.token) => t.gql(RequestReturnDocument, { input }, token);
const move = (returnId: string, to: ReturnStatus, token = support, reason?: string) => t.gql(TransitionReturnDocument, { input: { returnId, to, reason } }, token);
const line = (orderLineId: string, quantity: number) => ({ orderLineId, quantity, reasonCode: 'WRONG_SIZE' as const });

async function requested(input: RequestReturnInput, token = buyer.token): Promise<string> {
  const res = await request(input, token);
  const r = res.data?.requestReturn;
  if (r?.__typename !== 'ReturnRequest') throw new Error(`requestReturn failed: ${JSON.stringify(res)}`);
  return r.id;
}

/** A return taken to RECEIVED (approved, sent by the customer, received). */
async function received(input: RequestReturnInput): Promise<string> {
  const id = await requested(input);
  for (const [to, token] of [['APPROVED', support], ['IN_TRANSIT', buyer.token], ['RECEIVED', support]] as const) {
    const res = await move(id, to, token);
    if (res.data?.transitionReturn?.__typename !== 'ReturnRequest') throw new Error(JSON.stringify(res));
  }
  return id;
}

/** A return taken to INSPECTED, nothing restocked. */
async function inspected(input: RequestReturnInput): Promise<string> {
  const id = await received(input);
  const lines = await t.sql<{ id: string }>('SELECT id FROM return_line WHERE return_request_id = $1 ORDER BY position', [id]);
  const res = await t.gql(InspectReturnDocument, { input: { returnId: id, lines: lines.map((l) => ({ returnLineId: l.id, condition: 'OPENED' as const, restockable: false })) } }, support);
  if (res.data?.inspectReturn?.__typename !== 'ReturnRequest') throw new Error(JSON.stringify(res));
  return id;
}

describe('return policy: window from delivery, category over channel over default, non-returnable categories', () => {
  it('applies the most specific policy to each line and refuses without writing anything', async () => {
    clock.set(T0);
    // Ordered through the web channel (7 days): Apparel 60 and Shoes 14 beat it; uncategorised E falls to the channel.
    const order = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.A, quantity: 1 }, { variantId: v.D, quantity: 1 }, { variantId: v.E, quantity: 1 }, { variantId: v.C, quantity: 1 }], { channelId: web });
    const [a, d, e, c] = order.lineIds as [string, string, string, string];
    const before = await count('return_request');

    clock.set(new Date(T0.getTime() + 8 * DAY));
    const expiredE = await request({ orderId: order.id, resolution: 'REFUND', lines: [line(a, 1), line(e, 1)] });
    expect(expiredE.data?.requestReturn).toMatchObject({
      __typename: 'ReturnWindowExpiredError',
      errorCode: 'RETURN_WINDOW_EXPIRED',
      field: 'lines[1].orderLineId',
      windowDays: 7,
      closedAt: new Date(T0.getTime() + 7 * DAY).toISOString(),
    });
    const hygiene = await request({ orderId: order.id, resolution: 'REFUND', lines: [line(c, 1)] });
    expect(hygiene.data?.requestReturn).toMatchObject({ __typename: 'ItemNotReturnableError', errorCode: 'ITEM_NOT_RETURNABLE', field: 'lines[0].orderLineId' });
    expect(await count('return_request')).toBe(before);

    // Day 14 exactly is still inside the Shoes window; a minute later it is not.
    clock.set(new Date(T0.getTime() + 14 * DAY));
    const shoesOk = await request({ orderId: order.id, resolution: 'REFUND', lines: [line(a, 1), line(d, 1)] });
    expect(shoesOk.data?.requestReturn).toMatchObject({ __typename: 'ReturnRequest', status: 'REQUESTED' });
    const id = (shoesOk.data?.requestReturn as any).id;
    await move(id, 'CANCELLED', buyer.token);
    clock.set(new Date(T0.getTime() + 14 * DAY + 60_000));
    const shoesLate = await request({ orderId: order.id, resolution: 'REFUND', lines: [line(d, 1)] });
    expect(shoesLate.data?.requestReturn).toMatchObject({ __typename: 'ReturnWindowExpiredError', windowDays: 14 });
    // Apparel's 60 days still hold.
    clock.set(new Date(T0.getTime() + 59 * DAY));
    expect((await request({ orderId: order.id, resolution: 'REFUND', lines: [line(a, 1)] })).data?.requestReturn?.__typename).toBe('ReturnRequest');
    clock.set(new Date(T0.getTime() + 61 * DAY));
    expect((await request({ orderId: order.id, resolution: 'REFUND', lines: [line(a, 1)] })).data?.requestReturn).toMatchObject({ __typename: 'ReturnWindowExpiredError', windowDays: 60 });
  });

  it('uses the 30-day default when no policy matches, and a category+channel policy beats the category alone', async () => {
    clock.set(T0);
    const order = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.E, quantity: 1 }]);
    clock.set(new Date(T0.getTime() + 30 * DAY));
    expect((await request({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 1)] })).data?.requestReturn?.__typename).toBe('ReturnRequest');

    clock.set(T0);
    const viaWeb = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.B, quantity: 1 }], { channelId: web });
    const [apparel] = await t.sql('SELECT category_id FROM product p JOIN product_variant v ON v.product_id = p.id WHERE v.id = $1', [v.B]);
    await t.gql(SetReturnPolicyDocument, { input: { categoryId: apparel.category_id, channelId: web, windowDays: 3, returnable: true } }, ops);
    clock.set(new Date(T0.getTime() + 4 * DAY));
    expect((await request({ orderId: viaWeb.id, resolution: 'REFUND', lines: [line(viaWeb.lineIds[0]!, 1)] })).data?.requestReturn).toMatchObject({ __typename: 'ReturnWindowExpiredError', windowDays: 3 });
    // Setting a scope again replaces its policy instead of adding one.
    const replaced = await t.gql(SetReturnPolicyDocument, { input: { categoryId: apparel.category_id, channelId: web, windowDays: 5, returnable: true } }, ops);
    expect(replaced.data?.setReturnPolicy).toMatchObject({ windowDays: 5, category: { id: apparel.category_id }, channel: { id: web } });
    expect((await request({ orderId: viaWeb.id, resolution: 'REFUND', lines: [line(viaWeb.lineIds[0]!, 1)] })).data?.requestReturn?.__typename).toBe('ReturnRequest');
    const list = await t.gql(ReturnPoliciesDocument, {}, analyst);
    expect(list.data?.returnPolicies.totalCount).toBe(5);
    const unscoped = await t.gql(SetReturnPolicyDocument, { input: { windowDays: 10, returnable: true } }, ops);
    expect(unscoped.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'categoryId' });
    const tooLong = await t.gql(SetReturnPolicyDocument, { input: { channelId: web, windowDays: 366, returnable: true } }, ops);
    expect(tooLong.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'windowDays' });
    expect((await t.gql(SetReturnPolicyDocument, { input: { channelId: web, windowDays: 9, returnable: true } }, support)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('refuses returns of undelivered orders, and lines of other orders as bad input', async () => {
    clock.set(T0);
    const shipped = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.A, quantity: 1 }], { deliver: false });
    const res = await request({ orderId: shipped.id, resolution: 'REFUND', lines: [line(shipped.lineIds[0]!, 1)] });
    expect(res.data?.requestReturn).toMatchObject({ __typename: 'OrderNotDeliveredError', errorCode: 'ORDER_NOT_DELIVERED' });
    const delivered = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.A, quantity: 1 }]);
    const foreign = await request({ orderId: delivered.id, resolution: 'REFUND', lines: [line(shipped.lineIds[0]!, 1)] });
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines[0].orderLineId' });
    const zero = await request({ orderId: delivered.id, resolution: 'REFUND', lines: [line(delivered.lineIds[0]!, 0)] });
    expect(zero.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines[0].quantity' });
    const photo = await request({ orderId: delivered.id, resolution: 'REFUND', lines: [line(delivered.lineIds[0]!, 1)], photoUrls: ['ftp://x'] });
    expect(photo.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'photoUrls[0]' });
  });
});

describe('returnable quantity: delivered minus already returned', () => {
  it('counts open returns, frees rejected and cancelled ones, and holds under concurrent requests', async () => {
    clock.set(T0);
    const order = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.A, quantity: 3 }]);
    const l = order.lineIds[0]!;
    const first = await requested({ orderId: order.id, resolution: 'REFUND', lines: [line(l, 2)], customerNote: 'too small', photoUrls: ['https://img.example.com/1.jpg'] });
    const over = await request({ orderId: order.id, resolution: 'REFUND', lines: [line(l, 2)] });
    expect(over.data?.requestReturn).toMatchObject({ __typename: 'ReturnQuantityExceededError', field: 'lines[0].quantity', orderLineId: l, requested: 2, returnable: 1 });
    expect(await count('return_request WHERE order_id = $1', [order.id])).toBe(1);

    const rejected = await move(first, 'REJECTED', support, 'worn');
    expect(rejected.data?.transitionReturn).toMatchObject({ status: 'REJECTED', nextStates: [] });
    // Three units free again; two concurrent requests for 2 each: exactly one fits.
    const results = await Promise.all([1, 2].map(() => request({ orderId: order.id, resolution: 'EXCHANGE', lines: [line(l, 2)] })));
    expect(results.map((r) => r.data?.requestReturn?.__typename).sort()).toEqual(['ReturnQuantityExceededError', 'ReturnRequest']);
    expect(await count(`return_request WHERE order_id = $1 AND status = 'REQUESTED'`, [order.id])).toBe(1);
  });

  it('keeps customers to their own orders and returns', async () => {
    clock.set(T0);
    const order = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.A, quantity: 1 }]);
    const res = await request({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 1)] }, other.token);
    expect(res.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const id = await requested({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 1)] });
    expect((await move(id, 'CANCELLED', other.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await t.gql(ReturnByIdDocument, { id }, other.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const mine = await t.gql(ReturnRequestsDocument, { first: 100 }, other.token);
    expect(mine.data?.returnRequests.totalCount).toBe(0);
    const staff = await t.gql(ReturnRequestsDocument, { first: 100, filter: { orderId: order.id } }, analyst);
    expect(staff.data?.returnRequests.nodes.map((n) => n.id)).toEqual([id]);
    expect(staff.data?.returnRequests.nodes[0]!.order.returns.map((r) => r.id)).toEqual([id]);
  });
});

describe('return lifecycle', () => {
  it('walks REQUESTED → APPROVED → IN_TRANSIT → RECEIVED → INSPECTED with history, refusing illegal moves without changes', async () => {
    clock.set(T0);
    const order = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.A, quantity: 2 }, { variantId: v.B, quantity: 1 }]);
    const id = await requested({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 2), { orderLineId: order.lineIds[1]!, quantity: 1, reasonCode: 'DAMAGED' }] });
    const history = () => count('return_status_change WHERE return_request_id = $1', [id]);
    expect(await history()).toBe(1);

    const skip = await move(id, 'RECEIVED');
    expect(skip.data?.transitionReturn).toMatchObject({ __typename: 'IllegalReturnTransitionError', errorCode: 'ILLEGAL_TRANSITION', from: 'REQUESTED', to: 'RECEIVED', allowed: ['APPROVED', 'REJECTED', 'CANCELLED'] });
    expect((await move(id, 'APPROVED', buyer.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await move(id, 'APPROVED', analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await move(id, 'REJECTED', support)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect((await move(id, 'INSPECTED', support)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    expect(await history()).toBe(1);

    expect((await move(id, 'APPROVED')).data?.transitionReturn).toMatchObject({ status: 'APPROVED', nextStates: ['IN_TRANSIT', 'RECEIVED', 'CANCELLED'] });
    expect((await move(id, 'IN_TRANSIT', buyer.token)).data?.transitionReturn).toMatchObject({ status: 'IN_TRANSIT' });
    expect((await move(id, 'RECEIVED', buyer.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await move(id, 'CANCELLED', buyer.token)).data?.transitionReturn).toMatchObject({ __typename: 'IllegalReturnTransitionError', from: 'IN_TRANSIT' });
    expect((await move(id, 'RECEIVED')).data?.transitionReturn).toMatchObject({ status: 'RECEIVED', nextStates: ['INSPECTED'] });

    // Inspection: all lines, warehouse required for restock; A restocked into a second warehouse, B not.
    const lines = await t.sql<{ id: string }>('SELECT id FROM return_line WHERE return_request_id = $1 ORDER BY position', [id]);
    const partial = await t.gql(InspectReturnDocument, { input: { returnId: id, warehouseId: wh, lines: [{ returnLineId: lines[0]!.id, condition: 'NEW', restockable: true }] } }, support);
    expect(partial.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines' });
    const noWh = await t.gql(InspectReturnDocument, { input: { returnId: id, lines: [{ returnLineId: lines[0]!.id, condition: 'NEW', restockable: true }, { returnLineId: lines[1]!.id, condition: 'DAMAGED', restockable: false }] } }, support);
    expect(noWh.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'warehouseId' });

    const returnsWh = await warehouse(t, ops, { code: `RET-${Date.now()}` });
    const onHand = async (variantId: string, warehouseId: string) =>
      Number((await t.sql('SELECT coalesce(sum(on_hand), 0)::int AS n FROM stock_level WHERE variant_id = $1 AND warehouse_id = $2', [variantId, warehouseId]))[0].n);
    const bBefore = await count(`stock_movement WHERE variant_id = $1`, [v.B]);
    const ok = await t.gql(
      InspectReturnDocument,
      { input: { returnId: id, warehouseId: returnsWh, lines: [{ returnLineId: lines[0]!.id, condition: 'NEW', restockable: true }, { returnLineId: lines[1]!.id, condition: 'DAMAGED', restockable: false }] } },
      support,
    );
    expect(ok.data?.inspectReturn).toMatchObject({
      __typename: 'ReturnRequest',
      status: 'INSPECTED',
      lines: [
        { condition: 'NEW', restockable: true, restockWarehouse: { id: returnsWh } },
        { condition: 'DAMAGED', restockable: false, restockWarehouse: null },
      ],
    });
    const ledger = await t.sql('SELECT quantity, kind, reference FROM stock_movement WHERE variant_id = $1 AND warehouse_id = $2', [v.A, returnsWh]);
    expect(ledger).toEqual([{ quantity: 2, kind: 'RETURN_RESTOCK', reference: `return:${id}` }]);
    expect(await onHand(v.A, returnsWh)).toBe(2);
    expect(await count(`stock_movement WHERE variant_id = $1`, [v.B])).toBe(bBefore);

    const again = await t.gql(InspectReturnDocument, { input: { returnId: id, warehouseId: returnsWh, lines: lines.map((l) => ({ returnLineId: l.id, condition: 'NEW' as const, restockable: true })) } }, support);
    expect(again.data?.inspectReturn).toMatchObject({ __typename: 'IllegalReturnTransitionError', from: 'INSPECTED', to: 'INSPECTED' });
    expect(await onHand(v.A, returnsWh)).toBe(2);

    const res = await t.gql(ReturnByIdDocument, { id }, buyer.token);
    expect(res.data?.returnRequest.statusHistory.map((h) => [h.fromStatus, h.toStatus, h.actorKind])).toEqual([
      [null, 'REQUESTED', 'customer'],
      ['REQUESTED', 'APPROVED', 'staff'],
      ['APPROVED', 'IN_TRANSIT', 'customer'],
      ['IN_TRANSIT', 'RECEIVED', 'staff'],
      ['RECEIVED', 'INSPECTED', 'staff'],
    ]);
  });

  it('cancellation and rejection are terminal', async () => {
    clock.set(T0);
    const order = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.A, quantity: 2 }]);
    const a = await requested({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 1)] });
    expect((await move(a, 'CANCELLED', buyer.token)).data?.transitionReturn).toMatchObject({ status: 'CANCELLED', nextStates: [] });
    expect((await move(a, 'APPROVED')).data?.transitionReturn).toMatchObject({ __typename: 'IllegalReturnTransitionError', from: 'CANCELLED', allowed: [] });
    const b = await requested({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 1)] });
    await move(b, 'REJECTED', support, 'outside policy');
    expect((await move(b, 'CLOSED')).data?.transitionReturn).toMatchObject({ __typename: 'IllegalReturnTransitionError', from: 'REJECTED' });
  });
});

describe('refunds', () => {
  it('refunds lines at the price paid plus shipping, once per key, settled by the job', async () => {
    clock.set(T0);
    // 2 × 2500 + 1 × 4000 + 500 shipping = 9500 captured.
    const order = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.A, quantity: 2 }, { variantId: v.B, quantity: 1 }], { shippingAmount: 500 });
    const id = await inspected({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 2), line(order.lineIds[1]!, 1)] });
    const [aLine] = await t.sql('SELECT id FROM return_line WHERE return_request_id = $1 AND position = 0', [id]);
    const input = { returnId: id, returnLineIds: [aLine.id], includeShipping: true, reason: 'too small', idempotencyKey: 'rr-key-0001' };

    // Concurrent retries of one request: one refund row, every caller gets it.
    const firsts = await Promise.all([1, 2, 3].map(() => t.gql(RefundReturnDocument, { input }, support)));
    expect(new Set(firsts.map((f) => (f.data?.refundReturn as any)?.id)).size).toBe(1);
    expect(await count('return_refund WHERE return_request_id = $1', [id])).toBe(1);
    const first = firsts[0]!;
    expect(first.data?.refundReturn).toMatchObject({ __typename: 'ReturnRefund', status: 'PENDING', amount: { amount: 5500 }, requestedAmount: { amount: 5500 }, nextStates: ['SUCCEEDED', 'FAILED'] });
    const refundId = (first.data?.refundReturn as any).id;
    expect((await t.gql(RefundReturnDocument, { input }, support)).data?.refundReturn).toMatchObject({ id: refundId, status: 'PENDING' });
    expect((await t.gql(RefundReturnDocument, { input: { ...input, includeShipping: false } }, support)).data?.refundReturn).toMatchObject({ __typename: 'ReturnIdempotencyKeyReusedError' });
    expect((await t.gql(RefundReturnDocument, { input: { ...input, idempotencyKey: 'rr-key-0002' } }, support)).data?.refundReturn).toMatchObject({ __typename: 'RefundInProgressError', refundId });
    expect((await t.gql(RefundReturnDocument, { input }, buyer.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(ExchangeReturnDocument, { input: { returnId: id } }, support)).data?.exchangeReturn).toMatchObject({ __typename: 'WrongReturnResolutionError' });
    expect(await count(`payment_transaction WHERE order_id = $1 AND kind = 'REFUND'`, [order.id])).toBe(0);

    await t.app.runJob('returns.settle-refunds');
    await t.app.runJob('returns.settle-refunds');
    const after = await t.gql(ReturnByIdDocument, { id }, buyer.token);
    expect(after.data?.returnRequest).toMatchObject({ status: 'REFUNDED', refunds: [{ id: refundId, status: 'SUCCEEDED', amount: { amount: 5500 }, includesShipping: true }] });
    // A retry after settlement answers with the settled refund and books nothing more.
    expect((await t.gql(RefundReturnDocument, { input }, support)).data?.refundReturn).toMatchObject({ id: refundId, status: 'SUCCEEDED' });
    await t.app.runJob('returns.settle-refunds');
    const payments = await t.sql(`SELECT amount_minor, source, idempotency_key FROM payment_transaction WHERE order_id = $1 AND kind = 'REFUND'`, [order.id]);
    expect(payments).toEqual([{ amount_minor: 5500, source: 'return', idempotency_key: `return:${id}:rr-key-0001` }]);
    const [o] = await t.sql('SELECT captured_amount, refunded_amount FROM sales_order WHERE id = $1', [order.id]);
    expect(o).toEqual({ captured_amount: 9500, refunded_amount: 5500 });
    expect((await move(id, 'CLOSED')).data?.transitionReturn).toMatchObject({ status: 'CLOSED', nextStates: [] });
  });

  it('refunds an order’s shipping charge through one return only', async () => {
    clock.set(T0);
    const order = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.A, quantity: 2 }], { shippingAmount: 500 }); // 5500
    const r1 = await inspected({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 1)] });
    const r2 = await inspected({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 1)] });
    const refund = (returnId: string, includeShipping: boolean, idempotencyKey: string) => t.gql(RefundReturnDocument, { input: { returnId, includeShipping, reason: 'return', idempotencyKey } }, support);
    expect((await refund(r1, true, 'ship-key-01')).data?.refundReturn).toMatchObject({ __typename: 'ReturnRefund', amount: { amount: 3000 } });
    const before = await count('return_refund');
    expect((await refund(r2, true, 'ship-key-02')).data?.refundReturn).toMatchObject({ __typename: 'ShippingAlreadyRefundedError', errorCode: 'SHIPPING_ALREADY_REFUNDED', field: 'includeShipping' });
    expect(await count('return_refund')).toBe(before);
    expect((await refund(r2, false, 'ship-key-03')).data?.refundReturn).toMatchObject({ __typename: 'ReturnRefund', amount: { amount: 2500 } });
    await t.app.runJob('returns.settle-refunds');
    const [o] = await t.sql('SELECT captured_amount, refunded_amount FROM sales_order WHERE id = $1', [order.id]);
    expect(o).toEqual({ captured_amount: 5500, refunded_amount: 5500 });
  });

  it('never refunds more than captured across concurrent attempts, returns and manual refunds', async () => {
    clock.set(T0);
    const order = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.A, quantity: 4 }]); // 10000 captured
    const r1 = await inspected({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 2)] });
    const r2 = await inspected({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 2)] });
    const attempts = await Promise.all(
      [r1, r2].flatMap((returnId, n) => [1, 2, 3].map((k) => t.gql(RefundReturnDocument, { input: { returnId, includeShipping: false, reason: 'return', idempotencyKey: `conc-${n}-${k}-key` } }, support))),
    );
    const kinds = attempts.map((a) => a.data?.refundReturn?.__typename);
    expect(kinds.filter((k) => k === 'ReturnRefund')).toHaveLength(2);
    expect(kinds.filter((k) => k === 'RefundInProgressError')).toHaveLength(4);
    // Meanwhile 3000 is refunded by hand: 7000 remain for 2 × 5000 requested.
    const manual = await t.gql(RefundPaymentDocument, { input: { orderId: order.id, amountMinor: 3000, reason: 'goodwill', idempotencyKey: 'manual-conc-1' } }, ops);
    expect(manual.data?.refundPayment?.__typename).toBe('Order');
    await Promise.all([1, 2, 3].map(() => t.app.runJob('returns.settle-refunds')));
    const refunds = await t.sql(`SELECT rf.status, rf.amount_minor FROM return_refund rf JOIN return_request r ON r.id = rf.return_request_id WHERE r.order_id = $1 ORDER BY rf.created_at`, [order.id]);
    expect(refunds.map((r) => r.status)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(refunds.map((r) => r.amount_minor).sort((a, b) => a - b)).toEqual([2000, 5000]);
    const [o] = await t.sql('SELECT captured_amount, refunded_amount FROM sales_order WHERE id = $1', [order.id]);
    expect(o).toEqual({ captured_amount: 10000, refunded_amount: 10000 });
    expect(Number((await t.sql(`SELECT sum(amount_minor)::int AS s FROM payment_transaction WHERE order_id = $1 AND kind = 'REFUND'`, [order.id]))[0].s)).toBe(10000);
  });

  it('fails a pending refund when nothing is left at settlement, and refuses new ones without writing', async () => {
    clock.set(T0);
    const order = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.E, quantity: 1 }]); // 1000
    const id = await inspected({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 1)] });
    const pending = await t.gql(RefundReturnDocument, { input: { returnId: id, includeShipping: false, reason: 'return', idempotencyKey: 'fail-key-01' } }, support);
    expect(pending.data?.refundReturn).toMatchObject({ status: 'PENDING', amount: { amount: 1000 } });
    await t.gql(RefundPaymentDocument, { input: { orderId: order.id, amountMinor: 1000, reason: 'refunded by hand', idempotencyKey: 'manual-fail-1' } }, ops);
    await t.app.runJob('returns.settle-refunds');
    const res = await t.gql(ReturnByIdDocument, { id }, support);
    expect(res.data?.returnRequest).toMatchObject({ status: 'INSPECTED', refunds: [{ status: 'FAILED', failureReason: expect.stringContaining('Nothing left to refund') }] });
    const before = await count('return_refund');
    const again = await t.gql(RefundReturnDocument, { input: { returnId: id, includeShipping: false, reason: 'return', idempotencyKey: 'fail-key-02' } }, support);
    expect(again.data?.refundReturn).toMatchObject({ __typename: 'NothingToRefundError', errorCode: 'NOTHING_TO_REFUND' });
    expect(await count('return_refund')).toBe(before);
    const [o] = await t.sql('SELECT refunded_amount FROM sales_order WHERE id = $1', [order.id]);
    expect(o.refunded_amount).toBe(1000);
  });
});

describe('exchanges', () => {
  it('creates a zero-priced replacement order that reserves stock; too little stock writes nothing; a retry answers the same', async () => {
    clock.set(T0);
    const order = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.B, quantity: 2 }]);
    const id = await inspected({ orderId: order.id, resolution: 'EXCHANGE', lines: [line(order.lineIds[0]!, 2)] });
    const [rl] = await t.sql('SELECT id FROM return_line WHERE return_request_id = $1', [id]);
    const input = { returnId: id, lines: [{ returnLineId: rl.id, variantId: v.X }] };
    const orders = () => count('sales_order');
    const before = await orders();

    const short = await t.gql(ExchangeReturnDocument, { input }, support);
    expect(short.data?.exchangeReturn).toMatchObject({ __typename: 'InsufficientStockError', variantId: v.X, requested: 2, available: 0 });
    expect(await orders()).toBe(before);
    expect(await count(`return_request WHERE id = $1 AND status = 'INSPECTED' AND replacement_order_id IS NULL`, [id])).toBe(1);
    expect((await t.gql(RefundReturnDocument, { input: { returnId: id, includeShipping: false, reason: 'x', idempotencyKey: 'exch-refund-1' } }, support)).data?.refundReturn).toMatchObject({ __typename: 'WrongReturnResolutionError' });

    const exWh = await warehouse(t, ops);
    await receive(t, ops, v.X, exWh, 2);
    const ok = await t.gql(ExchangeReturnDocument, { input }, support);
    const ret = ok.data?.exchangeReturn as any;
    expect(ret).toMatchObject({
      __typename: 'ReturnRequest',
      status: 'EXCHANGED',
      lines: [{ replacementVariant: { id: v.X } }],
      replacementOrder: { status: 'CONFIRMED', total: { amount: 0 }, lines: [{ quantity: 2, unitPrice: { amount: 0 }, variant: { id: v.X } }] },
    });
    const replacementId = ret.replacementOrder.id;
    expect(await orders()).toBe(before + 1);
    const [o] = await t.sql('SELECT customer_id FROM sales_order WHERE id = $1', [replacementId]);
    expect(o.customer_id).toBe(buyer.id);
    expect(await t.sql(`SELECT quantity, status, warehouse_id FROM stock_reservation WHERE order_id = $1`, [replacementId])).toEqual([{ quantity: 2, status: 'OPEN', warehouse_id: exWh }]);
    expect(await t.sql('SELECT on_hand, reserved FROM stock_level WHERE variant_id = $1 AND warehouse_id = $2', [v.X, exWh])).toEqual([{ on_hand: 2, reserved: 2 }]);

    const retry = await t.gql(ExchangeReturnDocument, { input }, support);
    expect(retry.data?.exchangeReturn).toMatchObject({ __typename: 'ReturnRequest', replacementOrder: { id: replacementId } });
    expect(await orders()).toBe(before + 1);
    const different = await t.gql(ExchangeReturnDocument, { input: { returnId: id } }, support);
    expect(different.data?.exchangeReturn).toMatchObject({ __typename: 'IllegalReturnTransitionError', from: 'EXCHANGED' });
    // The customer sees the replacement on their return.
    const mine = await t.gql(ReturnByIdDocument, { id }, buyer.token);
    expect(mine.data?.returnRequest.replacementOrder?.id).toBe(replacementId);
  });
});

describe('exchanges for the same variant', () => {
  it('replaces each line by its own variant by default, and refuses an unavailable variant without writing', async () => {
    clock.set(T0);
    const { variantIds } = await product(t, ops, [{ priceAmount: 1200 }, { priceAmount: 1300 }]);
    const [same, gone] = variantIds as [string, string];
    const exWh = await stockUp(t, ops, [same, gone], 5);
    const order = await deliveredOrder(t, ops, buyer.token, [{ variantId: same, quantity: 1 }]);
    const id = await inspected({ orderId: order.id, resolution: 'EXCHANGE', lines: [line(order.lineIds[0]!, 1)] });
    const [rl] = await t.sql('SELECT id FROM return_line WHERE return_request_id = $1', [id]);
    await t.sql('UPDATE product_variant SET active = false WHERE id = $1', [gone]);
    const before = await count('sales_order');
    const unavailable = await t.gql(ExchangeReturnDocument, { input: { returnId: id, lines: [{ returnLineId: rl.id, variantId: gone }] } }, support);
    expect(unavailable.data?.exchangeReturn).toMatchObject({ __typename: 'VariantUnavailableError', field: 'lines[0].variantId' });
    const foreign = await t.gql(ExchangeReturnDocument, { input: { returnId: id, lines: [{ returnLineId: order.lineIds[0]!, variantId: same }] } }, support);
    expect(foreign.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines[0].returnLineId' });
    expect(await count('sales_order')).toBe(before);

    const ok = await t.gql(ExchangeReturnDocument, { input: { returnId: id } }, support);
    expect(ok.data?.exchangeReturn).toMatchObject({ __typename: 'ReturnRequest', status: 'EXCHANGED', replacementOrder: { status: 'CONFIRMED', lines: [{ quantity: 1, variant: { id: same } }] } });
    // 5 received, 1 shipped with the original order, 1 reserved for the replacement.
    expect(await t.sql('SELECT on_hand, reserved FROM stock_level WHERE variant_id = $1 AND warehouse_id = $2', [same, exWh])).toEqual([{ on_hand: 4, reserved: 1 }]);
  });
});

describe('reads', () => {
  it('loads nested fields of a page of returns in a fixed number of queries', async () => {
    clock.set(T0);
    const reader = await customer(t, 'Reader');
    const filter = { customerId: reader.id };
    const make = async () => {
      const order = await deliveredOrder(t, ops, reader.token, [{ variantId: v.A, quantity: 1 }, { variantId: v.E, quantity: 1 }]);
      return requested({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 1), line(order.lineIds[1]!, 1)] }, reader.token);
    };
    await make();
    const small = await t.countQueries(() => t.gql(ReturnRequestsDocument, { first: 1, filter }, support));
    await make();
    await make();
    let page: any;
    const large = await t.countQueries(async () => (page = await t.gql(ReturnRequestsDocument, { first: 3, filter }, support)));
    expect(page.data.returnRequests.nodes).toHaveLength(3);
    expect(page.data.returnRequests.nodes.every((n: any) => n.lines.length === 2 && n.lines.every((l: any) => l.orderLine.sku))).toBe(true);
    expect(large).toBe(small);
  });
});

describe('returnStatusChanged', () => {
  const SUB = print(ReturnStatusChangedDocument);
  type Ev = ReturnStatusChangedSubscription['returnStatusChanged'];

  it('streams a customer’s own return changes live and replays with afterEventId; others see nothing of it', async () => {
    clock.set(T0);
    const order = await deliveredOrder(t, ops, buyer.token, [{ variantId: v.A, quantity: 1 }]);
    const id = await requested({ orderId: order.id, resolution: 'REFUND', lines: [line(order.lineIds[0]!, 1)] });
    // afterEventId 0 makes the test independent of when the subscription is established: replay, then live.
    const live = collect<{ returnStatusChanged: Ev }>(t.ws(buyer.token), SUB, { returnId: id, afterEventId: 0 });
    const otherStream = collect<{ returnStatusChanged: Ev }>(t.ws(other.token), SUB, { afterEventId: 0 });
    await sleep(300);
    await move(id, 'APPROVED');
    await move(id, 'IN_TRANSIT', buyer.token);
    const got = (await live.waitFor(3)).map((r) => r.data!.returnStatusChanged);
    expect(got.map((e) => [e.previousStatus, e.status])).toEqual([
      [null, 'REQUESTED'],
      ['REQUESTED', 'APPROVED'],
      ['APPROVED', 'IN_TRANSIT'],
    ]);
    expect(got.every((e) => e.customerId === buyer.id && e.orderId === order.id)).toBe(true);
    expect(got[2]!.returnRequest.status).toBe('IN_TRANSIT');
    await sleep(300);
    expect(live.items).toHaveLength(3);
    live.dispose();

    const replay = collect<{ returnStatusChanged: Ev }>(t.ws(support), SUB, { orderId: order.id, afterEventId: 0 });
    const all = (await replay.waitFor(3)).map((r) => r.data!.returnStatusChanged);
    expect(all.map((e) => e.status)).toEqual(['REQUESTED', 'APPROVED', 'IN_TRANSIT']);
    const resumed = collect<{ returnStatusChanged: Ev }>(t.ws(buyer.token), SUB, { returnId: id, afterEventId: all[1]!.eventId });
    expect((await resumed.waitFor(1)).map((r) => r.data!.returnStatusChanged.status)).toEqual(['IN_TRANSIT']);
    replay.dispose();
    resumed.dispose();

    const otherOrder = await deliveredOrder(t, ops, other.token, [{ variantId: v.E, quantity: 1 }]);
    const otherReturn = await requested({ orderId: otherOrder.id, resolution: 'REFUND', lines: [line(otherOrder.lineIds[0]!, 1)] }, other.token);
    await otherStream.waitFor(1);
    await sleep(300);
    expect(otherStream.items.map((i) => [i.data?.returnStatusChanged.returnId, i.data?.returnStatusChanged.customerId])).toEqual([[otherReturn, other.id]]);
    otherStream.dispose();
    const forbidden = collect<{ returnStatusChanged: Ev }>(t.ws(other.token), SUB, { returnId: id });
    await forbidden.settled();
    expect(forbidden.errors[0]?.extensions?.code ?? forbidden.errors[0]?.message).toMatch(/NOT_FOUND|not found/);
    const anonymous = collect<{ returnStatusChanged: Ev }>(t.ws(), SUB, {});
    await anonymous.settled();
    expect(JSON.stringify(anonymous.errors)).toMatch(/UNAUTHENTICATED|Authentication required/);
  });
});
