import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { orderHooks } from '../src/modules/orders/orders.hooks.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, Role, staffToken } from './support/fixtures.js';
import { cancelOrder, category, countRows, item } from './support/marketing-fixtures.js';
import {
  CreatePromotionDocument,
  OrdersWithPromotionsDocument,
  PlaceOrderPricedDocument,
  PromotionByIdDocument,
  SetPromotionStatusDocument,
  type CreatePromotionInput,
} from './generated/graphql.js';

let t: TestApp;
let ops: string;
let mkt: string;
let analyst: string;
let buyer: Awaited<ReturnType<typeof customer>>;
// A 1000 (Shoes, under Apparel), B 500 (no category), C 300 (Apparel)
let A: { productId: string; variantId: string };
let B: { productId: string; variantId: string };
let C: { productId: string; variantId: string };
let apparel: string;

// Stands in for the shipping module (another branch): orders with this note carry a 700 shipping charge.
orderHooks.addPricingStep({
  name: 'test-shipping',
  order: 100,
  apply: async (_ctx, _em, draft) => {
    if (draft.input.note === 'ship') draft.shippingAmount = 700;
  },
});

beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  mkt = (await staffToken(t, Role.MARKETING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  buyer = await customer(t);
  apparel = await category(t, ops, 'Apparel');
  const shoes = await category(t, ops, 'Shoes', apparel);
  A = await item(t, ops, 1000, shoes);
  B = await item(t, ops, 500);
  C = await item(t, ops, 300, apparel);
});
afterAll(() => t?.stop());

let n = 0;
async function promo(input: Partial<CreatePromotionInput> & Pick<CreatePromotionInput, 'kind'>) {
  const res = await t.gql(CreatePromotionDocument, { input: { name: `Promo ${++n}`, currency: 'USD', couponCode: `CODE${n}`, ...input } }, mkt);
  const p = res.data?.createPromotion;
  if (p?.__typename !== 'Promotion') throw new Error(JSON.stringify(res));
  return p;
}

const line = (v: { variantId: string }, quantity: number) => ({ variantId: v.variantId, quantity });

async function place(lines: { variantId: string; quantity: number }[], couponCodes?: string[], token = buyer.token) {
  return (await t.gql(PlaceOrderPricedDocument, { input: { lines, couponCodes } }, token)).data?.placeOrder;
}

async function placed(lines: { variantId: string; quantity: number }[], couponCodes?: string[], token = buyer.token) {
  const o = await place(lines, couponCodes, token);
  if (o?.__typename !== 'Order') throw new Error(JSON.stringify(o));
  return o;
}

const snapshot = async () => ({
  orders: await countRows(t, 'sales_order'),
  usages: await countRows(t, 'promotion_usage'),
  used: (await t.sql('SELECT coalesce(sum(used_count), 0)::int AS n FROM promotion'))[0].n,
  events: await countRows(t, 'event_outbox'),
});

