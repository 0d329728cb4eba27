/**
 * Slot rollups for the sales KPIs ("dirty-slot rollups").
 *
 * A slot is a 15-minute UTC interval. Every zone offset in use is a multiple of 15 minutes, so each local hour, day,
 * week or month of any zone is a union of whole slots, and per-slot sums add up to exactly what the raw query gives
 * per bucket. `analytics_sales_slot` holds the sums per (slot, channel, currency); statement triggers (see the
 * sales_rollup migration) append a mark to `analytics_sales_dirty` for every slot a write may have changed, in the
 * writer's own transaction. A KPI query reads the rollup for unmarked slots and the raw tables for marked ones (and for
 * the slots cut by the period's edges), in one statement, so it is exact whether or not the refresher has caught up.
 *
 * Why the refresher never loses a change (the invariant: for a slot without a visible mark, the rollup row visible in
 * the same snapshot includes every committed change to that slot):
 *  - A writer's change and its mark commit together. A mark not yet committed is invisible to the refresher's claim,
 *    so the refresher cannot delete it; it stays for the next run.
 *  - The refresher claims (deletes) committed marks in one statement, then recomputes the claimed slots in LATER
 *    statements of the same READ COMMITTED transaction, which take new snapshots: every change whose mark it deleted
 *    was committed before the claim, hence is visible to the recompute. Marks deleted and rollup rows rewritten commit
 *    together, so no reader sees one without the other.
 *  - Marks are plain appended rows (no unique key): a writer never waits for another writer or for the refresher, and
 *    never "finds the mark already there" — with a unique slot key and ON CONFLICT DO NOTHING a writer could rely on a
 *    committed mark that a refresher then claims and recomputes before the writer commits, losing the change.
 *  - Refreshers of one family are serialised by a transaction-scoped advisory lock taken with try-lock (a second
 *    instance skips its turn), so two refreshers never rewrite the same slot at once and each recompute's snapshot is
 *    later than the previous refresher's commit. Safe with any number of instances.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { AppServices } from '../../common/context.js';

/** Channel key stored for orders without a channel (a primary-key column cannot be null). */
export const NO_CHANNEL = '00000000-0000-0000-0000-000000000000';

const SLOT = "interval '15 minutes'";

/**
 * Per-slot sales measures for the slots in CTE `rs(slot)`: the raw KPI query's sums, grouped by slot instead of local
 * bucket. Sales by placement time in the order's currency, refunds of live orders by the time they were recorded.
 */
export function salesSlotRowsSql(): string {
  return `s AS (
       SELECT rs.slot, coalesce(o.channel_id, '${NO_CHANNEL}') AS channel_id, o.currency,
              sum(o.subtotal_amount)::bigint AS gmv, sum(o.discount_amount)::bigint AS discounts, coalesce(sum(u.units), 0)::bigint AS units,
              count(*)::int AS orders, count(fo.order_id)::int AS new_orders
         FROM rs JOIN sales_order o ON o.placed_at >= rs.slot AND o.placed_at < rs.slot + ${SLOT}
         LEFT JOIN analytics_order_units u ON u.order_id = o.id
         LEFT JOIN analytics_first_order fo ON fo.order_id = o.id
        WHERE o.status <> 'CANCELLED'
        GROUP BY 1, 2, 3),
     r AS (
       SELECT rs.slot, coalesce(o.channel_id, '${NO_CHANNEL}') AS channel_id, r.currency,
              sum(r.amount_minor)::bigint AS refunds, count(*)::int AS refund_rows
         FROM rs JOIN payment_transaction r ON r.kind = 'REFUND' AND r.at >= rs.slot AND r.at < rs.slot + ${SLOT}
         JOIN sales_order o ON o.id = r.order_id
        WHERE o.status <> 'CANCELLED'
        GROUP BY 1, 2, 3)
     SELECT slot, channel_id, currency, coalesce(s.gmv, 0) AS gmv, coalesce(s.discounts, 0) AS discounts, coalesce(s.units, 0) AS units,
            coalesce(s.orders, 0) AS orders, coalesce(s.new_orders, 0) AS new_orders, coalesce(r.refunds, 0) AS refunds,
            coalesce(r.refund_rows, 0) AS refund_rows
       FROM s FULL JOIN r USING (slot, channel_id, currency)`;
}

