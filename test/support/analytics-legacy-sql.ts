/**
 * The analytics statements as they were before the 1M-order rewrite (aggregating every order and the whole
 * ledger): test oracles only. The new statements must answer exactly what these answer.
 */
import { InventoryBreakdown, type CohortArgs, type InventoryKpiArgs } from '../../src/modules/analytics/analytics.types.js';
import type { KpiSql } from '../../src/modules/analytics/analytics.service.js';

const TRUNC = { HOUR: 'hour', DAY: 'day', WEEK: 'week', MONTH: 'month' } as const;
const LABEL_FORMAT = { HOUR: 'YYYY-MM-DD"T"HH24:MI', DAY: 'YYYY-MM-DD', WEEK: 'YYYY-MM-DD', MONTH: 'YYYY-MM' } as const;

const INVENTORY_DIM: Record<InventoryBreakdown, string> = {
  NONE: 'NULL::text',
  WAREHOUSE: 'g.warehouse_id::text',
  PRODUCT: 'v.product_id::text',
};

/**
 * Inventory KPIs from the stock ledger alone, in one statement: an end-of-day balance for every (variant, warehouse)
 * and local day of the period after its first movement (opening balance + running sum of the day's movements),
 * summed per SKU and dimension, then per bucket.
 */
export function legacyInventoryKpisSql(args: InventoryKpiArgs): KpiSql {
  const trunc = TRUNC[args.bucket];
  const breakdown = args.breakdown ?? InventoryBreakdown.NONE;
  return {
    sql: `WITH p AS (SELECT ?::timestamptz AS f, ?::timestamptz AS t, ?::text AS tz),
     days AS (
       SELECT d AS day, date_trunc('${trunc}', d) AS b, (d + interval '1 day') AT TIME ZONE p.tz AS day_end
         FROM p, generate_series(date_trunc('day', p.f AT TIME ZONE p.tz), p.t AT TIME ZONE p.tz, interval '1 day') d
        WHERE d AT TIME ZONE p.tz >= p.f AND d AT TIME ZONE p.tz < p.t),
     bounds AS (SELECT min(day) AT TIME ZONE p.tz AS s, max(day_end) AS e FROM p, days GROUP BY p.tz),
     opening AS (
       SELECT m.variant_id, m.warehouse_id, sum(m.quantity)::bigint AS q, min(m.at) AS first_at
         FROM bounds, stock_movement m WHERE m.at < bounds.e GROUP BY 1, 2),
     opening_q AS (
       SELECT m.variant_id, m.warehouse_id, sum(m.quantity)::bigint AS q FROM bounds, stock_movement m WHERE m.at < bounds.s GROUP BY 1, 2),
     delta AS (
       SELECT m.variant_id, m.warehouse_id, date_trunc('day', m.at AT TIME ZONE p.tz) AS day, sum(m.quantity)::bigint AS q,
              (-coalesce(sum(m.quantity) FILTER (WHERE m.kind = 'SHIPMENT'), 0))::bigint AS shipped
         FROM p, bounds, stock_movement m WHERE m.at >= bounds.s AND m.at < bounds.e GROUP BY 1, 2, 3),
     g AS (
       SELECT o.variant_id, o.warehouse_id, d.day, d.b, d.day_end, o.first_at,
              coalesce(oq.q, 0) + sum(coalesce(dl.q, 0)) OVER (PARTITION BY o.variant_id, o.warehouse_id ORDER BY d.day) AS on_hand,
              coalesce(dl.shipped, 0) AS shipped
         FROM opening o CROSS JOIN days d
         LEFT JOIN opening_q oq ON oq.variant_id = o.variant_id AND oq.warehouse_id = o.warehouse_id
         LEFT JOIN delta dl ON dl.variant_id = o.variant_id AND dl.warehouse_id = o.warehouse_id AND dl.day = d.day),
     sku_day AS (
       SELECT g.variant_id, ${INVENTORY_DIM[breakdown]} AS dim, g.day, g.b, v.currency, v.cost_amount,
              sum(g.on_hand) AS on_hand, sum(g.shipped) AS shipped
         FROM g JOIN product_variant v ON v.id = g.variant_id
        WHERE g.first_at < g.day_end
        GROUP BY 1, 2, 3, 4, 5, 6),
     bd AS (SELECT b, count(*)::int AS n, max(day) AS last_day FROM days GROUP BY b),
     agg AS (
       SELECT s.b, s.dim, s.currency, bd.n,
              coalesce(sum(s.on_hand) FILTER (WHERE s.day = bd.last_day), 0)::bigint AS on_hand,
              coalesce(sum(s.on_hand * s.cost_amount) FILTER (WHERE s.day = bd.last_day AND s.cost_amount IS NOT NULL), 0)::bigint AS value,
              coalesce(sum(s.on_hand) FILTER (WHERE s.day = bd.last_day AND s.cost_amount IS NULL), 0)::bigint AS no_cost,
              sum(s.shipped)::bigint AS shipped,
              coalesce(sum(s.shipped * s.cost_amount) FILTER (WHERE s.cost_amount IS NOT NULL), 0)::bigint AS cogs,
              round(sum(s.on_hand)::numeric / bd.n, 2) AS avg_on_hand,
              count(*) FILTER (WHERE s.on_hand <= 0)::int AS stockout_days
         FROM sku_day s JOIN bd ON bd.b = s.b
        GROUP BY s.b, s.dim, s.currency, bd.n)
     SELECT a.b AT TIME ZONE p.tz AS bucket_start, to_char(a.b, '${LABEL_FORMAT[args.bucket]}') AS bucket_label, a.*,
            ${breakdown === InventoryBreakdown.WAREHOUSE ? '(SELECT w.name FROM warehouse w WHERE w.id = a.dim::uuid)' : breakdown === InventoryBreakdown.PRODUCT ? '(SELECT pr.name FROM product pr WHERE pr.id = a.dim::uuid)' : 'NULL::text'} AS label
       FROM p, agg a
      ORDER BY a.b, label, a.dim, a.currency`,
    params: [args.from, args.to, args.timeZone],
  };
}

