import type { Context } from '../../common/context.js';
import { badInput, check } from '../../common/errors.js';
import { Money } from '../../common/money.js';
import type { Page } from '../../common/pagination.js';
import { Role } from '../../common/auth/roles.js';
import { hasRole } from '../../common/auth/viewer.js';
import { Order } from '../orders/order.entity.js';
import { StockMovement } from '../inventory/inventory.entity.js';
import { TrackingEvent } from '../tracking/tracking.entity.js';
import { Customer } from '../customers/customer.entity.js';
import { rowMapper } from '../../common/rows.js';
import {
  type BulkPageArgs,
  type CohortArgs,
  CohortRetention,
  CustomerCohort,
  FindingEntity,
  FindingKind,
  FindingMetric,
  FindingSeverity,
  KpiBucket,
  KpiDimension,
  type KpiPeriodArgs,
  OptimisationFinding,
  type OptimisationFindingsArgs,
  SalesBreakdown,
  type SalesKpiArgs,
  SalesKpiSeries,
  SalesKpiValues,
  RatingCount,
  ReviewsBreakdown,
  type ReviewKpiArgs,
  ReviewKpiSeries,
  ReviewKpiValues,
  ReturnsBreakdown,
  type ReturnKpiArgs,
  ReturnKpiSeries,
  ReturnKpiValues,
  SupplierKpiSeries,
  SupplierKpiValues,
  SupportBreakdown,
  type SupportKpiArgs,
  SupportKpiSeries,
  SupportKpiValues,
  CampaignKpiSeries,
  CampaignKpiValues,
  TrafficBreakdown,
  type TrafficKpiArgs,
  TrafficKpiSeries,
  TrafficKpiValues,
  InventoryBreakdown,
  type InventoryKpiArgs,
  InventoryKpiSeries,
  InventoryKpiValues,
  RfmCell,
} from './analytics.types.js';
import { RFM_STATS_SQL } from '../crm/insights.service.js';
import { type LineKind, NO_CHANNEL, rawSlotsSql, salesLineRowsSql, share, SHARE_WINDOW, SLOT_PARAMS, TRAFFIC_VISIT_MEASURES } from './rollups.js';

const DAY_MS = 86_400_000;
/** Periods longer than this make bucketed scans too heavy for an interactive API. */
const MAX_PERIOD_MS = 731 * DAY_MS;
const MAX_HOUR_PERIOD_MS = 31 * DAY_MS;

/** Bulk pulls: analysts page in larger chunks than the shared 100 cap; everyone else keeps that cap. */
export const ANALYST_PAGE_LIMIT = 1000;
export const DEFAULT_PAGE_LIMIT = 100;

const TRUNC: Record<KpiBucket, string> = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month' };
const LABEL_FORMAT: Record<KpiBucket, string> = {
  HOUR: 'YYYY-MM-DD"T"HH24:MI',
  DAY: 'YYYY-MM-DD',
  WEEK: 'YYYY-MM-DD',
  MONTH: 'YYYY-MM',
};

function checkPeriod(from: Date, to: Date, maxMs: number, maxText: string): void {
  check(!Number.isNaN(from.getTime()), 'from', 'must be a valid date-time');
  check(!Number.isNaN(to.getTime()), 'to', 'must be a valid date-time');
  check(to.getTime() > from.getTime(), 'to', 'must be after from');
  check(to.getTime() - from.getTime() <= maxMs, 'to', `must be at most ${maxText} after from`);
}

/** Zones PostgreSQL confirmed; pg_timezone_names reads the zone files on every call, so hits are remembered. */
const knownZones = new Set<string>();

/** Refuses zones PostgreSQL does not know, so `AT TIME ZONE` never fails or silently means something else. */
async function checkTimeZone(ctx: Context, timeZone: string): Promise<void> {
  check(timeZone.length > 0 && timeZone.length <= 64, 'timeZone', 'must be an IANA time zone name such as Europe/Berlin');
  if (knownZones.has(timeZone)) return;
  const rows: unknown[] = await ctx.em.execute('SELECT 1 FROM pg_timezone_names WHERE name = ? LIMIT 1', [timeZone]);
  if (rows.length === 0) throw badInput('timeZone', 'must be an IANA time zone name such as Europe/Berlin');
  knownZones.add(timeZone);
}

async function checkKpiArgs(ctx: Context, args: KpiPeriodArgs): Promise<void> {
  if (args.bucket === KpiBucket.HOUR) checkPeriod(args.from, args.to, MAX_HOUR_PERIOD_MS, '31 days (HOUR buckets)');
  else checkPeriod(args.from, args.to, MAX_PERIOD_MS, '2 years');
  await checkTimeZone(ctx, args.timeZone);
}

interface SalesRow {
  bucket_start: Date | string;
  bucket_label: string;
  dim_key: string | null;
  dim_label: string | null;
  currency: string;
  gmv: string | number;
  discounts: string | number;
  refunds: string | number;
  orders: number;
  units: string | number;
  new_orders: number;
}

/** A statement and its parameters (`?` placeholders, as MikroORM's execute takes them). */
export interface KpiSql {
  sql: string;
  params: unknown[];
}

/** The same statement with `$1…$n` placeholders, for node-postgres (the bench runs the service's SQL directly). */
export function toPgSql(q: KpiSql): { text: string; values: unknown[] } {
  let i = 0;
  return { text: q.sql.replace(/\?/g, () => `$${++i}`), values: q.params };
}

/**
 * Order-level dimensions: an expression over the order `o` giving the group key as text.
 * SEGMENT and TRAFFIC_SOURCE look up one row each by unique keys (customer_membership.customer_id, order_attribution.order_id).
 */
const ORDER_DIM: Partial<Record<SalesBreakdown, string>> = {
  NONE: 'NULL::text',
  CHANNEL: 'o.channel_id::text',
  SEGMENT: '(SELECT cm.tier_id::text FROM customer_membership cm WHERE cm.customer_id = o.customer_id)',
  TRAFFIC_SOURCE: '(SELECT ts.source FROM order_attribution oa JOIN traffic_session ts ON ts.session_key = oa.session_key WHERE oa.order_id = o.id)',
};

/** Label of a group key `j.dim`; null falls back to the "(no …)" text. */
const DIM_LABEL: Record<SalesBreakdown, { sql: string; none: string }> = {
  NONE: { sql: 'NULL::text', none: '' },
  CHANNEL: { sql: '(SELECT c.name FROM channel c WHERE c.id = j.dim::uuid)', none: '(no channel)' },
  CATEGORY: { sql: '(SELECT c.name FROM category c WHERE c.id = j.dim::uuid)', none: '(no category)' },
  BRAND: { sql: '(SELECT b.name FROM brand b WHERE b.id = j.dim::uuid)', none: '(no brand)' },
  PRODUCT: { sql: '(SELECT pr.name FROM product pr WHERE pr.id = j.dim::uuid)', none: '(unknown product)' },
  SEGMENT: { sql: '(SELECT mt.name FROM membership_tier mt WHERE mt.id = j.dim::uuid)', none: '(no membership tier)' },
  TRAFFIC_SOURCE: { sql: 'j.dim', none: '(unattributed)' },
  WAREHOUSE: { sql: '(SELECT w.name FROM warehouse w WHERE w.id = j.dim::uuid)', none: '(not reserved)' },
};

/**
 * Line-level dimensions: rows (order_id, rid, dim, gmv, units) whose gmv add up to each order's line totals, set-based
 * (joined to the orders wanted by the caller). WAREHOUSE splits a line by its live (not released) reservations,
 * sharing the line total by units with floors of the running share, plus a row for units without a reservation.
 */
function lineRows(breakdown: SalesBreakdown): string {
  if (breakdown === SalesBreakdown.WAREHOUSE) {
    return `SELECT ol.order_id, ol.id::text || '/' || u.rid AS rid, u.dim,
                   (floor(ol.line_total_amount::numeric * u.cum / ol.quantity) - floor(ol.line_total_amount::numeric * (u.cum - u.units) / ol.quantity))::bigint AS gmv,
                   u.units
              FROM order_line ol
              CROSS JOIN LATERAL (
                SELECT v.rid, v.dim, v.units, sum(v.units) OVER (ORDER BY v.rid) AS cum
                  FROM (SELECT r.id::text AS rid, r.warehouse_id::text AS dim, r.quantity::bigint AS units
                          FROM stock_reservation r
                         WHERE r.order_id = ol.order_id AND r.order_line_id = ol.id AND r.status <> 'RELEASED'
                        UNION ALL
                        SELECT 'zzzz', NULL, ol.quantity - coalesce((SELECT sum(r.quantity) FROM stock_reservation r
                                                                   WHERE r.order_id = ol.order_id AND r.order_line_id = ol.id AND r.status <> 'RELEASED'), 0)) v
                 WHERE v.units > 0) u
             WHERE ol.quantity > 0`;
  }
  const dim = breakdown === SalesBreakdown.CATEGORY ? 'pr.category_id::text' : breakdown === SalesBreakdown.BRAND ? 'pr.brand_id::text' : 'pr.id::text';
  return `SELECT ol.order_id, ol.id::text AS rid, ${dim} AS dim, ol.line_total_amount::bigint AS gmv, ol.quantity::bigint AS units
            FROM order_line ol JOIN product_variant v ON v.id = ol.variant_id JOIN product pr ON pr.id = v.product_id`;
}

const LINE_LEVEL = new Set<SalesBreakdown>([SalesBreakdown.CATEGORY, SalesBreakdown.PRODUCT, SalesBreakdown.BRAND, SalesBreakdown.WAREHOUSE]);

/** Breakdowns served from the slot rollup (their dimension is a column of the order, fixed at the time of the write). */
const SALES_ROLLUP = new Set<SalesBreakdown>([SalesBreakdown.NONE, SalesBreakdown.CHANNEL]);

/**
 * The end of a rollup-path sales statement: CTE `parts` (bucket b, dim, currency and the summed measures, from the
 * rollup and from raw slots) added up per group — a group exists when it has a sale or a refund row, as in the raw
 * statement — labelled and ordered like salesKpisRawSql's rows. `dim` turns parts' dim into the group key text.
 */
function salesPartsTail(breakdown: SalesBreakdown, bucket: KpiBucket, dim: string): string {
  return `joined AS (
       SELECT b, ${dim} AS dim, currency, sum(gmv)::bigint AS gmv, sum(discounts)::bigint AS discounts, sum(refunds)::bigint AS refunds,
              sum(orders)::int AS orders, sum(units)::bigint AS units, sum(new_orders)::int AS new_orders
         FROM parts GROUP BY 1, 2, 3 HAVING sum(orders) > 0 OR sum(refund_rows) > 0),
     labelled AS (SELECT j.*, ${DIM_LABEL[breakdown].sql} AS dim_label FROM joined j)
     SELECT j.b AT TIME ZONE p.tz AS bucket_start, to_char(j.b, '${LABEL_FORMAT[bucket]}') AS bucket_label,
            j.dim AS dim_key, j.dim_label, j.currency, j.gmv, j.discounts, j.refunds, j.orders, j.units, j.new_orders
       FROM p, labelled j
      ORDER BY j.b, j.dim_label NULLS FIRST, j.dim, j.currency`;
}

