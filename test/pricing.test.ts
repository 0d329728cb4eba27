import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, Role, staffToken } from './support/fixtures.js';
import { competitorListing, costedVariant } from './support/research-fixtures.js';
import {
  CategoryDemandTrendDocument,
  CreateCategoryDocument,
  CreateTargetSegmentDocument,
  PlaceOrderDocument,
  PriceChangeImpactDocument,
  PriceHistoryDocument,
  ProductPlanningDocument,
  SetPricingStrategyDocument,
  SetProductPositioningDocument,
  SetVariantPriceDocument,
  SuggestedPriceDocument,
  TransitionOrderDocument,
} from './generated/graphql.js';

let t: TestApp;
let merch: string;
let merchUserId: string;
let analyst: string;
let ops: string;

beforeAll(async () => {
  t = await startTestApp();
  const m = await staffToken(t, Role.MERCHANDISING);
  merch = m.token;
  merchUserId = m.userId;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  ops = (await staffToken(t, Role.OPERATIONS)).token;
});
afterAll(() => t?.stop());

const now = () => new Date();
const ago = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString();
const count = async (table: string) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

/** Cost 600; competitors' latest prices 900, 1100, 1250 (an older 950 is superseded). */
async function pricedFixture() {
  const v = await costedVariant(t, merch, 1000, 600);
  await competitorListing(t, merch, v.variantId, [
    { priceAmount: 950, observedAt: ago(3) },
    { priceAmount: 900, observedAt: ago(1) },
  ]);
  await competitorListing(t, merch, v.variantId, [{ priceAmount: 1100, observedAt: ago(1) }]);
  await competitorListing(t, merch, v.variantId, [{ priceAmount: 1250, observedAt: ago(2) }]);
  return v;
}

