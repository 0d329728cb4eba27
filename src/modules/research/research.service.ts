import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';
import { badInput, check, checkId, notFound, type ErrorResult } from '../../common/errors.js';
import { uuidv7 } from '../../common/ids.js';
import { CURRENCY_RE, Money } from '../../common/money.js';
import { paginate } from '../../common/pagination.js';
import { persistNew } from '../../common/persist.js';
import { Category } from '../catalog/category.entity.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { DuplicateResearchKeyError } from './research.errors.js';
import { Competitor, CompetitorListing, MarketStudy } from './research.entity.js';
import {
  CategoryDemandTrendArgs,
  CompetitorPriceChange,
  CompetitorPriceChangesArgs,
  DemandPoint,
  IngestResult,
  OutOfStockDemand,
  PricePosition,
  PricePositionPoint,
  SearchTermDemand,
  type CreateCompetitorInput,
  type CreateCompetitorListingInput,
  type CreateMarketStudyInput,
  type MarketStudiesArgs,
  type OutOfStockViewSignalInput,
  type PriceObservationInput,
  type PricePositionArgs,
  type SearchTermSignalInput,
  type TopSearchTermsArgs,
} from './research.types.js';

export const MAX_BATCH = 1000;
const MAX_AMOUNT = 1_000_000_000;
const URL_RE = /^https?:\/\/\S+$/i;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

function checkPeriod(from: Date, to: Date, maxDays = 366): void {
  check(from < to, 'to', 'must be after from');
  check(to.getTime() - from.getTime() <= maxDays * DAY_MS, 'to', `must be at most ${maxDays} days after from`);
}

function checkDay(field: string, day: string): void {
  check(DAY_RE.test(day) && !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), field, 'must be a date YYYY-MM-DD');
}

function checkBatch(field: string, rows: unknown[]): void {
  check(rows.length > 0, field, 'must contain at least one row');
  check(rows.length <= MAX_BATCH, field, `must contain at most ${MAX_BATCH} rows`);
}

export async function createCompetitor(ctx: Context, input: CreateCompetitorInput): Promise<Competitor | ErrorResult> {
  const name = input.name.trim();
  check(name.length > 0 && name.length <= 200, 'name', 'must be 1 to 200 characters');
  if (input.website != null) check(URL_RE.test(input.website) && input.website.length <= 2000, 'website', 'must be an http(s) URL of at most 2000 characters');
  try {
    return await ctx.em.transactional(async (em) => persistNew(em, Competitor, { name, website: input.website ?? null, createdAt: ctx.now() }));
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) return DuplicateResearchKeyError.create('name', name);
    throw err;
  }
}

export async function createCompetitorListing(ctx: Context, input: CreateCompetitorListingInput): Promise<CompetitorListing | ErrorResult> {
  checkId('competitorId', input.competitorId);
  checkId('variantId', input.variantId);
  const channel = input.channel.trim();
  check(channel.length > 0 && channel.length <= 100, 'channel', 'must be 1 to 100 characters');
  check(URL_RE.test(input.url) && input.url.length <= 2000, 'url', 'must be an http(s) URL of at most 2000 characters');
  if (!(await ctx.em.count(Competitor, { id: input.competitorId }))) throw badInput('competitorId', 'does not match any competitor');
  if (!(await ctx.em.count(ProductVariant, { id: input.variantId }))) throw badInput('variantId', 'does not match any variant');
  try {
    return await ctx.em.transactional(async (em) =>
      persistNew(em, CompetitorListing, {
        competitor: em.getReference(Competitor, input.competitorId),
        variant: em.getReference(ProductVariant, input.variantId),
        channel,
        url: input.url,
        createdAt: ctx.now(),
      }),
    );
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) return DuplicateResearchKeyError.create('url', input.url);
    throw err;
  }
}