/** Line-level breakdowns served from `analytics_sales_line_slot` (see salesLineRowsSql). */
const LINE_ROLLUP: Partial<Record<SalesBreakdown, LineKind>> = { CATEGORY: 'C', BRAND: 'B' };

/**
 * CATEGORY and BRAND KPIs from the line-level slot rollup: unmarked whole slots from the rollup, marked and edge slots
 * by the same per-line arithmetic over the raw tables (salesLineRowsSql, bucketed by each row's own time), so the
 * answer equals salesKpisRawSql's. Distinct order counts add up because an order lies in exactly one slot.
 */
function salesLineKpisSql(args: SalesKpiArgs, kind: LineKind): KpiSql {
  const trunc = TRUNC[args.bucket];
  const breakdown = args.breakdown!;
  // Inside the nested statement `rs` carries the period and zone (its FROM lists have no `p`).
  const bucket = (ts: string) => `date_trunc('${trunc}', ${ts} AT TIME ZONE rs.tz)`;
  return {
    sql: `WITH ${SLOT_PARAMS},
     raw_slots AS (${rawSlotsSql('analytics_sales_dirty')}),
     parts AS (
       SELECT date_trunc('${trunc}', a.slot AT TIME ZONE p.tz) AS b, a.dim, a.currency,
              sum(a.gmv) AS gmv, sum(a.discounts) AS discounts, sum(a.refunds) AS refunds, sum(a.refund_rows) AS refund_rows,
              sum(a.orders) AS orders, sum(a.units) AS units, sum(a.new_orders) AS new_orders
         FROM p, analytics_sales_line_slot a
        WHERE a.kind = '${kind}' AND a.slot >= p.lo AND a.slot < p.ts AND a.slot NOT IN (SELECT slot FROM raw_slots)
        GROUP BY 1, 2, 3
       UNION ALL
       SELECT x.b, x.dim, x.currency, x.gmv, x.discounts, x.refunds, x.refund_rows, x.orders, x.units, x.new_orders
         FROM (WITH rs AS (SELECT r.slot, p.f, p.t, p.tz FROM p, raw_slots r), ${salesLineRowsSql({ bucket, kinds: [kind], period: true })}) x),
     ${salesPartsTail(breakdown, args.bucket, `nullif(dim, '${NO_CHANNEL}')::text`)}`,
    params: [args.from, args.to, args.timeZone],
  };
}

/**
 * The statement salesKpis runs: NONE and CHANNEL from the 15-minute slot rollup, CATEGORY and BRAND from the
 * line-level one (exact: marked and edge slots are computed raw, see rollups.ts; a product's re-categorisation marks
 * its sales), the other breakdowns — PRODUCT (no fewer rows than lines), and SEGMENT, TRAFFIC_SOURCE and WAREHOUSE,
 * whose meaning follows current tiers, attribution and reservations — by the raw statement.
 */
export function salesKpisSql(args: SalesKpiArgs): KpiSql {
  const breakdown = args.breakdown ?? SalesBreakdown.NONE;
  const lineKind = LINE_ROLLUP[breakdown];
  if (lineKind) return salesLineKpisSql(args, lineKind);
  if (!SALES_ROLLUP.has(breakdown)) return salesKpisRawSql(args);
  const trunc = TRUNC[args.bucket];
  const rawDim = ORDER_DIM[breakdown]!;
  const rollDim = breakdown === SalesBreakdown.CHANNEL ? `nullif(a.channel_id, '${NO_CHANNEL}')::text` : 'NULL::text';
  return {
    sql: `WITH ${SLOT_PARAMS},
     raw_slots AS (${rawSlotsSql('analytics_sales_dirty')}),
     parts AS (
       SELECT date_trunc('${trunc}', a.slot AT TIME ZONE p.tz) AS b, ${rollDim} AS dim, a.currency,
              sum(a.gmv) AS gmv, sum(a.discounts) AS discounts, sum(a.refunds) AS refunds, sum(a.refund_rows) AS refund_rows,
              sum(a.orders) AS orders, sum(a.units) AS units, sum(a.new_orders) AS new_orders
         FROM p, analytics_sales_slot a
        WHERE a.slot >= p.lo AND a.slot < p.ts AND a.slot NOT IN (SELECT slot FROM raw_slots)
        GROUP BY 1, 2, 3
       UNION ALL
       SELECT date_trunc('${trunc}', o.placed_at AT TIME ZONE p.tz) AS b, ${rawDim} AS dim, o.currency,
              sum(o.subtotal_amount), sum(o.discount_amount), 0, 0, count(*), coalesce(sum(u.units), 0), count(fo.order_id)
         FROM p, raw_slots rs
        CROSS JOIN LATERAL (SELECT o.* FROM sales_order o WHERE analytics_slot(o.placed_at) = rs.slot OFFSET 0) o
         LEFT JOIN analytics_order_units u ON u.order_id = o.id
         LEFT JOIN analytics_first_order fo ON fo.order_id = o.id
        WHERE o.status <> 'CANCELLED' AND o.placed_at >= p.f AND o.placed_at < p.t
        GROUP BY 1, 2, 3
       UNION ALL
       SELECT date_trunc('${trunc}', r.at AT TIME ZONE p.tz) AS b, ${rawDim} AS dim, r.currency,
              0, 0, sum(r.amount_minor), count(*), 0, 0, 0
         FROM p, raw_slots rs
        CROSS JOIN LATERAL (SELECT r.* FROM payment_transaction r WHERE analytics_slot(r.at) = rs.slot AND r.kind = 'REFUND' OFFSET 0) r
         JOIN sales_order o ON o.id = r.order_id
        WHERE o.status <> 'CANCELLED' AND r.at >= p.f AND r.at < p.t
        GROUP BY 1, 2, 3),
     ${salesPartsTail(breakdown, args.bucket, 'dim')}`,
    params: [args.from, args.to, args.timeZone],
  };
}

/**
 * Sales KPIs in one statement from the raw tables: sales are bucketed by placement time and refunds by the time they
 * were recorded, both in the caller's zone, then joined on (bucket, dimension, currency).
 * Whether an order is its customer's first comes from `analytics_first_order`, kept by a trigger on sales_order.
 * The reference the rollup path must equal (tests compare them), and the path of the line-level and dynamic breakdowns.
 */
export function salesKpisRawSql(args: SalesKpiArgs): KpiSql {
  const trunc = TRUNC[args.bucket];
  const breakdown = args.breakdown ?? SalesBreakdown.NONE;
  let sales: string;
  let refunds: string;
  if (LINE_LEVEL.has(breakdown)) {
    sales = `
       SELECT date_trunc('${trunc}', l.placed_at AT TIME ZONE p.tz) AS b, l.dim, l.currency,
              sum(l.gmv)::bigint AS gmv, sum(${share('l.discount_amount')})::bigint AS discounts, count(DISTINCT l.order_id)::int AS orders,
              sum(l.units)::bigint AS units, count(DISTINCT l.order_id) FILTER (WHERE l.first)::int AS new_orders
         FROM p, (
           SELECT x.*, o.placed_at, o.currency, o.discount_amount, fo.order_id IS NOT NULL AS first, ${SHARE_WINDOW}
             FROM p, sales_order o
             JOIN (${lineRows(breakdown)}) x ON x.order_id = o.id
             LEFT JOIN analytics_first_order fo ON fo.order_id = o.id
            WHERE o.status <> 'CANCELLED' AND o.placed_at >= p.f AND o.placed_at < p.t) l
        GROUP BY 1, 2, 3`;
    refunds = `
       SELECT date_trunc('${trunc}', r.at AT TIME ZONE p.tz) AS b, l.dim, r.currency, sum(${share('r.amount_minor')})::bigint AS refunds
         FROM p, payment_transaction r
         JOIN (
           SELECT x.*, ${SHARE_WINDOW}
             FROM (${lineRows(breakdown)}) x
            WHERE x.order_id IN (SELECT r2.order_id FROM p, payment_transaction r2 JOIN sales_order o ON o.id = r2.order_id
                                  WHERE r2.kind = 'REFUND' AND o.status <> 'CANCELLED' AND r2.at >= p.f AND r2.at < p.t)) l ON l.order_id = r.order_id
        WHERE r.kind = 'REFUND' AND r.at >= p.f AND r.at < p.t
        GROUP BY 1, 2, 3`;
  } else {
    const dim = ORDER_DIM[breakdown]!;
    sales = `
       SELECT date_trunc('${trunc}', o.placed_at AT TIME ZONE p.tz) AS b, ${dim} AS dim, o.currency,
              sum(o.subtotal_amount)::bigint AS gmv, sum(o.discount_amount)::bigint AS discounts, count(*)::int AS orders,
              coalesce(sum(u.units), 0)::bigint AS units, count(fo.order_id)::int AS new_orders
         FROM p, sales_order o
         LEFT JOIN analytics_order_units u ON u.order_id = o.id
         LEFT JOIN analytics_first_order fo ON fo.order_id = o.id
        WHERE o.status <> 'CANCELLED' AND o.placed_at >= p.f AND o.placed_at < p.t
        GROUP BY 1, 2, 3`;
    refunds = `
       SELECT date_trunc('${trunc}', r.at AT TIME ZONE p.tz) AS b, ${dim} AS dim, r.currency, sum(r.amount_minor)::bigint AS refunds
         FROM p, payment_transaction r
         JOIN sales_order o ON o.id = r.order_id
        WHERE r.kind = 'REFUND' AND o.status <> 'CANCELLED' AND r.at >= p.f AND r.at < p.t
        GROUP BY 1, 2, 3`;
  }
  return {
    sql: `WITH p AS (SELECT ?::timestamptz AS f, ?::timestamptz AS t, ?::text AS tz),
     sales AS (${sales}),
     refunds AS (${refunds}),
     joined AS (
       SELECT coalesce(s.b, r.b) AS b, coalesce(s.dim, r.dim) AS dim, coalesce(s.currency, r.currency) AS currency,
              coalesce(s.gmv, 0) AS gmv, coalesce(s.discounts, 0) AS discounts, coalesce(r.refunds, 0) AS refunds,
              coalesce(s.orders, 0) AS orders, coalesce(s.units, 0) AS units, coalesce(s.new_orders, 0) AS new_orders
         FROM sales s FULL JOIN refunds r ON r.b = s.b AND r.dim IS NOT DISTINCT FROM s.dim AND r.currency = s.currency),
     labelled AS (SELECT j.*, ${DIM_LABEL[breakdown].sql} AS dim_label FROM joined j)
     SELECT j.b AT TIME ZONE p.tz AS bucket_start, to_char(j.b, '${LABEL_FORMAT[args.bucket]}') AS bucket_label,
            j.dim AS dim_key, j.dim_label, j.currency, j.gmv, j.discounts, j.refunds, j.orders, j.units, j.new_orders
       FROM p, labelled j
      ORDER BY j.b, j.dim_label NULLS FIRST, j.dim, j.currency`,
    params: [args.from, args.to, args.timeZone],
  };
}