describe('promotion types price real orders', () => {
  it('percent off the order: 10% of 1500 = 150', async () => {
    const p = await promo({ kind: 'PERCENT_OFF', percent: 10 });
    const o = await placed([line(A, 1), line(B, 1)], [p.couponCode!.toLowerCase()]);
    expect([o.subtotal.amount, o.discountTotal.amount, o.total.amount]).toEqual([1500, 150, 1350]);
    expect(o.appliedPromotions).toEqual([
      { promotionId: p.id, name: p.name, couponCode: p.couponCode, discount: { amount: 150, currency: 'USD' }, shippingDiscount: { amount: 0 }, releasedAt: null },
    ]);
    const [row] = await t.sql('SELECT discount_amount, total_amount FROM sales_order WHERE id = $1', [o.id]);
    expect(row).toEqual({ discount_amount: 150, total_amount: 1350 });
  });

  it('percent off a product: 25% of 3 × 1000 = 750, other lines untouched', async () => {
    const p = await promo({ kind: 'PERCENT_OFF', percent: 25, target: 'PRODUCT', targetId: A.productId });
    const o = await placed([line(A, 3), line(B, 1)], [p.couponCode!]);
    expect([o.subtotal.amount, o.discountTotal.amount, o.total.amount]).toEqual([3500, 750, 2750]);
  });

  it('percent off a category includes its sub-categories: 10% of (1000 + 300) = 130', async () => {
    const p = await promo({ kind: 'PERCENT_OFF', percent: 10, target: 'CATEGORY', targetId: apparel });
    const o = await placed([line(A, 1), line(B, 1), line(C, 1)], [p.couponCode!]);
    expect([o.subtotal.amount, o.discountTotal.amount, o.total.amount]).toEqual([1800, 130, 1670]);
  });

  it('percent is taken in integer minor units, rounded down: 7% of 500 = 35, 33% of 300 = 99, 33% of 500 = 165', async () => {
    const p = await promo({ kind: 'PERCENT_OFF', percent: 7 });
    const o = await placed([line(B, 1)], [p.couponCode!]);
    expect(o.discountTotal.amount).toBe(35);
    const q = await promo({ kind: 'PERCENT_OFF', percent: 33 });
    const o2 = await placed([line(C, 1)], [q.couponCode!]);
    expect(o2.discountTotal.amount).toBe(99); // 33% of 300 = 99
    const r = await promo({ kind: 'PERCENT_OFF', percent: 33 });
    const o3 = await placed([line(B, 1)], [r.couponCode!]);
    expect(o3.discountTotal.amount).toBe(165); // 33% of 500 = 165
  });

  it('fixed off the order, never more than the subtotal', async () => {
    const p = await promo({ kind: 'FIXED_OFF', amountOff: 700 });
    const o = await placed([line(A, 1)], [p.couponCode!]);
    expect([o.discountTotal.amount, o.total.amount]).toEqual([700, 300]);
    const q = await promo({ kind: 'FIXED_OFF', amountOff: 700 });
    const o2 = await placed([line(B, 1)], [q.couponCode!]);
    expect([o2.discountTotal.amount, o2.total.amount]).toEqual([500, 0]);
  });

  it('fixed off each unit of a product: 3 × 120 = 360', async () => {
    const p = await promo({ kind: 'FIXED_OFF', amountOff: 120, target: 'PRODUCT', targetId: B.productId });
    const o = await placed([line(B, 3), line(A, 1)], [p.couponCode!]);
    expect([o.subtotal.amount, o.discountTotal.amount, o.total.amount]).toEqual([2500, 360, 2140]);
  });

  it('buy 2 get 1 in a category: of 4 eligible units one group of 3 forms, the cheapest (300) is free', async () => {
    const p = await promo({ kind: 'BUY_X_GET_Y', target: 'CATEGORY', targetId: apparel, buyQuantity: 2, getQuantity: 1 });
    const o = await placed([line(A, 2), line(C, 2), line(B, 1)], [p.couponCode!]);
    expect([o.subtotal.amount, o.discountTotal.amount, o.total.amount]).toEqual([3100, 300, 2800]);
    // 6 units of A: two groups of 3, two free units of 1000
    const o2 = await placed([line(A, 6)], [p.couponCode!]);
    expect([o2.subtotal.amount, o2.discountTotal.amount]).toEqual([6000, 2000]);
  });

  it('buy X get Y refuses a coupon when too few units qualify, and writes nothing', async () => {
    const p = await promo({ kind: 'BUY_X_GET_Y', target: 'PRODUCT', targetId: A.productId, buyQuantity: 2, getQuantity: 1 });
    const before = await snapshot();
    const o = await place([line(A, 2)], [p.couponCode!]);
    expect(o).toMatchObject({ __typename: 'CouponNotApplicableError', errorCode: 'COUPON_NOT_QUALIFIED', field: 'couponCodes[0]' });
    expect(await snapshot()).toEqual(before);
  });

  it('free shipping applies and saves nothing while the order carries no shipping charge', async () => {
    const p = await promo({ kind: 'FREE_SHIPPING' });
    const o = await placed([line(B, 1)], [p.couponCode!]);
    expect([o.discountTotal.amount, o.shippingTotal.amount, o.total.amount]).toEqual([0, 0, 500]);
    expect(o.appliedPromotions).toMatchObject([{ promotionId: p.id, discount: { amount: 0 }, shippingDiscount: { amount: 0 } }]);
  });

  it('free shipping waives a shipping charge and records what it saved', async () => {
    const p = await promo({ kind: 'FREE_SHIPPING' });
    const plain = (await t.gql(PlaceOrderPricedDocument, { input: { lines: [line(B, 1)], note: 'ship' } }, buyer.token)).data?.placeOrder as any;
    expect([plain.shippingTotal.amount, plain.total.amount]).toEqual([700, 1200]);
    const res = await t.gql(PlaceOrderPricedDocument, { input: { lines: [line(B, 1)], note: 'ship', couponCodes: [p.couponCode!] } }, buyer.token);
    const o = res.data?.placeOrder as any;
    expect([o.discountTotal.amount, o.shippingTotal.amount, o.total.amount]).toEqual([0, 0, 500]);
    expect(o.appliedPromotions).toMatchObject([{ promotionId: p.id, discount: { amount: 0 }, shippingDiscount: { amount: 700 } }]);
  });
});

