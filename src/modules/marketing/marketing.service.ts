import { LockMode, UniqueConstraintViolationException, type EntityName } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';
import { viewerMay } from '../../common/auth/access.js';
import { badInput, check, checkId, forbidden, notFound, type ErrorResult } from '../../common/errors.js';
import { isUuid } from '../../common/ids.js';
import type { Lifecycle } from '../../common/lifecycle.js';
import { CURRENCY_RE, Money } from '../../common/money.js';
import { paginate, type PageArgs } from '../../common/pagination.js';
import { persistNew } from '../../common/persist.js';
import { inTransaction, rollbackWith } from '../../common/transaction.js';
import { normalizeCoupon } from '../promotions/promotions.service.js';
import { AdCampaign, Campaign, Collaboration, Influencer } from './marketing.entity.js';
import { Brand, ChannelStorefront, ContentPiece } from './brand.entity.js';
import { Channel } from '../channels/channel.entity.js';
import { IllegalMarketingTransitionError, MarketingCodeTakenError } from './marketing.errors.js';
import { ContentStatus, campaignLifecycle, collaborationLifecycle, contentLifecycle } from './marketing.lifecycle.js';
import {
  AdPerformance,
  IngestAdMetricsResult,
  type AdMetricInput,
  type AdPerformanceArgs,
  type CreateAdCampaignInput,
  type CreateBrandInput,
  type CreateContentPieceInput,
  type RecordContentMetricsInput,
  type TransitionContentPieceInput,
  type UpdateStorefrontInput,
  type CreateCampaignInput,
  type CreateCollaborationInput,
  type CreateInfluencerInput,
  type TransitionCampaignInput,
  type TransitionCollaborationInput,
} from './marketing.types.js';

const text = (field: string, value: string, max: number) => {
  const v = value.trim();
  check(v.length >= 1 && v.length <= max, field, `must be 1 to ${max} characters`);
  return v;
};
const amount = (field: string, n: number) => check(Number.isInteger(n) && n >= 0 && n <= 2_000_000_000, field, 'must be a non-negative integer amount in minor units');
const currency = (c: string) => check(CURRENCY_RE.test(c), 'currency', 'must be an ISO 4217 code such as USD');

/** Flushes, turning a unique violation into a typed result instead of a 500. */
async function flushUnique<T>(ctx: Context, entity: T, taken: Record<string, [string, string]>): Promise<T | ErrorResult> {
  try {
    await ctx.em.flush();
    return entity;
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      const hit = Object.entries(taken).find(([constraint]) => String(err.message).includes(constraint));
      if (hit) {
        ctx.em.clear();
        return MarketingCodeTakenError.create(hit[1][0], hit[1][1]);
      }
    }
    throw err;
  }
}

async function optionalCampaign(ctx: Context, id: string | null | undefined): Promise<Campaign | null> {
  if (id == null) return null;
  checkId('campaignId', id);
  const c = await ctx.em.findOne(Campaign, { id });
  if (!c) throw badInput('campaignId', 'does not match any campaign');
  return c;
}

export async function createCampaign(ctx: Context, input: CreateCampaignInput): Promise<Campaign> {
  const name = text('name', input.name, 200);
  const objective = text('objective', input.objective, 1000);
  check(input.endsAt > input.startsAt, 'endsAt', 'must be after startsAt');
  amount('budgetAmount', input.budgetAmount);
  currency(input.currency);
  const c = persistNew(ctx.em, Campaign, { name, objective, startsAt: input.startsAt, endsAt: input.endsAt, budgetAmount: input.budgetAmount, currency: input.currency, createdAt: ctx.now() });
  await ctx.em.flush();
  return c;
}