/** Multi-row insert keyed on (listing, observedAt): a feed may resend a batch, or overlap the last one, safely. */
export async function ingestPriceObservations(ctx: Context, rows: PriceObservationInput[]): Promise<IngestResult> {
  checkBatch('observations', rows);
  const listingIds = new Set<string>();
  rows.forEach((r, i) => {
    const f = `observations[${i}]`;
    checkId(`${f}.competitorListingId`, r.competitorListingId);
    listingIds.add(r.competitorListingId);
    check(Number.isInteger(r.priceAmount) && r.priceAmount >= 0 && r.priceAmount <= MAX_AMOUNT, `${f}.priceAmount`, `must be an integer from 0 to ${MAX_AMOUNT}`);
    check(CURRENCY_RE.test(r.currency), `${f}.currency`, 'must be a three-letter upper-case ISO 4217 code');
    check(r.observedAt.getTime() <= ctx.now().getTime() + 5 * 60_000, `${f}.observedAt`, 'must not be in the future');
  });
  const known = await ctx.em.find(CompetitorListing, { id: { $in: [...listingIds] } }, { fields: ['id'] });
  const knownIds = new Set(known.map((l) => l.id));
  rows.forEach((r, i) => check(knownIds.has(r.competitorListingId), `observations[${i}].competitorListingId`, 'does not match any competitor listing'));
  const values = rows.map(() => '(?, ?, ?, ?, ?, ?)').join(', ');
  const params = rows.flatMap((r) => [uuidv7(), r.competitorListingId, r.priceAmount, r.currency, r.inStock, r.observedAt]);
  const inserted = await ctx.em.execute(
    `INSERT INTO competitor_price_observation (id, listing_id, price_amount, currency, in_stock, observed_at) VALUES ${values}
     ON CONFLICT ON CONSTRAINT competitor_price_observation_listing_at_unique DO NOTHING RETURNING id`,
    params,
  );
  return Object.assign(new IngestResult(), { received: rows.length, inserted: inserted.length, alreadyPresent: rows.length - inserted.length });
}

/**
 * Daily counts are keyed on (day, term): a resent batch replaces the figures instead of adding to them.
 * Rows repeating a key inside one batch are summed first (Postgres cannot update one row twice in a statement).
 */
export async function ingestSearchTermSignals(ctx: Context, rows: SearchTermSignalInput[]): Promise<IngestResult> {
  checkBatch('signals', rows);
  const merged = new Map<string, { day: string; term: string; searches: number; resultCount: number }>();
  rows.forEach((r, i) => {
    const f = `signals[${i}]`;
    checkDay(`${f}.day`, r.day);
    const term = r.term.trim().toLowerCase();
    check(term.length > 0 && term.length <= 200, `${f}.term`, 'must be 1 to 200 characters');
    check(Number.isInteger(r.searches) && r.searches >= 0 && r.searches <= 1_000_000_000, `${f}.searches`, 'must be an integer from 0 to 1000000000');
    check(Number.isInteger(r.resultCount) && r.resultCount >= 0 && r.resultCount <= 1_000_000_000, `${f}.resultCount`, 'must be an integer from 0 to 1000000000');
    const key = `${r.day}\u0000${term}`;
    const prev = merged.get(key);
    if (prev) prev.searches += r.searches;
    else merged.set(key, { day: r.day, term, searches: r.searches, resultCount: r.resultCount });
  });
  const list = [...merged.values()];
  const values = list.map(() => '(?, ?::date, ?, ?, ?)').join(', ');
  const result = await ctx.em.execute(
    `INSERT INTO search_term_signal (id, day, term, searches, result_count) VALUES ${values}
     ON CONFLICT ON CONSTRAINT search_term_signal_day_term_unique
     DO UPDATE SET searches = excluded.searches, result_count = excluded.result_count
     RETURNING (xmax = 0) AS inserted`,
    list.flatMap((r) => [uuidv7(), r.day, r.term, r.searches, r.resultCount]),
  );
  const inserted = result.filter((r: any) => r.inserted === true).length;
  return Object.assign(new IngestResult(), { received: rows.length, inserted, alreadyPresent: rows.length - inserted });
}

