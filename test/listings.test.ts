import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { listingHooks } from '../src/modules/listings/listings.hooks.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, Role, staffToken } from './support/fixtures.js';
import { costedVariant } from './support/research-fixtures.js';
import {
  CreateProductWithAttributesDocument,
  SetVariantAttributesDocument,
  CreateListingChannelDocument,
  CreateListingDocument,
  IngestListingMetricsDocument,
  ListingByIdDocument,
  ListingPerformanceDocument,
  ListingStaffViewDocument,
  ListingsWithQualityDocument,
  PublicListingsDocument,
  TransitionListingDocument,
  UnderperformingListingsDocument,
  UpdateListingDocument,
} from './generated/graphql.js';

let t: TestApp;
let merch: string;
let analyst: string;
let channelId: string;

beforeAll(async () => {
  t = await startTestApp();
  merch = (await staffToken(t, Role.MERCHANDISING, Role.MARKETING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  const ch = await t.gql(CreateListingChannelDocument, { input: { code: 'web-shop', name: 'Web shop', type: 'OWN_SITE', currency: 'USD' } }, merch);
  channelId = (ch.data?.createChannel as any).id;
  // A stand-in for the inventory module's provider: available units from a table this test owns.
  await t.sql('CREATE TABLE test_available_stock (variant_id uuid PRIMARY KEY, available int NOT NULL)');
});
afterAll(() => t?.stop());
afterEach(() => listingHooks.setStockProvider(null));

function useTestStock() {
  listingHooks.setStockProvider(async (ctx, variantIds) => {
    const rows = await ctx.em.execute(`SELECT variant_id, available FROM test_available_stock WHERE variant_id IN (${variantIds.map(() => '?').join(', ')})`, variantIds);
    return new Map(rows.map((r: any) => [r.variant_id as string, r.available as number]));
  });
}

const count = async (table: string) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
const GOOD_TITLE = 'Lightweight rain jacket for city cycling';
const GOOD_DESCRIPTION = 'A packable shell that keeps you dry on the ride to work. '.repeat(5);
const goodImages = [1, 2, 3].map((i) => ({ url: `https://img.example/${i}.jpg`, altText: `Jacket view ${i}` }));

async function listing(productId: string, input: Record<string, unknown> = {}, channel = channelId) {
  const res = await t.gql(CreateListingDocument, { input: { productId, channelId: channel, title: GOOD_TITLE, description: GOOD_DESCRIPTION, keywords: ['rain jacket'], images: goodImages, ...input } }, merch);
  const l = res.data?.createListing;
  if (l?.__typename !== 'Listing') throw new Error(JSON.stringify(res));
  return l;
}

describe('listing lifecycle', () => {
  it('walks DRAFT → PUBLISHED → DELISTED → PUBLISHED → DELISTED → DRAFT with history', async () => {
    const v = await costedVariant(t, merch, 1000, 600);
    const l = await listing(v.productId, { seoTitle: 'Rain jacket | Shop' });
    expect(l).toMatchObject({ status: 'DRAFT', nextStates: ['PUBLISHED'], seoTitle: 'Rain jacket | Shop', publishedAt: null });
    expect(l.images.map((i) => i.position)).toEqual([0, 1, 2]);
    for (const [to, reason] of [['PUBLISHED', null], ['DELISTED', 'recall'], ['PUBLISHED', null], ['DELISTED', 'season over'], ['DRAFT', null]] as const) {
      const r = await t.gql(TransitionListingDocument, { input: { listingId: l.id, to, reason } }, merch);
      expect(r.data?.transitionListing).toMatchObject({ __typename: 'Listing', status: to });
    }
    const view = await t.gql(ListingStaffViewDocument, { id: l.id }, analyst);
    expect(view.data?.listing.statusHistory.map((h) => [h.fromStatus, h.toStatus, h.reason])).toEqual([
      [null, 'DRAFT', null],
      ['DRAFT', 'PUBLISHED', null],
      ['PUBLISHED', 'DELISTED', 'recall'],
      ['DELISTED', 'PUBLISHED', null],
      ['PUBLISHED', 'DELISTED', 'season over'],
      ['DELISTED', 'DRAFT', null],
    ]);
  });

  it('refuses illegal moves, delisting without reason and publishing an inactive product, changing nothing', async () => {
    const v = await costedVariant(t, merch, 1000, 600);
    const l = await listing(v.productId);
    const before = await count('listing_status_change');
    const illegal = await t.gql(TransitionListingDocument, { input: { listingId: l.id, to: 'DELISTED', reason: 'x' } }, merch);
    expect(illegal.data?.transitionListing).toMatchObject({ __typename: 'IllegalListingTransitionError', errorCode: 'ILLEGAL_TRANSITION', from: 'DRAFT', to: 'DELISTED', allowed: ['PUBLISHED'] });
    await t.gql(TransitionListingDocument, { input: { listingId: l.id, to: 'PUBLISHED' } }, merch);
    const noReason = await t.gql(TransitionListingDocument, { input: { listingId: l.id, to: 'DELISTED' } }, merch);
    expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const again = await t.gql(TransitionListingDocument, { input: { listingId: l.id, to: 'PUBLISHED' } }, merch);
    expect(again.data?.transitionListing).toMatchObject({ __typename: 'IllegalListingTransitionError', from: 'PUBLISHED', allowed: ['DELISTED'] });
    expect(await count('listing_status_change')).toBe(before + 1);

    const draftProduct = await t.sql(`UPDATE product SET status = 'DRAFT' WHERE id = $1 RETURNING id`, [(await costedVariant(t, merch, 1000, 600)).productId]);
    const dl = await listing(draftProduct[0].id);
    const refused = await t.gql(TransitionListingDocument, { input: { listingId: dl.id, to: 'PUBLISHED' } }, merch);
    expect(refused.data?.transitionListing).toMatchObject({ __typename: 'ListingNotPublishableError', errorCode: 'PRODUCT_NOT_ACTIVE' });
    const [row] = await t.sql('SELECT status, published_at FROM listing WHERE id = $1', [dl.id]);
    expect(row).toEqual({ status: 'DRAFT', published_at: null });
    const denied = await t.gql(TransitionListingDocument, { input: { listingId: dl.id, to: 'PUBLISHED' } }, analyst);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('allows one listing per product and channel, and names bad fields', async () => {
    const v = await costedVariant(t, merch, 1000, 600);
    await listing(v.productId);
    const dup = await t.gql(CreateListingDocument, { input: { productId: v.productId, channelId, title: 'Second' } }, merch);
    expect(dup.data?.createListing).toMatchObject({ __typename: 'DuplicateListingError', errorCode: 'DUPLICATE_LISTING' });
    const bad = await t.gql(CreateListingDocument, { input: { productId: v.productId, channelId, title: 'x', images: [{ url: 'https://ok.example/a.jpg' }, { url: 'ftp://nope' }] } }, merch);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'images[1].url' });
  });

  it('shows customers and anonymous callers published listings only', async () => {
    const v = await costedVariant(t, merch, 1000, 600);
    const ch = await t.gql(CreateListingChannelDocument, { input: { code: `vis-${randomBytes(3).toString('hex')}`, name: 'Visibility', type: 'MARKETPLACE', currency: 'USD' } }, merch);
    const visChannel = (ch.data?.createChannel as any).id;
    const published = await listing(v.productId, {}, visChannel);
    await t.gql(TransitionListingDocument, { input: { listingId: published.id, to: 'PUBLISHED' } }, merch);
    const other = await costedVariant(t, merch, 1000, 600);
    const draft = await listing(other.productId, {}, visChannel);
    const buyer = await customer(t);
    for (const token of [buyer.token, undefined]) {
      const list = await t.gql(PublicListingsDocument, { first: 50, filter: { channelId: visChannel, status: ['DRAFT', 'PUBLISHED'] } }, token);
      expect(list.data?.listings.nodes.map((n) => n.id)).toEqual([published.id]);
      const hidden = await t.gql(ListingByIdDocument, { id: draft.id }, token);
      expect(hidden.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
      expect((await t.gql(ListingByIdDocument, { id: published.id }, token)).data?.listing.id).toBe(published.id);
    }
    expect((await t.gql(ListingByIdDocument, { id: published.id }, buyer.token)).data?.listing.product?.id).toBe(v.productId);
    await t.sql(`UPDATE product SET status = 'ARCHIVED' WHERE id = $1`, [v.productId]);
    expect((await t.gql(ListingByIdDocument, { id: published.id }, buyer.token)).data?.listing.product).toBeNull();
    expect((await t.gql(ListingByIdDocument, { id: published.id }, analyst)).data?.listing.product?.id).toBe(v.productId);
    const quality = await t.gql(ListingStaffViewDocument, { id: published.id }, buyer.token);
    expect(quality.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const staff = await t.gql(PublicListingsDocument, { first: 50, filter: { channelId: visChannel } }, analyst);
    expect(staff.data?.listings.totalCount).toBe(2);
  });
});

describe('listing quality score', () => {
  it('scores a listing meeting every rule 100', async () => {
    useTestStock();
    const v = await costedVariant(t, merch, 1000, 600);
    await t.sql('INSERT INTO test_available_stock VALUES ($1, 5)', [v.variantId]);
    const l = await listing(v.productId);
    const q = (await t.gql(ListingStaffViewDocument, { id: l.id }, analyst)).data!.listing.quality!;
    expect(q.score).toBe(100);
    expect(q.findings.map((f) => [f.rule, f.passed, f.points])).toEqual([
      ['TITLE_LENGTH', true, 20],
      ['KEYWORD_IN_TITLE', true, 15],
      ['IMAGE_COUNT', true, 15],
      ['IMAGE_ALT_TEXT', true, 10],
      ['DESCRIPTION_LENGTH', true, 15],
      ['PRICE_SET', true, 10],
      ['STOCK_AVAILABLE', true, 15],
    ]);
  });

  it('scores 0 a listing breaking every rule, with a finding to fix for each', async () => {
    useTestStock();
    const v = await costedVariant(t, merch, 0, null);
    await t.sql('INSERT INTO test_available_stock VALUES ($1, 0)', [v.variantId]);
    const l = await listing(v.productId, { title: 'Jacket', keywords: ['raincoat'], description: 'Short text.', images: [{ url: 'https://img.example/1.jpg', altText: 'front' }, { url: 'https://img.example/2.jpg' }] });
    const q = (await t.gql(ListingStaffViewDocument, { id: l.id }, analyst)).data!.listing.quality!;
    expect(q.score).toBe(0);
    expect(q.findings.map((f) => [f.rule, f.passed, f.points, f.maxPoints, f.message])).toEqual([
      ['TITLE_LENGTH', false, 0, 20, 'Title has 6 characters; write at least 20'],
      ['KEYWORD_IN_TITLE', false, 0, 15, 'No keyword appears in the title; work the main keyword into it'],
      ['IMAGE_COUNT', false, 0, 15, 'Only 2 images; add at least 1 more'],
      ['IMAGE_ALT_TEXT', false, 0, 10, '1 of 2 images have no alt text'],
      ['DESCRIPTION_LENGTH', false, 0, 15, 'Description has 11 characters; write at least 200'],
      ['PRICE_SET', false, 0, 10, '1 active variants have no price'],
      ['STOCK_AVAILABLE', false, 0, 15, 'Nothing is in stock; replenish or delist'],
    ]);
  });

  it('breaks each rule on its own and recovers when fixed', async () => {
    useTestStock();
    const v = await costedVariant(t, merch, 1000, 600);
    await t.sql('INSERT INTO test_available_stock VALUES ($1, 3)', [v.variantId]);
    const l = await listing(v.productId);
    const score = async () => (await t.gql(ListingStaffViewDocument, { id: l.id }, analyst)).data!.listing.quality!;
    const cases: [Record<string, unknown>, string, number][] = [
      [{ title: 'x'.repeat(151) + ' rain jacket' }, 'TITLE_LENGTH', 80],
      [{ keywords: [] }, 'KEYWORD_IN_TITLE', 85],
      [{ images: goodImages.slice(0, 2) }, 'IMAGE_COUNT', 85],
      [{ images: [...goodImages.slice(0, 2), { url: 'https://img.example/3.jpg', altText: '  ' }] }, 'IMAGE_ALT_TEXT', 90],
      [{ description: 'x'.repeat(199) }, 'DESCRIPTION_LENGTH', 85],
    ];
    for (const [change, rule, expected] of cases) {
      await t.gql(UpdateListingDocument, { input: { listingId: l.id, ...change } }, merch);
      const q = await score();
      expect([q.score, q.findings.filter((f) => !f.passed).map((f) => f.rule)]).toEqual([expected, [rule]]);
      await t.gql(UpdateListingDocument, { input: { listingId: l.id, title: GOOD_TITLE, keywords: ['rain jacket'], images: goodImages, description: GOOD_DESCRIPTION } }, merch);
      expect((await score()).score).toBe(100);
    }
  });

  it('reports stock availability as unknown, for no points, when no stock provider is registered', async () => {
    const v = await costedVariant(t, merch, 1000, 600);
    const l = await listing(v.productId);
    const q = (await t.gql(ListingStaffViewDocument, { id: l.id }, analyst)).data!.listing.quality!;
    expect(q.score).toBe(85);
    expect(q.findings.at(-1)).toEqual({ rule: 'STOCK_AVAILABLE', passed: null, points: 0, maxPoints: 15, message: 'Stock availability unknown' });
  });

  it('scores a page of listings with a fixed number of queries, whatever the page size', async () => {
    useTestStock();
    const ch = await t.gql(CreateListingChannelDocument, { input: { code: `page-${randomBytes(3).toString('hex')}`, name: 'Paging', type: 'SOCIAL', currency: 'USD' } }, merch);
    const pageChannel = (ch.data?.createChannel as any).id;
    for (let i = 0; i < 8; i++) {
      const v = await costedVariant(t, merch, 1000, 600);
      await listing(v.productId, {}, pageChannel);
    }
    const small = await t.countQueries(() => t.gql(ListingsWithQualityDocument, { first: 2, filter: { channelId: pageChannel } }, analyst));
    const large = await t.countQueries(() => t.gql(ListingsWithQualityDocument, { first: 8, filter: { channelId: pageChannel } }, analyst));
    expect(large).toBe(small);
    const res = await t.gql(ListingsWithQualityDocument, { first: 8, filter: { channelId: pageChannel } }, analyst);
    expect(res.data?.listings.nodes).toHaveLength(8);
    expect(res.data?.listings.nodes.every((n) => n.images.length === 3 && n.channel.code.startsWith('page-') && n.quality?.score === 85)).toBe(true);
  });
});

describe('listing metrics', () => {
  it('ingests daily metrics idempotently and computes conversion and low-converting high-exposure listings', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await listing((await costedVariant(t, merch, 1000, 600)).productId, { title: `${GOOD_TITLE} ${i}` })).id);
    const [l1, l2, l3] = ids as [string, string, string];
    const m = (listingId: string, day: string, impressions: number, clicks: number, addToCarts: number, orders: number, revenueAmount: number) => ({ listingId, day, impressions, clicks, addToCarts, orders, revenueAmount });
    const batch = [
      m(l1, '2026-03-01', 5000, 200, 20, 2, 2000),
      m(l1, '2026-03-02', 3000, 100, 10, 1, 1000),
      m(l2, '2026-03-01', 4000, 400, 60, 40, 40000),
      m(l3, '2026-03-01', 500, 10, 0, 0, 0),
    ];
    expect((await t.gql(IngestListingMetricsDocument, { metrics: batch }, merch)).data?.ingestListingMetrics).toEqual({ received: 4, inserted: 4, replaced: 0 });
    const rows = await count('listing_daily_metric');
    expect((await t.gql(IngestListingMetricsDocument, { metrics: batch }, merch)).data?.ingestListingMetrics).toEqual({ received: 4, inserted: 0, replaced: 4 });
    expect(await count('listing_daily_metric')).toBe(rows);

    const perf = await t.gql(ListingPerformanceDocument, { listingId: l1, from: '2026-03-01T00:00:00Z', to: '2026-03-03T00:00:00Z' }, analyst);
    expect(perf.data?.listingPerformance).toEqual({
      listingId: l1,
      impressions: 8000,
      clicks: 300,
      addToCarts: 30,
      orders: 3,
      revenue: { amount: 3000, currency: 'USD' },
      clickThroughRate: 300 / 8000,
      conversionRate: 3 / 300,
    });
    const low = await t.gql(UnderperformingListingsDocument, { from: '2026-03-01T00:00:00Z', to: '2026-03-03T00:00:00Z', minImpressions: 1000, maxConversionRate: 0.02 }, analyst);
    expect(low.data?.underperformingListings.map((p) => [p.listingId, p.impressions, p.conversionRate, p.listing.title])).toEqual([[l1, 8000, 0.01, `${GOOD_TITLE} 0`]]);

    const bad = await t.gql(IngestListingMetricsDocument, { metrics: [m(l1, '2026-03-05', 10, 11, 0, 0, 0)] }, merch);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'metrics[0].clicks' });
    const dup = await t.gql(IngestListingMetricsDocument, { metrics: [m(l1, '2026-03-05', 10, 1, 0, 0, 0), m(l1, '2026-03-05', 10, 1, 0, 0, 0)] }, merch);
    expect(dup.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'metrics[1].day' });
    expect(await count('listing_daily_metric')).toBe(rows);
  });
});

