import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { orderHooks } from '../src/modules/orders/orders.hooks.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, Role, staffToken } from './support/fixtures.js';
import { advanceOrder, cancelOrder, countRows, item } from './support/marketing-fixtures.js';
import {
  AdjustLoyaltyPointsDocument,
  CreateMembershipTierDocument,
  CreatePromotionDocument,
  LoyaltyAccountDocument,
  LoyaltyEntriesDocument,
  PlaceOrderPricedDocument,
} from './generated/graphql.js';

const clock = new ManualClock(new Date());
let t: TestApp;
let ops: string;
let mkt: string;
let support: string;
let v1000: string;
let v1500: string;
let v3000: string;

// Stands in for the shipping module (another branch): orders with this note carry a 700 shipping charge.
orderHooks.addPricingStep({
  name: 'test-shipping',
  order: 100,
  apply: async (_ctx, _em, draft) => {
    if (draft.input.note === 'ship') draft.shippingAmount = 700;
  },
});

beforeAll(async () => {
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  mkt = (await staffToken(t, Role.MARKETING)).token;
  support = (await staffToken(t, Role.SUPPORT)).token;
  v1000 = (await item(t, ops, 1000)).variantId;
  v1500 = (await item(t, ops, 1500)).variantId;
  v3000 = (await item(t, ops, 3000)).variantId;
  for (const tier of [
    { name: 'Silver', thresholdAmount: 2000, pointsMultiplierPercent: 150, freeShipping: false },
    { name: 'Gold', thresholdAmount: 5000, pointsMultiplierPercent: 200, freeShipping: true },
  ]) {
    const res = await t.gql(CreateMembershipTierDocument, { input: { ...tier, currency: 'USD' } }, mkt);
    if (res.data?.createMembershipTier.__typename !== 'MembershipTier') throw new Error(JSON.stringify(res));
  }
});
afterAll(() => t?.stop());

async function place(token: string, variantId: string, extra: { redeemPoints?: number; couponCodes?: string[]; note?: string } = {}, quantity = 1) {
  return (await t.gql(PlaceOrderPricedDocument, { input: { lines: [{ variantId, quantity }], ...extra } }, token)).data?.placeOrder;
}
async function placed(token: string, variantId: string, extra: { redeemPoints?: number; couponCodes?: string[]; note?: string } = {}, quantity = 1) {
  const o = await place(token, variantId, extra, quantity);
  if (o?.__typename !== 'Order') throw new Error(JSON.stringify(o));
  return o;
}
const account = async (token: string, customerId?: string) => (await t.gql(LoyaltyAccountDocument, { customerId }, token)).data?.loyaltyAccount;
const snapshot = async () => ({ orders: await countRows(t, 'sales_order'), entries: await countRows(t, 'loyalty_entry'), events: await countRows(t, 'event_outbox') });

let k = 0;
async function adjust(customerId: string, points: number, reason = 'goodwill') {
  return (await t.gql(AdjustLoyaltyPointsDocument, { input: { customerId, points, reason, idempotencyKey: `adjust-key-${++k}` } }, support)).data?.adjustLoyaltyPoints;
}

describe('earning points and tiers', () => {
  it('earns 1 point per unit at the tier multiplier held at completion, and moves up when spend crosses a threshold', async () => {
    const me = await customer(t, 'Climber');
    // 1000 → 10 points at 1×; spend 1000: below Silver (2000)
    const o1 = await placed(me.token, v1000);
    await adjust(me.id, 1, 'seed'); // a manual credit is not spend: tiers ignore it
    await advanceOrder(t, ops, o1.id);
    expect(await account(me.token)).toEqual({ customerId: me.id, balance: 11, tier: null, tierSpend: { amount: 1000, currency: 'USD' } });
    // 1500 at 1× (no tier yet when it completes) → 15; spend 2500: Silver
    const o2 = await placed(me.token, v1500);
    await advanceOrder(t, ops, o2.id);
    expect(await account(me.token)).toMatchObject({ balance: 26, tier: { name: 'Silver' }, tierSpend: { amount: 2500 } });
    // 3000 at Silver 1.5× → 45; spend 5500: Gold
    const o3 = await placed(me.token, v3000);
    await advanceOrder(t, ops, o3.id);
    expect(await account(me.token)).toMatchObject({ balance: 71, tier: { name: 'Gold' }, tierSpend: { amount: 5500 } });
    const entries = (await t.gql(LoyaltyEntriesDocument, { first: 10 }, me.token)).data!.loyaltyEntries;
    expect(entries.nodes.map((e) => [e.kind, e.points, e.orderId])).toEqual([
      ['EARN', 45, o3.id],
      ['EARN', 15, o2.id],
      ['EARN', 10, o1.id],
      ['ADJUST', 1, null],
    ]);
    // Gold ships free: the 700 shipping charge is waived
    const shipped = await placed(me.token, v1000, { note: 'ship' });
    expect([shipped.shippingTotal.amount, shipped.total.amount]).toEqual([0, 1000]);
  });

  it('spend counts only completed orders: placed, paid or cancelled ones do not move the tier', async () => {
    const me = await customer(t, 'Window shopper');
    const o = await placed(me.token, v3000, {}, 2);
    await advanceOrder(t, ops, o.id, 'DELIVERED');
    const c = await placed(me.token, v3000);
    await cancelOrder(t, ops, c.id);
    const small = await placed(me.token, v1000);
    await advanceOrder(t, ops, small.id);
    expect(await account(me.token)).toMatchObject({ balance: 10, tier: null, tierSpend: { amount: 1000 } });
    const noShip = await placed(me.token, v1000, { note: 'ship' });
    expect(noShip.shippingTotal.amount).toBe(700);
  });
});

