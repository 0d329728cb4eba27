import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { stockUp } from './support/logistics-fixtures.js';
import { CapturePaymentDocument, MoveOrderDocument, OrderPaymentsDocument, PlaceOrderDocument, RefundPaymentDocument } from './generated/graphql.js';

let t: TestApp;
let ops: string;
let buyer: Awaited<ReturnType<typeof customer>>;
let variant: string;

beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  buyer = await customer(t);
  variant = (await product(t, ops, [{ priceAmount: 2500 }])).variantIds[0]!;
  await stockUp(t, ops, [variant]);
});
afterAll(() => t?.stop());

async function place(quantity = 4): Promise<string> {
  const res = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: variant, quantity }] } }, buyer.token);
  if (res.data?.placeOrder?.__typename !== 'Order') throw new Error(JSON.stringify(res));
  return res.data.placeOrder.id;
}
const capture = (orderId: string, idempotencyKey: string, amountMinor?: number) => t.gql(CapturePaymentDocument, { input: { orderId, idempotencyKey, amountMinor } }, ops);
const refund = (orderId: string, amountMinor: number, idempotencyKey: string) => t.gql(RefundPaymentDocument, { input: { orderId, amountMinor, idempotencyKey, reason: 'goodwill' } }, ops);
const count = async (sql: string, params: unknown[] = []) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);

describe('payments', () => {
  it('captures in parts; the full total moves the order to PAID; retries apply once', async () => {
    const id = await place(); // total 10000
    const first = await capture(id, 'cap-key-0001', 4000);
    expect(first.data?.capturePayment).toMatchObject({ __typename: 'Order', status: 'PENDING_PAYMENT', captured: { amount: 4000 } });
    const retry = await capture(id, 'cap-key-0001', 4000);
    expect(retry.data?.capturePayment).toMatchObject({ __typename: 'Order', captured: { amount: 4000 } });
    const reused = await capture(id, 'cap-key-0001', 5000);
    expect(reused.data?.capturePayment).toMatchObject({ __typename: 'PaymentIdempotencyKeyReusedError', errorCode: 'IDEMPOTENCY_KEY_REUSED' });
    const over = await capture(id, 'cap-key-0002', 7000);
    expect(over.data?.capturePayment).toMatchObject({ __typename: 'PaymentAmountExceededError', errorCode: 'CAPTURE_EXCEEDS_TOTAL', maximumMinor: 6000 });
    const rest = await capture(id, 'cap-key-0003');
    expect(rest.data?.capturePayment).toMatchObject({ __typename: 'Order', status: 'PAID', captured: { amount: 10000 } });
    expect(await count(`payment_transaction WHERE order_id = $1`, [id])).toBe(2);
    const [h] = await t.sql(`SELECT actor_kind, reason FROM order_status_change WHERE order_id = $1 AND to_status = 'PAID'`, [id]);
    expect(h).toEqual({ actor_kind: 'system', reason: 'payment captured' });
  });

  it('never refunds more than captured, whatever the concurrency', async () => {
    const id = await place();
    await capture(id, 'cap-key-0100');
    const results = await Promise.all([1, 2, 3, 4, 5].map((i) => refund(id, 3000, `refund-key-01${i}`)));
    const ok = results.filter((r) => r.data?.refundPayment?.__typename === 'Order');
    const refused = results.filter((r) => r.data?.refundPayment?.__typename === 'PaymentAmountExceededError');
    expect(ok).toHaveLength(3);
    expect(refused).toHaveLength(2);
    expect(refused[0]!.data?.refundPayment).toMatchObject({ errorCode: 'REFUND_EXCEEDS_CAPTURED', maximumMinor: 1000 });
    const again = await refund(id, 3000, 'refund-key-011'); // retry of a successful refund
    expect(again.data?.refundPayment).toMatchObject({ __typename: 'Order', refunded: { amount: 9000 } });
    const [row] = await t.sql('SELECT captured_amount, refunded_amount FROM sales_order WHERE id = $1', [id]);
    expect(row).toEqual({ captured_amount: 10000, refunded_amount: 9000 });
    expect(await count(`payment_transaction WHERE order_id = $1 AND kind = 'REFUND'`, [id])).toBe(3);
  });

  it('cancellation releases reservations and refunds what was paid, once', async () => {
    const id = await place(2); // 5000
    await capture(id, 'cap-key-0200');
    const confirmed = await t.gql(MoveOrderDocument, { input: { orderId: id, to: 'CONFIRMED' } }, ops);
    expect(confirmed.data?.transitionOrder?.__typename).toBe('Order');
    await refund(id, 1000, 'refund-key-0200');
    expect(await count(`stock_reservation WHERE order_id = $1 AND status = 'OPEN'`, [id])).toBe(1);
    const cancelled = await t.gql(MoveOrderDocument, { input: { orderId: id, to: 'CANCELLED', reason: 'out of patience' } }, ops);
    expect(cancelled.data?.transitionOrder).toMatchObject({ __typename: 'Order', status: 'CANCELLED' });
    const res = await t.gql(OrderPaymentsDocument, { id }, ops);
    expect(res.data?.order).toMatchObject({ captured: { amount: 5000 }, refunded: { amount: 5000 } });
    expect(res.data?.order.payments.map((p) => [p.kind, p.amount.amount, p.source])).toEqual([
      ['CAPTURE', 5000, 'manual'],
      ['REFUND', 1000, 'manual'],
      ['REFUND', 4000, 'cancellation'],
    ]);
    expect(await count(`stock_reservation WHERE order_id = $1 AND status = 'RELEASED'`, [id])).toBe(1);
    expect(await count(`stock_reservation WHERE order_id = $1 AND status = 'OPEN'`, [id])).toBe(0);
  });

  it('lets customers see their payments but not capture or refund', async () => {
    const id = await place(1);
    const res = await t.gql(CapturePaymentDocument, { input: { orderId: id, idempotencyKey: 'cust-key-0001' } }, buyer.token);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const mine = await t.gql(OrderPaymentsDocument, { id }, buyer.token);
    expect(mine.data?.order.payments).toEqual([]);
  });
});