export async function salesKpis(ctx: Context, args: SalesKpiArgs): Promise<SalesKpiSeries[]> {
  await checkKpiArgs(ctx, args);
  const breakdown = args.breakdown ?? SalesBreakdown.NONE;
  const q = salesKpisSql(args);
  const rows: SalesRow[] = await ctx.em.execute(q.sql, q.params);
  return rows.map((r) => {
    const gmv = Number(r.gmv);
    const discounts = Number(r.discounts);
    const refunds = Number(r.refunds);
    const values = Object.assign(new SalesKpiValues(), {
      gmv: Money.of(gmv, r.currency),
      discounts: Money.of(discounts, r.currency),
      refunds: Money.of(refunds, r.currency),
      netRevenue: Money.of(gmv - discounts - refunds, r.currency),
      orders: r.orders,
      units: Number(r.units),
      averageOrderValue: r.orders > 0 ? Money.of(Math.round((gmv - discounts) / r.orders), r.currency) : null,
      newCustomerOrders: r.new_orders,
      returningCustomerOrders: r.orders - r.new_orders,
    });
    return Object.assign(new SalesKpiSeries(), {
      bucketStart: new Date(r.bucket_start),
      bucketLabel: r.bucket_label,
      dimension:
        breakdown === SalesBreakdown.NONE ? null : Object.assign(new KpiDimension(), { key: r.dim_key, label: r.dim_label ?? DIM_LABEL[breakdown].none }),
      currency: r.currency.trim(),
      values,
    });
  });
}

const TRAFFIC_DIM: Record<TrafficBreakdown, string> = {
  NONE: 'NULL::text',
  SOURCE: 's.source',
  CAMPAIGN: 's.campaign',
};

const TRAFFIC_ROLLUP_DIM: Record<TrafficBreakdown, string> = {
  NONE: 'NULL::text',
  SOURCE: 'a.source',
  CAMPAIGN: 'CASE WHEN a.has_campaign THEN a.campaign END',
};

/**
 * The statement trafficKpis runs: from the 15-minute slot rollup of visits by start time (exact: marked and edge
 * slots are computed raw, see rollups.ts).
 */
export function trafficKpisSql(args: TrafficKpiArgs): KpiSql {
  const trunc = TRUNC[args.bucket];
  const breakdown = args.breakdown ?? TrafficBreakdown.NONE;
  return {
    sql: `WITH ${SLOT_PARAMS},
     raw_slots AS (${rawSlotsSql('analytics_traffic_dirty')}),
     parts AS (
       SELECT date_trunc('${trunc}', a.slot AT TIME ZONE p.tz) AS b, ${TRAFFIC_ROLLUP_DIM[breakdown]} AS dim,
              sum(a.sessions) AS sessions, sum(a.pv) AS pv, sum(a.atc) AS atc, sum(a.cs) AS cs, sum(a.pu) AS pu,
              sum(a.converted) AS converted, sum(a.orders) AS orders
         FROM p, analytics_traffic_slot a
        WHERE a.slot >= p.lo AND a.slot < p.ts AND a.slot NOT IN (SELECT slot FROM raw_slots)
        GROUP BY 1, 2
       UNION ALL
       SELECT date_trunc('${trunc}', s.started_at AT TIME ZONE p.tz), ${TRAFFIC_DIM[breakdown]},
              count(*), count(*) FILTER (WHERE fe.pv), count(*) FILTER (WHERE fe.atc), count(*) FILTER (WHERE fe.cs),
              count(*) FILTER (WHERE fe.pu), count(*) FILTER (WHERE coalesce(ao.n, 0) > 0), coalesce(sum(coalesce(ao.n, 0)), 0)
         FROM p, raw_slots rs
        CROSS JOIN LATERAL (SELECT s.* FROM traffic_session s WHERE analytics_slot(s.started_at) = rs.slot OFFSET 0) s
         ${TRAFFIC_VISIT_MEASURES}
        WHERE s.started_at >= p.f AND s.started_at < p.t
        GROUP BY 1, 2),
     g AS (
       SELECT b, dim, sum(sessions)::int AS sessions, sum(pv)::int AS pv, sum(atc)::int AS atc, sum(cs)::int AS cs, sum(pu)::int AS pu,
              sum(converted)::int AS converted, sum(orders)::int AS orders
         FROM parts GROUP BY 1, 2 HAVING sum(sessions) > 0)
     SELECT g.b AT TIME ZONE p.tz AS bucket_start, to_char(g.b, '${LABEL_FORMAT[args.bucket]}') AS bucket_label, g.*
       FROM p, g ORDER BY g.b, g.dim NULLS FIRST`,
    params: [args.from, args.to, args.timeZone],
  };
}

/** Visits started in each bucket, how far down the funnel they went and how many converted, in one statement from the raw tables. */
export function trafficKpisRawSql(args: TrafficKpiArgs): KpiSql {
  const trunc = TRUNC[args.bucket];
  return {
    sql: `WITH p AS (SELECT ?::timestamptz AS f, ?::timestamptz AS t, ?::text AS tz),
     v AS (
       SELECT date_trunc('${trunc}', s.started_at AT TIME ZONE p.tz) AS b, ${TRAFFIC_DIM[args.breakdown ?? TrafficBreakdown.NONE]} AS dim,
              coalesce(fe.pv, false) AS pv, coalesce(fe.atc, false) AS atc, coalesce(fe.cs, false) AS cs, coalesce(fe.pu, false) AS pu,
              coalesce(ao.n, 0) AS orders
         FROM p, traffic_session s
         LEFT JOIN LATERAL (
           SELECT bool_or(e.step = 'PRODUCT_VIEW') AS pv, bool_or(e.step = 'ADD_TO_CART') AS atc,
                  bool_or(e.step = 'CHECKOUT_START') AS cs, bool_or(e.step = 'PURCHASE') AS pu
             FROM funnel_event e WHERE e.session_id = s.id) fe ON true
         LEFT JOIN LATERAL (
           SELECT count(*) AS n FROM order_attribution a JOIN sales_order so ON so.id = a.order_id
            WHERE a.session_key = s.session_key AND so.status <> 'CANCELLED') ao ON true
        WHERE s.started_at >= p.f AND s.started_at < p.t),
     g AS (
       SELECT b, dim, count(*)::int AS sessions, count(*) FILTER (WHERE pv)::int AS pv, count(*) FILTER (WHERE atc)::int AS atc,
              count(*) FILTER (WHERE cs)::int AS cs, count(*) FILTER (WHERE pu)::int AS pu,
              count(*) FILTER (WHERE orders > 0)::int AS converted, sum(orders)::int AS orders
         FROM v GROUP BY 1, 2)
     SELECT g.b AT TIME ZONE p.tz AS bucket_start, to_char(g.b, '${LABEL_FORMAT[args.bucket]}') AS bucket_label, g.*
       FROM p, g ORDER BY g.b, g.dim NULLS FIRST`,
    params: [args.from, args.to, args.timeZone],
  };
}

export async function trafficKpis(ctx: Context, args: TrafficKpiArgs): Promise<TrafficKpiSeries[]> {
  await checkKpiArgs(ctx, args);
  const breakdown = args.breakdown ?? TrafficBreakdown.NONE;
  const q = trafficKpisSql(args);
  const rows: any[] = await ctx.em.execute(q.sql, q.params);
  return rows.map((r) =>
    Object.assign(new TrafficKpiSeries(), {
      bucketStart: new Date(r.bucket_start),
      bucketLabel: r.bucket_label,
      dimension: breakdown === TrafficBreakdown.NONE ? null : Object.assign(new KpiDimension(), { key: r.dim, label: r.dim ?? '(none)' }),
      values: Object.assign(new TrafficKpiValues(), {
        sessions: r.sessions,
        productViewSessions: r.pv,
        addToCartSessions: r.atc,
        checkoutStartSessions: r.cs,
        purchaseSessions: r.pu,
        convertedSessions: r.converted,
        attributedOrders: r.orders,
        conversionRate: r.sessions > 0 ? ratio(r.converted, r.sessions) : null,
      }),
    }),
  );
}

/**
 * Ad campaign performance per bucket in one statement: platform metrics by calendar day (a day falls in the bucket
 * of its local midnight), attributed orders by placement time, as the marketing module attributes them.
 */
export function campaignKpisSql(args: KpiPeriodArgs): KpiSql {
  const trunc = TRUNC[args.bucket];
  return {
    sql: `WITH p AS (SELECT ?::timestamptz AS f, ?::timestamptz AS t, ?::text AS tz),
     spend AS (
       SELECT date_trunc('${trunc}', m.day::timestamp) AS b, m.ad_campaign_id AS id,
              sum(m.spend_amount)::bigint AS spend, sum(m.impressions)::bigint AS impressions, sum(m.clicks)::bigint AS clicks
         FROM p, ad_daily_metric m
        WHERE m.day >= (p.f AT TIME ZONE p.tz - interval '1 day')::date AND m.day <= (p.t AT TIME ZONE p.tz)::date
          AND m.day::timestamp AT TIME ZONE p.tz >= p.f AND m.day::timestamp AT TIME ZONE p.tz < p.t
        GROUP BY 1, 2),
     rev AS (
       SELECT date_trunc('${trunc}', so.placed_at AT TIME ZONE p.tz) AS b, a.id, count(*)::int AS orders, sum(so.total_amount)::bigint AS revenue
         FROM p, ad_campaign a
         JOIN traffic_session s ON s.campaign = a.tracking_code
         JOIN order_attribution oa ON oa.session_key = s.session_key
         JOIN sales_order so ON so.id = oa.order_id
        WHERE so.status <> 'CANCELLED' AND so.currency = a.currency AND so.placed_at >= p.f AND so.placed_at < p.t
        GROUP BY 1, 2),
     j AS (
       SELECT coalesce(s.b, r.b) AS b, coalesce(s.id, r.id) AS id, coalesce(s.spend, 0) AS spend, coalesce(s.impressions, 0) AS impressions,
              coalesce(s.clicks, 0) AS clicks, coalesce(r.orders, 0) AS orders, coalesce(r.revenue, 0) AS revenue
         FROM spend s FULL JOIN rev r ON r.b = s.b AND r.id = s.id)
     SELECT j.b AT TIME ZONE p.tz AS bucket_start, to_char(j.b, '${LABEL_FORMAT[args.bucket]}') AS bucket_label,
            a.id::text AS id, a.name, a.currency, j.spend, j.impressions, j.clicks, j.orders, j.revenue
       FROM p, j JOIN ad_campaign a ON a.id = j.id
      ORDER BY j.b, a.name, a.id`,
    params: [args.from, args.to, args.timeZone],
  };
}

export async function campaignKpis(ctx: Context, args: KpiPeriodArgs): Promise<CampaignKpiSeries[]> {
  check(args.bucket !== KpiBucket.HOUR, 'bucket', 'must be DAY, WEEK or MONTH: ad platforms report per day');
  await checkKpiArgs(ctx, args);
  const q = campaignKpisSql(args);
  const rows: any[] = await ctx.em.execute(q.sql, q.params);
  return rows.map((r) => {
    const currency = r.currency.trim();
    const spend = Number(r.spend);
    const revenue = Number(r.revenue);
    return Object.assign(new CampaignKpiSeries(), {
      bucketStart: new Date(r.bucket_start),
      bucketLabel: r.bucket_label,
      dimension: Object.assign(new KpiDimension(), { key: r.id, label: r.name }),
      currency,
      values: Object.assign(new CampaignKpiValues(), {
        spend: Money.of(spend, currency),
        impressions: Number(r.impressions),
        clicks: Number(r.clicks),
        attributedOrders: r.orders,
        attributedRevenue: Money.of(revenue, currency),
        roas: spend > 0 ? ratio(revenue, spend) : null,
        cpa: r.orders > 0 ? Money.of(Math.round(spend / r.orders), currency) : null,
      }),
    });
  });
}

