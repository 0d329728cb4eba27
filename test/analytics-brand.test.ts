import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { AnalyticsSalesKpisDocument, CreateBrandDocument, PlaceOrderDocument, ProductBrandDocument, SetProductBrandDocument } from './generated/graphql.js';

// Sales by brand: line-level, so an order with lines of two brands counts in both groups, its gmv split by line.
let t: TestApp;
let ops: string;
let mkt: string;
let analyst: string;
let brandX: string;
let brandY: string;
let prodA: { productId: string; variantIds: string[] };
let from: string;
let to: string;

beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  mkt = (await staffToken(t, Role.MARKETING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  const brand = async (name: string) => {
    const res = await t.gql(CreateBrandDocument, { input: { name } }, mkt);
    if (res.data?.createBrand.__typename !== 'Brand') throw new Error(JSON.stringify(res));
    return res.data.createBrand.id;
  };
  brandX = await brand('Brand X');
  brandY = await brand('Brand Y');
  prodA = await product(t, ops, [{ priceAmount: 1000 }]);
  const prodB = await product(t, ops, [{ priceAmount: 500 }]); // no brand
  const prodC = await product(t, ops, [{ priceAmount: 300 }]);
  for (const [p, b] of [[prodA, brandX], [prodC, brandY]] as const) {
    const res = await t.gql(SetProductBrandDocument, { productId: p.productId, brandId: b }, mkt);
    if (res.errors) throw new Error(JSON.stringify(res.errors));
  }
  const buyer = await customer(t);
  from = new Date(Date.now() - 3600_000).toISOString();
  const place = async (lines: { variantId: string; quantity: number }[]) => {
    const res = await t.gql(PlaceOrderDocument, { input: { lines } }, buyer.token);
    if (res.data?.placeOrder.__typename !== 'Order') throw new Error(JSON.stringify(res));
  };
  // O1: 2 × A (X) + 1 × B (no brand) · O2: 3 × C (Y) + 1 × A (X)
  await place([{ variantId: prodA.variantIds[0]!, quantity: 2 }, { variantId: prodB.variantIds[0]!, quantity: 1 }]);
  await place([{ variantId: prodC.variantIds[0]!, quantity: 3 }, { variantId: prodA.variantIds[0]!, quantity: 1 }]);
  to = new Date(Date.now() + 3600_000).toISOString();
});
afterAll(() => t?.stop());

describe('products under brands', () => {
  it('shows the brand to staff, refuses an unknown brand by field, and can take a product out of its brand', async () => {
    const shown = await t.gql(ProductBrandDocument, { id: prodA.productId }, analyst);
    expect(shown.data?.product.brand).toEqual({ name: 'Brand X' });
    const bad = await t.gql(SetProductBrandDocument, { productId: prodA.productId, brandId: '00000000-0000-4000-8000-000000000000' }, mkt);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'brandId' });
    const buyer = await customer(t);
    expect((await t.gql(SetProductBrandDocument, { productId: prodA.productId, brandId: null }, buyer.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(SetProductBrandDocument, { productId: prodA.productId, brandId: brandX }, analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('splits sales by brand per line, counting an order in each brand it has a line of', async () => {
    const res = await t.gql(AnalyticsSalesKpisDocument, { from, to, bucket: 'MONTH', timeZone: 'UTC', breakdown: 'BRAND' }, analyst);
    expect(res.errors).toBeUndefined();
    const rows = Object.fromEntries(res.data!.salesKpis.map((r) => [r.dimension!.label, { key: r.dimension!.key, gmv: r.values.gmv.amount, units: r.values.units, orders: r.values.orders }]));
    expect(rows).toEqual({
      'Brand X': { key: brandX, gmv: 3000, units: 3, orders: 2 },
      'Brand Y': { key: brandY, gmv: 900, units: 3, orders: 1 },
      '(no brand)': { key: null, gmv: 500, units: 1, orders: 1 },
    });
  });

  it('moves later sales when a product leaves its brand (the brand is read now, not at order time)', async () => {
    await t.gql(SetProductBrandDocument, { productId: prodA.productId, brandId: null }, mkt);
    const res = await t.gql(AnalyticsSalesKpisDocument, { from, to, bucket: 'MONTH', timeZone: 'UTC', breakdown: 'BRAND' }, analyst);
    const rows = Object.fromEntries(res.data!.salesKpis.map((r) => [r.dimension!.label, r.values.gmv.amount]));
    expect(rows).toEqual({ 'Brand Y': 900, '(no brand)': 3500 });
    await t.gql(SetProductBrandDocument, { productId: prodA.productId, brandId: brandX }, mkt);
  });
});