describe('conditions', () => {
  it('minimum spend: refused below, applied at or above', async () => {
    const p = await promo({ kind: 'FIXED_OFF', amountOff: 100, minSubtotalAmount: 2000 });
    const before = await snapshot();
    expect(await place([line(A, 1)], [p.couponCode!])).toMatchObject({ __typename: 'CouponNotApplicableError', errorCode: 'MINIMUM_SPEND_NOT_MET', couponCode: p.couponCode });
    expect(await snapshot()).toEqual(before);
    const o = await placed([line(A, 2)], [p.couponCode!]);
    expect([o.discountTotal.amount, o.total.amount]).toEqual([100, 1900]);
  });

  it('date window: not yet started and expired coupons are refused', async () => {
    const soon = await promo({ kind: 'PERCENT_OFF', percent: 5, startsAt: new Date(Date.now() + 86_400_000).toISOString() });
    const gone = await promo({ kind: 'PERCENT_OFF', percent: 5, endsAt: new Date(Date.now() - 1000).toISOString() });
    const current = await promo({ kind: 'PERCENT_OFF', percent: 5, startsAt: new Date(Date.now() - 86_400_000).toISOString(), endsAt: new Date(Date.now() + 86_400_000).toISOString() });
    const before = await snapshot();
    expect(await place([line(A, 1)], [soon.couponCode!])).toMatchObject({ errorCode: 'COUPON_NOT_STARTED' });
    expect(await place([line(A, 1)], [gone.couponCode!])).toMatchObject({ errorCode: 'COUPON_EXPIRED' });
    expect(await snapshot()).toEqual(before);
    expect((await placed([line(A, 1)], [current.couponCode!])).discountTotal.amount).toBe(50);
  });

  it('a coupon for another currency is refused', async () => {
    const eur = await promo({ kind: 'PERCENT_OFF', percent: 10, currency: 'EUR' });
    const before = await snapshot();
    expect(await place([line(A, 1)], [eur.couponCode!])).toMatchObject({ __typename: 'CouponNotApplicableError', errorCode: 'COUPON_CURRENCY', field: 'couponCodes[0]' });
    expect(await snapshot()).toEqual(before);
  });

  it('unknown and paused coupons are refused naming the coupon', async () => {
    expect(await place([line(A, 1)], ['NOPE-NOPE'])).toMatchObject({ __typename: 'CouponNotApplicableError', errorCode: 'COUPON_UNKNOWN', field: 'couponCodes[0]', couponCode: 'NOPE-NOPE' });
    const p = await promo({ kind: 'PERCENT_OFF', percent: 5 });
    await t.gql(SetPromotionStatusDocument, { input: { promotionId: p.id, status: 'PAUSED' } }, mkt);
    expect(await place([line(A, 1)], ['NOPE2', p.couponCode!])).toMatchObject({ errorCode: 'COUPON_UNKNOWN', field: 'couponCodes[0]' });
    expect(await place([line(A, 1)], [p.couponCode!])).toMatchObject({ errorCode: 'COUPON_INACTIVE' });
  });

  it('automatic promotions apply without a code, and stop when paused', async () => {
    const auto = await promo({ kind: 'PERCENT_OFF', percent: 20, couponCode: null });
    const o = await placed([line(B, 2)]);
    expect([o.discountTotal.amount, o.total.amount]).toEqual([200, 800]);
    expect(o.appliedPromotions.map((a) => [a.name, a.couponCode])).toEqual([[auto.name, null]]);
    await t.gql(SetPromotionStatusDocument, { input: { promotionId: auto.id, status: 'PAUSED' } }, mkt);
    expect((await placed([line(B, 2)])).discountTotal.amount).toBe(0);
  });
});