/** The group key of a SKU series: its product, its warehouse, or one group per currency. */
const INVENTORY_DIM: Record<InventoryBreakdown, string> = {
  NONE: 'NULL::text',
  WAREHOUSE: 'e.wk::text',
  PRODUCT: 'v.product_id::text',
};

/**
 * Inventory KPIs from the stock ledger, in one statement. The measures are those of an end-of-day balance for every
 * SKU (variant; variant × warehouse for the WAREHOUSE breakdown) and local day of the period from its first
 * movement on, summed per dimension and bucket — computed without building that grid:
 * - analytics_stock_balance holds each pair's ledger sum and first movement (trigger-kept), so the balance at the
 *   period start is that sum − Σ movements from then on: only movements from the period start are read;
 * - balances are linear, so on hand, value and units without cost are running sums per dimension and day
 *   (a SKU holds 0 before its first movement and adds nothing);
 * - stock-out days (a SKU that exists with on hand ≤ 0) and SKU existence change only on days the SKU moves, so
 *   they are running sums of per-SKU changes on those days on top of the state at the period start.
 * A bucket has a row for a dimension and currency once one of its SKUs exists in it.
 */
export function inventoryKpisSql(args: InventoryKpiArgs): KpiSql {
  const trunc = TRUNC[args.bucket];
  const breakdown = args.breakdown ?? InventoryBreakdown.NONE;
  // The SKU key besides the variant: the warehouse when broken down by it, else one small constant (joinable, unlike NULL).
  const wk = (alias: string) => (breakdown === InventoryBreakdown.WAREHOUSE ? `${alias}.warehouse_id` : '0');
  return {
    sql: `WITH p AS (SELECT ?::timestamptz AS f, ?::timestamptz AS t, ?::text AS tz),
     days AS (
       SELECT row_number() OVER (ORDER BY d)::int AS di, d AS day, date_trunc('${trunc}', d) AS b, d AT TIME ZONE p.tz AS day_start
         FROM p, generate_series(date_trunc('day', p.f AT TIME ZONE p.tz), p.t AT TIME ZONE p.tz, interval '1 day') d
        WHERE d AT TIME ZONE p.tz >= p.f AND d AT TIME ZONE p.tz < p.t),
     -- Day starts and the end of the last day: width_bucket numbers an instant by its local day (n + 1: after the period).
     th AS (
       SELECT array_append(array_agg(d.day_start ORDER BY d.di), (max(d.day) + interval '1 day') AT TIME ZONE p.tz) AS th,
              min(d.day_start) AS s, (max(d.day) + interval '1 day') AT TIME ZONE p.tz AS e, count(*)::int AS n
         FROM p, days d GROUP BY p.tz),
     bd AS (SELECT b, count(*)::int AS n, max(di) AS last_di FROM days GROUP BY b),
     ed AS (
       SELECT m.variant_id, ${wk('m')} AS wk, width_bucket(m.at, th.th) AS di, sum(m.quantity) AS q,
              -coalesce(sum(m.quantity) FILTER (WHERE m.kind = 'SHIPMENT'), 0) AS shipped
         FROM th, stock_movement m WHERE m.at >= ?::timestamptz AND m.at >= th.s
        GROUP BY 1, 2, 3),
     ent AS (
       SELECT b.variant_id, b.wk, b.on_hand - coalesce(x.q, 0) AS opening, b.before, b.exists_by_end
         FROM (SELECT lb.variant_id, ${wk('lb')} AS wk, sum(lb.on_hand) AS on_hand,
                      bool_or(lb.first_at < th.s) AS before, min(lb.first_at) < th.e AS exists_by_end
                 FROM th, analytics_stock_balance lb GROUP BY 1, 2, th.s, th.e) b
         LEFT JOIN (SELECT variant_id, wk, sum(q) AS q FROM ed GROUP BY 1, 2) x ON x.variant_id = b.variant_id AND x.wk = b.wk),
     ev AS (
       SELECT y.*, y.out - coalesce(lag(y.out) OVER (PARTITION BY y.variant_id, y.wk ORDER BY y.di), y.out0) AS out_delta
         FROM (SELECT x.variant_id, x.wk, x.di, x.q, x.shipped, e.before,
                      (e.opening + sum(x.q) OVER w <= 0)::int AS out, row_number() OVER w = 1 AS first,
                      (e.before AND e.opening <= 0)::int AS out0
                 FROM th, ed x JOIN ent e ON e.variant_id = x.variant_id AND e.wk = x.wk
                WHERE x.di <= th.n
               WINDOW w AS (PARTITION BY x.variant_id, x.wk ORDER BY x.di)) y),
     start_g AS (
       SELECT ${INVENTORY_DIM[breakdown]} AS dim, v.currency,
              sum(e.opening) AS q, coalesce(sum(e.opening * v.cost_amount), 0) AS val, coalesce(sum(e.opening) FILTER (WHERE v.cost_amount IS NULL), 0) AS nc,
              count(*) FILTER (WHERE e.before AND e.opening <= 0) AS outs, count(*) FILTER (WHERE e.before) AS skus
         FROM ent e JOIN product_variant v ON v.id = e.variant_id
        WHERE e.exists_by_end
        GROUP BY 1, 2),
     day_g AS (
       SELECT ${INVENTORY_DIM[breakdown].replace('e.wk', 'x.wk')} AS dim, v.currency, x.di,
              sum(x.q) AS q, coalesce(sum(x.q * v.cost_amount), 0) AS val, coalesce(sum(x.q) FILTER (WHERE v.cost_amount IS NULL), 0) AS nc,
              sum(x.shipped) AS shipped, coalesce(sum(x.shipped * v.cost_amount), 0) AS cogs,
              sum(x.out_delta) AS outs_delta, count(*) FILTER (WHERE x.first AND NOT x.before) AS skus_delta
         FROM ev x JOIN product_variant v ON v.id = x.variant_id
        GROUP BY 1, 2, 3),
     series AS (
       SELECT g.dim, g.currency, d.di, d.b,
              g.q + sum(coalesce(x.q, 0)) OVER w AS on_hand,
              g.val + sum(coalesce(x.val, 0)) OVER w AS value,
              g.nc + sum(coalesce(x.nc, 0)) OVER w AS no_cost,
              coalesce(x.shipped, 0) AS shipped, coalesce(x.cogs, 0) AS cogs,
              g.outs + sum(coalesce(x.outs_delta, 0)) OVER w AS outs,
              g.skus + sum(coalesce(x.skus_delta, 0)) OVER w AS skus
         FROM start_g g CROSS JOIN days d
         LEFT JOIN day_g x ON coalesce(x.dim, '') = coalesce(g.dim, '') AND x.currency = g.currency AND x.di = d.di
       WINDOW w AS (PARTITION BY g.dim, g.currency ORDER BY d.di)),
     agg AS (
       SELECT s.b, s.dim, s.currency, bd.n,
              sum(s.on_hand) FILTER (WHERE s.di = bd.last_di)::bigint AS on_hand,
              sum(s.value) FILTER (WHERE s.di = bd.last_di)::bigint AS value,
              sum(s.no_cost) FILTER (WHERE s.di = bd.last_di)::bigint AS no_cost,
              sum(s.shipped)::bigint AS shipped,
              sum(s.cogs)::bigint AS cogs,
              round(sum(s.on_hand)::numeric / bd.n, 2) AS avg_on_hand,
              sum(s.outs)::int AS stockout_days
         FROM series s JOIN bd ON bd.b = s.b
        GROUP BY s.b, s.dim, s.currency, bd.n
       HAVING sum(s.skus) FILTER (WHERE s.di = bd.last_di) > 0)
     SELECT a.b AT TIME ZONE p.tz AS bucket_start, to_char(a.b, '${LABEL_FORMAT[args.bucket]}') AS bucket_label, a.*,
            ${breakdown === InventoryBreakdown.WAREHOUSE ? '(SELECT w.name FROM warehouse w WHERE w.id = a.dim::uuid)' : breakdown === InventoryBreakdown.PRODUCT ? '(SELECT pr.name FROM product pr WHERE pr.id = a.dim::uuid)' : 'NULL::text'} AS label
       FROM p, agg a
      ORDER BY a.b, label, a.dim, a.currency`,
    // \`from\` again: a bound the planner sees, for the range scan of the ledger (the period starts at or after it).
    params: [args.from, args.to, args.timeZone, args.from],
  };
}

export async function inventoryKpis(ctx: Context, args: InventoryKpiArgs): Promise<InventoryKpiSeries[]> {
  check(args.bucket !== KpiBucket.HOUR, 'bucket', 'must be DAY, WEEK or MONTH: stock is measured at the end of each day');
  await checkKpiArgs(ctx, args);
  const breakdown = args.breakdown ?? InventoryBreakdown.NONE;
  const q = inventoryKpisSql(args);
  const rows: any[] = await ctx.em.execute(q.sql, q.params);
  return rows.map((r) => {
    const currency = r.currency.trim();
    const onHand = Number(r.on_hand);
    const shipped = Number(r.shipped);
    const avg = Number(r.avg_on_hand);
    return Object.assign(new InventoryKpiSeries(), {
      bucketStart: new Date(r.bucket_start),
      bucketLabel: r.bucket_label,
      dimension: breakdown === InventoryBreakdown.NONE ? null : Object.assign(new KpiDimension(), { key: r.dim, label: r.label ?? r.dim }),
      currency,
      days: r.n,
      values: Object.assign(new InventoryKpiValues(), {
        unitsOnHand: onHand,
        valueOnHand: Money.of(Number(r.value), currency),
        unitsWithoutCost: Number(r.no_cost),
        unitsShipped: shipped,
        costOfGoodsShipped: Money.of(Number(r.cogs), currency),
        averageUnitsOnHand: avg,
        turnover: avg > 0 ? ratio(shipped, avg) : null,
        daysOfCover: shipped > 0 ? Number((onHand / (shipped / r.n)).toFixed(1)) : null,
        stockOutDays: r.stockout_days,
      }),
    });
  });
}

/** RFM distribution: how many customers with an order have each (R, F, M) score, from the crm module's scoring SQL (`rfm`: one row per customer with an order), aggregated in the database. */
export function rfmDistributionSql(currency: string, now: Date): KpiSql {
  return {
    sql: `${RFM_STATS_SQL}
     SELECT r, f, m, count(*)::int AS customers FROM rfm GROUP BY r, f, m ORDER BY r, f, m`,
    params: [currency, now],
  };
}

export async function rfmDistribution(ctx: Context, currency: string): Promise<RfmCell[]> {
  check(/^[A-Z]{3}$/.test(currency), 'currency', 'must be an ISO 4217 code such as USD');
  const q = rfmDistributionSql(currency, ctx.now());
  const rows: { r: number; f: number; m: number; customers: number }[] = await ctx.em.execute(q.sql, q.params);
  return rows.map((x) => Object.assign(new RfmCell(), { recencyScore: x.r, frequencyScore: x.f, monetaryScore: x.m, customers: x.customers }));
}