/** Row-locked move along a lifecycle table: of two concurrent moves exactly one applies. */
async function transition<S extends string, E extends { id: string; status: S }>(
  ctx: Context,
  entity: EntityName<E>,
  what: string,
  lifecycle: Lifecycle<S>,
  id: string,
  to: S,
  rawReason: string | null | undefined,
  onMove?: (row: E) => void,
): Promise<E | ErrorResult> {
  const reason = rawReason?.trim() || null;
  if (reason) check(reason.length <= 1000, 'reason', 'must be at most 1000 characters');
  return inTransaction(ctx.em, async (em) => {
    const row = (await em.findOne(entity, { id } as any, { lockMode: LockMode.PESSIMISTIC_WRITE })) as E | null;
    if (!row) throw notFound(what, id);
    const rule = lifecycle.rule(row.status, to);
    if (!rule) rollbackWith(IllegalMarketingTransitionError.create(what, row.status, to, lifecycle.nextStates(row.status)));
    if (!viewerMay(ctx.viewer, rule.by)) throw forbidden(`Moving a ${what} to ${to} requires one of: ${rule.by.join(', ')}`);
    if (rule.requiresReason && !reason) throw badInput('reason', `is required to move a ${what} to ${to}`);
    row.status = to;
    onMove?.(row);
    return row;
  });
}

export function transitionCampaign(ctx: Context, input: TransitionCampaignInput) {
  checkId('campaignId', input.campaignId);
  return transition(ctx, Campaign, 'Campaign', campaignLifecycle, input.campaignId, input.to, input.reason);
}

export function transitionCollaboration(ctx: Context, input: TransitionCollaborationInput) {
  checkId('collaborationId', input.collaborationId);
  return transition(ctx, Collaboration, 'Collaboration', collaborationLifecycle, input.collaborationId, input.to, input.reason);
}

export async function getCampaign(ctx: Context, id: string): Promise<Campaign> {
  checkId('id', id);
  const c = await ctx.em.findOne(Campaign, { id });
  if (!c) throw notFound('Campaign', id);
  return c;
}

export const listCampaigns = (ctx: Context, args: PageArgs) =>
  paginate(ctx.em, Campaign, {}, { name: 'STARTS_AT', property: 'startsAt', direction: 'DESC', kind: 'date' }, args);

export async function createInfluencer(ctx: Context, input: CreateInfluencerInput): Promise<Influencer | ErrorResult> {
  const name = text('name', input.name, 200);
  const platform = text('platform', input.platform, 50).toLowerCase();
  const handle = text('handle', input.handle, 200);
  check(Number.isInteger(input.followers) && input.followers >= 0, 'followers', 'must be a non-negative integer');
  amount('rateAmount', input.rateAmount);
  currency(input.currency);
  const i = persistNew(ctx.em, Influencer, { name, platform, handle, tier: input.tier, followers: input.followers, rateAmount: input.rateAmount, currency: input.currency, createdAt: ctx.now() });
  return flushUnique(ctx, i, { influencer_platform_handle_unique: ['handle', `${platform} handle ${handle} is already registered`] });
}

export const listInfluencers = (ctx: Context, args: PageArgs) =>
  paginate(ctx.em, Influencer, {}, { name: 'CREATED_AT', property: 'createdAt', direction: 'DESC', kind: 'date' }, args);

export async function createCollaboration(ctx: Context, input: CreateCollaborationInput): Promise<Collaboration | ErrorResult> {
  checkId('influencerId', input.influencerId);
  const influencer = await ctx.em.findOne(Influencer, { id: input.influencerId });
  if (!influencer) throw badInput('influencerId', 'does not match any influencer');
  const campaign = await optionalCampaign(ctx, input.campaignId);
  amount('feeAmount', input.feeAmount);
  currency(input.currency);
  const deliverables = text('deliverables', input.deliverables, 2000);
  check(input.couponCode != null || input.trackingCode != null, 'couponCode', 'or trackingCode is required to attribute orders');
  const couponCode = input.couponCode != null ? normalizeCoupon(input.couponCode) : null;
  if (couponCode != null) {
    const [p] = await ctx.em.execute(`SELECT 1 FROM promotion WHERE coupon_code = ?`, [couponCode]);
    check(p, 'couponCode', 'does not match the coupon code of any promotion');
  }
  const trackingCode = input.trackingCode != null ? text('trackingCode', input.trackingCode, 200) : null;
  const c = persistNew(ctx.em, Collaboration, { influencer, campaign, feeAmount: input.feeAmount, currency: input.currency, deliverables, couponCode, trackingCode, createdAt: ctx.now() });
  return flushUnique(ctx, c, {
    collaboration_coupon_code_unique: ['couponCode', 'Another collaboration already uses this coupon code'],
    collaboration_tracking_code_unique: ['trackingCode', 'Another collaboration already uses this tracking code'],
  });
}