describe('suggested price', () => {
  it('computes each strategy from its inputs and shows them', async () => {
    const v = await pricedFixture();
    const suggest = async () => (await t.gql(SuggestedPriceDocument, { variantId: v.variantId }, analyst)).data!.suggestedPrice;

    expect(await suggest()).toMatchObject({ strategy: null, suggestedPrice: null, missingInputs: ['strategy'], competitorCount: 3, marginFloor: { amount: 600 } });

    await t.gql(SetPricingStrategyDocument, { input: { productId: v.productId, kind: 'COST_PLUS', targetMarginBps: 3000, minMarginBps: 1000 } }, merch);
    expect(await suggest()).toMatchObject({
      strategy: 'COST_PLUS',
      suggestedPrice: { amount: 780, currency: 'USD' }, // round(600 × 1.30)
      strategyPrice: { amount: 780 },
      raisedToMarginFloor: false,
      currentPrice: { amount: 1000 },
      cost: { amount: 600 },
      marginFloor: { amount: 660 }, // ceil(600 × 1.10)
      targetMarginBps: 3000,
      competitorOffsetBps: null,
      minMarginBps: 1000,
      formula: 'round(cost × (1 + 3000/10000))',
      missingInputs: [],
    });

    await t.gql(SetPricingStrategyDocument, { input: { productId: v.productId, kind: 'COMPETITIVE', competitorOffsetBps: -500, minMarginBps: 1000 } }, merch);
    expect(await suggest()).toMatchObject({
      strategy: 'COMPETITIVE',
      suggestedPrice: { amount: 1045 }, // round(1100 × 0.95)
      competitorMin: { amount: 900 },
      competitorMedian: { amount: 1100 },
      competitorMax: { amount: 1250 },
      competitorOffsetBps: -500,
      targetMarginBps: null,
    });

    await t.gql(SetPricingStrategyDocument, { input: { productId: v.productId, kind: 'PREMIUM', competitorOffsetBps: 1000 } }, merch);
    expect(await suggest()).toMatchObject({ strategy: 'PREMIUM', suggestedPrice: { amount: 1210 }, minMarginBps: 0, marginFloor: { amount: 600 } }); // round(1100 × 1.10)

    await t.gql(SetPricingStrategyDocument, { input: { productId: v.productId, kind: 'PENETRATION', competitorOffsetBps: -500, minMarginBps: 5000 } }, merch);
    expect(await suggest()).toMatchObject({
      strategy: 'PENETRATION',
      strategyPrice: { amount: 855 }, // round(900 × 0.95)
      marginFloor: { amount: 900 }, // ceil(600 × 1.50)
      suggestedPrice: { amount: 900 },
      raisedToMarginFloor: true,
      formula: 'max(round(competitorMin × (1 + -500/10000)), marginFloor)',
    });
  });

  it('names missing inputs and refuses inconsistent parameters', async () => {
    const v = await costedVariant(t, merch, 1000, null);
    await t.gql(SetPricingStrategyDocument, { input: { productId: v.productId, kind: 'COST_PLUS', targetMarginBps: 3000 } }, merch);
    expect((await t.gql(SuggestedPriceDocument, { variantId: v.variantId }, analyst)).data?.suggestedPrice).toMatchObject({ suggestedPrice: null, missingInputs: ['cost'], cost: null });
    await t.gql(SetPricingStrategyDocument, { input: { productId: v.productId, kind: 'COMPETITIVE' } }, merch);
    expect((await t.gql(SuggestedPriceDocument, { variantId: v.variantId }, analyst)).data?.suggestedPrice).toMatchObject({ suggestedPrice: null, missingInputs: ['competitor prices'] });
    const cases = [
      [{ kind: 'COST_PLUS' }, 'targetMarginBps'],
      [{ kind: 'PREMIUM', competitorOffsetBps: -100 }, 'competitorOffsetBps'],
      [{ kind: 'PENETRATION', competitorOffsetBps: 100 }, 'competitorOffsetBps'],
      [{ kind: 'COMPETITIVE', minMarginBps: -1 }, 'minMarginBps'],
    ] as const;
    for (const [input, field] of cases) {
      const r = await t.gql(SetPricingStrategyDocument, { input: { productId: v.productId, ...input } as any }, merch);
      expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});

describe('setting prices', () => {
  it('refuses a price under the margin floor with a typed error and changes nothing; an override with a reason passes and is recorded', async () => {
    const v = await costedVariant(t, merch, 1000, 600);
    await t.gql(SetPricingStrategyDocument, { input: { productId: v.productId, kind: 'COST_PLUS', targetMarginBps: 3000, minMarginBps: 1000 } }, merch);
    const before = await count('variant_price_change');
    const low = await t.gql(SetVariantPriceDocument, { input: { variantId: v.variantId, priceAmount: 659, reason: 'promo' } }, merch);
    expect(low.data?.setVariantPrice).toMatchObject({ __typename: 'MarginFloorViolationError', errorCode: 'BELOW_MARGIN_FLOOR', field: 'priceAmount', floorPrice: { amount: 660 }, cost: { amount: 600 }, minMarginBps: 1000 });
    expect(await count('variant_price_change')).toBe(before);
    expect((await t.sql('SELECT price_amount FROM product_variant WHERE id = $1', [v.variantId]))[0].price_amount).toBe(1000);

    const atFloor = await t.gql(SetVariantPriceDocument, { input: { variantId: v.variantId, priceAmount: 660, reason: 'at floor' } }, merch);
    expect(atFloor.data?.setVariantPrice).toMatchObject({ __typename: 'ProductVariant', price: { amount: 660, currency: 'USD' } });
    const override = await t.gql(SetVariantPriceDocument, { input: { variantId: v.variantId, priceAmount: 500, reason: 'clearance', marginFloorOverrideReason: 'end of season' } }, merch);
    expect(override.data?.setVariantPrice).toMatchObject({ __typename: 'ProductVariant', price: { amount: 500 } });
    const same = await t.gql(SetVariantPriceDocument, { input: { variantId: v.variantId, priceAmount: 500, reason: 'retry', marginFloorOverrideReason: 'end of season' } }, merch);
    expect(same.data?.setVariantPrice.__typename).toBe('ProductVariant');

    const history = await t.gql(PriceHistoryDocument, { variantId: v.variantId }, analyst);
    expect(history.data?.priceHistory.totalCount).toBe(2);
    expect(history.data?.priceHistory.nodes.map((h) => [h.oldPrice.amount, h.newPrice.amount, h.reason, h.marginFloorOverridden, h.marginFloorOverrideReason, h.actorKind, h.actorId])).toEqual([
      [660, 500, 'clearance', true, 'end of season', 'staff', merchUserId],
      [1000, 660, 'at floor', false, null, 'staff', merchUserId],
    ]);
  });

  it('applies the default floor (cost) without a strategy, and lets only merchandising set prices', async () => {
    const v = await costedVariant(t, merch, 1000, 600);
    const r = await t.gql(SetVariantPriceDocument, { input: { variantId: v.variantId, priceAmount: 599, reason: 'x' } }, merch);
    expect(r.data?.setVariantPrice).toMatchObject({ __typename: 'MarginFloorViolationError', floorPrice: { amount: 600 }, minMarginBps: 0 });
    const denied = await t.gql(SetVariantPriceDocument, { input: { variantId: v.variantId, priceAmount: 900, reason: 'x' } }, analyst);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const emptyReason = await t.gql(SetVariantPriceDocument, { input: { variantId: v.variantId, priceAmount: 900, reason: ' ' } }, merch);
    expect(emptyReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
  });

  it('serialises concurrent price changes: history chains old → new without gaps', async () => {
    const v = await costedVariant(t, merch, 1000, 100);
    await Promise.all([1100, 1200, 1300, 1400].map((p) => t.gql(SetVariantPriceDocument, { input: { variantId: v.variantId, priceAmount: p, reason: `to ${p}` } }, merch)));
    const rows = await t.sql('SELECT old_price_amount AS o, new_price_amount AS n FROM variant_price_change WHERE variant_id = $1 ORDER BY changed_at, id', [v.variantId]);
    expect(rows).toHaveLength(4);
    for (let i = 1; i < rows.length; i++) expect(rows[i].o).toBe(rows[i - 1].n);
    expect(rows[0].o).toBe(1000);
  });
});

describe('dry run and demand', () => {
  it('estimates revenue and margin at a new price from the last 30 days of sales; category demand counts the same sales', async () => {
    const cat = await t.gql(CreateCategoryDocument, { input: { name: 'Dry Run Cat' } }, merch);
    const categoryId = (cat.data?.createCategory as any).id as string;
    const v = await costedVariant(t, merch, 1000, 600, categoryId);
    const buyer = await customer(t);
    const place = async (quantity: number) => {
      const r = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: v.variantId, quantity }] } }, buyer.token);
      return (r.data?.placeOrder as any).id as string;
    };
    await place(2);
    await place(3);
    const cancelled = await place(10);
    await t.gql(TransitionOrderDocument, { input: { orderId: cancelled, to: 'CANCELLED', reason: 'changed mind' } }, ops);
    const old = await place(7);
    await t.sql(`UPDATE sales_order SET placed_at = now() - interval '40 days' WHERE id = $1`, [old]);

    const impact = await t.gql(PriceChangeImpactDocument, { variantId: v.variantId, newPriceAmount: 900 }, analyst);
    expect(impact.data?.priceChangeImpact).toEqual({
      unitsSold: 5,
      currentPrice: { amount: 1000 },
      newPrice: { amount: 900 },
      revenue: { amount: 5000 },
      projectedRevenue: { amount: 4500 },
      margin: { amount: 2000 }, // 5000 − 5 × 600
      projectedMargin: { amount: 1500 }, // 5 × (900 − 600)
      projectedMarginRate: 300 / 900,
      marginFloor: { amount: 600 },
      belowMarginFloor: false,
    });
    expect((await t.gql(PriceChangeImpactDocument, { variantId: v.variantId, newPriceAmount: 500 }, analyst)).data?.priceChangeImpact.belowMarginFloor).toBe(true);
    expect((await t.sql('SELECT price_amount FROM product_variant WHERE id = $1', [v.variantId]))[0].price_amount).toBe(1000);

    const today = now().toISOString().slice(0, 10);
    const demand = await t.gql(CategoryDemandTrendDocument, { categoryId, from: ago(2), to: new Date(Date.now() + 86_400_000).toISOString() }, analyst);
    expect(demand.data?.categoryDemandTrend).toEqual([{ day: today, units: 5, orders: 2 }]);
  });
});