/** Share of `amount` for one row: floor of the running share of its order's rows by gmv, so the shares add up to `amount`. */
export const share = (amount: string) =>
  `CASE WHEN l.total = 0 THEN CASE WHEN l.rn = 1 THEN ${amount} ELSE 0 END
        ELSE floor(${amount}::numeric * l.cum / l.total) - floor(${amount}::numeric * (l.cum - l.gmv) / l.total) END`;

/** Window over one order's rows: running gmv, total and position, for sharing order-level amounts. */
export const SHARE_WINDOW = `sum(x.gmv) OVER (PARTITION BY x.order_id ORDER BY x.rid) AS cum, sum(x.gmv) OVER (PARTITION BY x.order_id) AS total,
                      row_number() OVER (PARTITION BY x.order_id ORDER BY x.rid) AS rn`;

/** Line-level dimension kinds kept in `analytics_sales_line_slot`: 'C' = product category, 'B' = product brand. */
export type LineKind = 'C' | 'B';

/**
 * Line-level sales measures (per product category 'C' and brand 'B') of the orders placed, and refunds recorded, in
 * the slots of CTE `rs(slot)`, grouped by `bucket(ts)`: the raw KPI statement's arithmetic (order discounts and
 * refunds shared among an order's lines by floors of the running share in line-id order), so sums per slot add up to
 * exactly what it gives per bucket. An order lies in one slot, so its distinct count per slot adds up across slots.
 * `period` keeps only rows inside [rs.f, rs.t) (the KPI query's edge slots; `rs` then carries f and t). Output: b, kind, dim (NO_CHANNEL for
 * none), currency, gmv, discounts, units, orders, new_orders, refunds, refund_rows.
 */
export function salesLineRowsSql(o: { bucket: (ts: string) => string; kinds: LineKind[]; period: boolean }): string {
  const kinds = o.kinds.map((k) => `'${k}'`).join(', ');
  const inPeriod = (ts: string) => (o.period ? `AND ${ts} >= rs.f AND ${ts} < rs.t` : '');
  const window = SHARE_WINDOW;
  const lines = `SELECT ol.order_id, ol.id::text AS rid, pr.category_id, pr.brand_id, ol.line_total_amount::bigint AS gmv, ol.quantity::bigint AS units
                   FROM order_line ol JOIN product_variant v ON v.id = ol.variant_id JOIN product pr ON pr.id = v.product_id`;
  const keyed = `CROSS JOIN LATERAL (VALUES ('C', l.category_id), ('B', l.brand_id)) k(kind, dim)`;
  return `ls_orders AS (
       SELECT ${o.bucket('o.placed_at')} AS b, o.id, o.currency, o.discount_amount, fo.order_id IS NOT NULL AS first
         FROM rs
        -- One slot-index lookup per slot (OFFSET 0 keeps it a lookup): also keeps the estimate honest, so the planner
        -- does not expect a big scan and spend a second on JIT compilation.
        CROSS JOIN LATERAL (SELECT o.* FROM sales_order o WHERE analytics_slot(o.placed_at) = rs.slot OFFSET 0) o
         LEFT JOIN analytics_first_order fo ON fo.order_id = o.id
        WHERE o.status <> 'CANCELLED' ${inPeriod('o.placed_at')}),
     ls_sales AS (
       SELECT l.b, k.kind, coalesce(k.dim, '${NO_CHANNEL}') AS dim, l.currency,
              sum(l.gmv)::bigint AS gmv, sum(${share('l.discount_amount')})::bigint AS discounts, sum(l.units)::bigint AS units,
              count(DISTINCT l.order_id)::int AS orders, count(DISTINCT l.order_id) FILTER (WHERE l.first)::int AS new_orders
         FROM (SELECT x.*, so.b, so.currency, so.discount_amount, so.first, ${window}
                 FROM ls_orders so JOIN (${lines}) x ON x.order_id = so.id) l
         ${keyed}
        WHERE k.kind IN (${kinds})
        GROUP BY 1, 2, 3, 4),
     ls_refunds AS (
       SELECT ${o.bucket('r.at')} AS b, r.order_id, r.currency, r.amount_minor
         FROM rs
        CROSS JOIN LATERAL (SELECT r.* FROM payment_transaction r WHERE analytics_slot(r.at) = rs.slot AND r.kind = 'REFUND' OFFSET 0) r
         JOIN sales_order o ON o.id = r.order_id
        WHERE o.status <> 'CANCELLED' ${inPeriod('r.at')}),
     ls_refund_lines AS (
       SELECT x.*, ${window} FROM (${lines} WHERE ol.order_id IN (SELECT order_id FROM ls_refunds)) x),
     ls_refund_sums AS (
       SELECT r.b, k.kind, coalesce(k.dim, '${NO_CHANNEL}') AS dim, r.currency, sum(${share('r.amount_minor')})::bigint AS refunds, count(*)::int AS refund_rows
         FROM ls_refunds r JOIN ls_refund_lines l ON l.order_id = r.order_id
         ${keyed}
        WHERE k.kind IN (${kinds})
        GROUP BY 1, 2, 3, 4)
     SELECT b, kind, dim, currency, coalesce(s.gmv, 0) AS gmv, coalesce(s.discounts, 0) AS discounts, coalesce(s.units, 0) AS units,
            coalesce(s.orders, 0) AS orders, coalesce(s.new_orders, 0) AS new_orders, coalesce(r.refunds, 0) AS refunds,
            coalesce(r.refund_rows, 0) AS refund_rows
       FROM ls_sales s FULL JOIN ls_refund_sums r USING (b, kind, dim, currency)`;
}

