import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { crmHooks } from '../src/modules/crm/crm.hooks.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, Role, staffToken } from './support/fixtures.js';
import { cancelOrder, item } from './support/marketing-fixtures.js';
import { PlaceOrderPricedDocument, RecommendationsForCustomerDocument, RecommendationsForProductDocument } from './generated/graphql.js';

let t: TestApp;
let ops: string;
type Buyer = Awaited<ReturnType<typeof customer>>;
let me: Buyer;
let P: { productId: string; variantId: string }[] = [];

async function order(b: Buyer, ...items: number[]) {
  const res = await t.gql(PlaceOrderPricedDocument, { input: { lines: items.map((i) => ({ variantId: P[i]!.variantId, quantity: 1 })) } }, b.token);
  if (res.data?.placeOrder.__typename !== 'Order') throw new Error(JSON.stringify(res));
  return res.data.placeOrder.id;
}

// me bought P0. Others: (P0,P1) twice, (P0,P2) once, P3 three times, P4 once, (P0,P5) cancelled.
beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  for (let i = 0; i < 6; i++) P.push(await item(t, ops, 100 * (i + 1)));
  me = await customer(t, 'Me');
  const a = await customer(t, 'A');
  const b = await customer(t, 'B');
  await order(me, 0);
  await order(a, 0, 1);
  await order(b, 0, 1);
  await order(a, 0, 2);
  await order(a, 3);
  await order(b, 3);
  await order(b, 3);
  await order(a, 4);
  await cancelOrder(t, ops, await order(b, 0, 5));
});
afterAll(() => {
  crmHooks.setStockProvider(null);
  return t?.stop();
});

const rec = (token: string, customerId?: string) => t.gql(RecommendationsForCustomerDocument, { customerId, first: 10 }, token);
const shape = (list: { product: { id: string }; reason: string; score: number }[]) => list.map((r) => [P.findIndex((p) => p.productId === r.product.id), r.reason, r.score]);

describe('recommendations', () => {
  it('for a customer: bought-together first, then best sellers, never what they bought, never from cancelled orders', async () => {
    const res = await rec(me.token);
    expect(shape(res.data!.recommendationsForCustomer)).toEqual([
      [1, 'BOUGHT_TOGETHER', 2],
      [2, 'BOUGHT_TOGETHER', 1],
      [3, 'BEST_SELLER', 3],
      [4, 'BEST_SELLER', 1],
    ]);
  });

  it('filters by stock once a stock provider is connected', async () => {
    const outOfStock = new Set([P[1]!.variantId, P[4]!.variantId]);
    crmHooks.setStockProvider(async (_ctx, variantIds) => new Map(variantIds.map((v) => [v, outOfStock.has(v) ? 0 : 5])));
    const res = await rec(me.token);
    expect(shape(res.data!.recommendationsForCustomer)).toEqual([
      [2, 'BOUGHT_TOGETHER', 1],
      [3, 'BEST_SELLER', 3],
    ]);
    const forProduct = await t.gql(RecommendationsForProductDocument, { productId: P[0]!.productId, first: 5 }, undefined);
    expect(shape(forProduct.data!.recommendationsForProduct)).toEqual([[2, 'BOUGHT_TOGETHER', 1]]);
    crmHooks.setStockProvider(null);
  });

  it('for a product: products bought in the same orders, most shared orders first', async () => {
    const res = await t.gql(RecommendationsForProductDocument, { productId: P[0]!.productId, first: 5 });
    expect(shape(res.data!.recommendationsForProduct)).toEqual([
      [1, 'BOUGHT_TOGETHER', 2],
      [2, 'BOUGHT_TOGETHER', 1],
    ]);
  });

  it('customers get only their own; first is bounded', async () => {
    const other = await customer(t, 'Other');
    expect((await rec(other.token, me.id)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const bad = await t.gql(RecommendationsForCustomerDocument, { first: 51 }, me.token);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});
