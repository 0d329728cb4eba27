import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { ADDRESS, logistics, type Logistics } from './support/delivery-fixtures.js';
import { CreateMembershipTierDocument, CreatePromotionDocument, PlaceOrderPricedDocument } from './generated/graphql.js';

let t: TestApp;
let ops: string;
let mkt: string;
let v: string;
let l: Logistics;
let freeShippingCode: string;
let freeShippingId: string;

beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  mkt = (await staffToken(t, Role.MARKETING)).token;
  v = (await product(t, ops, [{ priceAmount: 1500 }])).variantIds[0]!;
  await t.sql('UPDATE product_variant SET weight_grams = 600 WHERE id = $1', [v]);
  // Rate table: up to 1 kg costs 400, up to 30 kg 900.
  l = await logistics(t, ops, [v], { rates: [{ upToGrams: 1000, priceAmount: 400 }, { upToGrams: 30000, priceAmount: 900 }] });
  const promo = await t.gql(CreatePromotionDocument, { input: { name: 'Free shipping week', kind: 'FREE_SHIPPING', currency: 'USD', couponCode: 'SHIPFREE' } }, mkt);
  if (promo.data?.createPromotion.__typename !== 'Promotion') throw new Error(JSON.stringify(promo));
  freeShippingId = promo.data.createPromotion.id;
  freeShippingCode = 'SHIPFREE';
});
afterAll(() => t?.stop());

async function placed(token: string, quantity: number, couponCodes?: string[]) {
  const res = await t.gql(PlaceOrderPricedDocument, { input: { lines: [{ variantId: v, quantity }], shippingAddress: ADDRESS, shippingServiceId: l.serviceId, couponCodes } }, token);
  const o = res.data?.placeOrder;
  if (o?.__typename !== 'Order') throw new Error(JSON.stringify(res));
  return o;
}
const figures = (o: Awaited<ReturnType<typeof placed>>) => [o.subtotal.amount, o.discountTotal.amount, o.shippingTotal.amount, o.total.amount];

describe('free shipping end to end with a real shipping service', () => {
  it('charges the rate-table price without a promotion', async () => {
    const buyer = await customer(t, 'Plain');
    // 1 × 600 g → the 1 kg band: 1500 + 400.
    expect(figures(await placed(buyer.token, 1))).toEqual([1500, 0, 400, 1900]);
    // 2 × 600 g = 1200 g → the 30 kg band: 3000 + 900.
    const o = await placed(buyer.token, 2);
    expect(figures(o)).toEqual([3000, 0, 900, 3900]);
    expect(o.appliedPromotions).toEqual([]);
  });

  it('a FREE_SHIPPING coupon makes shipping 0 and records the 900 it saved', async () => {
    const buyer = await customer(t, 'Coupon');
    const o = await placed(buyer.token, 2, [freeShippingCode]);
    expect(figures(o)).toEqual([3000, 0, 0, 3000]);
    expect(o.appliedPromotions).toMatchObject([{ promotionId: freeShippingId, couponCode: 'SHIPFREE', discount: { amount: 0, currency: 'USD' }, shippingDiscount: { amount: 900 } }]);
    const [row] = await t.sql('SELECT shipping_amount, total_amount FROM sales_order WHERE id = $1', [o.id]);
    expect([Number(row.shipping_amount), Number(row.total_amount)]).toEqual([0, 3000]);
    const [usage] = await t.sql('SELECT shipping_discount_amount, discount_amount FROM promotion_usage WHERE order_id = $1', [o.id]);
    expect([Number(usage.shipping_discount_amount), Number(usage.discount_amount)]).toEqual([900, 0]);
  });

  it('a free-shipping membership tier waives the charge without any promotion', async () => {
    const tier = await t.gql(CreateMembershipTierDocument, { input: { name: 'Gold', thresholdAmount: 5000, pointsMultiplierPercent: 100, freeShipping: true, currency: 'USD' } }, mkt);
    if (tier.data?.createMembershipTier.__typename !== 'MembershipTier') throw new Error(JSON.stringify(tier));
    const member = await customer(t, 'Member');
    // Earning the tier takes completed spend; the membership row stands for it here.
    await t.sql(`INSERT INTO customer_membership (id, customer_id, tier_id, spend_amount, currency, updated_at) VALUES (gen_random_uuid(), $1, $2, 5000, 'USD', now())`, [
      member.id,
      tier.data.createMembershipTier.id,
    ]);
    const o = await placed(member.token, 2);
    expect(figures(o)).toEqual([3000, 0, 0, 3000]);
    expect(o.appliedPromotions).toEqual([]);
  });
});