export async function getCollaboration(ctx: Context, id: string): Promise<Collaboration> {
  checkId('id', id);
  const c = await ctx.em.findOne(Collaboration, { id });
  if (!c) throw notFound('Collaboration', id);
  return c;
}

export const listCollaborations = (ctx: Context, args: PageArgs) =>
  paginate(ctx.em, Collaboration, {}, { name: 'CREATED_AT', property: 'createdAt', direction: 'DESC', kind: 'date' }, args);

export async function createAdCampaign(ctx: Context, input: CreateAdCampaignInput): Promise<AdCampaign | ErrorResult> {
  const name = text('name', input.name, 200);
  const campaign = await optionalCampaign(ctx, input.campaignId);
  amount('budgetAmount', input.budgetAmount);
  currency(input.currency);
  const trackingCode = text('trackingCode', input.trackingCode, 200);
  const a = persistNew(ctx.em, AdCampaign, { name, platform: input.platform, campaign, budgetAmount: input.budgetAmount, currency: input.currency, trackingCode, createdAt: ctx.now() });
  return flushUnique(ctx, a, { ad_campaign_tracking_code_unique: ['trackingCode', 'Another ad campaign already uses this tracking code'] });
}

const DAY_RE = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_METRIC_ROWS = 10_000;

/**
 * Writes daily ad metrics, all or nothing (a malformed row refuses the whole batch, naming rows[i].field),
 * in one multi-row upsert keyed on (ad campaign, day): re-sending a day replaces it, so a repeated batch
 * changes nothing.
 */
export async function ingestAdMetrics(ctx: Context, rows: AdMetricInput[]): Promise<IngestAdMetricsResult> {
  check(rows.length >= 1 && rows.length <= MAX_METRIC_ROWS, 'rows', `must contain 1 to ${MAX_METRIC_ROWS} rows`);
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    check(isUuid(r.adCampaignId), `rows[${i}].adCampaignId`, 'must be an id (UUID) returned by this API');
    check(DAY_RE.test(r.day) && !Number.isNaN(Date.parse(`${r.day}T00:00:00Z`)) && new Date(`${r.day}T00:00:00Z`).toISOString().startsWith(r.day), `rows[${i}].day`, 'must be a calendar day YYYY-MM-DD');
    amount(`rows[${i}].spendAmount`, r.spendAmount);
    check(Number.isInteger(r.impressions) && r.impressions >= 0, `rows[${i}].impressions`, 'must be a non-negative integer');
    check(Number.isInteger(r.clicks) && r.clicks >= 0 && r.clicks <= r.impressions, `rows[${i}].clicks`, 'must be an integer from 0 to impressions');
    const key = `${r.adCampaignId}/${r.day}`;
    check(!seen.has(key), `rows[${i}].day`, 'appears twice for the same ad campaign in this batch');
    seen.add(key);
  });
  const ids = [...new Set(rows.map((r) => r.adCampaignId))];
  const found: { id: string }[] = await ctx.em.execute(`SELECT id FROM ad_campaign WHERE id IN (?)`, [ids]);
  const known = new Set(found.map((f) => f.id));
  rows.forEach((r, i) => check(known.has(r.adCampaignId), `rows[${i}].adCampaignId`, 'does not match any ad campaign'));
  const [{ n }] = await ctx.em.execute(
    `WITH up AS (
       INSERT INTO ad_daily_metric (id, ad_campaign_id, day, spend_amount, impressions, clicks)
       SELECT gen_random_uuid(), x.ad_campaign_id, x.day, x.spend_amount, x.impressions, x.clicks
         FROM jsonb_to_recordset(?::jsonb) AS x(ad_campaign_id uuid, day date, spend_amount int, impressions int, clicks int)
       ON CONFLICT (ad_campaign_id, day) DO UPDATE
         SET spend_amount = excluded.spend_amount, impressions = excluded.impressions, clicks = excluded.clicks
       RETURNING 1)
     SELECT count(*)::int AS n FROM up`,
    [JSON.stringify(rows.map((r) => ({ ad_campaign_id: r.adCampaignId, day: r.day, spend_amount: r.spendAmount, impressions: r.impressions, clicks: r.clicks })))],
  );
  return Object.assign(new IngestAdMetricsResult(), { rowsWritten: n });
}

