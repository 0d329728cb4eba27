import { randomBytes } from 'node:crypto';
import { CreateCategoryDocument, CreateProductDocument, TransitionOrderDocument } from '../generated/graphql.js';
import type { TestApp } from './harness.js';
import { stockUp } from './logistics-fixtures.js';

const uniq = () => randomBytes(4).toString('hex');

export async function category(t: TestApp, token: string, name: string, parentId?: string): Promise<string> {
  const res = await t.gql(CreateCategoryDocument, { input: { name: `${name} ${uniq()}`, parentId } }, token);
  const c = res.data?.createCategory;
  if (c?.__typename !== 'Category') throw new Error(`createCategory failed: ${JSON.stringify(res)}`);
  return c.id;
}

/** An ACTIVE product with one variant at this price, optionally in a category, in stock (`token` needs OPERATIONS). */
export async function item(t: TestApp, token: string, priceAmount: number, categoryId?: string): Promise<{ productId: string; variantId: string }> {
  const res = await t.gql(
    CreateProductDocument,
    { input: { name: `Item ${uniq()}`, status: 'ACTIVE', categoryId, variants: [{ sku: `SKU-${uniq()}`, name: 'V', priceAmount, currency: 'USD' }] } },
    token,
  );
  const p = res.data?.createProduct;
  if (p?.__typename !== 'Product') throw new Error(`createProduct failed: ${JSON.stringify(res)}`);
  // Confirmation reserves stock (inventory module): give it plenty.
  await stockUp(t, token, [p.variants[0]!.id]);
  return { productId: p.id, variantId: p.variants[0]!.id };
}

/** Walks an order through its lifecycle to `to` (COMPLETED by default). */
export async function advanceOrder(t: TestApp, token: string, orderId: string, to = 'COMPLETED'): Promise<void> {
  for (const step of ['PAID', 'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'COMPLETED'] as const) {
    const res = await t.gql(TransitionOrderDocument, { input: { orderId, to: step } }, token);
    if (res.data?.transitionOrder.__typename !== 'Order') throw new Error(`transition to ${step} failed: ${JSON.stringify(res)}`);
    if (step === to) return;
  }
}

export async function cancelOrder(t: TestApp, token: string, orderId: string): Promise<void> {
  const res = await t.gql(TransitionOrderDocument, { input: { orderId, to: 'CANCELLED', reason: 'test' } }, token);
  if (res.data?.transitionOrder.__typename !== 'Order') throw new Error(`cancel failed: ${JSON.stringify(res)}`);
}

export const countRows = async (t: TestApp, table: string, where = 'true') => Number((await t.sql(`SELECT count(*)::int AS n FROM ${table} WHERE ${where}`))[0].n);