/**
 * Raw-slot set of a KPI query over CTE `p(f, t, tz, fs, ts, lo)` (fs/ts: slots holding f/t, lo: first whole slot):
 * marked slots of the period, the slots cut by its edges, and any slot a local bucket boundary of `tz` falls inside
 * (offset not a multiple of 15 minutes, or a change of offset inside the slot — historical zone rules only; checked so
 * exactness never depends on the zone).
 */
export function rawSlotsSql(dirtyTable: string): string {
  return `SELECT d.slot FROM p, ${dirtyTable} d WHERE d.slot >= p.fs AND d.slot < p.t
       UNION SELECT p.fs FROM p WHERE p.fs <> p.f
       UNION SELECT p.ts FROM p WHERE p.ts <> p.t
       UNION SELECT s.slot FROM p, analytics_split_slots(p.lo, p.ts, p.tz) s(slot)`;
}

/** Parameters CTE of a slot-rollup KPI query: `?` = from, to, zone. */
export const SLOT_PARAMS = `p AS (SELECT x.f, x.t, x.tz, analytics_slot(x.f) AS fs, analytics_slot(x.t) AS ts,
                  CASE WHEN analytics_slot(x.f) = x.f THEN x.f ELSE analytics_slot(x.f) + ${SLOT} END AS lo
             FROM (SELECT ?::timestamptz AS f, ?::timestamptz AS t, ?::text AS tz) x)`;

/** Per-slot return measures for the slots in CTE `rs(slot)`: units sold on live orders placed in the slot (reason ''), units asked back per reason by live returns. */
export function returnsSlotRowsSql(): string {
  const from = `FROM rs JOIN sales_order o ON analytics_slot(o.placed_at) = rs.slot
         JOIN order_line ol ON ol.order_id = o.id JOIN product_variant v ON v.id = ol.variant_id`;
  return `x AS (
       SELECT rs.slot, ''::text AS reason, sum(ol.quantity)::bigint AS sold_units, count(*)::int AS sold_lines, 0::bigint AS returned_units, 0 AS return_lines
         ${from}
        WHERE o.status <> 'CANCELLED'
        GROUP BY 1
       UNION ALL
       SELECT rs.slot, rl.reason_code::text, 0, 0, sum(rl.quantity)::bigint, count(*)::int
         ${from}
         JOIN return_line rl ON rl.order_line_id = ol.id
         JOIN return_request rr ON rr.id = rl.return_request_id AND rr.status NOT IN ('REJECTED', 'CANCELLED')
        WHERE o.status <> 'CANCELLED'
        GROUP BY 1, 2)
     SELECT * FROM x`;
}

