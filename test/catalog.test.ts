import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, Role, staffToken } from './support/fixtures.js';
import { CreateCategoryDocument, CreateProductDocument, ProductsDocument, ProductsInCategoryDocument } from './generated/graphql.js';

let t: TestApp;
let merch: string;

beforeAll(async () => {
  t = await startTestApp();
  merch = (await staffToken(t, Role.MERCHANDISING)).token;
});
afterAll(() => t?.stop());

async function category(name: string, parentId?: string) {
  const res = await t.gql(CreateCategoryDocument, { input: { name, parentId } }, merch);
  const c = res.data?.createCategory;
  if (c?.__typename !== 'Category') throw new Error(JSON.stringify(res));
  return c;
}

describe('catalog', () => {
  it('builds a category tree and lists products of a subtree', async () => {
    const apparel = await category('Apparel');
    const shoes = await category('Shoes', apparel.id);
    const kitchen = await category('Kitchen');
    expect(shoes.path).toEqual([apparel.id, shoes.id]);
    expect(shoes.parent?.id).toBe(apparel.id);
    const make = (name: string, categoryId: string) =>
      t.gql(CreateProductDocument, { input: { name, categoryId, status: 'ACTIVE', variants: [{ sku: name.toUpperCase(), name, priceAmount: 1000, currency: 'USD', costAmount: 400, weightGrams: 750 }] } }, merch);
    await make('runner', shoes.id);
    await make('tee', apparel.id);
    await make('pan', kitchen.id);
    const inApparel = await t.gql(ProductsInCategoryDocument, { categoryId: apparel.id }, merch);
    expect(inApparel.data?.products.totalCount).toBe(2);
    expect(inApparel.data?.products.nodes.map((p) => p.category?.slug).sort()).toEqual(['apparel', 'shoes']);
    const inShoes = await t.gql(ProductsInCategoryDocument, { categoryId: shoes.id }, merch);
    expect(inShoes.data?.products.nodes.map((p) => p.variants[0]!.sku)).toEqual(['RUNNER']);
    expect(inShoes.data?.products.nodes[0]!.variants[0]).toMatchObject({ weightGrams: 750, cost: { amount: 400, currency: 'USD' } });
  });

  it('hides cost from customers and drafts from everyone but staff', async () => {
    const buyer = await customer(t);
    const res = await t.gql(ProductsInCategoryDocument, { first: 5 }, buyer.token);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.errors?.[0]?.path?.slice(-1)).toEqual(['cost']);
    await t.gql(CreateProductDocument, { input: { name: 'Secret draft', variants: [{ sku: 'DRAFT-1', name: 'd', priceAmount: 1, currency: 'USD' }] } }, merch);
    const anon = await t.gql(ProductsDocument, { first: 100 });
    expect(anon.data?.products.nodes.every((p) => p.status === 'ACTIVE')).toBe(true);
    const staff = await t.gql(ProductsDocument, { first: 100 }, merch);
    expect(staff.data?.products.nodes.some((p) => p.status === 'DRAFT')).toBe(true);
  });

  it('refuses duplicate SKUs with a typed error and bad variant data with the field named', async () => {
    const first = await t.gql(CreateProductDocument, { input: { name: 'Dup A', variants: [{ sku: 'DUP-1', name: 'a', priceAmount: 1, currency: 'USD' }] } }, merch);
    expect(first.data?.createProduct.__typename).toBe('Product');
    const dup = await t.gql(CreateProductDocument, { input: { name: 'Dup B', variants: [{ sku: 'DUP-1', name: 'b', priceAmount: 1, currency: 'USD' }] } }, merch);
    expect(dup.data?.createProduct).toMatchObject({ __typename: 'DuplicateCatalogKeyError', errorCode: 'DUPLICATE_KEY' });
    const bad = await t.gql(CreateProductDocument, { input: { name: 'Bad', variants: [{ sku: 'OK-1', name: 'a', priceAmount: -5, currency: 'usd' }] } }, merch);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'variants[0].priceAmount' });
    const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM product WHERE name IN ('Dup B', 'Bad')`);
    expect(n).toBe(0);
  });
});
