import { UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';
import type { Context, LoaderFactory } from '../../common/context.js';
import { customerIdOf } from '../../common/auth/viewer.js';
import { check, checkId, forbidden, notFound, type ErrorResult } from '../../common/errors.js';
import { CURRENCY_RE, Money } from '../../common/money.js';
import { pageSize, PageInfo, encodeCursor, decodeCursor, type Page, type SortSpec } from '../../common/pagination.js';
import { persistNew } from '../../common/persist.js';
import { Customer } from '../customers/customer.entity.js';
import { CustomerAddress, CustomerProfile, Segment } from './crm.entity.js';
import { SegmentNameTakenError } from './crm.errors.js';
import {
  CustomerProfileView,
  RfmScore,
  SegmentRules,
  type AddCustomerAddressInput,
  type CreateSegmentInput,
  type SegmentMembersArgs,
  type UpdateCustomerProfileInput,
} from './crm.types.js';

/** Staff name a customer; a customer always gets themself (another customer's id answers NOT_FOUND). */
export function ownOrRequested(ctx: Context, requested: string | null | undefined): string {
  const own = customerIdOf(ctx.viewer);
  if (own) {
    if (requested && requested !== own) throw notFound('Customer', requested);
    return own;
  }
  check(requested, 'customerId', 'is required for staff');
  checkId('customerId', requested);
  return requested;
}

export async function getProfile(ctx: Context, customerId: string | null | undefined): Promise<CustomerProfileView> {
  const id = ownOrRequested(ctx, customerId);
  const customer = await ctx.em.findOne(Customer, { id });
  if (!customer) throw notFound('Customer', id);
  const profile = await ctx.em.findOne(CustomerProfile, { customer: id });
  const totals: { currency: string; total: string; n: number; last_at: Date | string }[] = await ctx.em.execute(
    `SELECT currency, sum(total_amount)::bigint AS total, count(*)::int AS n, max(placed_at) AS last_at
       FROM sales_order WHERE customer_id = ? AND status <> 'CANCELLED' GROUP BY currency ORDER BY currency`,
    [id],
  );
  const last = totals.map((r) => new Date(r.last_at)).reduce<Date | null>((m, d) => (m && m > d ? m : d), null);
  return Object.assign(new CustomerProfileView(), {
    customerId: id,
    email: customer.email,
    name: customer.name,
    phone: profile?.phone ?? null,
    emailConsent: profile?.emailConsent ?? false,
    smsConsent: profile?.smsConsent ?? false,
    consentUpdatedAt: profile?.consentUpdatedAt ?? null,
    tags: profile?.tags ?? [],
    lifetimeValue: totals.map((r) => Money.of(Number(r.total), r.currency)),
    orderCount: totals.reduce((s, r) => s + r.n, 0),
    lastOrderAt: last,
  });
}

const TAG_RE = /^[a-z0-9_-]{1,50}$/;

export async function updateProfile(ctx: Context, input: UpdateCustomerProfileInput): Promise<CustomerProfileView> {
  const id = ownOrRequested(ctx, input.customerId);
  if (input.tags != null && customerIdOf(ctx.viewer)) throw forbidden('Only staff may set tags');
  const tags = input.tags?.map((t) => t.trim().toLowerCase());
  tags?.forEach((t, i) => check(TAG_RE.test(t), `tags[${i}]`, 'must be 1 to 50 characters of a-z, 0-9, - or _'));
  if (tags) check(tags.length <= 50, 'tags', 'must contain at most 50 tags');
  if (input.phone != null && input.phone !== '') check(/^\+[1-9]\d{6,14}$/.test(input.phone), 'phone', 'must be an E.164 number such as +4915112345678');
  if (!(await ctx.em.count(Customer, { id }))) throw notFound('Customer', id);
  let profile = await ctx.em.findOne(CustomerProfile, { customer: id });
  profile ??= persistNew(ctx.em, CustomerProfile, { customer: ctx.em.getReference(Customer, id) });
  const now = ctx.now();
  if (input.phone != null) profile.phone = input.phone === '' ? null : input.phone;
  if ((input.emailConsent != null && input.emailConsent !== profile.emailConsent) || (input.smsConsent != null && input.smsConsent !== profile.smsConsent)) {
    profile.consentUpdatedAt = now;
  }
  if (input.emailConsent != null) profile.emailConsent = input.emailConsent;
  if (input.smsConsent != null) profile.smsConsent = input.smsConsent;
  if (tags) profile.tags = [...new Set(tags)];
  profile.updatedAt = now;
  await ctx.em.flush();
  return getProfile(ctx, id);
}

export async function addAddress(ctx: Context, input: AddCustomerAddressInput): Promise<CustomerAddress> {
  const id = ownOrRequested(ctx, input.customerId);
  const req = (field: string, v: string, max: number) => {
    const s = v.trim();
    check(s.length >= 1 && s.length <= max, field, `must be 1 to ${max} characters`);
    return s;
  };
  const country = input.country.trim().toUpperCase();
  check(/^[A-Z]{2}$/.test(country), 'country', 'must be an ISO 3166-1 alpha-2 code such as DE');
  if (!(await ctx.em.count(Customer, { id }))) throw notFound('Customer', id);
  const a = persistNew(ctx.em, CustomerAddress, {
    customer: ctx.em.getReference(Customer, id),
    label: input.label?.trim() || null,
    line1: req('line1', input.line1, 200),
    line2: input.line2?.trim() || null,
    city: req('city', input.city, 100),
    postalCode: req('postalCode', input.postalCode, 20),
    country,
    createdAt: ctx.now(),
  });
  await ctx.em.flush();
  return a;
}

export function listAddresses(ctx: Context, customerId: string | null | undefined): Promise<CustomerAddress[]> {
  const id = ownOrRequested(ctx, customerId);
  return ctx.em.find(CustomerAddress, { customer: id }, { orderBy: { createdAt: 'ASC', id: 'ASC' } });
}

/**
 * Per-customer figures from real orders (non-cancelled; spend in one currency; count and last order across
 * currencies) and RFM scores ranked against every customer with an order. `?` 1: currency, 2: now. Exported:
 * analytics aggregates the same scores. The figures come from analytics_customer_stats, which triggers on
 * sales_order keep equal to aggregating the orders themselves (a row per customer and currency instead of every order).
 */
export const RFM_STATS_SQL = `
  WITH agg AS (
    SELECT customer_id AS id, coalesce(sum(spend) FILTER (WHERE currency = ?), 0)::bigint AS spend, sum(orders)::int AS orders,
           max(last_order_at) AS last_order_at
      FROM analytics_customer_stats GROUP BY customer_id),
  stats AS (
    SELECT c.id, c.created_at, coalesce(a.spend, 0)::bigint AS spend, coalesce(a.orders, 0)::int AS orders, a.last_order_at
      FROM customer c LEFT JOIN agg a ON a.id = c.id),
  ranked AS MATERIALIZED (SELECT id, last_order_at, orders, spend FROM agg WHERE orders > 0),
  -- percent_rank() = (rank − 1) / (ranked − 1), the same float8 division, with the count taken once: rank() streams
  -- over each sort, where percent_rank() spools all 100k rows to count them (and re-reads the spool from disk).
  n AS (SELECT (count(*) - 1)::float8 AS d FROM ranked),
  rfm AS (
    SELECT k.id,
           least(5, 1 + floor(5 * CASE WHEN n.d > 0 THEN (rank() OVER (ORDER BY k.last_order_at) - 1) / n.d ELSE 0 END))::int AS r,
           least(5, 1 + floor(5 * CASE WHEN n.d > 0 THEN (rank() OVER (ORDER BY k.orders) - 1) / n.d ELSE 0 END))::int AS f,
           least(5, 1 + floor(5 * CASE WHEN n.d > 0 THEN (rank() OVER (ORDER BY k.spend) - 1) / n.d ELSE 0 END))::int AS m
      FROM ranked k CROSS JOIN n),
  base AS (
    SELECT s.*, rfm.r, rfm.f, rfm.m, ?::timestamptz AS now_at FROM stats s LEFT JOIN rfm ON rfm.id = s.id)`;

export async function customerRfm(ctx: Context, customerId: string | null | undefined, currency: string): Promise<RfmScore> {
  const id = ownOrRequested(ctx, customerId);
  check(CURRENCY_RE.test(currency), 'currency', 'must be an ISO 4217 code such as USD');
  const [row] = await ctx.em.execute(
    `${RFM_STATS_SQL} SELECT id, spend, orders, r, f, m, floor(extract(epoch FROM (now_at - last_order_at)) / 86400)::int AS days FROM base WHERE id = ?`,
    [currency, ctx.now(), id],
  );
  if (!row) throw notFound('Customer', id);
  return Object.assign(new RfmScore(), {
    customerId: id,
    recencyDays: row.days,
    frequency: row.orders,
    monetary: Money.of(Number(row.spend), currency),
    recencyScore: row.r,
    frequencyScore: row.f,
    monetaryScore: row.m,
  });
}

function checkRules(rules: SegmentRules): void {
  const nonNeg = ['minSpend', 'maxSpend', 'minOrders', 'maxOrders', 'orderedWithinDays', 'notOrderedForDays'] as const;
  for (const k of nonNeg) {
    const v = rules[k];
    if (v != null) check(Number.isInteger(v) && v >= 0, `rules.${k}`, 'must be a non-negative integer');
  }
  for (const k of ['minRecencyScore', 'minFrequencyScore', 'minMonetaryScore'] as const) {
    const v = rules[k];
    if (v != null) check(Number.isInteger(v) && v >= 1 && v <= 5, `rules.${k}`, 'must be an integer from 1 to 5');
  }
  if (rules.minSpend != null && rules.maxSpend != null) check(rules.maxSpend >= rules.minSpend, 'rules.maxSpend', 'must be at least minSpend');
  if (rules.minOrders != null && rules.maxOrders != null) check(rules.maxOrders >= rules.minOrders, 'rules.maxOrders', 'must be at least minOrders');
  rules.tierIds?.forEach((id, i) => checkId(`rules.tierIds[${i}]`, id));
  rules.channelIds?.forEach((id, i) => checkId(`rules.channelIds[${i}]`, id));
  rules.tagsAny?.forEach((t, i) => check(TAG_RE.test(t.trim().toLowerCase()), `rules.tagsAny[${i}]`, 'must be 1 to 50 characters of a-z, 0-9, - or _'));
}

/** The WHERE clause of a segment over `base` (see RFM_STATS_SQL), with its parameters. */
function segmentWhere(rules: SegmentRules): { sql: string; params: unknown[] } {
  const parts: string[] = [];
  const params: unknown[] = [];
  const add = (sql: string, ...p: unknown[]) => {
    parts.push(sql);
    params.push(...p);
  };
  if (rules.minSpend != null) add('b.spend >= ?', rules.minSpend);
  if (rules.maxSpend != null) add('b.spend <= ?', rules.maxSpend);
  if (rules.minOrders != null) add('b.orders >= ?', rules.minOrders);
  if (rules.maxOrders != null) add('b.orders <= ?', rules.maxOrders);
  if (rules.orderedWithinDays != null) add(`b.last_order_at > b.now_at - make_interval(days => ?)`, rules.orderedWithinDays);
  if (rules.notOrderedForDays != null) add(`(b.last_order_at IS NULL OR b.last_order_at <= b.now_at - make_interval(days => ?))`, rules.notOrderedForDays);
  if (rules.tierIds?.length) add(`EXISTS (SELECT 1 FROM customer_membership cm WHERE cm.customer_id = b.id AND cm.tier_id IN (?))`, rules.tierIds);
  if (rules.tagsAny?.length) add(`EXISTS (SELECT 1 FROM customer_profile p WHERE p.customer_id = b.id AND p.tags && ?::text[])`, `{${rules.tagsAny.map((t) => t.trim().toLowerCase()).join(',')}}`);
  if (rules.minRecencyScore != null) add('b.r >= ?', rules.minRecencyScore);
  if (rules.minFrequencyScore != null) add('b.f >= ?', rules.minFrequencyScore);
  if (rules.minMonetaryScore != null) add('b.m >= ?', rules.minMonetaryScore);
  if (rules.channelIds?.length) add(`EXISTS (SELECT 1 FROM sales_order so WHERE so.customer_id = b.id AND so.status <> 'CANCELLED' AND so.channel_id IN (?))`, rules.channelIds);
  return { sql: parts.length ? parts.join(' AND ') : 'true', params };
}

export async function createSegment(ctx: Context, input: CreateSegmentInput): Promise<Segment | ErrorResult> {
  const name = input.name.trim();
  check(name.length >= 1 && name.length <= 100, 'name', 'must be 1 to 100 characters');
  check(CURRENCY_RE.test(input.currency), 'currency', 'must be an ISO 4217 code such as USD');
  checkRules(input.rules);
  const rules = Object.fromEntries(Object.entries(input.rules).filter(([, v]) => v != null));
  const s = persistNew(ctx.em, Segment, { name, currency: input.currency, rules, createdAt: ctx.now() });
  try {
    await ctx.em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      ctx.em.clear();
      return SegmentNameTakenError.create();
    }
    throw err;
  }
  return s;
}