/**
 * Visits with their funnel flags and live attributed orders, as the raw traffic statement computes them per visit
 * (`s` = traffic_session rows chosen by the caller's FROM/WHERE).
 */
export const TRAFFIC_VISIT_MEASURES = `LEFT JOIN LATERAL (
           SELECT bool_or(e.step = 'PRODUCT_VIEW') AS pv, bool_or(e.step = 'ADD_TO_CART') AS atc,
                  bool_or(e.step = 'CHECKOUT_START') AS cs, bool_or(e.step = 'PURCHASE') AS pu
             FROM funnel_event e WHERE e.session_id = s.id) fe ON true
         LEFT JOIN LATERAL (
           SELECT count(*) AS n FROM order_attribution a JOIN sales_order so ON so.id = a.order_id
            WHERE a.session_key = s.session_key AND so.status <> 'CANCELLED') ao ON true`;

/** Per-slot traffic measures for the slots in CTE `rs(slot)`, per source and campaign. */
export function trafficSlotRowsSql(): string {
  return `x AS (
       SELECT rs.slot, s.source, s.campaign IS NOT NULL AS has_campaign, coalesce(s.campaign, '') AS campaign,
              count(*)::int AS sessions, count(*) FILTER (WHERE fe.pv)::int AS pv, count(*) FILTER (WHERE fe.atc)::int AS atc,
              count(*) FILTER (WHERE fe.cs)::int AS cs, count(*) FILTER (WHERE fe.pu)::int AS pu,
              count(*) FILTER (WHERE coalesce(ao.n, 0) > 0)::int AS converted, coalesce(sum(coalesce(ao.n, 0)), 0)::int AS orders
         FROM rs JOIN traffic_session s ON analytics_slot(s.started_at) = rs.slot
         ${TRAFFIC_VISIT_MEASURES}
        GROUP BY 1, 2, 3, 4)
     SELECT * FROM x`;
}

interface Family {
  name: string;
  dirty: string;
  rollup: string;
  columns: string;
  rows: () => string;
  /** Further rollups recomputed from the same marks (the sales family's line-level table). */
  more?: { rollup: string; columns: string; rows: () => string }[];
  /** Every slot that can have data in this family (all its source rows' slots). */
  allSlots: string;
}

const FAMILIES: Family[] = [
  {
    name: 'sales',
    dirty: 'analytics_sales_dirty',
    rollup: 'analytics_sales_slot',
    columns: 'slot, channel_id, currency, gmv, discounts, units, orders, new_orders, refunds, refund_rows',
    rows: salesSlotRowsSql,
    more: [
      {
        rollup: 'analytics_sales_line_slot',
        columns: 'slot, kind, dim, currency, gmv, discounts, units, orders, new_orders, refunds, refund_rows',
        rows: () => salesLineRowsSql({ bucket: () => 'rs.slot', kinds: ['C', 'B'], period: false }),
      },
    ],
    allSlots: `SELECT analytics_slot(placed_at) FROM sales_order UNION SELECT analytics_slot(at) FROM payment_transaction WHERE kind = 'REFUND'`,
  },
  {
    name: 'returns',
    dirty: 'analytics_returns_dirty',
    rollup: 'analytics_returns_slot',
    columns: 'slot, reason, sold_units, sold_lines, returned_units, return_lines',
    rows: returnsSlotRowsSql,
    allSlots: 'SELECT DISTINCT analytics_slot(placed_at) FROM sales_order',
  },
  {
    name: 'traffic',
    dirty: 'analytics_traffic_dirty',
    rollup: 'analytics_traffic_slot',
    columns: 'slot, source, has_campaign, campaign, sessions, pv, atc, cs, pu, converted, orders',
    rows: trafficSlotRowsSql,
    allSlots: 'SELECT DISTINCT analytics_slot(started_at) FROM traffic_session',
  },
];