const SUPPORT_DIM: Record<SupportBreakdown, string> = {
  NONE: 'NULL::text',
  PRIORITY: 't.priority::text',
  CATEGORY: 't.category::text',
  CHANNEL: 't.channel::text',
};

const ratio = (a: number, b: number) => Number((a / b).toFixed(4));
const num = (v: string | number | null) => (v == null ? null : Number(v));

/** Support KPIs of the tickets opened in each bucket, in one statement; breach flags come from the SLA detector. */
export function supportKpisSql(args: SupportKpiArgs): KpiSql {
  const trunc = TRUNC[args.bucket];
  return {
    sql: `WITH p AS (SELECT ?::timestamptz AS f, ?::timestamptz AS t, ?::text AS tz),
     g AS (
       SELECT date_trunc('${trunc}', t.created_at AT TIME ZONE p.tz) AS b, ${SUPPORT_DIM[args.breakdown]} AS dim,
              count(*)::int AS opened,
              count(t.first_responded_at)::int AS responded,
              round(avg(extract(epoch FROM t.first_responded_at - t.created_at)) / 60, 1) AS avg_first,
              count(t.resolved_at)::int AS resolved,
              round(avg(extract(epoch FROM t.resolved_at - t.created_at)) / 60, 1) AS avg_resolution,
              count(*) FILTER (WHERE t.first_response_breached_at IS NULL AND t.resolution_breached_at IS NULL)::int AS within_sla,
              count(t.satisfaction_rating)::int AS rated,
              round(avg(t.satisfaction_rating), 2) AS avg_satisfaction
         FROM p, support_ticket t
        WHERE t.created_at >= p.f AND t.created_at < p.t
        GROUP BY 1, 2)
     SELECT g.b AT TIME ZONE p.tz AS bucket_start, to_char(g.b, '${LABEL_FORMAT[args.bucket]}') AS bucket_label, g.*
       FROM p, g ORDER BY g.b, g.dim`,
    params: [args.from, args.to, args.timeZone],
  };
}

export async function supportKpis(ctx: Context, args: SupportKpiArgs): Promise<SupportKpiSeries[]> {
  await checkKpiArgs(ctx, args);
  const q = supportKpisSql(args);
  const rows: any[] = await ctx.em.execute(q.sql, q.params);
  return rows.map((r) =>
    Object.assign(new SupportKpiSeries(), {
      bucketStart: new Date(r.bucket_start),
      bucketLabel: r.bucket_label,
      dimension: args.breakdown === SupportBreakdown.NONE ? null : Object.assign(new KpiDimension(), { key: r.dim, label: r.dim }),
      values: Object.assign(new SupportKpiValues(), {
        opened: r.opened,
        responded: r.responded,
        averageFirstResponseMinutes: num(r.avg_first),
        resolved: r.resolved,
        averageResolutionMinutes: num(r.avg_resolution),
        withinSla: r.within_sla,
        slaCompliance: r.opened > 0 ? ratio(r.within_sla, r.opened) : null,
        rated: r.rated,
        averageSatisfaction: num(r.avg_satisfaction),
      }),
    }),
  );
}

/**
 * Cohort retention in one statement: each customer's first non-cancelled order fixes their cohort month; a grid of
 * (cohort, month offset) up to the period's last month is left-joined with their monthly activity. One ordered pass
 * over the partial (customer_id, placed_at) index of non-cancelled orders placed before \`to\` (index only, no join,
 * no sort) gives per customer the first order and one bit per active month. Months are numbered by the local month
 * starts of the period (width_bucket), so no order is converted to local time; at most 25 months fit the 2-year
 * limit, well within a bigint. Customers are then counted per (cohort, bit pattern) before the patterns are unfolded.
 */
export function customerCohortsSql(args: CohortArgs): KpiSql {
  return {
    sql: `WITH p AS (SELECT ?::timestamptz AS f, ?::timestamptz AS t, ?::text AS tz),
     months AS (
       SELECT array_agg(lm AT TIME ZONE p.tz ORDER BY lm) AS starts, array_agg(lm ORDER BY lm) AS local, count(*)::int AS n
         FROM p, generate_series(date_trunc('month', p.f AT TIME ZONE p.tz), date_trunc('month', (p.t - interval '1 microsecond') AT TIME ZONE p.tz), interval '1 month') lm),
     per_customer AS (
       SELECT o.customer_id, min(o.placed_at) AS first_at,
              bit_or(1::bigint << (width_bucket(o.placed_at, mo.starts) - 1)) FILTER (WHERE o.placed_at >= p.f) AS bits
         FROM p, months mo, sales_order o
        WHERE o.status <> 'CANCELLED' AND o.placed_at < ?::timestamptz
        GROUP BY o.customer_id),
     cohort AS (SELECT width_bucket(c.first_at, mo.starts) AS ci, c.bits FROM p, months mo, per_customer c WHERE c.first_at >= p.f),
     sizes AS (SELECT ci, count(*)::int AS n FROM cohort GROUP BY ci),
     grid AS (SELECT s.ci, s.n, k FROM sizes s, months mo, generate_series(0, mo.n - s.ci) AS k),
     patterns AS (SELECT ci, bits, count(*) AS n FROM cohort GROUP BY 1, 2),
     activity AS (
       SELECT b.ci, m, sum(b.n) AS active
         FROM patterns b, months mo, generate_series(b.ci, mo.n) AS m
        WHERE (b.bits >> (m - 1)) & 1 = 1
        GROUP BY 1, 2)
     SELECT to_char(mo.local[g.ci], 'YYYY-MM') AS cohort, mo.starts[g.ci] AS cohort_start, g.n AS size, g.k,
            to_char(mo.local[g.ci + g.k], 'YYYY-MM') AS month, coalesce(a.active, 0)::int AS active
       FROM months mo, grid g
       LEFT JOIN activity a ON a.ci = g.ci AND a.m = g.ci + g.k
      ORDER BY g.ci, g.k`,
    // \`to\` again: a bound the planner sees for the index range.
    params: [args.from, args.to, args.timeZone, args.to],
  };
}

export async function customerCohorts(ctx: Context, args: CohortArgs): Promise<CustomerCohort[]> {
  checkPeriod(args.from, args.to, MAX_PERIOD_MS, '2 years');
  await checkTimeZone(ctx, args.timeZone);
  const q = customerCohortsSql(args);
  const rows: { cohort: string; cohort_start: Date | string; size: number; k: number; month: string; active: number }[] = await ctx.em.execute(q.sql, q.params);
  const out: CustomerCohort[] = [];
  for (const r of rows) {
    let c = out[out.length - 1];
    if (!c || c.cohortMonth !== r.cohort) {
      c = Object.assign(new CustomerCohort(), { cohortMonth: r.cohort, cohortStart: new Date(r.cohort_start), customers: r.size, retention: [] });
      out.push(c);
    }
    c.retention.push(Object.assign(new CohortRetention(), { monthOffset: r.k, month: r.month, activeCustomers: r.active, rate: ratio(r.active, r.size) }));
  }
  return out;
}

/** The supplier of variant `v`: its preferred offer's, else its cheapest offer's (then lowest supplier id). */
const VARIANT_SUPPLIER = `(SELECT so.supplier_id FROM supplier_offer so WHERE so.variant_id = sl.variant_id
                            ORDER BY so.preferred DESC, so.unit_cost_amount, so.supplier_id LIMIT 1)`;

/**
 * The statement returnKpis runs: REASON from the 15-minute slot rollup (exact: marked and edge slots are computed raw,
 * see rollups.ts); PRODUCT and SUPPLIER (a variant's supplier follows current offers) by the raw statement.
 */
export function returnKpisSql(args: ReturnKpiArgs): KpiSql {
  if (args.breakdown !== ReturnsBreakdown.REASON) return returnKpisRawSql(args);
  const trunc = TRUNC[args.bucket];
  // Raw rows of one marked or edge slot, clipped to the period: sold units (reason '') and returned units per reason.
  const rawFrom = `FROM p, raw_slots rs
        CROSS JOIN LATERAL (SELECT o.* FROM sales_order o WHERE analytics_slot(o.placed_at) = rs.slot OFFSET 0) o
         JOIN order_line ol ON ol.order_id = o.id JOIN product_variant v ON v.id = ol.variant_id`;
  const rawWhere = `WHERE o.status <> 'CANCELLED' AND o.placed_at >= p.f AND o.placed_at < p.t`;
  return {
    sql: `WITH ${SLOT_PARAMS},
     raw_slots AS (${rawSlotsSql('analytics_returns_dirty')}),
     parts AS (
       SELECT date_trunc('${trunc}', a.slot AT TIME ZONE p.tz) AS b, a.reason, sum(a.sold_units) AS sold, sum(a.sold_lines) AS sold_lines,
              sum(a.returned_units) AS returned, sum(a.return_lines) AS return_lines
         FROM p, analytics_returns_slot a
        WHERE a.slot >= p.lo AND a.slot < p.ts AND a.slot NOT IN (SELECT slot FROM raw_slots)
        GROUP BY 1, 2
       UNION ALL
       SELECT date_trunc('${trunc}', o.placed_at AT TIME ZONE p.tz), '', sum(ol.quantity), count(*), 0, 0
         ${rawFrom} ${rawWhere}
        GROUP BY 1
       UNION ALL
       SELECT date_trunc('${trunc}', o.placed_at AT TIME ZONE p.tz), rl.reason_code::text, 0, 0, sum(rl.quantity), count(*)
         ${rawFrom}
         JOIN return_line rl ON rl.order_line_id = ol.id
         JOIN return_request rr ON rr.id = rl.return_request_id AND rr.status NOT IN ('REJECTED', 'CANCELLED')
         ${rawWhere}
        GROUP BY 1, 2),
     sold AS (SELECT b, sum(sold)::bigint AS units FROM parts WHERE reason = '' GROUP BY b HAVING sum(sold_lines) > 0),
     returned AS (SELECT b, reason AS dim, sum(returned)::bigint AS units FROM parts WHERE reason <> '' GROUP BY 1, 2 HAVING sum(return_lines) > 0),
     joined AS (SELECT r.b, r.dim, s.units AS sold, r.units AS returned FROM returned r JOIN sold s ON s.b = r.b)
     SELECT j.b AT TIME ZONE p.tz AS bucket_start, to_char(j.b, '${LABEL_FORMAT[args.bucket]}') AS bucket_label,
            j.dim, j.dim AS label, j.sold, j.returned
       FROM p, joined j
      ORDER BY j.b, label NULLS FIRST, j.dim`,
    params: [args.from, args.to, args.timeZone],
  };
}