describe('stacking', () => {
  it('stackable coupons add up, in priority order', async () => {
    const pct = await promo({ kind: 'PERCENT_OFF', percent: 10, priority: 5 });
    const fixed = await promo({ kind: 'FIXED_OFF', amountOff: 100, priority: 1 });
    const o = await placed([line(A, 2)], [fixed.couponCode!, pct.couponCode!]);
    expect([o.subtotal.amount, o.discountTotal.amount, o.total.amount]).toEqual([2000, 300, 1700]);
    expect(o.appliedPromotions.map((a) => [a.promotionId, a.discount.amount])).toEqual([
      [pct.id, 200],
      [fixed.id, 100],
    ]);
  });

  it('a non-stackable coupon cannot join another promotion: refused, nothing written', async () => {
    const solo = await promo({ kind: 'PERCENT_OFF', percent: 30, stackable: false });
    const other = await promo({ kind: 'FIXED_OFF', amountOff: 100, priority: 10 });
    const before = await snapshot();
    expect(await place([line(A, 1)], [solo.couponCode!, other.couponCode!])).toMatchObject({
      __typename: 'CouponNotApplicableError',
      errorCode: 'COUPON_NOT_COMBINABLE',
      field: 'couponCodes[0]',
    });
    expect(await snapshot()).toEqual(before);
    expect((await placed([line(A, 1)], [solo.couponCode!])).discountTotal.amount).toBe(300);
  });

  it('an exclusive coupon of higher priority keeps automatic promotions off the order', async () => {
    const auto = await promo({ kind: 'FIXED_OFF', amountOff: 50, couponCode: null });
    const exclusive = await promo({ kind: 'FIXED_OFF', amountOff: 200, stackable: false, priority: 100 });
    const o = await placed([line(A, 1)], [exclusive.couponCode!]);
    expect(o.appliedPromotions.map((a) => a.promotionId)).toEqual([exclusive.id]);
    expect(o.discountTotal.amount).toBe(200);
    const plain = await placed([line(A, 1)]);
    expect(plain.discountTotal.amount).toBe(50);
    await t.gql(SetPromotionStatusDocument, { input: { promotionId: auto.id, status: 'PAUSED' } }, mkt);
  });
});