export async function ingestOutOfStockViews(ctx: Context, rows: OutOfStockViewSignalInput[]): Promise<IngestResult> {
  checkBatch('signals', rows);
  const merged = new Map<string, { day: string; variantId: string; views: number }>();
  rows.forEach((r, i) => {
    const f = `signals[${i}]`;
    checkDay(`${f}.day`, r.day);
    checkId(`${f}.variantId`, r.variantId);
    check(Number.isInteger(r.views) && r.views >= 0 && r.views <= 1_000_000_000, `${f}.views`, 'must be an integer from 0 to 1000000000');
    const key = `${r.day}\u0000${r.variantId}`;
    const prev = merged.get(key);
    if (prev) prev.views += r.views;
    else merged.set(key, { day: r.day, variantId: r.variantId, views: r.views });
  });
  const ids = [...new Set(rows.map((r) => r.variantId))];
  const known = new Set((await ctx.em.find(ProductVariant, { id: { $in: ids } }, { fields: ['id'] })).map((v) => v.id));
  rows.forEach((r, i) => check(known.has(r.variantId), `signals[${i}].variantId`, 'does not match any variant'));
  const list = [...merged.values()];
  const result = await ctx.em.execute(
    `INSERT INTO out_of_stock_view_signal (id, day, variant_id, views) VALUES ${list.map(() => '(?, ?::date, ?, ?)').join(', ')}
     ON CONFLICT ON CONSTRAINT out_of_stock_view_signal_day_variant_unique DO UPDATE SET views = excluded.views
     RETURNING (xmax = 0) AS inserted`,
    list.flatMap((r) => [uuidv7(), r.day, r.variantId, r.views]),
  );
  const inserted = result.filter((r: any) => r.inserted === true).length;
  return Object.assign(new IngestResult(), { received: rows.length, inserted, alreadyPresent: rows.length - inserted });
}

export async function createMarketStudy(ctx: Context, input: CreateMarketStudyInput): Promise<MarketStudy> {
  const title = input.title.trim();
  check(title.length > 0 && title.length <= 300, 'title', 'must be 1 to 300 characters');
  check(input.periodStart < input.periodEnd, 'periodEnd', 'must be after periodStart');
  check(input.targetSegment.trim().length > 0 && input.targetSegment.length <= 200, 'targetSegment', 'must be 1 to 200 characters');
  check(input.findings.trim().length > 0 && input.findings.length <= 50_000, 'findings', 'must be 1 to 50000 characters');
  const tags = (input.tags ?? []).map((t) => t.trim().toLowerCase());
  check(tags.length <= 20, 'tags', 'must contain at most 20 tags');
  tags.forEach((t, i) => check(t.length > 0 && t.length <= 50, `tags[${i}]`, 'must be 1 to 50 characters'));
  return ctx.em.transactional(async (em) =>
    persistNew(em, MarketStudy, {
      title,
      periodStart: input.periodStart,
      periodEnd: input.periodEnd,
      targetSegment: input.targetSegment.trim(),
      findings: input.findings,
      tags: [...new Set(tags)],
      createdAt: ctx.now(),
    }),
  );
}

export function listMarketStudies(ctx: Context, args: MarketStudiesArgs) {
  const where: FilterQuery<MarketStudy> = {};
  if (args.tag) where.tags = { $contains: [args.tag.trim().toLowerCase()] } as any;
  return paginate(ctx.em, MarketStudy, where, { name: 'CREATED_AT', property: 'createdAt', direction: 'DESC', kind: 'date' }, args);
}

export function listCompetitors(ctx: Context, args: { first?: number | null; after?: string | null; last?: number | null; before?: string | null }) {
  return paginate(ctx.em, Competitor, {}, { name: 'NAME', property: 'name', direction: 'ASC', kind: 'string' }, args);
}

export interface CompetitorPrices {
  count: number;
  min: number | null;
  median: number | null;
  max: number | null;
}

/**
 * The latest observation of each competitor listing of a variant at or before `asOf`, in `currency`, summarised in SQL.
 * The median of an even number of prices is the mean of the middle two, rounded half away from zero.
 */
