import { LockMode, UniqueConstraintViolationException, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';
import { viewerMay } from '../../common/auth/access.js';
import { isStaff } from '../../common/auth/viewer.js';
import { badInput, check, checkId, forbidden, notFound, type ErrorResult } from '../../common/errors.js';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';
import { paginate } from '../../common/pagination.js';
import { persistNew } from '../../common/persist.js';
import { inTransaction, rollbackWith } from '../../common/transaction.js';
import { Channel } from '../channels/channel.entity.js';
import { Product, ProductStatus } from '../catalog/product.entity.js';
import { ProductByIdLoader, VariantsByProductIdLoader } from '../catalog/catalog.loaders.js';
import { DuplicateListingError, IllegalListingTransitionError, ListingNotPublishableError } from './listings.errors.js';
import { ListingStatus, listingLifecycle } from './listings.lifecycle.js';
import { AvailableUnitsByVariantIdLoader, ImagesByListingIdLoader, ListingByIdLoader } from './listings.loaders.js';
import { assessListing } from './listings.quality.js';
import { Listing, ListingImage, ListingStatusChange } from './listing.entity.js';
import {
  ListingFinding,
  ListingMetricsIngestResult,
  ListingPerformance,
  ListingQuality,
  type CreateListingInput,
  type ListingImageInput,
  type ListingMetricInput,
  type ListingPerformanceArgs,
  type ListingsArgs,
  type TransitionListingInput,
  type UnderperformingListingsArgs,
  type UpdateListingInput,
} from './listings.types.js';

const URL_RE = /^https?:\/\/\S+$/i;
const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
const MAX_METRICS = 1000;
const MAX_COUNT = 1_000_000_000;

function actorOf(ctx: Context): { kind: string; id: string | null } {
  const v = ctx.viewer;
  if (v.kind === 'staff') return { kind: 'staff', id: v.userId };
  if (v.kind === 'token') return { kind: 'token', id: v.tokenId };
  return { kind: 'system', id: null };
}

interface Content {
  title?: string | null;
  description?: string | null;
  keywords?: string[] | null;
  seoTitle?: string | null;
  seoDescription?: string | null;
  images?: ListingImageInput[] | null;
}

function checkContent(c: Content): void {
  if (c.title != null) check(c.title.trim().length > 0 && c.title.length <= 300, 'title', 'must be 1 to 300 characters');
  if (c.description != null) check(c.description.length <= 20_000, 'description', 'must be at most 20000 characters');
  if (c.keywords != null) {
    check(c.keywords.length <= 30, 'keywords', 'must contain at most 30 keywords');
    c.keywords.forEach((k, i) => check(k.trim().length > 0 && k.length <= 100, `keywords[${i}]`, 'must be 1 to 100 characters'));
  }
  if (c.seoTitle != null) check(c.seoTitle.length <= 200, 'seoTitle', 'must be at most 200 characters');
  if (c.seoDescription != null) check(c.seoDescription.length <= 500, 'seoDescription', 'must be at most 500 characters');
  if (c.images != null) {
    check(c.images.length <= 20, 'images', 'must contain at most 20 images');
    c.images.forEach((img, i) => {
      check(URL_RE.test(img.url) && img.url.length <= 2000, `images[${i}].url`, 'must be an http(s) URL of at most 2000 characters');
      if (img.altText != null) check(img.altText.length <= 500, `images[${i}].altText`, 'must be at most 500 characters');
    });
  }
}

function replaceImages(em: EntityManager, listing: Listing, images: ListingImageInput[]): void {
  images.forEach((img, position) => persistNew(em, ListingImage, { listing, position, url: img.url, altText: img.altText?.trim() || null }));
}

export async function createListing(ctx: Context, input: CreateListingInput): Promise<Listing | ErrorResult> {
  checkId('productId', input.productId);
  checkId('channelId', input.channelId);
  checkContent(input);
  try {
    return await inTransaction(ctx.em, async (em) => {
      if (!(await em.count(Product, { id: input.productId }))) throw badInput('productId', 'does not match any product');
      if (!(await em.count(Channel, { id: input.channelId }))) throw badInput('channelId', 'does not match any channel');
      const now = ctx.now();
      const listing = persistNew(em, Listing, {
        product: em.getReference(Product, input.productId),
        channel: em.getReference(Channel, input.channelId),
        title: input.title.trim(),
        description: input.description ?? '',
        keywords: (input.keywords ?? []).map((k) => k.trim()),
        seoTitle: input.seoTitle ?? null,
        seoDescription: input.seoDescription ?? null,
        createdAt: now,
        updatedAt: now,
      });
      replaceImages(em, listing, input.images ?? []);
      const actor = actorOf(ctx);
      persistNew(em, ListingStatusChange, { listing, fromStatus: null, toStatus: listing.status, reason: null, actorKind: actor.kind, actorId: actor.id, at: now });
      return listing;
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException && String(err.message).includes('listing_product_channel_unique')) return DuplicateListingError.create();
    throw err;
  }
}

export async function updateListing(ctx: Context, input: UpdateListingInput): Promise<Listing> {
  checkId('listingId', input.listingId);
  checkContent(input);
  return ctx.em.transactional(async (em) => {
    const listing = await em.findOne(Listing, { id: input.listingId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!listing) throw notFound('Listing', input.listingId);
    if (input.title != null) listing.title = input.title.trim();
    if (input.description != null) listing.description = input.description;
    if (input.keywords != null) listing.keywords = input.keywords.map((k) => k.trim());
    if (input.seoTitle != null) listing.seoTitle = input.seoTitle;
    if (input.seoDescription != null) listing.seoDescription = input.seoDescription;
    if (input.images != null) {
      await em.nativeDelete(ListingImage, { listing: listing.id });
      replaceImages(em, listing, input.images);
    }
    listing.updatedAt = ctx.now();
    return listing;
  });
}

export async function transitionListing(ctx: Context, input: TransitionListingInput): Promise<Listing | ErrorResult> {
  checkId('listingId', input.listingId);
  const reason = input.reason?.trim() || null;
  if (reason) check(reason.length <= 1000, 'reason', 'must be at most 1000 characters');
  return inTransaction(ctx.em, async (em) => {
    const listing = await em.findOne(Listing, { id: input.listingId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!listing) throw notFound('Listing', input.listingId);
    const from = listing.status;
    const rule = listingLifecycle.rule(from, input.to);
    if (!rule) rollbackWith(IllegalListingTransitionError.create(from, input.to));
    if (!viewerMay(ctx.viewer, rule.by)) throw forbidden(`Moving a listing from ${from} to ${input.to} requires one of: ${rule.by.join(', ')}`);
    if (rule.requiresReason && !reason) throw badInput('reason', `is required to move a listing to ${input.to}`);
    const now = ctx.now();
    if (input.to === ListingStatus.PUBLISHED) {
      const product = await em.findOneOrFail(Product, { id: listing.product.id });
      if (product.status !== ProductStatus.ACTIVE) rollbackWith(ListingNotPublishableError.create(product.status));
      listing.publishedAt = now;
    }
    listing.status = input.to;
    listing.updatedAt = now;
    const actor = actorOf(ctx);
    persistNew(em, ListingStatusChange, { listing, fromStatus: from, toStatus: input.to, reason, actorKind: actor.kind, actorId: actor.id, at: now });
    return listing;
  });
}

/** Customers and anonymous callers see PUBLISHED listings only; anything else answers NOT_FOUND. */
export async function getListing(ctx: Context, id: string): Promise<Listing> {
  checkId('id', id);
  const listing = await ctx.loader(ListingByIdLoader).load(id);
  if (!listing || (!isStaff(ctx.viewer) && listing.status !== ListingStatus.PUBLISHED)) throw notFound('Listing', id);
  return listing;
}

export function listListings(ctx: Context, args: ListingsArgs) {
  const f = args.filter ?? {};
  const where: FilterQuery<Listing> = {};
  if (!isStaff(ctx.viewer)) where.status = ListingStatus.PUBLISHED;
  else if (f.status) {
    check(f.status.length > 0, 'filter.status', 'must list at least one status when given');
    where.status = { $in: f.status };
  }
  if (f.channelId) {
    checkId('filter.channelId', f.channelId);
    where.channel = f.channelId;
  }
  if (f.productId) {
    checkId('filter.productId', f.productId);
    where.product = f.productId;
  }
  return paginate(ctx.em, Listing, where, { name: 'CREATED_AT', property: 'createdAt', direction: 'DESC', kind: 'date' }, args);
}

/** Everything the rules need comes through per-request loaders, so scoring a page of listings costs a fixed number of queries. */
export async function listingQuality(ctx: Context, listing: Listing): Promise<ListingQuality> {
  const [images, variants] = await Promise.all([ctx.loader(ImagesByListingIdLoader).load(listing.id), ctx.loader(VariantsByProductIdLoader).load(listing.product.id)]);
  const active = variants.filter((v) => v.active);
  const stock = await ctx.loader(AvailableUnitsByVariantIdLoader).loadMany(active.map((v) => v.id));
  const known = stock.filter((s): s is number => typeof s === 'number');
  const availableUnits = active.length === 0 ? 0 : known.length === 0 ? null : known.reduce((a, b) => a + b, 0);
  const { score, findings } = assessListing({
    title: listing.title,
    description: listing.description,
    keywords: listing.keywords,
    images,
    variantPrices: active.map((v) => v.priceAmount),
    availableUnits,
  });
  return Object.assign(new ListingQuality(), { score, findings: findings.map((f) => Object.assign(new ListingFinding(), f)) });
}

/** Customers see the product of a published listing only while the product itself is ACTIVE. */
export async function listingProduct(ctx: Context, listing: Listing) {
  const product = await ctx.loader(ProductByIdLoader).load(listing.product.id);
  if (!product || (!isStaff(ctx.viewer) && product.status !== ProductStatus.ACTIVE)) return null;
  return product;
}

/**
 * Keyed on (listing, day): a channel report can be resent and the figures are replaced, never added twice.
 * Revenue is stored in the listing's channel currency.
 */
export async function ingestListingMetrics(ctx: Context, rows: ListingMetricInput[]): Promise<ListingMetricsIngestResult> {
  check(rows.length > 0, 'metrics', 'must contain at least one row');
  check(rows.length <= MAX_METRICS, 'metrics', `must contain at most ${MAX_METRICS} rows`);
  const keys = new Set<string>();
  rows.forEach((r, i) => {
    const f = `metrics[${i}]`;
    checkId(`${f}.listingId`, r.listingId);
    check(DAY_RE.test(r.day) && new Date(`${r.day}T00:00:00Z`).toISOString().startsWith(r.day), `${f}.day`, 'must be a date YYYY-MM-DD');
    for (const k of ['impressions', 'clicks', 'addToCarts', 'orders', 'revenueAmount'] as const) {
      check(Number.isInteger(r[k]) && r[k] >= 0 && r[k] <= MAX_COUNT, `${f}.${k}`, `must be an integer from 0 to ${MAX_COUNT}`);
    }
    check(r.clicks <= r.impressions, `${f}.clicks`, 'must not exceed impressions');
    const key = `${r.listingId}/${r.day}`;
    check(!keys.has(key), `${f}.day`, 'repeats a listing and day of this batch');
    keys.add(key);
  });
  const ids = [...new Set(rows.map((r) => r.listingId))];
  const known = await ctx.em.execute(`SELECT l.id, c.currency FROM listing l JOIN channel c ON c.id = l.channel_id WHERE l.id IN (${ids.map(() => '?').join(', ')})`, ids);
  const currency = new Map(known.map((k: any) => [k.id as string, k.currency as string]));
  rows.forEach((r, i) => check(currency.has(r.listingId), `metrics[${i}].listingId`, 'does not match any listing'));
  const result = await ctx.em.execute(
    `INSERT INTO listing_daily_metric (id, listing_id, day, impressions, clicks, add_to_carts, orders, revenue_amount, currency)
     VALUES ${rows.map(() => '(?, ?, ?::date, ?, ?, ?, ?, ?, ?)').join(', ')}
     ON CONFLICT ON CONSTRAINT listing_daily_metric_listing_day_unique DO UPDATE SET
       impressions = excluded.impressions, clicks = excluded.clicks, add_to_carts = excluded.add_to_carts,
       orders = excluded.orders, revenue_amount = excluded.revenue_amount
     RETURNING (xmax = 0) AS inserted`,
    rows.flatMap((r) => [uuidv7(), r.listingId, r.day, r.impressions, r.clicks, r.addToCarts, r.orders, r.revenueAmount, currency.get(r.listingId)]),
  );
  const inserted = result.filter((r: any) => r.inserted === true).length;
  return Object.assign(new ListingMetricsIngestResult(), { received: rows.length, inserted, replaced: rows.length - inserted });
}

function checkPeriod(args: ListingPerformanceArgs): void {
  check(args.from < args.to, 'to', 'must be after from');
  check(args.to.getTime() - args.from.getTime() <= 366 * 86_400_000, 'to', 'must be at most 366 days after from');
}

const PERFORMANCE_SQL = `
  SELECT m.listing_id, max(m.currency) AS currency,
         sum(m.impressions)::bigint AS impressions, sum(m.clicks)::bigint AS clicks, sum(m.add_to_carts)::bigint AS add_to_carts,
         sum(m.orders)::bigint AS orders, sum(m.revenue_amount)::bigint AS revenue
    FROM listing_daily_metric m
   WHERE m.day >= (? AT TIME ZONE 'UTC')::date AND m.day < (? AT TIME ZONE 'UTC')::date`;

function toPerformance(r: any, currency: string): ListingPerformance {
  const impressions = Number(r?.impressions ?? 0);
  const clicks = Number(r?.clicks ?? 0);
  const orders = Number(r?.orders ?? 0);
  return Object.assign(new ListingPerformance(), {
    listingId: r.listing_id,
    impressions,
    clicks,
    addToCarts: Number(r?.add_to_carts ?? 0),
    orders,
    revenue: Money.of(Number(r?.revenue ?? 0), r?.currency ?? currency),
    clickThroughRate: impressions ? clicks / impressions : null,
    conversionRate: clicks ? orders / clicks : null,
  });
}

export async function listingPerformance(ctx: Context, listingId: string, args: ListingPerformanceArgs): Promise<ListingPerformance> {
  checkId('listingId', listingId);
  checkPeriod(args);
  const listing = await getListing(ctx, listingId);
  const [channel] = await ctx.em.execute('SELECT currency FROM channel WHERE id = ?', [listing.channel.id]);
  const [row] = await ctx.em.execute(`${PERFORMANCE_SQL} AND m.listing_id = ? GROUP BY m.listing_id`, [args.from, args.to, listingId]);
  return toPerformance(row ?? { listing_id: listingId }, channel.currency);
}

/** High exposure, low conversion: aggregated and filtered in SQL, most impressions first. */
export async function underperformingListings(ctx: Context, args: UnderperformingListingsArgs): Promise<ListingPerformance[]> {
  checkPeriod(args);
  const minImpressions = args.minImpressions ?? 1000;
  const maxRate = args.maxConversionRate ?? 0.01;
  const limit = args.limit ?? 20;
  check(Number.isInteger(minImpressions) && minImpressions >= 0, 'minImpressions', 'must be an integer ≥ 0');
  check(maxRate >= 0 && maxRate <= 1, 'maxConversionRate', 'must be between 0 and 1');
  check(Number.isInteger(limit) && limit >= 1 && limit <= 100, 'limit', 'must be between 1 and 100');
  const rows = await ctx.em.execute(
    `${PERFORMANCE_SQL}
     GROUP BY m.listing_id
     HAVING sum(m.impressions) >= ? AND coalesce(sum(m.orders)::float8 / nullif(sum(m.clicks), 0), 0) <= ?
     ORDER BY sum(m.impressions) DESC, m.listing_id LIMIT ?`,
    [args.from, args.to, minImpressions, maxRate, limit],
  );
  return rows.map((r: any) => toPerformance(r, r.currency));
}