/** Return rates in one statement from the raw tables: units sold per bucket of placement, and the part of them asked back. */
export function returnKpisRawSql(args: ReturnKpiArgs): KpiSql {
  const byReason = args.breakdown === ReturnsBreakdown.REASON;
  const trunc = TRUNC[args.bucket];
  const dim = args.breakdown === ReturnsBreakdown.PRODUCT ? 'sl.product_id::text' : args.breakdown === ReturnsBreakdown.SUPPLIER ? `${VARIANT_SUPPLIER}::text` : 'NULL::text';
  const label =
    args.breakdown === ReturnsBreakdown.PRODUCT ? '(SELECT pr.name FROM product pr WHERE pr.id = j.dim::uuid)' : args.breakdown === ReturnsBreakdown.SUPPLIER ? '(SELECT su.name FROM supplier su WHERE su.id = j.dim::uuid)' : 'j.dim';
  return {
    sql: `WITH p AS (SELECT ?::timestamptz AS f, ?::timestamptz AS t, ?::text AS tz),
     sold_lines AS (
       SELECT date_trunc('${trunc}', o.placed_at AT TIME ZONE p.tz) AS b, ol.id AS line_id, ol.quantity, v.product_id, ol.variant_id
         FROM p, sales_order o JOIN order_line ol ON ol.order_id = o.id JOIN product_variant v ON v.id = ol.variant_id
        WHERE o.status <> 'CANCELLED' AND o.placed_at >= p.f AND o.placed_at < p.t),
     dl AS (SELECT sl.*, ${dim} AS dim FROM sold_lines sl),
     sold AS (SELECT b, dim, sum(quantity)::bigint AS units FROM dl GROUP BY 1, 2),
     returned AS (
       SELECT s.b, ${byReason ? 'rl.reason_code::text' : 's.dim'} AS dim, sum(rl.quantity)::bigint AS units
         FROM dl s
         JOIN return_line rl ON rl.order_line_id = s.line_id
         JOIN return_request rr ON rr.id = rl.return_request_id AND rr.status NOT IN ('REJECTED', 'CANCELLED')
        GROUP BY 1, 2),
     joined AS (
       ${
         byReason
           ? 'SELECT r.b, r.dim, s.units AS sold, r.units AS returned FROM returned r JOIN sold s ON s.b = r.b'
           : 'SELECT s.b, s.dim, s.units AS sold, coalesce(r.units, 0) AS returned FROM sold s LEFT JOIN returned r ON r.b = s.b AND r.dim IS NOT DISTINCT FROM s.dim'
       })
     SELECT j.b AT TIME ZONE p.tz AS bucket_start, to_char(j.b, '${LABEL_FORMAT[args.bucket]}') AS bucket_label,
            j.dim, ${label} AS label, j.sold, j.returned
       FROM p, joined j
      ORDER BY j.b, label NULLS FIRST, j.dim`,
    params: [args.from, args.to, args.timeZone],
  };
}

export async function returnKpis(ctx: Context, args: ReturnKpiArgs): Promise<ReturnKpiSeries[]> {
  await checkKpiArgs(ctx, args);
  const q = returnKpisSql(args);
  const rows: any[] = await ctx.em.execute(q.sql, q.params);
  return rows.map((r) => {
    const sold = Number(r.sold);
    const returned = Number(r.returned);
    return Object.assign(new ReturnKpiSeries(), {
      bucketStart: new Date(r.bucket_start),
      bucketLabel: r.bucket_label,
      dimension: Object.assign(new KpiDimension(), { key: r.dim, label: r.label ?? '(no supplier offer)' }),
      values: Object.assign(new ReturnKpiValues(), { unitsSold: sold, unitsReturned: returned, returnRate: sold > 0 ? ratio(returned, sold) : null }),
    });
  });
}

/** Average rating and star distribution of published reviews per bucket, in one statement. */
export function reviewKpisSql(args: ReviewKpiArgs): KpiSql {
  const byProduct = args.breakdown === ReviewsBreakdown.PRODUCT;
  const trunc = TRUNC[args.bucket];
  return {
    sql: `WITH p AS (SELECT ?::timestamptz AS f, ?::timestamptz AS t, ?::text AS tz),
     g AS (
       SELECT date_trunc('${trunc}', r.created_at AT TIME ZONE p.tz) AS b, ${byProduct ? 'r.product_id' : 'NULL::uuid'} AS dim,
              count(*)::int AS reviews, round(avg(r.rating), 2) AS average,
              count(*) FILTER (WHERE r.rating = 1)::int AS s1, count(*) FILTER (WHERE r.rating = 2)::int AS s2,
              count(*) FILTER (WHERE r.rating = 3)::int AS s3, count(*) FILTER (WHERE r.rating = 4)::int AS s4,
              count(*) FILTER (WHERE r.rating = 5)::int AS s5
         FROM p, review r
        WHERE r.status = 'PUBLISHED' AND r.created_at >= p.f AND r.created_at < p.t
        GROUP BY 1, 2)
     SELECT g.b AT TIME ZONE p.tz AS bucket_start, to_char(g.b, '${LABEL_FORMAT[args.bucket]}') AS bucket_label,
            g.dim::text AS dim, pr.name AS label, g.reviews, g.average, g.s1, g.s2, g.s3, g.s4, g.s5
       FROM p, g LEFT JOIN product pr ON pr.id = g.dim
      ORDER BY g.b, pr.name, g.dim`,
    params: [args.from, args.to, args.timeZone],
  };
}

export async function reviewKpis(ctx: Context, args: ReviewKpiArgs): Promise<ReviewKpiSeries[]> {
  await checkKpiArgs(ctx, args);
  const byProduct = args.breakdown === ReviewsBreakdown.PRODUCT;
  const q = reviewKpisSql(args);
  const rows: any[] = await ctx.em.execute(q.sql, q.params);
  return rows.map((r) =>
    Object.assign(new ReviewKpiSeries(), {
      bucketStart: new Date(r.bucket_start),
      bucketLabel: r.bucket_label,
      dimension: byProduct ? Object.assign(new KpiDimension(), { key: r.dim, label: r.label }) : null,
      values: Object.assign(new ReviewKpiValues(), {
        reviews: r.reviews,
        averageRating: Number(r.average),
        distribution: [1, 2, 3, 4, 5].map((rating) => Object.assign(new RatingCount(), { rating, count: r[`s${rating}`] })),
      }),
    }),
  );
}

/** Supplier scorecards over time, in one statement: every receipt is judged against its purchase order. */
export function supplierKpisSql(args: KpiPeriodArgs): KpiSql {
  const trunc = TRUNC[args.bucket];
  return {
    sql: `WITH p AS (SELECT ?::timestamptz AS f, ?::timestamptz AS t, ?::text AS tz),
     r AS (
       SELECT date_trunc('${trunc}', r.received_at AT TIME ZONE p.tz) AS b, po.supplier_id,
              r.received_at <= po.expected_at AS on_time,
              extract(epoch FROM r.received_at - po.submitted_at) / 86400.0 AS lead_days,
              (SELECT coalesce(sum(rl.accepted_quantity), 0) FROM purchase_order_receipt_line rl WHERE rl.receipt_id = r.id) AS accepted,
              (SELECT coalesce(sum(rl.rejected_quantity), 0) FROM purchase_order_receipt_line rl WHERE rl.receipt_id = r.id) AS rejected
         FROM p, purchase_order_receipt r JOIN purchase_order po ON po.id = r.purchase_order_id
        WHERE r.received_at >= p.f AND r.received_at < p.t),
     g AS (
       SELECT b, supplier_id, count(*)::int AS receipts, count(*) FILTER (WHERE on_time)::int AS on_time,
              sum(accepted)::bigint AS accepted, sum(rejected)::bigint AS rejected, round(avg(lead_days)::numeric, 1) AS lead_days
         FROM r GROUP BY 1, 2)
     SELECT g.b AT TIME ZONE p.tz AS bucket_start, to_char(g.b, '${LABEL_FORMAT[args.bucket]}') AS bucket_label,
            g.supplier_id::text AS supplier_id, s.name, g.receipts, g.on_time, g.accepted, g.rejected, g.lead_days
       FROM p, g JOIN supplier s ON s.id = g.supplier_id
      ORDER BY g.b, s.name, g.supplier_id`,
    params: [args.from, args.to, args.timeZone],
  };
}

export async function supplierKpis(ctx: Context, args: KpiPeriodArgs): Promise<SupplierKpiSeries[]> {
  await checkKpiArgs(ctx, args);
  const q = supplierKpisSql(args);
  const rows: any[] = await ctx.em.execute(q.sql, q.params);
  return rows.map((r) => {
    const accepted = Number(r.accepted);
    const rejected = Number(r.rejected);
    return Object.assign(new SupplierKpiSeries(), {
      bucketStart: new Date(r.bucket_start),
      bucketLabel: r.bucket_label,
      dimension: Object.assign(new KpiDimension(), { key: r.supplier_id, label: r.name }),
      values: Object.assign(new SupplierKpiValues(), {
        receipts: r.receipts,
        onTimeReceipts: r.on_time,
        onTimeRate: ratio(r.on_time, r.receipts),
        unitsAccepted: accepted,
        unitsRejected: rejected,
        rejectionRate: accepted + rejected > 0 ? ratio(rejected, accepted + rejected) : null,
        averageLeadDays: num(r.lead_days),
      }),
    });
  });
}

const metric = (name: string, value: number, currency: string | null = null) => Object.assign(new FindingMetric(), { name, value, currency });

function finding(kind: FindingKind, severity: FindingSeverity, entity: { type: string; id: string; label: string }, metrics: FindingMetric[], recommendation: string) {
  return Object.assign(new OptimisationFinding(), { kind, severity, entity: Object.assign(new FindingEntity(), entity), metrics, recommendation });
}

/** Ad campaigns that spent money in the period and brought back less than `minRoas` times it in attributed sales. */
async function lowRoasCampaigns(ctx: Context, args: OptimisationFindingsArgs): Promise<OptimisationFinding[]> {
  const rows: { id: string; name: string; currency: string; spend: string; revenue: string }[] = await ctx.em.execute(
    `SELECT a.id, a.name, a.currency, m.spend::bigint AS spend, coalesce(o.revenue, 0)::bigint AS revenue
       FROM ad_campaign a
       JOIN LATERAL (
         SELECT sum(spend_amount) AS spend FROM ad_daily_metric
          WHERE ad_campaign_id = a.id AND day >= (?::timestamptz AT TIME ZONE 'UTC')::date AND day < (?::timestamptz AT TIME ZONE 'UTC')::date) m ON m.spend > 0
       LEFT JOIN LATERAL (
         SELECT sum(so.total_amount) AS revenue FROM sales_order so
          WHERE so.status <> 'CANCELLED' AND so.currency = a.currency AND so.placed_at >= ? AND so.placed_at < ?
            AND EXISTS (SELECT 1 FROM order_attribution oa JOIN traffic_session s ON s.session_key = oa.session_key
                         WHERE oa.order_id = so.id AND s.campaign = a.tracking_code)) o ON true
      WHERE coalesce(o.revenue, 0) < m.spend * ?::numeric
      ORDER BY coalesce(o.revenue, 0)::numeric / m.spend, a.id`,
    [args.from, args.to, args.from, args.to, args.minRoas],
  );
  return rows.map((r) => {
    const spend = Number(r.spend);
    const revenue = Number(r.revenue);
    const roas = ratio(revenue, spend);
    return finding(
      FindingKind.CAMPAIGN_ROAS_BELOW_ONE,
      roas < 0.5 ? FindingSeverity.HIGH : FindingSeverity.MEDIUM,
      { type: 'AdCampaign', id: r.id, label: r.name },
      [metric('spend', spend, r.currency.trim()), metric('attributedRevenue', revenue, r.currency.trim()), metric('roas', roas)],
      `Ad campaign "${r.name}" returned ${roas} per unit spent; cut its budget or fix its targeting.`,
    );
  });
}