export async function latestCompetitorPrices(ctx: Context, variantId: string, currency: string, asOf: Date): Promise<CompetitorPrices> {
  const [row] = await ctx.em.execute(
    `WITH latest AS (
       SELECT DISTINCT ON (o.listing_id) o.price_amount
         FROM competitor_price_observation o JOIN competitor_listing l ON l.id = o.listing_id
        WHERE l.variant_id = ? AND o.observed_at <= ? AND o.currency = ?
        ORDER BY o.listing_id, o.observed_at DESC)
     SELECT count(*)::int AS n, min(price_amount) AS min, max(price_amount) AS max,
            round(percentile_cont(0.5) WITHIN GROUP (ORDER BY price_amount)::numeric)::int AS median
       FROM latest`,
    [variantId, asOf, currency],
  );
  return { count: row.n, min: row.min, median: row.median, max: row.max };
}

export async function pricePosition(ctx: Context, args: PricePositionArgs): Promise<PricePosition> {
  checkId('variantId', args.variantId);
  checkPeriod(args.from, args.to);
  const variant = await ctx.em.findOne(ProductVariant, { id: args.variantId });
  if (!variant) throw notFound('ProductVariant', args.variantId);
  const cur = variant.currency;
  const latest = await latestCompetitorPrices(ctx, variant.id, cur, args.to);
  // Our price at the end of each day comes from the price history: the last change before the day ended, or the
  // price a later change started from, or the current price when it never changed.
  const days = await ctx.em.execute(
    `WITH daily AS (
       SELECT (o.observed_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS n,
              min(o.price_amount) AS min, max(o.price_amount) AS max,
              round(percentile_cont(0.5) WITHIN GROUP (ORDER BY o.price_amount)::numeric)::int AS median
         FROM competitor_price_observation o JOIN competitor_listing l ON l.id = o.listing_id
        WHERE l.variant_id = ? AND o.currency = ? AND o.observed_at >= ? AND o.observed_at < ?
        GROUP BY 1)
     SELECT to_char(d.day, 'YYYY-MM-DD') AS day, d.n, d.min, d.max, d.median,
            coalesce(
              (SELECT c.new_price_amount FROM variant_price_change c
                WHERE c.variant_id = ? AND c.changed_at < (d.day + 1)::timestamp AT TIME ZONE 'UTC' ORDER BY c.changed_at DESC LIMIT 1),
              (SELECT c.old_price_amount FROM variant_price_change c
                WHERE c.variant_id = ? AND c.changed_at >= (d.day + 1)::timestamp AT TIME ZONE 'UTC' ORDER BY c.changed_at ASC LIMIT 1),
              ?) AS our
       FROM daily d ORDER BY d.day`,
    [variant.id, cur, args.from, args.to, variant.id, variant.id, variant.priceAmount],
  );
  const index = (ours: number, median: number | null) => (median ? (100 * ours) / median : null);
  return Object.assign(new PricePosition(), {
    variantId: variant.id,
    ourPrice: Money.of(variant.priceAmount, cur),
    competitorCount: latest.count,
    competitorMin: latest.min == null ? null : Money.of(latest.min, cur),
    competitorMedian: latest.median == null ? null : Money.of(latest.median, cur),
    competitorMax: latest.max == null ? null : Money.of(latest.max, cur),
    priceIndex: index(variant.priceAmount, latest.median),
    trend: days.map((d: any) =>
      Object.assign(new PricePositionPoint(), {
        day: d.day,
        observationCount: d.n,
        ourPrice: Money.of(d.our, cur),
        competitorMin: Money.of(d.min, cur),
        competitorMedian: Money.of(d.median, cur),
        competitorMax: Money.of(d.max, cur),
        priceIndex: index(d.our, d.median) ?? 0,
      }),
    ),
  });
}