const ratio = (a: number, b: number) => (b > 0 ? Number((a / b).toFixed(4)) : null);

/** Every ad campaign's spend, reach and attributed orders over the period, in one SQL statement. */
export async function adPerformance(ctx: Context, args: AdPerformanceArgs): Promise<AdPerformance[]> {
  check(args.to > args.from, 'to', 'must be after from');
  const rows: any[] = await ctx.em.execute(
    `SELECT a.id, coalesce(m.spend, 0)::int AS spend, coalesce(m.impressions, 0)::int AS impressions, coalesce(m.clicks, 0)::int AS clicks,
            coalesce(o.orders, 0)::int AS orders, coalesce(o.revenue, 0)::bigint AS revenue
       FROM ad_campaign a
       LEFT JOIN LATERAL (
         SELECT sum(spend_amount) AS spend, sum(impressions) AS impressions, sum(clicks) AS clicks FROM ad_daily_metric
          WHERE ad_campaign_id = a.id AND day >= (?::timestamptz AT TIME ZONE 'UTC')::date AND day < (?::timestamptz AT TIME ZONE 'UTC')::date) m ON true
       LEFT JOIN LATERAL (
         SELECT count(*) AS orders, sum(so.total_amount) AS revenue FROM sales_order so
          WHERE so.status <> 'CANCELLED' AND so.currency = a.currency AND so.placed_at >= ? AND so.placed_at < ?
            AND EXISTS (SELECT 1 FROM order_attribution oa JOIN traffic_session s ON s.session_key = oa.session_key
                         WHERE oa.order_id = so.id AND s.campaign = a.tracking_code)) o ON true
      ORDER BY a.created_at, a.id`,
    [args.from, args.to, args.from, args.to],
  );
  const ads = await ctx.em.find(AdCampaign, { id: { $in: rows.map((r) => r.id) } });
  const byId = new Map(ads.map((a) => [a.id, a]));
  return rows.map((r) => {
    const ad = byId.get(r.id)!;
    const revenue = Number(r.revenue);
    return Object.assign(new AdPerformance(), {
      adCampaign: ad,
      spend: Money.of(r.spend, ad.currency),
      impressions: r.impressions,
      clicks: r.clicks,
      ctr: ratio(r.clicks, r.impressions),
      cpc: r.clicks > 0 ? Money.of(Math.round(r.spend / r.clicks), ad.currency) : null,
      orders: r.orders,
      revenue: Money.of(revenue, ad.currency),
      roas: ratio(revenue, r.spend),
    });
  });
}


export async function createBrand(ctx: Context, input: CreateBrandInput): Promise<Brand | ErrorResult> {
  const name = text('name', input.name, 200);
  for (const k of ['story', 'positioning', 'guidelines'] as const) check(input[k].length <= 20_000, k, 'must be at most 20,000 characters');
  const b = persistNew(ctx.em, Brand, { name, story: input.story, positioning: input.positioning, guidelines: input.guidelines, createdAt: ctx.now() });
  return flushUnique(ctx, b, { brand_name_unique: ['name', 'A brand with this name exists'] });
}

export const listBrands = (ctx: Context) => ctx.em.find(Brand, {}, { orderBy: { name: 'ASC' } });

export async function createContentPiece(ctx: Context, input: CreateContentPieceInput): Promise<ContentPiece> {
  const platform = text('platform', input.platform, 50).toLowerCase();
  const title = text('title', input.title, 300);
  let brand: Brand | null = null;
  if (input.brandId != null) {
    checkId('brandId', input.brandId);
    brand = await ctx.em.findOne(Brand, { id: input.brandId });
    if (!brand) throw badInput('brandId', 'does not match any brand');
  }
  const campaign = await optionalCampaign(ctx, input.campaignId);
  const c = persistNew(ctx.em, ContentPiece, { type: input.type, platform, title, brand, campaign, plannedFor: input.plannedFor ?? null, createdAt: ctx.now() });
  await ctx.em.flush();
  return c;
}