export async function getSegment(ctx: Context, id: string): Promise<Segment> {
  checkId('segmentId', id);
  const s = await ctx.em.findOne(Segment, { id });
  if (!s) throw notFound('Segment', id);
  return s;
}

export const listSegments = (ctx: Context) => ctx.em.find(Segment, {}, { orderBy: { name: 'ASC' } });

export const rulesOf = (segment: Segment): SegmentRules => Object.assign(new SegmentRules(), segment.rules);

/**
 * Member counts of every segment asked for in one request: the customer statistics are the expensive part, so
 * they are computed once per currency and each segment is a `count(*) FILTER (…)` column over them.
 */
const SegmentMemberCountLoader: LoaderFactory<Segment, number> = (ctx) =>
  new DataLoader<Segment, number, string>(
    async (segments) => {
      const byCurrency = new Map<string, Segment[]>();
      for (const s of segments) {
        const group = byCurrency.get(s.currency);
        if (group) group.push(s);
        else byCurrency.set(s.currency, [s]);
      }
      const counts = new Map<string, number>();
      for (const [currency, group] of byCurrency) {
        const params: unknown[] = [currency, ctx.now()];
        const columns = group.map((s, i) => {
          const w = segmentWhere(rulesOf(s));
          params.push(...w.params);
          return `count(*) FILTER (WHERE ${w.sql})::int AS c${i}`;
        });
        const [row] = await ctx.em.execute(`${RFM_STATS_SQL} SELECT ${columns.join(', ')} FROM base b`, params);
        group.forEach((s, i) => counts.set(s.id, row[`c${i}`]));
      }
      return segments.map((s) => counts.get(s.id)!);
    },
    { cacheKeyFn: (s) => s.id },
  );