describe('variant attributes', () => {
  it('stores attributes given at creation, replaces them, and refuses repeated names', async () => {
    const created = await t.gql(
      CreateProductWithAttributesDocument,
      { input: { name: 'Attribute tee', variants: [{ sku: 'ATTR-RED-M', name: 'Red M', priceAmount: 1500, currency: 'USD', attributes: [{ name: 'size', value: 'M' }, { name: 'color', value: 'red' }] }] } },
      merch,
    );
    const variant = (created.data?.createProduct as any).variants[0];
    expect(variant.attributes).toEqual([{ name: 'color', value: 'red' }, { name: 'size', value: 'M' }]);
    const [row] = await t.sql('SELECT attributes FROM product_variant WHERE id = $1', [variant.id]);
    expect(row.attributes).toEqual({ color: 'red', size: 'M' });

    const replaced = await t.gql(SetVariantAttributesDocument, { variantId: variant.id, attributes: [{ name: 'color', value: 'blue' }] }, merch);
    expect(replaced.data?.setVariantAttributes.attributes).toEqual([{ name: 'color', value: 'blue' }]);

    const repeated = await t.gql(SetVariantAttributesDocument, { variantId: variant.id, attributes: [{ name: 'color', value: 'a' }, { name: 'color', value: 'b' }] }, merch);
    expect(repeated.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'attributes[1].name' });
    const denied = await t.gql(SetVariantAttributesDocument, { variantId: variant.id, attributes: [] }, analyst);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const [after] = await t.sql('SELECT attributes FROM product_variant WHERE id = $1', [variant.id]);
    expect(after.attributes).toEqual({ color: 'blue' });
  });
});
