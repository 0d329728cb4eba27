import { randomBytes } from 'node:crypto';
import { CreateCompetitorDocument, CreateCompetitorListingDocument, CreateProductDocument, IngestCompetitorPricesDocument } from '../generated/graphql.js';
import type { TestApp } from './harness.js';

const uniq = () => randomBytes(4).toString('hex');

/** An ACTIVE product with one variant at the given price and cost; returns the ids. */
export async function costedVariant(t: TestApp, token: string, priceAmount: number, costAmount: number | null, categoryId?: string) {
  const sku = `SKU-${uniq()}`;
  const res = await t.gql(
    CreateProductDocument,
    { input: { name: `Planned ${uniq()}`, status: 'ACTIVE', categoryId, variants: [{ sku, name: 'Default', priceAmount, currency: 'USD', costAmount }] } },
    token,
  );
  const p = res.data?.createProduct;
  if (p?.__typename !== 'Product') throw new Error(JSON.stringify(res));
  return { productId: p.id, variantId: p.variants[0]!.id, sku };
}

/** A competitor listing matched to a variant, with the given observations ingested. */
export async function competitorListing(t: TestApp, token: string, variantId: string, observations: { priceAmount: number; observedAt: string; currency?: string; inStock?: boolean }[]) {
  const c = await t.gql(CreateCompetitorDocument, { input: { name: `Rival ${uniq()}`, website: 'https://rival.example' } }, token);
  if (c.data?.createCompetitor.__typename !== 'Competitor') throw new Error(JSON.stringify(c));
  const l = await t.gql(CreateCompetitorListingDocument, { input: { competitorId: c.data.createCompetitor.id, variantId, channel: 'marketplace', url: `https://rival.example/p/${uniq()}` } }, token);
  if (l.data?.createCompetitorListing.__typename !== 'CompetitorListing') throw new Error(JSON.stringify(l));
  const listingId = l.data.createCompetitorListing.id;
  if (observations.length) {
    const r = await t.gql(
      IngestCompetitorPricesDocument,
      { observations: observations.map((o) => ({ competitorListingId: listingId, priceAmount: o.priceAmount, currency: o.currency ?? 'USD', inStock: o.inStock ?? true, observedAt: o.observedAt })) },
      token,
    );
    if (!r.data) throw new Error(JSON.stringify(r));
  }
  return { competitorId: c.data.createCompetitor.id, listingId };
}