/** Compares each observation with the previous one of the same listing (a window over the listing's history). */
export async function competitorPriceChanges(ctx: Context, args: CompetitorPriceChangesArgs): Promise<CompetitorPriceChange[]> {
  checkPeriod(args.from, args.to);
  const limit = args.limit ?? 50;
  check(Number.isInteger(limit) && limit >= 1 && limit <= 100, 'limit', 'must be between 1 and 100');
  if (args.variantId) checkId('variantId', args.variantId);
  const rows = await ctx.em.execute(
    `SELECT * FROM (
       SELECT o.listing_id, l.variant_id, o.observed_at, o.price_amount, o.currency,
              lag(o.price_amount) OVER w AS prev_amount, lag(o.currency) OVER w AS prev_currency
         FROM competitor_price_observation o JOIN competitor_listing l ON l.id = o.listing_id
        WHERE o.observed_at < ? ${args.variantId ? 'AND l.variant_id = ?' : ''}
       WINDOW w AS (PARTITION BY o.listing_id ORDER BY o.observed_at)) x
      WHERE x.observed_at >= ? AND x.prev_amount IS NOT NULL AND x.prev_currency = x.currency AND x.prev_amount <> x.price_amount
      ORDER BY x.observed_at DESC, x.listing_id LIMIT ?`,
    [args.to, ...(args.variantId ? [args.variantId] : []), args.from, limit],
  );
  return rows.map((r: any) =>
    Object.assign(new CompetitorPriceChange(), {
      competitorListingId: r.listing_id,
      variantId: r.variant_id,
      observedAt: new Date(r.observed_at),
      previousPrice: Money.of(r.prev_amount, r.currency),
      newPrice: Money.of(r.price_amount, r.currency),
      changePercent: r.prev_amount === 0 ? 0 : (100 * (r.price_amount - r.prev_amount)) / r.prev_amount,
    }),
  );
}

/** Units and orders per UTC day for a category subtree, from our own non-cancelled orders. */
export async function categoryDemandTrend(ctx: Context, args: CategoryDemandTrendArgs): Promise<DemandPoint[]> {
  checkId('categoryId', args.categoryId);
  checkPeriod(args.from, args.to);
  if (!(await ctx.em.count(Category, { id: args.categoryId }))) throw notFound('Category', args.categoryId);
  const rows = await ctx.em.execute(
    `SELECT to_char((o.placed_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, sum(ol.quantity)::int AS units, count(DISTINCT o.id)::int AS orders
       FROM sales_order o
       JOIN order_line ol ON ol.order_id = o.id
       JOIN product_variant v ON v.id = ol.variant_id
       JOIN product p ON p.id = v.product_id
       JOIN category c ON c.id = p.category_id
      WHERE c.path @> ARRAY[?]::uuid[] AND o.status <> 'CANCELLED' AND o.placed_at >= ? AND o.placed_at < ?
      GROUP BY 1 ORDER BY 1`,
    [args.categoryId, args.from, args.to],
  );
  return rows.map((r: any) => Object.assign(new DemandPoint(), r));
}

export async function topSearchTerms(ctx: Context, args: TopSearchTermsArgs): Promise<SearchTermDemand[]> {
  checkPeriod(args.from, args.to);
  const limit = args.limit ?? 20;
  check(Number.isInteger(limit) && limit >= 1 && limit <= 100, 'limit', 'must be between 1 and 100');
  const rows = await ctx.em.execute(
    `SELECT term, sum(searches)::bigint AS searches, coalesce(sum(searches) FILTER (WHERE result_count = 0), 0)::bigint AS without
       FROM search_term_signal
      WHERE day >= (? AT TIME ZONE 'UTC')::date AND day < (? AT TIME ZONE 'UTC')::date
      GROUP BY term ORDER BY 2 DESC, term LIMIT ?`,
    [args.from, args.to, limit],
  );
  return rows.map((r: any) => Object.assign(new SearchTermDemand(), { term: r.term, searches: Number(r.searches), searchesWithoutResults: Number(r.without) }));
}

/** Variants with the most views while out of stock: demand we could not serve. */
export async function outOfStockDemand(ctx: Context, args: TopSearchTermsArgs): Promise<OutOfStockDemand[]> {
  checkPeriod(args.from, args.to);
  const limit = args.limit ?? 20;
  check(Number.isInteger(limit) && limit >= 1 && limit <= 100, 'limit', 'must be between 1 and 100');
  const rows = await ctx.em.execute(
    `SELECT variant_id, sum(views)::bigint AS views
       FROM out_of_stock_view_signal
      WHERE day >= (? AT TIME ZONE 'UTC')::date AND day < (? AT TIME ZONE 'UTC')::date
      GROUP BY variant_id ORDER BY 2 DESC, variant_id LIMIT ?`,
    [args.from, args.to, limit],
  );
  return rows.map((r: any) => Object.assign(new OutOfStockDemand(), { variantId: r.variant_id, views: Number(r.views) }));
}