/** Products whose returned share of units sold in the period exceeds `maxReturnRate` (returns still open or done, not rejected or cancelled). */
async function highReturnRateProducts(ctx: Context, args: OptimisationFindingsArgs): Promise<OptimisationFinding[]> {
  const rows: { id: string; name: string; sold: string; returned: string }[] = await ctx.em.execute(
    `WITH sold AS (
       SELECT v.product_id, ol.id AS line_id, ol.quantity
         FROM sales_order o JOIN order_line ol ON ol.order_id = o.id JOIN product_variant v ON v.id = ol.variant_id
        WHERE o.status <> 'CANCELLED' AND o.placed_at >= ? AND o.placed_at < ?),
     per_product AS (
       SELECT s.product_id, sum(s.quantity)::bigint AS sold,
              coalesce(sum((SELECT sum(rl.quantity) FROM return_line rl JOIN return_request rr ON rr.id = rl.return_request_id
                             WHERE rl.order_line_id = s.line_id AND rr.status NOT IN ('REJECTED', 'CANCELLED'))), 0)::bigint AS returned
         FROM sold s GROUP BY s.product_id)
     SELECT p.id, p.name, pp.sold, pp.returned
       FROM per_product pp JOIN product p ON p.id = pp.product_id
      WHERE pp.sold >= ? AND pp.returned::numeric / pp.sold > ?::numeric
      ORDER BY pp.returned::numeric / pp.sold DESC, p.id`,
    [args.from, args.to, args.minUnitsSold, args.maxReturnRate],
  );
  return rows.map((r) => {
    const sold = Number(r.sold);
    const returned = Number(r.returned);
    const rate = ratio(returned, sold);
    return finding(
      FindingKind.PRODUCT_HIGH_RETURN_RATE,
      rate >= 2 * args.maxReturnRate ? FindingSeverity.HIGH : FindingSeverity.MEDIUM,
      { type: 'Product', id: r.id, label: r.name },
      [metric('unitsSold', sold), metric('unitsReturned', returned), metric('returnRate', rate)],
      `${returned} of ${sold} units of "${r.name}" came back; check the return reasons and fix the listing, sizing or quality.`,
    );
  });
}

/** Tickets still open whose first-response or resolution target was missed in the period. */
async function breachedTickets(ctx: Context, args: OptimisationFindingsArgs): Promise<OptimisationFinding[]> {
  const rows: { id: string; number: number; subject: string; priority: string; first_breach: Date | null; resolution_breach: Date | null; overdue_hours: string }[] =
    await ctx.em.execute(
      `SELECT t.id, t.number, t.subject, t.priority, t.first_response_breached_at AS first_breach, t.resolution_breached_at AS resolution_breach,
              round(extract(epoch FROM (?::timestamptz - least(
                CASE WHEN t.first_response_breached_at IS NOT NULL THEN t.first_response_due_at END,
                CASE WHEN t.resolution_breached_at IS NOT NULL THEN t.resolution_due_at END))) / 3600, 1) AS overdue_hours
         FROM support_ticket t
        WHERE t.status NOT IN ('RESOLVED', 'CLOSED')
          AND ((t.first_response_breached_at >= ? AND t.first_response_breached_at < ?)
            OR (t.resolution_breached_at >= ? AND t.resolution_breached_at < ?))
        ORDER BY overdue_hours DESC, t.id`,
      [ctx.now(), args.from, args.to, args.from, args.to],
    );
  return rows.map((r) => {
    const which = [r.first_breach ? 'first response' : null, r.resolution_breach ? 'resolution' : null].filter(Boolean).join(' and ');
    return finding(
      FindingKind.TICKET_SLA_BREACHED,
      r.priority === 'URGENT' || r.priority === 'HIGH' ? FindingSeverity.HIGH : FindingSeverity.MEDIUM,
      { type: 'Ticket', id: r.id, label: `T-${r.number} ${r.subject}` },
      [metric('hoursOverdue', Number(r.overdue_hours)), metric('firstResponseBreached', r.first_breach ? 1 : 0), metric('resolutionBreached', r.resolution_breach ? 1 : 0)],
      `Ticket T-${r.number} missed its ${which} target; assign it and answer the customer now.`,
    );
  });
}

interface CoverRow {
  id: string;
  sku: string;
  available: number;
  daily: string;
  lead_time_days: number | null;
}

/**
 * Stock cover per SKU: available units (on hand − reserved, all warehouses) against the average daily units
 * sold over the period, and the lead time of its preferred (else fastest) supplier offer.
 */
function coverQuery(where: string): string {
  return `WITH demand AS (
       SELECT ol.variant_id, sum(ol.quantity)::numeric / ?::numeric AS daily
         FROM sales_order o JOIN order_line ol ON ol.order_id = o.id
        WHERE o.status <> 'CANCELLED' AND o.placed_at >= ? AND o.placed_at < ?
        GROUP BY 1),
     stock AS (SELECT variant_id, sum(on_hand - reserved)::int AS available FROM stock_level GROUP BY 1),
     lead AS (SELECT DISTINCT ON (variant_id) variant_id, lead_time_days FROM supplier_offer ORDER BY variant_id, preferred DESC, lead_time_days),
     cover AS (
       SELECT coalesce(d.variant_id, s.variant_id) AS variant_id, coalesce(s.available, 0) AS available, coalesce(d.daily, 0) AS daily, l.lead_time_days
         FROM demand d FULL JOIN stock s ON s.variant_id = d.variant_id
         LEFT JOIN lead l ON l.variant_id = coalesce(d.variant_id, s.variant_id))
     SELECT v.id, v.sku, c.available, round(c.daily, 4) AS daily, c.lead_time_days
       FROM cover c JOIN product_variant v ON v.id = c.variant_id
      WHERE ${where}
      ORDER BY v.sku, v.id`;
}

const periodDays = (args: OptimisationFindingsArgs) => (args.to.getTime() - args.from.getTime()) / DAY_MS;

/** SKUs selling fast enough to run out before a replenishment ordered today could arrive. */
async function stockoutsWithinLeadTime(ctx: Context, args: OptimisationFindingsArgs): Promise<OptimisationFinding[]> {
  const rows: CoverRow[] = await ctx.em.execute(coverQuery('c.daily > 0 AND c.lead_time_days IS NOT NULL AND c.available < c.daily * c.lead_time_days'), [
    periodDays(args),
    args.from,
    args.to,
  ]);
  return rows.map((r) => {
    const daily = Number(r.daily);
    const cover = Number((Math.max(r.available, 0) / daily).toFixed(1));
    return finding(
      FindingKind.SKU_STOCKOUT_WITHIN_LEAD_TIME,
      cover < r.lead_time_days! / 2 ? FindingSeverity.HIGH : FindingSeverity.MEDIUM,
      { type: 'ProductVariant', id: r.id, label: r.sku },
      [metric('available', r.available), metric('dailyDemand', daily), metric('daysOfCover', cover), metric('leadTimeDays', r.lead_time_days!)],
      `${r.sku} covers ${cover} days of sales but its supplier needs ${r.lead_time_days}; order more now.`,
    );
  });
}

/** SKUs holding far more stock than their sales need. */
async function overstockedSkus(ctx: Context, args: OptimisationFindingsArgs): Promise<OptimisationFinding[]> {
  const rows: CoverRow[] = await ctx.em.execute(coverQuery('c.available > 0 AND (c.daily = 0 OR c.available > c.daily * ?::numeric)'), [
    periodDays(args),
    args.from,
    args.to,
    args.maxDaysOfCover,
  ]);
  return rows.map((r) => {
    const daily = Number(r.daily);
    const metrics = [metric('available', r.available), metric('dailyDemand', daily)];
    if (daily > 0) metrics.push(metric('daysOfCover', Number((r.available / daily).toFixed(1))));
    return finding(
      FindingKind.SKU_OVERSTOCKED,
      daily === 0 ? FindingSeverity.HIGH : FindingSeverity.LOW,
      { type: 'ProductVariant', id: r.id, label: r.sku },
      metrics,
      daily === 0
        ? `${r.sku} has ${r.available} units available and sold none in the period; stop reordering and promote or clear it.`
        : `${r.sku} has stock for ${Math.round(r.available / daily)} days; pause purchase orders and consider a promotion.`,
    );
  });
}

/** Listings seen a lot in the period that hardly turn visits into orders. */
async function lowConversionListings(ctx: Context, args: OptimisationFindingsArgs): Promise<OptimisationFinding[]> {
  const rows: { id: string; title: string; impressions: string; clicks: string; orders: string }[] = await ctx.em.execute(
    `SELECT l.id, l.title, m.impressions, m.clicks, m.orders
       FROM (SELECT listing_id, sum(impressions)::bigint AS impressions, sum(clicks)::bigint AS clicks, sum(orders)::bigint AS orders
               FROM listing_daily_metric
              WHERE day >= (?::timestamptz AT TIME ZONE 'UTC')::date AND day < (?::timestamptz AT TIME ZONE 'UTC')::date
              GROUP BY listing_id) m
       JOIN listing l ON l.id = m.listing_id
      WHERE m.impressions >= ? AND (m.clicks = 0 OR m.orders::numeric / m.clicks < ?::numeric)
      ORDER BY m.impressions DESC, l.id`,
    [args.from, args.to, args.minImpressions, args.maxListingConversion],
  );
  return rows.map((r) => {
    const impressions = Number(r.impressions);
    const clicks = Number(r.clicks);
    const orders = Number(r.orders);
    const conversion = clicks > 0 ? ratio(orders, clicks) : 0;
    return finding(
      FindingKind.LISTING_LOW_CONVERSION,
      orders === 0 ? FindingSeverity.HIGH : FindingSeverity.MEDIUM,
      { type: 'Listing', id: r.id, label: r.title },
      [metric('impressions', impressions), metric('clicks', clicks), metric('orders', orders), metric('clickThroughRate', ratio(clicks, impressions)), metric('conversionRate', conversion)],
      `Listing "${r.title}" was seen ${impressions} times but converts ${conversion} of its clicks; improve its price, images and description.`,
    );
  });
}

/** Suppliers delivering on time less often in the second half of the period than in the first. */
async function fallingOnTimeSuppliers(ctx: Context, args: OptimisationFindingsArgs): Promise<OptimisationFinding[]> {
  const mid = new Date((args.from.getTime() + args.to.getTime()) / 2);
  const rows: { id: string; name: string; early: number; early_on_time: number; late: number; late_on_time: number }[] = await ctx.em.execute(
    `WITH r AS (
       SELECT po.supplier_id, r.received_at < ?::timestamptz AS early, r.received_at <= po.expected_at AS on_time
         FROM purchase_order_receipt r JOIN purchase_order po ON po.id = r.purchase_order_id
        WHERE r.received_at >= ? AND r.received_at < ?),
     s AS (
       SELECT supplier_id,
              count(*) FILTER (WHERE early)::int AS early, count(*) FILTER (WHERE early AND on_time)::int AS early_on_time,
              count(*) FILTER (WHERE NOT early)::int AS late, count(*) FILTER (WHERE NOT early AND on_time)::int AS late_on_time
         FROM r GROUP BY supplier_id)
     SELECT su.id, su.name, s.early, s.early_on_time, s.late, s.late_on_time
       FROM s JOIN supplier su ON su.id = s.supplier_id
      WHERE s.early >= ? AND s.late >= ?
        AND s.late_on_time::numeric / s.late < s.early_on_time::numeric / s.early - ?::numeric
      ORDER BY s.late_on_time::numeric / s.late - s.early_on_time::numeric / s.early, su.id`,
    [mid, args.from, args.to, args.minReceipts, args.minReceipts, args.minOnTimeDrop],
  );
  return rows.map((r) => {
    const before = ratio(r.early_on_time, r.early);
    const after = ratio(r.late_on_time, r.late);
    return finding(
      FindingKind.SUPPLIER_ON_TIME_FALLING,
      before - after >= 0.5 ? FindingSeverity.HIGH : FindingSeverity.MEDIUM,
      { type: 'Supplier', id: r.id, label: r.name },
      [metric('earlierOnTimeRate', before), metric('laterOnTimeRate', after), metric('earlierReceipts', r.early), metric('laterReceipts', r.late)],
      `${r.name} delivered on time ${after} of the time lately against ${before} before; raise it with them and plan longer lead times.`,
    );
  });
}