export function transitionContentPiece(ctx: Context, input: TransitionContentPieceInput) {
  checkId('contentPieceId', input.contentPieceId);
  const now = ctx.now();
  return transition(ctx, ContentPiece, 'ContentPiece', contentLifecycle, input.contentPieceId, input.to, null, (row) => {
    if (row.status === ContentStatus.PUBLISHED) row.publishedAt = now;
  });
}

export async function recordContentMetrics(ctx: Context, input: RecordContentMetricsInput): Promise<ContentPiece> {
  checkId('contentPieceId', input.contentPieceId);
  for (const k of ['views', 'likes', 'comments', 'shares', 'clicks'] as const) {
    check(Number.isInteger(input[k]) && input[k] >= 0, k, 'must be a non-negative integer');
  }
  const c = await ctx.em.findOne(ContentPiece, { id: input.contentPieceId });
  if (!c) throw notFound('ContentPiece', input.contentPieceId);
  check(c.status !== ContentStatus.PLANNED, 'contentPieceId', 'has not been published yet');
  Object.assign(c, { views: input.views, likes: input.likes, comments: input.comments, shares: input.shares, clicks: input.clicks });
  await ctx.em.flush();
  return c;
}

export const listContentPieces = (ctx: Context, args: PageArgs) =>
  paginate(ctx.em, ContentPiece, {}, { name: 'CREATED_AT', property: 'createdAt', direction: 'DESC', kind: 'date' }, args);

const URL_RE = /^https:\/\/[^\s]{1,2000}$/;

export async function updateStorefront(ctx: Context, input: UpdateStorefrontInput): Promise<Channel> {
  checkId('channelId', input.channelId);
  const headline = input.headline?.trim() || null;
  if (headline) check(headline.length <= 300, 'headline', 'must be at most 300 characters');
  check(input.banners.length <= 20, 'banners', 'must contain at most 20 banners');
  input.banners.forEach((b, i) => {
    check(URL_RE.test(b.imageUrl), `banners[${i}].imageUrl`, 'must be an https URL');
    if (b.linkUrl != null) check(URL_RE.test(b.linkUrl) || /^\/[^\s]{0,2000}$/.test(b.linkUrl), `banners[${i}].linkUrl`, 'must be an https URL or a path starting with /');
    if (b.title != null) check(b.title.length <= 200, `banners[${i}].title`, 'must be at most 200 characters');
  });
  check(input.featuredProductIds.length <= 50, 'featuredProductIds', 'must contain at most 50 products');
  input.featuredProductIds.forEach((id, i) => checkId(`featuredProductIds[${i}]`, id));
  check(new Set(input.featuredProductIds).size === input.featuredProductIds.length, 'featuredProductIds', 'must not repeat a product');
  const channel = await ctx.em.findOne(Channel, { id: input.channelId });
  if (!channel) throw notFound('Channel', input.channelId);
  if (input.featuredProductIds.length) {
    const found: { id: string }[] = await ctx.em.execute(`SELECT id FROM product WHERE id IN (?)`, [input.featuredProductIds]);
    const known = new Set(found.map((f) => f.id));
    input.featuredProductIds.forEach((id, i) => check(known.has(id), `featuredProductIds[${i}]`, 'does not match any product'));
  }
  let s = await ctx.em.findOne(ChannelStorefront, { channel });
  s ??= persistNew(ctx.em, ChannelStorefront, { channel });
  s.headline = headline;
  s.banners = input.banners.map((b) => ({ imageUrl: b.imageUrl, linkUrl: b.linkUrl ?? null, title: b.title ?? null }));
  s.featuredProductIds = input.featuredProductIds;
  s.updatedAt = ctx.now();
  await ctx.em.flush();
  return channel;
}