describe('usage limits', () => {
  it('concurrent orders never exceed the total limit; cancelling gives a use back', async () => {
    const p = await promo({ kind: 'FIXED_OFF', amountOff: 10, usageLimit: 3 });
    const buyers = await Promise.all(Array.from({ length: 8 }, (_, i) => customer(t, `Rush ${i}`)));
    const ordersBefore = await countRows(t, 'sales_order');
    const results = await Promise.all(buyers.map((b) => place([line(B, 1)], [p.couponCode!], b.token)));
    const ok = results.filter((r) => r?.__typename === 'Order');
    expect(ok).toHaveLength(3);
    expect(results.filter((r) => r?.__typename === 'PromotionLimitReachedError').every((r) => (r as any).errorCode === 'USAGE_LIMIT_REACHED')).toBe(true);
    expect(await countRows(t, 'sales_order')).toBe(ordersBefore + 3);
    expect(await countRows(t, 'promotion_usage', `promotion_id = '${p.id}'`)).toBe(3);
    expect((await t.gql(PromotionByIdDocument, { id: p.id }, analyst)).data?.promotion).toMatchObject({ usageLimit: 3, timesUsed: 3 });

    await cancelOrder(t, ops, (ok[0] as any).id);
    expect((await t.gql(PromotionByIdDocument, { id: p.id }, analyst)).data?.promotion.timesUsed).toBe(2);
    const again = await place([line(B, 1)], [p.couponCode!], buyers[7]!.token);
    expect(again?.__typename).toBe('Order');
    expect(await place([line(B, 1)], [p.couponCode!], buyers[6]!.token)).toMatchObject({ errorCode: 'USAGE_LIMIT_REACHED' });
  });

  it('a concurrent retry of an order (same idempotency key) is answered with that order, not a limit error', async () => {
    const p = await promo({ kind: 'FIXED_OFF', amountOff: 10, usageLimit: 1, perCustomerLimit: 1 });
    const input = { lines: [line(B, 1)], couponCodes: [p.couponCode!], idempotencyKey: 'coupon-retry-01' };
    const [a, b] = await Promise.all([t.gql(PlaceOrderPricedDocument, { input }, buyer.token), t.gql(PlaceOrderPricedDocument, { input }, buyer.token)]);
    expect(a.data?.placeOrder.__typename).toBe('Order');
    expect((b.data?.placeOrder as any).id).toBe((a.data?.placeOrder as any).id);
    expect(await countRows(t, 'promotion_usage', `promotion_id = '${p.id}'`)).toBe(1);
  });

  it('concurrent orders of one customer never exceed the per-customer limit', async () => {
    const p = await promo({ kind: 'FIXED_OFF', amountOff: 10, perCustomerLimit: 1 });
    const me = await customer(t, 'Greedy');
    const results = await Promise.all(Array.from({ length: 5 }, () => place([line(B, 1)], [p.couponCode!], me.token)));
    expect(results.filter((r) => r?.__typename === 'Order')).toHaveLength(1);
    expect(results.filter((r) => (r as any)?.errorCode === 'CUSTOMER_LIMIT_REACHED')).toHaveLength(4);
    // another customer may still use it
    expect((await place([line(B, 1)], [p.couponCode!]))?.__typename).toBe('Order');
  });
});

describe('managing promotions', () => {
  it('refuses bad input naming the field, and a taken coupon code', async () => {
    const bad = await t.gql(CreatePromotionDocument, { input: { name: 'x', kind: 'PERCENT_OFF', percent: 0, currency: 'USD' } }, mkt);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'percent' });
    const bxgy = await t.gql(CreatePromotionDocument, { input: { name: 'x', kind: 'BUY_X_GET_Y', buyQuantity: 1, getQuantity: 1, currency: 'USD' } }, mkt);
    expect(bxgy.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'target' });
    await promo({ kind: 'PERCENT_OFF', percent: 5, couponCode: 'TAKEN-1' });
    const before = await countRows(t, 'promotion');
    const dup = await t.gql(CreatePromotionDocument, { input: { name: 'x', kind: 'PERCENT_OFF', percent: 5, currency: 'USD', couponCode: 'taken-1' } }, mkt);
    expect(dup.data?.createPromotion).toMatchObject({ __typename: 'CouponCodeTakenError', errorCode: 'COUPON_CODE_TAKEN', field: 'couponCode' });
    expect(await countRows(t, 'promotion')).toBe(before);
  });

  it('only marketing creates promotions; analysts read', async () => {
    const res = await t.gql(CreatePromotionDocument, { input: { name: 'x', kind: 'PERCENT_OFF', percent: 5, currency: 'USD' } }, analyst);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const asBuyer = await t.gql(PromotionByIdDocument, { id: '00000000-0000-7000-8000-000000000000' }, buyer.token);
    expect(asBuyer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('applied promotions on order lists are loaded in one query whatever the page size', async () => {
    let small: any;
    let large: any;
    const q2 = await t.countQueries(async () => (small = await t.gql(OrdersWithPromotionsDocument, { first: 2 }, ops)));
    const q20 = await t.countQueries(async () => (large = await t.gql(OrdersWithPromotionsDocument, { first: 20 }, ops)));
    expect(small.errors).toBeUndefined();
    expect(large.data.orders.nodes.length).toBe(20);
    expect(large.data.orders.nodes.some((o: any) => o.appliedPromotions.length > 0)).toBe(true);
    expect(q20).toBe(q2);
  });
});