describe('positioning', () => {
  it('positions a product for segments with a statement and tier; hidden from customers', async () => {
    const v = await costedVariant(t, merch, 1000, 600);
    const seg = await t.gql(CreateTargetSegmentDocument, { input: { name: 'Urban commuters', description: 'Ride to work daily' } }, merch);
    const segId = seg.data!.createTargetSegment.id;
    const pos = await t.gql(SetProductPositioningDocument, { input: { productId: v.productId, segmentIds: [segId], statement: 'The lightest rain shell for the ride in.', priceTier: 'PREMIUM' } }, merch);
    expect(pos.data?.setProductPositioning).toEqual({ statement: 'The lightest rain shell for the ride in.', priceTier: 'PREMIUM', segments: [{ id: segId, name: 'Urban commuters' }] });
    await t.gql(SetPricingStrategyDocument, { input: { productId: v.productId, kind: 'COST_PLUS', targetMarginBps: 5000, minMarginBps: 2000 } }, merch);
    const staff = await t.gql(ProductPlanningDocument, { id: v.productId }, analyst);
    expect(staff.data?.product).toMatchObject({ pricingStrategy: { kind: 'COST_PLUS', minMarginBps: 2000 }, positioning: { priceTier: 'PREMIUM', segments: [{ name: 'Urban commuters' }] } });
    const buyer = await customer(t);
    const hidden = await t.gql(ProductPlanningDocument, { id: v.productId }, buyer.token);
    expect(hidden.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const badSeg = await t.gql(SetProductPositioningDocument, { input: { productId: v.productId, segmentIds: ['0190a000-0000-7000-8000-0000000000ff'], statement: 's', priceTier: 'MID' } }, merch);
    expect(badSeg.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'segmentIds[0]' });
  });
});