describe('redeeming points', () => {
  it('takes 1 minor unit off per point after promotions, and refunds them when the order is cancelled', async () => {
    const me = await customer(t, 'Spender');
    await adjust(me.id, 300);
    const promo = await t.gql(CreatePromotionDocument, { input: { name: 'Ten', kind: 'PERCENT_OFF', percent: 10, currency: 'USD', couponCode: 'LOYAL10' } }, mkt);
    expect(promo.data?.createPromotion.__typename).toBe('Promotion');
    const o = await placed(me.token, v1000, { couponCodes: ['LOYAL10'], redeemPoints: 250 });
    // 1000 − 10% (100) − 250 points = 650
    expect([o.subtotal.amount, o.discountTotal.amount, o.total.amount]).toEqual([1000, 350, 650]);
    expect(await account(me.token)).toMatchObject({ balance: 50 });
    await cancelOrder(t, ops, o.id);
    expect(await account(me.token)).toMatchObject({ balance: 300 });
    const kinds = (await t.gql(LoyaltyEntriesDocument, { customerId: me.id, first: 10 }, support)).data!.loyaltyEntries.nodes.map((e) => [e.kind, e.points]);
    expect(kinds).toEqual([
      ['REDEEM_REVERSAL', 250],
      ['REDEEM', -250],
      ['ADJUST', 300],
    ]);
  });

  it('refuses more than the balance or than the amount to pay, writing nothing', async () => {
    const me = await customer(t, 'Short');
    await adjust(me.id, 2000);
    const before = await snapshot();
    expect(await place(me.token, v1000, { redeemPoints: 2001 })).toMatchObject({ __typename: 'PointsNotAvailableError', errorCode: 'INSUFFICIENT_POINTS', field: 'redeemPoints', available: 2000 });
    expect(await place(me.token, v1000, { redeemPoints: 1001 })).toMatchObject({ __typename: 'PointsNotAvailableError', errorCode: 'POINTS_EXCEED_AMOUNT', available: 1000 });
    expect(await snapshot()).toEqual(before);
    const all = await placed(me.token, v1000, { redeemPoints: 1000 });
    expect(all.total.amount).toBe(0);
    const bad = await t.gql(PlaceOrderPricedDocument, { input: { lines: [{ variantId: v1000, quantity: 1 }], redeemPoints: 0 } }, me.token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'redeemPoints' });
  });

  it('a retried order (same idempotency key) spends the points once', async () => {
    const me = await customer(t, 'Retrier');
    await adjust(me.id, 100);
    const input = { lines: [{ variantId: v1000, quantity: 1 }], redeemPoints: 60, idempotencyKey: 'retry-points-01' };
    const [a, b] = await Promise.all([t.gql(PlaceOrderPricedDocument, { input }, me.token), t.gql(PlaceOrderPricedDocument, { input }, me.token)]);
    expect((a.data?.placeOrder as any).id).toBe((b.data?.placeOrder as any).id);
    const again = await t.gql(PlaceOrderPricedDocument, { input }, me.token);
    expect((again.data?.placeOrder as any).id).toBe((a.data?.placeOrder as any).id);
    expect(await account(me.token)).toMatchObject({ balance: 40 });
  });

  it('concurrent redemptions never overdraw the balance', async () => {
    const me = await customer(t, 'Racer');
    await adjust(me.id, 100);
    const results = await Promise.all(Array.from({ length: 6 }, () => place(me.token, v1000, { redeemPoints: 30 })));
    expect(results.filter((r) => r?.__typename === 'Order')).toHaveLength(3);
    expect(results.filter((r) => (r as any)?.errorCode === 'INSUFFICIENT_POINTS')).toHaveLength(3);
    expect(await account(me.token)).toMatchObject({ balance: 10 });
    const [{ s }] = await t.sql(`SELECT sum(points)::int AS s FROM loyalty_entry WHERE customer_id = $1`, [me.id]);
    expect(s).toBe(10);
  });
});