export function legacyCustomerCohortsSql(args: CohortArgs): KpiSql {
  return {
    sql: `WITH p AS (SELECT ?::timestamptz AS f, ?::timestamptz AS t, ?::text AS tz),
     firsts AS (
       SELECT o.customer_id, min(o.placed_at) AS first_at FROM sales_order o WHERE o.status <> 'CANCELLED' GROUP BY o.customer_id),
     cohort AS (
       SELECT f.customer_id, date_trunc('month', f.first_at AT TIME ZONE p.tz) AS m
         FROM p, firsts f WHERE f.first_at >= p.f AND f.first_at < p.t),
     sizes AS (SELECT m, count(*)::int AS n FROM cohort GROUP BY m),
     last AS (SELECT date_trunc('month', (p.t - interval '1 microsecond') AT TIME ZONE p.tz) AS m FROM p),
     grid AS (
       SELECT s.m, s.n, k::int AS k
         FROM sizes s, last l,
              generate_series(0, ((extract(year FROM l.m) - extract(year FROM s.m)) * 12 + extract(month FROM l.m) - extract(month FROM s.m))::int) AS k),
     activity AS (
       SELECT DISTINCT c.m AS cohort_m, o.customer_id, date_trunc('month', o.placed_at AT TIME ZONE p.tz) AS m
         FROM p, cohort c JOIN sales_order o ON o.customer_id = c.customer_id
        WHERE o.status <> 'CANCELLED' AND o.placed_at < p.t)
     SELECT to_char(g.m, 'YYYY-MM') AS cohort, g.m AT TIME ZONE p.tz AS cohort_start, g.n AS size, g.k,
            to_char(g.m + make_interval(months => g.k), 'YYYY-MM') AS month, count(a.customer_id)::int AS active
       FROM p, grid g
       LEFT JOIN activity a ON a.cohort_m = g.m AND a.m = g.m + make_interval(months => g.k)
      GROUP BY g.m, g.n, g.k, p.tz
      ORDER BY g.m, g.k`,
    params: [args.from, args.to, args.timeZone],
  };
}

export const LEGACY_RFM_STATS_SQL = `
  WITH stats AS (
    SELECT c.id, c.created_at,
           coalesce(sum(o.total_amount) FILTER (WHERE o.currency = ?), 0)::bigint AS spend,
           count(o.id)::int AS orders,
           max(o.placed_at) AS last_order_at
      FROM customer c LEFT JOIN sales_order o ON o.customer_id = c.id AND o.status <> 'CANCELLED'
     GROUP BY c.id),
  rfm AS (
    SELECT id,
           least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY last_order_at)))::int AS r,
           least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY orders)))::int AS f,
           least(5, 1 + floor(5 * percent_rank() OVER (ORDER BY spend)))::int AS m
      FROM stats WHERE orders > 0),
  base AS (
    SELECT s.*, rfm.r, rfm.f, rfm.m, ?::timestamptz AS now_at FROM stats s LEFT JOIN rfm ON rfm.id = s.id)`;

