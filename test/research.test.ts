import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, Role, staffToken } from './support/fixtures.js';
import { competitorListing, costedVariant } from './support/research-fixtures.js';
import {
  CompetitorPriceChangesDocument,
  CompetitorsDocument,
  CreateCompetitorDocument,
  CreateCompetitorListingDocument,
  CreateMarketStudyDocument,
  IngestCompetitorPricesDocument,
  IngestOutOfStockViewsDocument,
  IngestSearchTermSignalsDocument,
  MarketStudiesDocument,
  OutOfStockDemandDocument,
  PricePositionDocument,
  SetVariantPriceDocument,
  TopSearchTermsDocument,
} from './generated/graphql.js';

const clock = new ManualClock(new Date('2026-03-10T12:00:00Z'));
let t: TestApp;
let merch: string;
let analyst: string;

beforeAll(async () => {
  t = await startTestApp({ clock });
  merch = (await staffToken(t, Role.MERCHANDISING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
});
afterAll(() => t?.stop());

const count = async (table: string) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${table}`))[0].n);

describe('competitor price observations', () => {
  it('ingests a batch idempotently on (listing, observedAt), also inside one batch', async () => {
    const v = await costedVariant(t, merch, 1000, 600);
    const { listingId } = await competitorListing(t, merch, v.variantId, []);
    const batch = [
      { competitorListingId: listingId, priceAmount: 990, currency: 'USD', inStock: true, observedAt: '2026-03-01T00:00:00Z' },
      { competitorListingId: listingId, priceAmount: 980, currency: 'USD', inStock: false, observedAt: '2026-03-02T00:00:00Z' },
      { competitorListingId: listingId, priceAmount: 980, currency: 'USD', inStock: false, observedAt: '2026-03-02T00:00:00Z' },
    ];
    const first = await t.gql(IngestCompetitorPricesDocument, { observations: batch }, merch);
    expect(first.data?.ingestCompetitorPrices).toEqual({ received: 3, inserted: 2, alreadyPresent: 1 });
    const before = await count('competitor_price_observation');
    const again = await t.gql(IngestCompetitorPricesDocument, { observations: batch }, merch);
    expect(again.data?.ingestCompetitorPrices).toEqual({ received: 3, inserted: 0, alreadyPresent: 3 });
    expect(await count('competitor_price_observation')).toBe(before);
  });

  it('refuses a batch with an unknown listing naming the row, writing nothing', async () => {
    const before = await count('competitor_price_observation');
    const v = await costedVariant(t, merch, 1000, 600);
    const { listingId } = await competitorListing(t, merch, v.variantId, []);
    const res = await t.gql(
      IngestCompetitorPricesDocument,
      {
        observations: [
          { competitorListingId: listingId, priceAmount: 1, currency: 'USD', inStock: true, observedAt: '2026-03-01T00:00:00Z' },
          { competitorListingId: '0190a000-0000-7000-8000-0000000000ff', priceAmount: 1, currency: 'USD', inStock: true, observedAt: '2026-03-01T00:00:00Z' },
        ],
      },
      merch,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'observations[1].competitorListingId' });
    expect(await count('competitor_price_observation')).toBe(before);
  });

  it('refuses a duplicate competitor and listing URL with typed errors; analysts cannot write', async () => {
    const c = await t.gql(CreateCompetitorDocument, { input: { name: 'Only Once' } }, merch);
    expect(c.data?.createCompetitor.__typename).toBe('Competitor');
    const dup = await t.gql(CreateCompetitorDocument, { input: { name: 'Only Once' } }, merch);
    expect(dup.data?.createCompetitor).toMatchObject({ __typename: 'DuplicateResearchKeyError', errorCode: 'DUPLICATE_KEY', field: 'name' });
    const v = await costedVariant(t, merch, 1000, 600);
    const input = { competitorId: (c.data?.createCompetitor as any).id, variantId: v.variantId, channel: 'web', url: 'https://once.example/p/1' };
    expect((await t.gql(CreateCompetitorListingDocument, { input }, merch)).data?.createCompetitorListing.__typename).toBe('CompetitorListing');
    expect((await t.gql(CreateCompetitorListingDocument, { input }, merch)).data?.createCompetitorListing).toMatchObject({ __typename: 'DuplicateResearchKeyError', field: 'url' });
    const denied = await t.gql(CreateCompetitorDocument, { input: { name: 'Analyst Co' } }, analyst);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const buyer = await customer(t);
    expect((await t.gql(CompetitorsDocument, { first: 1 }, buyer.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lists competitors as a connection with their listings batched', async () => {
    const v = await costedVariant(t, merch, 1000, 600);
    for (let i = 0; i < 4; i++) await competitorListing(t, merch, v.variantId, [{ priceAmount: 100 + i, observedAt: '2026-03-01T00:00:00Z' }, { priceAmount: 200 + i, observedAt: '2026-03-02T00:00:00Z', inStock: false }]);
    const small = await t.countQueries(() => t.gql(CompetitorsDocument, { first: 2 }, analyst));
    const large = await t.countQueries(() => t.gql(CompetitorsDocument, { first: 8 }, analyst));
    expect(large).toBe(small);
    const res = await t.gql(CompetitorsDocument, { first: 8 }, analyst);
    expect(res.data?.competitors.nodes.length).toBe(7); // 2 from earlier tests, "Only Once", and these 4
    const latest = res.data!.competitors.nodes.flatMap((n) => n.listings.filter((l) => l.variant.sku === v.sku).map((l) => [l.latestObservation?.price.amount, l.latestObservation?.inStock, l.latestObservation?.observedAt]));
    expect(latest.sort()).toEqual([0, 1, 2, 3].map((i) => [200 + i, false, '2026-03-02T00:00:00.000Z']));
  });
});

describe('price position', () => {
  it('matches hand-computed min/median/max, index and daily trend, using our price history', async () => {
    const v = await costedVariant(t, merch, 1000, 600);
    await competitorListing(t, merch, v.variantId, [
      { priceAmount: 950, observedAt: '2026-03-01T10:00:00Z' },
      { priceAmount: 900, observedAt: '2026-03-05T10:00:00Z' },
    ]);
    await competitorListing(t, merch, v.variantId, [
      { priceAmount: 1100, observedAt: '2026-03-01T11:00:00Z' },
      { priceAmount: 1100, observedAt: '2026-03-05T11:00:00Z' },
    ]);
    await competitorListing(t, merch, v.variantId, [{ priceAmount: 1250, observedAt: '2026-03-05T12:00:00Z' }]);
    // Another currency never mixes into the figures.
    await competitorListing(t, merch, v.variantId, [{ priceAmount: 10, observedAt: '2026-03-05T12:00:00Z', currency: 'EUR' }]);
    clock.set('2026-03-03T09:00:00Z');
    const raised = await t.gql(SetVariantPriceDocument, { input: { variantId: v.variantId, priceAmount: 1050, reason: 'raise' } }, merch);
    expect(raised.data?.setVariantPrice.__typename).toBe('ProductVariant');
    clock.set('2026-03-10T12:00:00Z');

    const res = await t.gql(PricePositionDocument, { variantId: v.variantId, from: '2026-03-01T00:00:00Z', to: '2026-03-10T12:00:00Z' }, analyst);
    const p = res.data!.pricePosition;
    expect(p.ourPrice).toEqual({ amount: 1050, currency: 'USD' });
    // Latest per listing: 900, 1100, 1250.
    expect([p.competitorCount, p.competitorMin?.amount, p.competitorMedian?.amount, p.competitorMax?.amount]).toEqual([3, 900, 1100, 1250]);
    expect(p.priceIndex).toBeCloseTo((100 * 1050) / 1100, 10);
    expect(p.trend.map((d) => [d.day, d.observationCount, d.ourPrice.amount, d.competitorMin.amount, d.competitorMedian.amount, d.competitorMax.amount])).toEqual([
      ['2026-03-01', 2, 1000, 950, 1025, 1100],
      ['2026-03-05', 3, 1050, 900, 1100, 1250],
    ]);
    expect(p.trend[0]!.priceIndex).toBeCloseTo((100 * 1000) / 1025, 10);
    expect(p.trend[1]!.priceIndex).toBeCloseTo((100 * 1050) / 1100, 10);

    const changes = await t.gql(CompetitorPriceChangesDocument, { from: '2026-03-02T00:00:00Z', to: '2026-03-10T00:00:00Z', variantId: v.variantId }, analyst);
    expect(changes.data?.competitorPriceChanges.map((c) => [c.previousPrice.amount, c.newPrice.amount, c.observedAt])).toEqual([[950, 900, '2026-03-05T10:00:00.000Z']]);
    expect(changes.data?.competitorPriceChanges[0]!.changePercent).toBeCloseTo((100 * (900 - 950)) / 950, 10);
  });

  it('has no competitor figures without observations', async () => {
    const v = await costedVariant(t, merch, 1000, 600);
    const res = await t.gql(PricePositionDocument, { variantId: v.variantId, from: '2026-03-01T00:00:00Z', to: '2026-03-10T00:00:00Z' }, analyst);
    expect(res.data?.pricePosition).toMatchObject({ competitorCount: 0, competitorMin: null, competitorMedian: null, priceIndex: null, trend: [] });
  });
});

describe('demand signals and market studies', () => {
  it('ingests daily search counts idempotently (a resent day replaces its figures) and ranks terms', async () => {
    const batch = [
      { day: '2026-03-01', term: 'Rain Jacket', searches: 10, resultCount: 5 },
      { day: '2026-03-02', term: 'rain jacket ', searches: 7, resultCount: 5 },
      { day: '2026-03-02', term: 'wool socks', searches: 4, resultCount: 0 },
    ];
    expect((await t.gql(IngestSearchTermSignalsDocument, { signals: batch }, merch)).data?.ingestSearchTermSignals).toEqual({ received: 3, inserted: 3, alreadyPresent: 0 });
    expect((await t.gql(IngestSearchTermSignalsDocument, { signals: batch }, merch)).data?.ingestSearchTermSignals).toEqual({ received: 3, inserted: 0, alreadyPresent: 3 });
    await t.gql(IngestSearchTermSignalsDocument, { signals: [{ day: '2026-03-02', term: 'Wool Socks', searches: 6, resultCount: 0 }] }, merch);
    const top = await t.gql(TopSearchTermsDocument, { from: '2026-03-01T00:00:00Z', to: '2026-03-03T00:00:00Z' }, analyst);
    expect(top.data?.topSearchTerms).toEqual([
      { term: 'rain jacket', searches: 17, searchesWithoutResults: 0 },
      { term: 'wool socks', searches: 6, searchesWithoutResults: 6 },
    ]);
    const bad = await t.gql(IngestSearchTermSignalsDocument, { signals: [{ day: '2026-02-30', term: 'x', searches: 1, resultCount: 1 }] }, merch);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'signals[0].day' });
  });

  it('ingests out-of-stock views idempotently', async () => {
    const v = await costedVariant(t, merch, 1000, 600);
    const batch = [{ day: '2026-03-01', variantId: v.variantId, views: 12 }];
    expect((await t.gql(IngestOutOfStockViewsDocument, { signals: batch }, merch)).data?.ingestOutOfStockViews).toEqual({ received: 1, inserted: 1, alreadyPresent: 0 });
    expect((await t.gql(IngestOutOfStockViewsDocument, { signals: batch }, merch)).data?.ingestOutOfStockViews).toEqual({ received: 1, inserted: 0, alreadyPresent: 1 });
    const w = await costedVariant(t, merch, 1000, 600);
    await t.gql(IngestOutOfStockViewsDocument, { signals: [{ day: '2026-03-02', variantId: v.variantId, views: 5 }, { day: '2026-03-02', variantId: w.variantId, views: 9 }, { day: '2026-03-09', variantId: w.variantId, views: 100 }] }, merch);
    const top = await t.gql(OutOfStockDemandDocument, { from: '2026-03-01T00:00:00Z', to: '2026-03-03T00:00:00Z' }, analyst);
    expect(top.data?.outOfStockDemand.map((d) => [d.variant.sku, d.views])).toEqual([
      [v.sku, 17],
      [w.sku, 9],
    ]);
  });

  it('records market studies and finds them by tag', async () => {
    await t.gql(CreateMarketStudyDocument, { input: { title: 'Outdoor 2026', periodStart: '2026-01-01T00:00:00Z', periodEnd: '2026-02-01T00:00:00Z', targetSegment: 'hikers', findings: 'Demand for light shells grows.', tags: ['Outdoor', 'apparel'] } }, merch);
    await t.gql(CreateMarketStudyDocument, { input: { title: 'Kitchen', periodStart: '2026-01-01T00:00:00Z', periodEnd: '2026-02-01T00:00:00Z', targetSegment: 'home cooks', findings: 'Flat.', tags: ['kitchen'] } }, merch);
    const res = await t.gql(MarketStudiesDocument, { tag: 'outdoor' }, analyst);
    expect(res.data?.marketStudies.totalCount).toBe(1);
    expect(res.data?.marketStudies.nodes[0]).toMatchObject({ title: 'Outdoor 2026', targetSegment: 'hikers', tags: ['outdoor', 'apparel'] });
    const bad = await t.gql(CreateMarketStudyDocument, { input: { title: 'Bad', periodStart: '2026-02-01T00:00:00Z', periodEnd: '2026-01-01T00:00:00Z', targetSegment: 's', findings: 'f' } }, merch);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'periodEnd' });
  });
});