describe('adjustments and access', () => {
  it('needs a reason, may not go below zero, and is idempotent on its key', async () => {
    const me = await customer(t, 'Adjusted');
    const input = { customerId: me.id, points: 40, reason: 'survey', idempotencyKey: 'survey-0001' };
    const [a, b] = await Promise.all([t.gql(AdjustLoyaltyPointsDocument, { input }, mkt), t.gql(AdjustLoyaltyPointsDocument, { input }, mkt)]);
    expect((a.data?.adjustLoyaltyPoints as any).id).toBe((b.data?.adjustLoyaltyPoints as any).id);
    expect(await account(me.token)).toMatchObject({ balance: 40 });
    const reused = await t.gql(AdjustLoyaltyPointsDocument, { input: { ...input, points: 41 } }, mkt);
    expect(reused.data?.adjustLoyaltyPoints).toMatchObject({ __typename: 'IdempotencyKeyReusedError', field: 'idempotencyKey' });
    const before = await snapshot();
    expect(await adjust(me.id, -41)).toMatchObject({ __typename: 'PointsNotAvailableError', errorCode: 'INSUFFICIENT_POINTS', available: 40 });
    expect(await snapshot()).toEqual(before);
    const noReason = await t.gql(AdjustLoyaltyPointsDocument, { input: { ...input, reason: ' ', idempotencyKey: 'survey-0002' } }, mkt);
    expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  });

  it('customers see only their own account; analysts cannot adjust', async () => {
    const me = await customer(t, 'Private');
    const other = await customer(t, 'Other');
    expect((await t.gql(LoyaltyAccountDocument, { customerId: other.id }, me.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const analyst = (await staffToken(t, Role.ANALYST)).token;
    expect((await account(analyst, me.id))?.balance).toBe(0);
    const res = await t.gql(AdjustLoyaltyPointsDocument, { input: { customerId: me.id, points: 5, reason: 'x', idempotencyKey: 'analyst-01' } }, analyst);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(CreateMembershipTierDocument, { input: { name: 'X', thresholdAmount: 1, currency: 'USD' } }, me.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('tier window', () => {
  it('a customer drops out of a tier once their spend leaves the rolling 12 months', async () => {
    const me = await customer(t, 'Fading');
    const o = await placed(me.token, v3000);
    await advanceOrder(t, ops, o.id);
    expect(await account(me.token)).toMatchObject({ tier: { name: 'Silver' }, tierSpend: { amount: 3000 } });
    await t.app.runJob('crm-recalculate-tiers');
    expect(await account(me.token)).toMatchObject({ tier: { name: 'Silver' } });
    await t.sql(`UPDATE sales_order SET placed_at = placed_at - interval '13 months' WHERE id = $1`, [o.id]);
    await t.app.runJob('crm-recalculate-tiers');
    expect(await account(me.token)).toMatchObject({ tier: null, tierSpend: { amount: 0 } });
  });
});

describe('expiry', () => {
  it('expires the unspent part of earned points after 365 days, never manual credits', async () => {
    const me = await customer(t, 'Sleeper');
    const o = await placed(me.token, v3000); // at 1×: 30 points
    await advanceOrder(t, ops, o.id);
    await adjust(me.id, 5);
    await placed(me.token, v1000, { redeemPoints: 10 });
    expect(await account(me.token)).toMatchObject({ balance: 25 });
    clock.advance(364 * 86_400_000);
    await t.app.runJob('loyalty-expire-points');
    expect(await account(me.token)).toMatchObject({ balance: 25 });
    clock.advance(2 * 86_400_000);
    await t.app.runJob('loyalty-expire-points');
    await t.app.runJob('loyalty-expire-points');
    // 30 earned − 10 spent = 20 expire; the manual 5 stay
    expect(await account(me.token)).toMatchObject({ balance: 5 });
    const entries = (await t.gql(LoyaltyEntriesDocument, { first: 1 }, me.token)).data!.loyaltyEntries.nodes;
    expect(entries[0]).toMatchObject({ kind: 'EXPIRE', points: -20 });
  });
});