/**
 * Recomputes up to `batchSlots` marked slots of one family in one transaction; returns how many slots, or -1 when
 * another refresher holds the family (it will do the work).
 */
async function refreshBatch(em: EntityManager, f: Family, batchSlots: number): Promise<number> {
  return em.transactional(async (tx) => {
    const [lock] = await tx.execute(`SELECT pg_try_advisory_xact_lock(hashtext(?)) AS locked`, [`analytics_rollup:${f.name}`]);
    if (!lock.locked) return -1;
    // Claim: committed marks only (this statement's snapshot). See the module comment for why this is safe.
    const claimed: { slot: Date | string }[] = await tx.execute(
      `DELETE FROM ${f.dirty} WHERE slot IN (SELECT DISTINCT slot FROM ${f.dirty} ORDER BY slot LIMIT ?) RETURNING slot`,
      [batchSlots],
    );
    if (claimed.length === 0) return 0;
    const slots = JSON.stringify([...new Set(claimed.map((r) => new Date(r.slot).toISOString()))]);
    // Recompute in later statements: their snapshots see every change whose mark was just claimed.
    for (const r of [{ rollup: f.rollup, columns: f.columns, rows: f.rows }, ...(f.more ?? [])]) {
      await tx.execute(`DELETE FROM ${r.rollup} WHERE slot IN (SELECT value::timestamptz FROM json_array_elements_text(?::json))`, [slots]);
      await tx.execute(
        `INSERT INTO ${r.rollup} (${r.columns})
         WITH rs AS (SELECT DISTINCT value::timestamptz AS slot FROM json_array_elements_text(?::json)),
         ${r.rows()}`,
        [slots],
      );
    }
    return JSON.parse(slots).length as number;
  });
}

/**
 * Brings every rollup up to date with the marks committed so far (bounded per call by `maxBatches`); returns the
 * number of slots recomputed. Idempotent; concurrent calls are safe (one of them does the work).
 */
export async function refreshRollups(services: Pick<AppServices, 'orm'>, opts: { batchSlots?: number; maxBatches?: number } = {}): Promise<number> {
  const em = services.orm.em.fork({ clear: true, useContext: false }) as EntityManager;
  let total = 0;
  for (const f of FAMILIES) {
    for (let i = 0; i < (opts.maxBatches ?? 100); i++) {
      const n = await refreshBatch(em, f, opts.batchSlots ?? 500);
      if (n <= 0) break;
      total += n;
    }
  }
  return total;
}

/**
 * Marks every slot that has data, for all families (set-based; the refresher then recomputes them). For loads that
 * bypass triggers (e.g. `session_replication_role = replica`, as the large bench seed does): run these afterwards.
 */
export const MARK_ALL_SLOTS_SQL = FAMILIES.map(
  (f) => `INSERT INTO ${f.dirty} (slot) ${f.allSlots} UNION SELECT slot FROM ${f.rollup}${(f.more ?? []).map((r) => ` UNION SELECT slot FROM ${r.rollup}`).join('')}`,
);

/**
 * Recomputes every rollup from its sources and clears the marks, set-based (one INSERT…SELECT per family). For loads
 * that bypassed the triggers (`session_replication_role = replica`, as the large bench seed does); run in one
 * transaction with nothing else writing.
 */
export const REBUILD_ALL_ROLLUPS_SQL = FAMILIES.flatMap((f) => [
  `TRUNCATE ${f.dirty}`,
  ...[{ rollup: f.rollup, columns: f.columns, rows: f.rows }, ...(f.more ?? [])].flatMap((r) => [
    `TRUNCATE ${r.rollup}`,
    `INSERT INTO ${r.rollup} (${r.columns}) WITH rs(slot) AS (${f.allSlots}), ${r.rows()}`,
  ]),
]);