export function segmentMemberCount(ctx: Context, segment: Segment): Promise<number> {
  return ctx.loader(SegmentMemberCountLoader).load(segment);
}

const MEMBER_SORT: SortSpec = { name: 'ID', property: 'id', direction: 'ASC', kind: 'string' };

/** Members in customer-id order, keyset-paged; computed in SQL from current data on each call. */
export async function segmentMembers(ctx: Context, args: SegmentMembersArgs): Promise<Page<Customer>> {
  const segment = await getSegment(ctx, args.segmentId);
  check(args.last == null && args.before == null, 'last', 'segment members page forward only (first/after)');
  const { size } = pageSize(args);
  const cursor = args.after != null ? decodeCursor('after', args.after, MEMBER_SORT) : undefined;
  const w = segmentWhere(rulesOf(segment));
  const rows: { id: string }[] = await ctx.em.execute(
    `${RFM_STATS_SQL} SELECT b.id FROM base b WHERE ${w.sql} ${cursor ? 'AND b.id > ?' : ''} ORDER BY b.id LIMIT ?`,
    [segment.currency, ctx.now(), ...w.params, ...(cursor ? [cursor.id] : []), size + 1],
  );
  const ids = rows.slice(0, size).map((r) => r.id);
  const customers = ids.length ? await ctx.em.find(Customer, { id: { $in: ids } }) : [];
  const byId = new Map(customers.map((c) => [c.id, c]));
  const nodes = ids.map((id) => byId.get(id)!);
  const edges = nodes.map((node) => ({ cursor: encodeCursor(MEMBER_SORT, node.id, node.id), node }));
  const pageInfo = Object.assign(new PageInfo(), {
    hasNextPage: rows.length > size,
    hasPreviousPage: cursor !== undefined,
    startCursor: edges[0]?.cursor ?? null,
    endCursor: edges[edges.length - 1]?.cursor ?? null,
  });
  return { edges, nodes, pageInfo, totalCount: () => segmentMemberCount(ctx, segment) };
}