/** Shipping services whose parcels run into exceptions (carrier EXCEPTION scans, or flagged as lost/silent) too often. */
async function exceptionProneServices(ctx: Context, args: OptimisationFindingsArgs): Promise<OptimisationFinding[]> {
  const rows: { id: string; name: string; carrier: string; shipments: number; exceptions: number }[] = await ctx.em.execute(
    `WITH s AS (
       SELECT sh.service_id,
              count(*)::int AS shipments,
              count(*) FILTER (WHERE sh.flagged_at IS NOT NULL
                                  OR EXISTS (SELECT 1 FROM tracking_event te WHERE te.shipment_id = sh.id AND te.status = 'EXCEPTION'))::int AS exceptions
         FROM shipment sh
        WHERE sh.created_at >= ? AND sh.created_at < ?
        GROUP BY sh.service_id)
     SELECT sv.id, sv.name, c.name AS carrier, s.shipments, s.exceptions
       FROM s JOIN shipping_service sv ON sv.id = s.service_id JOIN carrier c ON c.id = sv.carrier_id
      WHERE s.shipments >= ? AND s.exceptions::numeric / s.shipments > ?::numeric
      ORDER BY s.exceptions::numeric / s.shipments DESC, sv.id`,
    [args.from, args.to, args.minShipments, args.maxExceptionRate],
  );
  return rows.map((r) => {
    const rate = ratio(r.exceptions, r.shipments);
    return finding(
      FindingKind.SHIPPING_SERVICE_HIGH_EXCEPTION_RATE,
      rate >= 2 * args.maxExceptionRate ? FindingSeverity.HIGH : FindingSeverity.MEDIUM,
      { type: 'ShippingService', id: r.id, label: `${r.carrier} ${r.name}` },
      [metric('shipments', r.shipments), metric('exceptions', r.exceptions), metric('exceptionRate', rate)],
      `${r.exceptions} of ${r.shipments} parcels sent with ${r.carrier} ${r.name} hit an exception; take it up with the carrier or prefer another service.`,
    );
  });
}

/** Every finding kind over the period, each from its own SQL query with the thresholds given. */
export async function optimisationFindings(ctx: Context, args: OptimisationFindingsArgs): Promise<OptimisationFinding[]> {
  checkPeriod(args.from, args.to, MAX_PERIOD_MS, '2 years');
  check(Number.isFinite(args.minRoas) && args.minRoas > 0 && args.minRoas <= 100, 'minRoas', 'must be above 0 and at most 100');
  check(Number.isFinite(args.maxReturnRate) && args.maxReturnRate >= 0 && args.maxReturnRate < 1, 'maxReturnRate', 'must be at least 0 and below 1');
  check(Number.isInteger(args.minUnitsSold) && args.minUnitsSold >= 1, 'minUnitsSold', 'must be a positive integer');
  check(Number.isInteger(args.minImpressions) && args.minImpressions >= 0, 'minImpressions', 'must be a non-negative integer');
  check(Number.isFinite(args.maxListingConversion) && args.maxListingConversion > 0 && args.maxListingConversion <= 1, 'maxListingConversion', 'must be above 0 and at most 1');
  check(Number.isFinite(args.minOnTimeDrop) && args.minOnTimeDrop >= 0 && args.minOnTimeDrop < 1, 'minOnTimeDrop', 'must be at least 0 and below 1');
  check(Number.isInteger(args.minReceipts) && args.minReceipts >= 1, 'minReceipts', 'must be a positive integer');
  check(Number.isFinite(args.maxExceptionRate) && args.maxExceptionRate >= 0 && args.maxExceptionRate < 1, 'maxExceptionRate', 'must be at least 0 and below 1');
  check(Number.isInteger(args.minShipments) && args.minShipments >= 1, 'minShipments', 'must be a positive integer');
  check(Number.isInteger(args.maxDaysOfCover) && args.maxDaysOfCover >= 1 && args.maxDaysOfCover <= 3650, 'maxDaysOfCover', 'must be an integer from 1 to 3650');
  // Sequential: the request's EntityManager holds one connection at a time.
  const out: OptimisationFinding[] = [];
  out.push(...(await lowRoasCampaigns(ctx, args)));
  out.push(...(await highReturnRateProducts(ctx, args)));
  out.push(...(await breachedTickets(ctx, args)));
  out.push(...(await stockoutsWithinLeadTime(ctx, args)));
  out.push(...(await overstockedSkus(ctx, args)));
  out.push(...(await lowConversionListings(ctx, args)));
  out.push(...(await fallingOnTimeSuppliers(ctx, args)));
  out.push(...(await exceptionProneServices(ctx, args)));
  return out;
}

interface BulkCursor {
  s: string;
  u: string;
  id: string;
}

function decodeBulkCursor(name: string, cursor: string): BulkCursor {
  let data: BulkCursor;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as BulkCursor;
  } catch {
    throw badInput('after', 'is not a valid cursor (use a cursor returned by this list)');
  }
  if (!data || typeof data !== 'object' || data.s !== name || typeof data.u !== 'string' || typeof data.id !== 'string') {
    throw badInput('after', 'is not a valid cursor (use a cursor returned by this list)');
  }
  return data;
}

export function bulkPageSize(ctx: Context, first: number | null | undefined): number {
  const max = hasRole(ctx.viewer, Role.ANALYST) ? ANALYST_PAGE_LIMIT : DEFAULT_PAGE_LIMIT;
  const size = first ?? DEFAULT_PAGE_LIMIT;
  check(Number.isInteger(size) && size >= 0 && size <= max, 'first', `must be between 0 and ${max}`);
  return size;
}

/** A table pulled in keyset order: `column` is updated_at for mutable rows, the recording time for append-only ledgers. */
interface BulkSpec<T> {
  name: string;
  table: string;
  column: string;
  entity: new (...args: any[]) => T;
}

/** The keyset statement of one bulk page: ids and full-precision cursor times, one row more than asked to see if there is a next page. */
export function bulkPageSql(spec: { table: string; column: string; select?: string }, where: string[], params: unknown[], size: number): KpiSql {
  return {
    sql: `SELECT ${spec.select ?? 'id'}, to_char(${spec.column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS bulk_u
            FROM ${spec.table} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
           ORDER BY ${spec.column}, id LIMIT ?`,
    params: [...params, size + 1],
  };
}

/** The first page of bulkOrders, as the service runs it (the bench times it directly); `select` is the row mapper's column list. */
export const bulkOrdersFirstPageSql = (size: number, select?: string) => bulkPageSql({ table: 'sales_order', column: 'updated_at', select }, [], [], size);

/**
 * Rows in (column, id) order for incremental pulls. The cursor keeps the timestamp at full database precision
 * (text), so rows written by SQL with microseconds are neither repeated nor skipped.
 */
async function bulkPull<T extends { id: string }>(ctx: Context, spec: BulkSpec<T>, args: BulkPageArgs): Promise<Page<T>> {
  const size = bulkPageSize(ctx, args.first);
  if (args.updatedAfter != null) check(!Number.isNaN(args.updatedAfter.getTime()), 'updatedAfter', 'must be a valid date-time');
  const cursor = args.after != null ? decodeBulkCursor(spec.name, args.after) : undefined;
  const where: string[] = [];
  const params: unknown[] = [];
  if (args.updatedAfter != null) {
    where.push(`${spec.column} > ?`);
    params.push(args.updatedAfter);
  }
  const countWhere = where.length ? `WHERE ${where.join(' AND ')}` : '';
  const countParams = [...params];
  if (cursor) {
    where.push(`(${spec.column}, id) > (?::timestamptz, ?::uuid)`);
    params.push(cursor.u, cursor.id);
  }
  // Whole rows in the page statement, mapped once to plain read-only objects (no identity map for 1000 rows);
  // entities the row mapper cannot express are loaded by id instead.
  const mapper = rowMapper(ctx.em, spec.entity);
  const q = bulkPageSql({ ...spec, select: mapper?.select }, where, params, size);
  const rows: ({ id: string; bulk_u: string } & Record<string, unknown>)[] = size === 0 ? [] : await ctx.em.execute(q.sql, q.params);
  const more = rows.length > size;
  const slice = rows.slice(0, size);
  let nodeOf: (r: { id: string } & Record<string, unknown>) => T;
  if (mapper) nodeOf = (r) => mapper.map(r);
  else {
    const found: T[] = slice.length ? ((await ctx.em.find(spec.entity as any, { id: { $in: slice.map((r) => r.id) } } as any)) as T[]) : [];
    const byId = new Map(found.map((o) => [o.id, o]));
    nodeOf = (r) => byId.get(r.id)!;
  }
  const edges = slice.map((r) => ({ cursor: Buffer.from(JSON.stringify({ s: spec.name, u: r.bulk_u, id: r.id } satisfies BulkCursor)).toString('base64url'), node: nodeOf(r) }));
  let counted: Promise<number> | undefined;
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: { hasNextPage: more, hasPreviousPage: cursor !== undefined, startCursor: edges[0]?.cursor ?? null, endCursor: edges[edges.length - 1]?.cursor ?? null },
    totalCount: () => (counted ??= ctx.em.execute(`SELECT count(*)::int AS n FROM ${spec.table} ${countWhere}`, countParams).then((r: any[]) => r[0].n)),
  };
}

export const bulkOrders = (ctx: Context, args: BulkPageArgs) => bulkPull(ctx, { name: 'bulkOrders', table: 'sales_order', column: 'updated_at', entity: Order }, args);

/** The stock ledger is append-only: pulls follow the movement time. */
export const bulkStockMovements = (ctx: Context, args: BulkPageArgs) =>
  bulkPull(ctx, { name: 'bulkStockMovements', table: 'stock_movement', column: 'at', entity: StockMovement }, args);

/** Tracking events are append-only; they follow the time we received them, since carriers report late scans with old times. */
export const bulkTrackingEvents = (ctx: Context, args: BulkPageArgs) =>
  bulkPull(ctx, { name: 'bulkTrackingEvents', table: 'tracking_event', column: 'received_at', entity: TrackingEvent }, args);

/** Customers follow their last change (sign-up or edit), so an incremental pull sees new and edited customers. */
export const bulkCustomers = (ctx: Context, args: BulkPageArgs) =>
  bulkPull(ctx, { name: 'bulkCustomers', table: 'customer', column: 'updated_at', entity: Customer }, args);
