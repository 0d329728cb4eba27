import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { receive, warehouse } from './support/logistics-fixtures.js';
import { HoldOrderDocument, MoveOrderDocument, PlaceOrderDocument } from './generated/graphql.js';

const clock = new ManualClock(new Date());
let t: TestApp;
let ops: string;
let buyer: Awaited<ReturnType<typeof customer>>;
let variant: string;
let wh: string;

beforeAll(async () => {
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS)).token;
  buyer = await customer(t);
  const merch = (await staffToken(t, Role.MERCHANDISING)).token;
  variant = (await product(t, merch, [{ priceAmount: 1000 }])).variantIds[0]!;
  wh = await warehouse(t, ops);
  await receive(t, ops, variant, wh, 3);
});
afterAll(() => t?.stop());

async function confirmed(quantity: number): Promise<string> {
  const res = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: variant, quantity }] } }, buyer.token);
  const id = (res.data!.placeOrder as any).id as string;
  for (const to of ['PAID', 'CONFIRMED'] as const) {
    const r = await t.gql(MoveOrderDocument, { input: { orderId: id, to } }, ops);
    if (r.data?.transitionOrder?.__typename !== 'Order') throw new Error(JSON.stringify(r));
  }
  return id;
}
const reservations = async (orderId: string) => (await t.sql(`SELECT status, quantity FROM stock_reservation WHERE order_id = $1 ORDER BY created_at, id`, [orderId])).map((r) => [r.status, r.quantity]);
const level = async () => (await t.sql('SELECT on_hand, reserved FROM stock_level WHERE variant_id = $1', [variant]))[0];

describe('reservation expiry', () => {
  it('releases the stock of an order left on hold for 72 hours; resuming reserves again or is refused when stock is gone', async () => {
    const held = await confirmed(2);
    await t.gql(HoldOrderDocument, { input: { orderId: held, to: 'ON_HOLD', reason: 'no answer', holdReason: 'ADDRESS_PROBLEM' } }, ops);
    clock.advance(71 * 3_600_000);
    await t.app.runJob('inventory.expire-reservations');
    expect(await reservations(held)).toEqual([['OPEN', 2]]);
    clock.advance(2 * 3_600_000);
    await t.app.runJob('inventory.expire-reservations');
    await t.app.runJob('inventory.expire-reservations');
    expect(await reservations(held)).toEqual([['RELEASED', 2]]);
    expect(await level()).toEqual({ on_hand: 3, reserved: 0 });

    const other = await confirmed(2); // takes the released units
    const refused = await t.gql(MoveOrderDocument, { input: { orderId: held, to: 'CONFIRMED' } }, ops);
    expect(refused.data?.transitionOrder).toMatchObject({ __typename: 'InsufficientStockError', requested: 2, available: 1 });
    expect((await t.sql('SELECT status FROM sales_order WHERE id = $1', [held]))[0].status).toBe('ON_HOLD');

    await receive(t, ops, variant, wh, 5);
    const resumed = await t.gql(MoveOrderDocument, { input: { orderId: held, to: 'CONFIRMED' } }, ops);
    expect(resumed.data?.transitionOrder).toMatchObject({ __typename: 'Order', status: 'CONFIRMED' });
    expect(await reservations(held)).toEqual([['RELEASED', 2], ['OPEN', 2]]);
    expect(await reservations(other)).toEqual([['OPEN', 2]]);
    expect(await level()).toEqual({ on_hand: 8, reserved: 4 });
    // Lifting a hold in time stops the clock.
    await t.gql(HoldOrderDocument, { input: { orderId: other, to: 'ON_HOLD', reason: 'check', holdReason: 'FRAUD_REVIEW' } }, ops);
    await t.gql(MoveOrderDocument, { input: { orderId: other, to: 'CONFIRMED' } }, ops);
    clock.advance(100 * 3_600_000);
    await t.app.runJob('inventory.expire-reservations');
    expect(await reservations(other)).toEqual([['OPEN', 2]]);
  });
});
