import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { startTestApp, type TestApp } from './support/harness.js';
import { Role, staffToken } from './support/fixtures.js';
import {
  AnalyticsSalesKpisDocument,
  BenchOrderListDocument,
  BenchProductPageDocument,
  LoyaltyAccountDocument,
  ReturnByIdDocument,
  ShipmentByIdDocument,
  TicketsDocument,
  TrafficConversionDocument,
} from './generated/graphql.js';
import { SEED_SIZES, rebuildAnalyticsFacts, seed } from '../bench/seed.js';
import type { Lifecycle } from '../src/common/lifecycle.js';
import { listingLifecycle } from '../src/modules/listings/listings.lifecycle.js';
import { orderLifecycle } from '../src/modules/orders/order.lifecycle.js';
import { purchaseOrderLifecycle, supplierLifecycle } from '../src/modules/procurement/procurement.lifecycle.js';
import { returnLifecycle } from '../src/modules/returns/returns.lifecycle.js';
import { ticketLifecycle } from '../src/modules/support/support.lifecycle.js';

let t: TestApp;
let seconds: number;
const NOW = new Date();
const DAY = 86_400_000;

beforeAll(async () => {
  t = await startTestApp();
  // Foreign-key checks stay on here, so every derived id is proven to point at a real row.
  ({ seconds } = await seed(t.dbUrl, SEED_SIZES.small, { now: NOW }));
}, 60_000);
afterAll(() => t?.stop());

const one = async (text: string, params: unknown[] = []) => Number(Object.values((await t.sql(text, params))[0])[0]);

describe('npm run seed --size small', () => {
  it('runs in seconds and writes the requested counts', async () => {
    expect(seconds).toBeLessThan(15);
    expect(await one('SELECT count(*) FROM sales_order')).toBe(1000);
    expect(await one('SELECT count(*) FROM customer')).toBe(200);
    expect(await one('SELECT count(*) FROM product_variant')).toBe(60);
    // Every lifecycle stage is represented, so demos and benchmarks see realistic mixes.
    const statuses = (await t.sql('SELECT DISTINCT status::text AS s FROM sales_order')).map((r) => r.s).sort();
    expect(statuses).toEqual(['CANCELLED', 'COMPLETED', 'CONFIRMED', 'DELIVERED', 'PAID', 'PENDING_PAYMENT', 'PROCESSING', 'SHIPPED']);
  });

  it('keeps stock_level equal to its ledger and to the open reservations', async () => {
    expect(await one('SELECT count(*) FROM stock_level')).toBe(60);
    expect(
      await one(`SELECT count(*) FROM stock_level l WHERE l.on_hand <> (SELECT coalesce(sum(m.quantity), 0) FROM stock_movement m
                 WHERE m.variant_id = l.variant_id AND m.warehouse_id = l.warehouse_id)`),
    ).toBe(0);
    expect(
      await one(`SELECT count(*) FROM stock_level l WHERE l.reserved <> (SELECT coalesce(sum(r.quantity), 0) FROM stock_reservation r
                 WHERE r.variant_id = l.variant_id AND r.warehouse_id = l.warehouse_id AND r.status = 'OPEN')`),
    ).toBe(0);
    expect(await one('SELECT count(*) FROM stock_level WHERE reserved > on_hand OR on_hand < 0')).toBe(0);
    // Only confirmed/processing orders hold stock; shipped ones consumed theirs.
    expect(await one(`SELECT count(*) FROM stock_reservation r JOIN sales_order o ON o.id = r.order_id WHERE r.status = 'OPEN' AND o.status NOT IN ('CONFIRMED', 'PROCESSING')`)).toBe(0);
  });

  it('keeps the trigger-kept analytics facts equal to their sources, and rebuilds them the same (replica-mode seeds)', async () => {
    const facts = `SELECT 'first' AS t, customer_id::text AS k, order_id::text AS a, placed_at::text AS b, NULL AS c FROM analytics_first_order
                   UNION ALL SELECT 'units', order_id::text, units::text, NULL, NULL FROM analytics_order_units
                   UNION ALL SELECT 'stats', customer_id::text || currency, orders::text, spend::text, last_order_at::text FROM analytics_customer_stats
                   UNION ALL SELECT 'stock', variant_id::text || warehouse_id::text, on_hand::text, first_at::text, NULL FROM analytics_stock_balance
                   ORDER BY 1, 2`;
    const kept = await t.sql(facts);
    expect(kept.filter((r) => r.t === 'stats').length).toBeGreaterThan(100);
    expect(kept.filter((r) => r.t === 'stock').length).toBe(60);
    const c = new pg.Client({ connectionString: t.dbUrl });
    await c.connect();
    try {
      await rebuildAnalyticsFacts((text, params) => c.query(text, params));
    } finally {
      await c.end();
    }
    expect(await t.sql(facts)).toEqual(kept);
    // The rebuild also recomputed the KPI slot rollups and cleared their marks, so the salesKpis test below reads
    // the rollups alone (no slot computed raw) and still has to meet hand-summed totals.
    expect(await one('SELECT (SELECT count(*) FROM analytics_sales_dirty) + (SELECT count(*) FROM analytics_returns_dirty) + (SELECT count(*) FROM analytics_traffic_dirty)')).toBe(0);
    expect(await one('SELECT count(*) FROM analytics_sales_slot')).toBeGreaterThan(100);
    expect(await one('SELECT count(*) FROM analytics_traffic_slot')).toBeGreaterThan(100);
  });

  it('keeps order totals equal to lines − discount + shipping + tax', async () => {
    expect(
      await one(`SELECT count(*) FROM sales_order o WHERE o.subtotal_amount <> (SELECT sum(line_total_amount) FROM order_line WHERE order_id = o.id)
                 OR o.total_amount <> o.subtotal_amount - o.discount_amount + o.shipping_amount + o.tax_amount`),
    ).toBe(0);
    expect(await one('SELECT count(*) FROM order_line WHERE line_total_amount <> quantity * unit_price_amount')).toBe(0);
  });

  it('gives every order a status history that walks the lifecycle to its status', async () => {
    // The last history entry is the current status, and each entry starts where the previous one ended.
    expect(
      await one(`SELECT count(*) FROM sales_order o WHERE o.status <> (SELECT to_status FROM order_status_change h WHERE h.order_id = o.id ORDER BY at DESC, to_status DESC LIMIT 1)`),
    ).toBe(0);
    expect(
      await one(`SELECT count(*) FROM (SELECT from_status, lag(to_status) OVER (PARTITION BY order_id ORDER BY at) AS prev FROM order_status_change) x
                 WHERE x.from_status IS DISTINCT FROM x.prev`),
    ).toBe(0);
    expect(await one(`SELECT count(*) FROM order_status_change WHERE from_status IS NULL AND to_status <> 'PENDING_PAYMENT'`)).toBe(0);
  });

  it('gives paid orders a capture of their total and shipped orders shipments and ledger entries', async () => {
    const paidStatuses = `('PAID','CONFIRMED','PROCESSING','SHIPPED','DELIVERED','COMPLETED')`;
    expect(
      await one(`SELECT count(*) FROM sales_order o WHERE o.status IN ${paidStatuses} AND (o.captured_amount <> o.total_amount OR o.total_amount <>
                 (SELECT coalesce(sum(amount_minor), 0) FROM payment_transaction p WHERE p.order_id = o.id AND p.kind = 'CAPTURE'))`),
    ).toBe(0);
    expect(await one(`SELECT count(*) FROM payment_transaction p JOIN sales_order o ON o.id = p.order_id WHERE o.status NOT IN ${paidStatuses}`)).toBe(0);
    const shipped = `('SHIPPED','DELIVERED','COMPLETED')`;
    expect(await one(`SELECT count(*) FROM sales_order o WHERE o.status IN ${shipped} AND NOT EXISTS (SELECT 1 FROM shipment s WHERE s.order_id = o.id)`)).toBe(0);
    expect(await one(`SELECT count(*) FROM shipment s JOIN sales_order o ON o.id = s.order_id WHERE o.status NOT IN ${shipped}`)).toBe(0);
    // Every shipped unit left the warehouse through the ledger.
    expect(
      await one(`SELECT count(*) FROM sales_order o WHERE o.status IN ${shipped} AND (SELECT sum(quantity) FROM order_line WHERE order_id = o.id) <>
                 (SELECT -sum(m.quantity) FROM stock_movement m JOIN shipment s ON m.reference = 'shipment:' || s.id WHERE s.order_id = o.id)`),
    ).toBe(0);
    expect(await one(`SELECT count(*) FROM shipment WHERE (status = 'DELIVERED') <> (delivered_at IS NOT NULL)`)).toBe(0);
  });

  it('writes reviews only from the buyer of a delivered line', async () => {
    expect(await one('SELECT count(*) FROM review')).toBeGreaterThan(50);
    expect(
      await one(`SELECT count(*) FROM review r JOIN order_line l ON l.id = r.order_line_id JOIN sales_order o ON o.id = l.order_id
                 WHERE o.customer_id <> r.customer_id OR l.variant_id <> r.variant_id OR o.status NOT IN ('DELIVERED', 'COMPLETED')
                 OR r.product_id <> (SELECT product_id FROM product_variant WHERE id = l.variant_id)`),
    ).toBe(0);
  });

  it('is served by the API: the order list and a product page', async () => {
    const { token } = await staffToken(t, Role.OPERATIONS);
    const list = await t.gql(BenchOrderListDocument, { first: 50 }, token);
    expect(list.errors).toBeUndefined();
    expect(list.data!.orders.totalCount).toBe(1000);
    expect(list.data!.orders.nodes).toHaveLength(50);
    const newest = list.data!.orders.nodes[0]!;
    const row = (await t.sql(`SELECT o.total_amount, c.email, (SELECT count(*)::int FROM order_line WHERE order_id = o.id) AS lines
                              FROM sales_order o JOIN customer c ON c.id = o.customer_id WHERE o.id = $1`, [newest.id]))[0];
    expect(newest.total.amount).toBe(row.total_amount);
    expect(newest.customer.email).toBe(row.email);
    expect(newest.lines).toHaveLength(row.lines);

    const [top] = await t.sql(`SELECT product_id, count(*)::int AS n, sum(rating)::int AS s FROM review GROUP BY product_id ORDER BY count(*) DESC, product_id LIMIT 1`);
    const page = await t.gql(BenchProductPageDocument, { id: top.product_id });
    expect(page.errors).toBeUndefined();
    expect(page.data!.product.variants).toHaveLength(2);
    expect(page.data!.product.ratingSummary.count).toBe(top.n);
    expect(page.data!.product.ratingSummary.average).toBeCloseTo(top.s / top.n, 5);
    expect(page.data!.reviews.totalCount).toBe(top.n);
    expect(page.data!.reviews.nodes.every((r) => r.verifiedPurchase)).toBe(true);
    const [stock] = await t.sql(`SELECT sum(on_hand - reserved)::int AS a FROM stock_level l JOIN product_variant v ON v.id = l.variant_id WHERE v.product_id = $1`, [top.product_id]);
    expect(page.data!.product.variants.reduce((s, v) => s + v.availableQuantity, 0)).toBe(stock.a);
  });

  it('answers the P1 order list (lines, variants, products, customer, shipments) with the same SQL statements for 5 or 100 orders', async () => {
    const { token } = await staffToken(t, Role.OPERATIONS);
    let small: any;
    let large: any;
    const q5 = await t.countQueries(async () => (small = await t.gql(BenchOrderListDocument, { first: 5 }, token)));
    const q100 = await t.countQueries(async () => (large = await t.gql(BenchOrderListDocument, { first: 100 }, token)));
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(large.data.orders.nodes).toHaveLength(100);
    // The page really is nested: several products, customers and shipments are resolved.
    expect(new Set(large.data.orders.nodes.map((o: any) => o.customer.id)).size).toBeGreaterThan(10);
    expect(large.data.orders.nodes.filter((o: any) => o.shipments.length > 0).length).toBeGreaterThan(10);
    // orders with their totalCount (one statement), lines, shipments, variants, customers, products
    expect(q5).toBe(6);
    expect(q100).toBe(q5);
  });
});

/** Every history row is a move the lifecycle allows (or the creation), rows chain, and the last one is the current status. */
async function expectLegalHistory(lifecycle: Lifecycle<string>, history: string, fk: string, entity: string, initial: string): Promise<number> {
  const rows = await t.sql<{ id: string; from_status: string | null; to_status: string; reason: string | null; status: string }>(
    `SELECT h.${fk} AS id, h.from_status::text, h.to_status::text, h.reason, e.status::text AS status
       FROM ${history} h JOIN ${entity} e ON e.id = h.${fk} ORDER BY h.${fk}, h.at, h.id`,
  );
  const byId = new Map<string, typeof rows>();
  for (const r of rows) byId.set(r.id, [...(byId.get(r.id) ?? []), r]);
  const entities = await one(`SELECT count(*) FROM ${entity}`);
  expect(byId.size).toBe(entities);
  for (const [id, moves] of byId) {
    const label = `${lifecycle.name} ${id}`;
    expect(moves[0]!.from_status, label).toBeNull();
    expect(moves[0]!.to_status, label).toBe(initial);
    for (let i = 1; i < moves.length; i++) {
      const m = moves[i]!;
      expect(m.from_status, label).toBe(moves[i - 1]!.to_status);
      const rule = lifecycle.rule(m.from_status!, m.to_status);
      expect(rule, `${label}: ${m.from_status} → ${m.to_status}`).toBeDefined();
      if (rule!.requiresReason) expect(m.reason, `${label}: ${m.from_status} → ${m.to_status} needs a reason`).toBeTruthy();
    }
    expect(moves.at(-1)!.to_status, label).toBe(moves[0]!.status);
  }
  return byId.size;
}

describe('npm run seed --size small: every module', () => {
  it('walks every status history along its module lifecycle', async () => {
    // Orders sit at the time of the newest change at the latest: history is ordered by time, ties by row id never matter.
    expect(await expectLegalHistory(orderLifecycle as Lifecycle<string>, 'order_status_change', 'order_id', 'sales_order', 'PENDING_PAYMENT')).toBe(1000);
    expect(await expectLegalHistory(purchaseOrderLifecycle as Lifecycle<string>, 'purchase_order_status_change', 'purchase_order_id', 'purchase_order', 'DRAFT')).toBeGreaterThan(5);
    expect(await expectLegalHistory(returnLifecycle as Lifecycle<string>, 'return_status_change', 'return_request_id', 'return_request', 'REQUESTED')).toBeGreaterThan(5);
    expect(await expectLegalHistory(ticketLifecycle as Lifecycle<string>, 'support_ticket_status_change', 'ticket_id', 'support_ticket', 'NEW')).toBeGreaterThan(5);
    expect(await expectLegalHistory(listingLifecycle as Lifecycle<string>, 'listing_status_change', 'listing_id', 'listing', 'DRAFT')).toBe(120);
    expect(await expectLegalHistory(supplierLifecycle as Lifecycle<string>, 'supplier_status_change', 'supplier_id', 'supplier', 'PROSPECT')).toBe(5);
    // Several states of each lifecycle are represented.
    expect(await one(`SELECT count(DISTINCT status) FROM purchase_order`)).toBeGreaterThanOrEqual(5);
    expect(await one(`SELECT count(DISTINCT status) FROM return_request`)).toBeGreaterThanOrEqual(5);
    expect(await one(`SELECT count(DISTINCT status) FROM support_ticket`)).toBe(5);
    // Nothing happened after now.
    for (const [table, col] of [['order_status_change', 'at'], ['tracking_event', 'occurred_at'], ['review', 'created_at'], ['return_status_change', 'at'],
      ['support_ticket_status_change', 'at'], ['support_ticket_message', 'created_at'], ['loyalty_entry', 'created_at'], ['purchase_order_status_change', 'at'],
      ['stock_movement', 'at'], ['payment_transaction', 'at'], ['funnel_event', 'occurred_at']] as const) {
      expect(await one(`SELECT count(*) FROM ${table} WHERE ${col} > $1`, [NOW]), table).toBe(0);
    }
  });

  it('spreads orders over the sales channels and lists every product on each', async () => {
    const rows = await t.sql(`SELECT c.code, count(o.id)::int AS n FROM channel c LEFT JOIN sales_order o ON o.channel_id = c.id GROUP BY c.code ORDER BY n DESC`);
    expect(rows.map((r) => r.code)).toEqual(['web', 'marketplace', 'social', 'store']);
    expect(rows.every((r) => r.n > 0)).toBe(true);
    expect(await one(`SELECT count(*) FROM sales_order WHERE channel_id IS NULL`)).toBe(0);
    expect(await one(`SELECT count(*) FROM product WHERE category_id IS NULL`)).toBe(0);
    expect(await one(`SELECT count(*) FROM listing WHERE status = 'PUBLISHED'`)).toBe(30 * 4);
  });

  it('attributes orders to real visits at a realistic conversion, with a consistent funnel', async () => {
    // The attributed visit exists, belongs to the buyer, started before the order and ends in its PURCHASE.
    const attributed = await one(`SELECT count(*) FROM order_attribution`);
    expect(attributed).toBeGreaterThan(50);
    expect(
      await one(`SELECT count(*) FROM order_attribution a JOIN sales_order o ON o.id = a.order_id
                 LEFT JOIN traffic_session s ON s.session_key = a.session_key
                 WHERE s.id IS NULL OR s.customer_id <> o.customer_id OR s.started_at > o.placed_at
                    OR NOT EXISTS (SELECT 1 FROM funnel_event e WHERE e.session_id = s.id AND e.step = 'PURCHASE' AND e.order_id = o.id AND e.occurred_at = o.placed_at)`),
    ).toBe(0);
    // Purchases happen only in attributed visits, once per order.
    expect(await one(`SELECT count(*) FROM funnel_event WHERE step = 'PURCHASE'`)).toBe(attributed);
    const sessions = await one(`SELECT count(*) FROM traffic_session`);
    const rate = attributed / sessions;
    expect(rate).toBeGreaterThan(0.02);
    expect(rate).toBeLessThan(0.04);
    // Funnel: each step is reached by fewer visits than the one before, and never without the one before.
    const steps = await t.sql(`SELECT step::text AS name, count(DISTINCT session_id)::int AS n FROM funnel_event GROUP BY step ORDER BY step`);
    const n = steps.map((s) => s.n);
    expect(steps.map((s) => s.name)).toEqual(['PRODUCT_VIEW', 'ADD_TO_CART', 'CHECKOUT_START', 'PURCHASE']);
    expect(n[0]).toBe(sessions);
    expect(n[0]! > n[1]! && n[1]! > n[2]! && n[2]! >= n[3]!).toBe(true);
    expect(
      await one(`SELECT count(*) FROM funnel_event e WHERE e.step <> 'PRODUCT_VIEW' AND NOT EXISTS (SELECT 1 FROM funnel_event p WHERE p.session_id = e.session_id
                 AND p.step < e.step AND p.occurred_at <= e.occurred_at)`),
    ).toBe(0);

    // The API's conversion report reads the same visits: per channel, sessions and orders add up.
    const { token } = await staffToken(t, Role.ANALYST);
    const from = new Date(NOW.getTime() - 120 * DAY);
    const res = await t.gql(TrafficConversionDocument, { from: from.toISOString(), to: NOW.toISOString(), by: 'CHANNEL' }, token);
    expect(res.errors).toBeUndefined();
    const rowsApi = res.data!.trafficConversion;
    expect(rowsApi.reduce((s, r) => s + r.sessions, 0)).toBe(sessions);
    expect(rowsApi.reduce((s, r) => s + r.orders, 0)).toBe(
      await one(`SELECT count(*) FROM order_attribution a JOIN sales_order o ON o.id = a.order_id WHERE o.status <> 'CANCELLED'`),
    );
    expect(rowsApi.find((r) => r.key === 'store')).toBeUndefined();
  });

  it('gives ad campaigns daily spend for the visits they brought and listings daily metrics matching the orders', async () => {
    const ads = await t.sql(`SELECT a.tracking_code, sum(m.clicks)::int AS clicks, sum(m.spend_amount)::int AS spend, count(*)::int AS days,
                                    (SELECT count(*)::int FROM traffic_session s WHERE s.campaign = a.tracking_code) AS visits
                             FROM ad_campaign a JOIN ad_daily_metric m ON m.ad_campaign_id = a.id GROUP BY a.tracking_code ORDER BY 1`);
    expect(ads).toHaveLength(3);
    const cpc: Record<string, number> = { 'seed-display': 30, 'seed-search': 80, 'seed-social': 55 };
    for (const a of ads) {
      expect(a.days).toBeGreaterThanOrEqual(91);
      expect(a.visits).toBeGreaterThan(0);
      expect(a.clicks).toBe(a.visits);
      expect(a.spend).toBe(a.visits * cpc[a.tracking_code]!);
    }
    // Orders per listing and day: non-cancelled orders of the product on the channel that day (counted independently here).
    const [m] = await t.sql(`SELECT sum(orders)::int AS orders, sum(revenue_amount)::int AS revenue, count(*) FILTER (WHERE NOT (impressions >= clicks AND clicks >= add_to_carts AND add_to_carts >= orders))::int AS bad
                             FROM listing_daily_metric`);
    const [o] = await t.sql(
      `SELECT count(DISTINCT (o.id, v.product_id))::int AS orders, sum(l.line_total_amount)::int AS revenue
         FROM sales_order o JOIN order_line l ON l.order_id = o.id JOIN product_variant v ON v.id = l.variant_id
        WHERE o.status <> 'CANCELLED' AND (o.placed_at AT TIME ZONE 'UTC')::date >= (SELECT min(day) FROM listing_daily_metric)`,
    );
    expect(m.orders).toBeGreaterThan(50);
    expect(m.orders).toBe(o.orders);
    expect(m.revenue).toBe(o.revenue);
    expect(m.bad).toBe(0);
  });

  it('records SEED10 usages whose discount is the order discount, released on cancelled orders', async () => {
    expect(
      await one(`SELECT count(*) FROM sales_order o FULL JOIN promotion_usage u ON u.order_id = o.id
                 WHERE (o.discount_amount > 0) IS DISTINCT FROM (u.id IS NOT NULL)
                    OR u.discount_amount <> o.discount_amount OR (o.discount_amount > 0 AND o.discount_amount <> floor(o.subtotal_amount * 10 / 100.0))
                    OR u.customer_id <> o.customer_id OR (u.id IS NOT NULL AND (u.released_at IS NOT NULL) <> (o.status = 'CANCELLED'))`),
    ).toBe(0);
    expect(await one(`SELECT count(*) FROM promotion_usage`)).toBeGreaterThan(100);
  });

  it('receives purchase orders into the stock ledger', async () => {
    // Every SKU is on exactly one purchase order, from a supplier that offers it.
    expect(await one(`SELECT count(DISTINCT variant_id) FROM purchase_order_line`)).toBe(60);
    expect(
      await one(`SELECT count(*) FROM purchase_order_line l JOIN purchase_order p ON p.id = l.purchase_order_id
                 WHERE NOT EXISTS (SELECT 1 FROM supplier_offer s WHERE s.supplier_id = p.supplier_id AND s.variant_id = l.variant_id)`),
    ).toBe(0);
    // Receipts exist exactly for received orders; line totals equal receipt totals; nothing received beyond the order.
    expect(
      await one(`SELECT count(*) FROM purchase_order p WHERE (p.status IN ('PARTIALLY_RECEIVED', 'RECEIVED', 'CLOSED'))
                 <> EXISTS (SELECT 1 FROM purchase_order_receipt r WHERE r.purchase_order_id = p.id)`),
    ).toBe(0);
    expect(
      await one(`SELECT count(*) FROM purchase_order_line l WHERE l.accepted_quantity + l.rejected_quantity > l.quantity
                 OR l.accepted_quantity <> coalesce((SELECT sum(accepted_quantity) FROM purchase_order_receipt_line r WHERE r.line_id = l.id), 0)`),
    ).toBe(0);
    expect(
      await one(`SELECT count(*) FROM purchase_order p WHERE p.status IN ('RECEIVED', 'CLOSED') AND EXISTS
                 (SELECT 1 FROM purchase_order_line l WHERE l.purchase_order_id = p.id AND l.accepted_quantity + l.rejected_quantity <> l.quantity)`),
    ).toBe(0);
    // Each receipt's accepted units are its RECEIPT ledger entries.
    const [r] = await t.sql(`SELECT (SELECT sum(accepted_quantity)::int FROM purchase_order_receipt_line) AS accepted,
                                    (SELECT sum(quantity)::int FROM stock_movement m WHERE m.kind = 'RECEIPT' AND m.reference IN
                                      (SELECT 'po-receipt:' || id FROM purchase_order_receipt)) AS booked,
                                    (SELECT count(*)::int FROM stock_movement m WHERE m.kind = 'RECEIPT' AND m.reference LIKE 'po-receipt:%'
                                      AND NOT EXISTS (SELECT 1 FROM purchase_order_receipt_line rl JOIN purchase_order_line l ON l.id = rl.line_id
                                                      WHERE m.reference = 'po-receipt:' || rl.receipt_id AND l.variant_id = m.variant_id AND rl.accepted_quantity = m.quantity)) AS stray`);
    expect(r.accepted).toBeGreaterThan(0);
    expect(r.booked).toBe(r.accepted);
    expect(r.stray).toBe(0);
  });

  it('tracks shipments: delivered ones end in DELIVERED, every shipment is at its last scan', async () => {
    const rows = await t.sql(`SELECT s.status::text, s.last_scan_at, s.delivered_at, e.status::text AS last, e.occurred_at
                              FROM shipment s CROSS JOIN LATERAL (SELECT status, occurred_at FROM tracking_event WHERE shipment_id = s.id ORDER BY occurred_at DESC LIMIT 1) e`);
    expect(rows).toHaveLength(await one(`SELECT count(*) FROM shipment`));
    for (const r of rows) {
      expect(r.last).toBe(r.status);
      expect(r.last_scan_at.getTime()).toBe(r.occurred_at.getTime());
      if (r.status === 'DELIVERED') expect(r.delivered_at.getTime()).toBe(r.occurred_at.getTime());
    }
    expect(rows.filter((r) => r.status === 'DELIVERED').length).toBeGreaterThan(100);
    expect(await one(`SELECT count(*) FROM shipment WHERE status = 'EXCEPTION'`)).toBeGreaterThan(0);
    expect(await one(`SELECT count(*) FROM tracking_event WHERE status = 'DELAYED'`)).toBeGreaterThan(0);
    // An exception flags the shipment and opens one HIGH logistics ticket about it at the scan, as the tracking hook does.
    expect(
      await one(`SELECT count(*) FROM shipment s WHERE (s.status = 'EXCEPTION') <> (s.flagged_at IS NOT NULL)
                 OR (s.status = 'EXCEPTION' AND (SELECT count(*) FROM support_ticket k WHERE k.shipment_id = s.id AND k.category = 'LOGISTICS' AND k.priority = 'HIGH'
                                                 AND k.created_at = s.flagged_at AND k.subject = 'Delivery problem with shipment ' || s.tracking_number) <> 1)`),
    ).toBe(0);

    const { token } = await staffToken(t, Role.SUPPORT);
    const [s] = await t.sql(`SELECT id, (SELECT count(*)::int FROM tracking_event e WHERE e.shipment_id = s.id) AS n FROM shipment s WHERE status = 'DELIVERED' ORDER BY id LIMIT 1`);
    const res = await t.gql(ShipmentByIdDocument, { id: s.id }, token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.shipment!.status).toBe('DELIVERED');
    expect(res.data!.shipment!.events).toHaveLength(s.n);
    expect(res.data!.shipment!.events.map((e) => e.status)).toContain('DELIVERED');
  });

  it('keeps returns coherent: delivered orders of the customer, restocks in the ledger, refunds ≤ captured', async () => {
    expect(
      await one(`SELECT count(*) FROM return_request r JOIN sales_order o ON o.id = r.order_id
                 WHERE o.customer_id <> r.customer_id OR o.status NOT IN ('DELIVERED', 'COMPLETED')
                    OR EXISTS (SELECT 1 FROM return_line l JOIN order_line ol ON ol.id = l.order_line_id WHERE l.return_request_id = r.id AND (ol.order_id <> o.id OR l.quantity > ol.quantity))`),
    ).toBe(0);
    // Inspected restockable lines, and only those, came back through the ledger.
    expect(
      await one(`SELECT count(*) FROM return_line l JOIN return_request r ON r.id = l.return_request_id JOIN order_line ol ON ol.id = l.order_line_id
                 WHERE coalesce(l.restockable, false) <> EXISTS (SELECT 1 FROM stock_movement m WHERE m.kind = 'RETURN_RESTOCK' AND m.reference = 'return:' || r.id
                                                                 AND m.variant_id = ol.variant_id AND m.quantity = l.quantity)`),
    ).toBe(0);
    expect(await one(`SELECT count(*) FROM stock_movement WHERE kind = 'RETURN_RESTOCK'`)).toBeGreaterThan(0);
    // Refunds: succeeded refunds are REFUND payments; the order's refunded amount is their sum and within what was captured.
    expect(
      await one(`SELECT count(*) FROM return_refund f LEFT JOIN payment_transaction p ON p.id = f.payment_transaction_id
                 WHERE f.status = 'SUCCEEDED' AND (p.id IS NULL OR p.kind <> 'REFUND' OR p.amount_minor <> f.amount_minor
                    OR f.amount_minor <> least(f.requested_amount_minor, (SELECT captured_amount FROM sales_order o JOIN return_request r ON r.order_id = o.id WHERE r.id = f.return_request_id)))`),
    ).toBe(0);
    expect(
      await one(`SELECT count(*) FROM sales_order o WHERE o.refunded_amount > o.captured_amount
                 OR o.refunded_amount <> (SELECT coalesce(sum(amount_minor), 0) FROM payment_transaction p WHERE p.order_id = o.id AND p.kind = 'REFUND')`),
    ).toBe(0);
    expect(await one(`SELECT count(*) FROM sales_order WHERE refunded_amount > 0`)).toBeGreaterThan(0);
    // Incremental pulls (updatedAfter) see the refund: the order changed when it was booked.
    expect(await one(`SELECT count(*) FROM sales_order o WHERE o.updated_at < (SELECT max(at) FROM payment_transaction p WHERE p.order_id = o.id)`)).toBe(0);
    expect(await one(`SELECT count(*) FROM return_request WHERE status IN ('REFUNDED', 'CLOSED') AND NOT EXISTS (SELECT 1 FROM return_refund f WHERE f.return_request_id = return_request.id AND f.status = 'SUCCEEDED')`)).toBe(0);

    const { token } = await staffToken(t, Role.SUPPORT);
    const [r] = await t.sql(`SELECT id, (SELECT count(*)::int FROM return_status_change WHERE return_request_id = r.id) AS moves FROM return_request r WHERE status = 'CLOSED' ORDER BY id LIMIT 1`);
    const res = await t.gql(ReturnByIdDocument, { id: r.id }, token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.returnRequest!.status).toBe('CLOSED');
    expect(res.data!.returnRequest!.statusHistory.map((h) => h.toStatus)).toEqual(['REQUESTED', 'APPROVED', 'IN_TRANSIT', 'RECEIVED', 'INSPECTED', 'REFUNDED', 'CLOSED']);
    expect(res.data!.returnRequest!.refunds.map((f) => f.status)).toEqual(['SUCCEEDED']);
  });

  it('keeps support tickets coherent: links, SLA due times from the policies, breaches, messages, CSAT', async () => {
    expect(
      await one(`SELECT count(*) FROM support_ticket k JOIN sales_order o ON o.id = k.order_id
                 LEFT JOIN shipment s ON s.id = k.shipment_id LEFT JOIN return_request r ON r.id = k.return_id
                 WHERE o.customer_id <> k.customer_id OR (k.shipment_id IS NOT NULL AND s.order_id <> o.id) OR (k.return_id IS NOT NULL AND r.order_id <> o.id)
                    OR k.created_at < o.placed_at OR (r.id IS NOT NULL AND k.created_at < r.requested_at)`),
    ).toBe(0);
    expect(await one(`SELECT count(*) FROM support_ticket WHERE return_id IS NOT NULL`)).toBeGreaterThan(0);
    expect(await one(`SELECT count(*) FROM support_ticket WHERE shipment_id IS NOT NULL`)).toBeGreaterThan(0);
    expect(
      await one(`SELECT count(*) FROM support_ticket k JOIN support_sla_policy p ON p.priority = k.priority
                 WHERE k.first_response_due_at <> k.created_at + p.first_response_minutes * interval '1 minute'
                    OR k.resolution_due_at <> k.created_at + p.resolution_minutes * interval '1 minute'`),
    ).toBe(0);
    // A target is breached exactly when it was met late, or is unmet past its due time while the clock runs.
    expect(
      await one(`SELECT count(*) FROM support_ticket WHERE (first_response_breached_at IS NOT NULL) <> (coalesce(first_responded_at, $1) > first_response_due_at)
                 OR (resolution_breached_at IS NOT NULL) <> (coalesce(resolved_at, sla_paused_at, $1) > resolution_due_at)`, [NOW]),
    ).toBe(0);
    const tickets = await one(`SELECT count(*) FROM support_ticket`);
    const breached = await one(`SELECT count(*) FROM support_ticket WHERE first_response_breached_at IS NOT NULL OR resolution_breached_at IS NOT NULL`);
    expect(breached).toBeGreaterThan(0);
    expect(breached).toBeLessThan(tickets / 2);
    expect(
      await one(`SELECT count(*) FROM support_ticket WHERE next_due_at IS DISTINCT FROM CASE WHEN status IN ('NEW', 'OPEN') THEN
                   least(CASE WHEN first_responded_at IS NULL THEN first_response_due_at END, CASE WHEN resolved_at IS NULL THEN resolution_due_at END) END`),
    ).toBe(0);
    // The customer opens every ticket but the system ones of flagged shipments; the agent's first reply is the first
    // response; CSAT only once resolved.
    expect(
      await one(`SELECT count(*) FROM support_ticket k WHERE (SELECT author_kind::text || '@' || created_at FROM support_ticket_message m WHERE m.ticket_id = k.id ORDER BY created_at, id LIMIT 1)
                 <> CASE WHEN k.subject LIKE 'Delivery problem%' THEN 'SYSTEM@' ELSE 'CUSTOMER@' END || k.created_at
                 OR k.first_responded_at IS DISTINCT FROM (SELECT min(created_at) FROM support_ticket_message m WHERE m.ticket_id = k.id AND m.author_kind = 'AGENT')`),
    ).toBe(0);
    expect(await one(`SELECT count(*) FROM support_ticket WHERE satisfaction_rating IS NOT NULL AND (resolved_at IS NULL OR rated_at < resolved_at)`)).toBe(0);
    expect(await one(`SELECT count(*) FROM support_ticket WHERE satisfaction_rating IS NOT NULL`)).toBeGreaterThan(0);

    const { token } = await staffToken(t, Role.SUPPORT);
    const res = await t.gql(TicketsDocument, { first: 100 }, token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.tickets.totalCount).toBe(tickets);
    const messages = await t.sql(`SELECT ticket_id, count(*)::int AS n FROM support_ticket_message GROUP BY 1`);
    const byTicket = new Map(messages.map((m) => [m.ticket_id, m.n]));
    for (const node of res.data!.tickets.nodes) expect(node.messages).toHaveLength(byTicket.get(node.id)!);
  });

  it('earns loyalty points per completed order at the tier multiplier, and memberships match the spend', async () => {
    const tiers = (await t.sql(`SELECT id, name, threshold_amount AS threshold, points_multiplier_percent AS mult FROM membership_tier ORDER BY threshold_amount DESC`)) as {
      id: string; name: string; threshold: number; mult: number;
    }[];
    const tierFor = (spend: number) => tiers.find((x) => x.threshold <= spend)!;
    const orders = await t.sql(`SELECT id, customer_id, placed_at, subtotal_amount - discount_amount AS goods FROM sales_order WHERE status = 'COMPLETED' ORDER BY customer_id, placed_at`);
    const entries = await t.sql(`SELECT order_id, customer_id, kind::text, points FROM loyalty_entry`);
    expect(entries.every((e) => e.kind === 'EARN')).toBe(true);
    const earned = new Map(entries.map((e) => [e.order_id, e.points]));
    expect(entries).toHaveLength(earned.size);
    // Recomputed here: the tier held before an order comes from the completed spend of the 12 months before it.
    const expectedBalance = new Map<string, number>();
    const expectedSpend = new Map<string, number>();
    let multiplied = 0;
    for (const o of orders) {
      const yearBefore = new Date(o.placed_at);
      yearBefore.setUTCMonth(yearBefore.getUTCMonth() - 12);
      const window = orders.filter((p) => p.customer_id === o.customer_id && p.placed_at >= yearBefore && p.placed_at < o.placed_at);
      const before = window.reduce((s, p) => s + p.goods, 0);
      const mult = tierFor(before).mult;
      if (mult > 100) multiplied++;
      const points = Math.floor((o.goods * mult) / 10_000);
      expect(earned.get(o.id) ?? 0, `order ${o.id}`).toBe(points);
      expectedBalance.set(o.customer_id, (expectedBalance.get(o.customer_id) ?? 0) + points);
      expectedSpend.set(o.customer_id, before + o.goods);
    }
    expect(multiplied).toBeGreaterThan(0);
    expect(earned.size).toBe(orders.filter((o) => Math.floor((o.goods * 100) / 10_000) > 0).length);
    const members = await t.sql(`SELECT customer_id, spend_amount, tier_id FROM customer_membership`);
    expect(members).toHaveLength(expectedSpend.size);
    for (const m of members) {
      expect(m.spend_amount).toBe(expectedSpend.get(m.customer_id));
      expect(m.tier_id).toBe(tierFor(m.spend_amount).id);
    }
    // The API answers the balance as the sum of the entries.
    const { token } = await staffToken(t, Role.SUPPORT);
    const [top] = [...expectedBalance].sort((a, b) => b[1] - a[1]);
    const res = await t.gql(LoyaltyAccountDocument, { customerId: top![0] }, token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.loyaltyAccount.balance).toBe(top![1]);
    expect(res.data!.loyaltyAccount.tier!.name).toBe(tierFor(expectedSpend.get(top![0])!).name);
  });

  it('answers salesKpis over the seeded year with hand-summed totals', async () => {
    const { token } = await staffToken(t, Role.ANALYST);
    const from = new Date(NOW.getTime() - 366 * DAY);
    const res = await t.gql(AnalyticsSalesKpisDocument, { from: from.toISOString(), to: NOW.toISOString(), bucket: 'MONTH', timeZone: 'UTC' }, token);
    expect(res.errors).toBeUndefined();
    const sum = (f: (v: any) => number) => res.data!.salesKpis.reduce((s, b) => s + f(b.values), 0);
    const [e] = await t.sql(`SELECT sum(subtotal_amount)::int AS gmv, sum(discount_amount)::int AS discounts, count(*)::int AS orders FROM sales_order WHERE status <> 'CANCELLED'`);
    const refunds = await one(`SELECT coalesce(sum(amount_minor), 0) FROM payment_transaction WHERE kind = 'REFUND'`);
    expect(sum((v) => v.gmv.amount)).toBe(e.gmv);
    expect(sum((v) => v.discounts.amount)).toBe(e.discounts);
    expect(sum((v) => v.orders)).toBe(e.orders);
    expect(sum((v) => v.units)).toBe(await one(`SELECT sum(l.quantity) FROM order_line l JOIN sales_order o ON o.id = l.order_id WHERE o.status <> 'CANCELLED'`));
    expect(refunds).toBeGreaterThan(0);
    expect(sum((v) => v.refunds.amount)).toBe(refunds);
    // By brand: line-level, so the groups' gmv and discounts add up to the same totals, and branded and unbranded
    // products both appear.
    const byBrand = await t.gql(AnalyticsSalesKpisDocument, { from: from.toISOString(), to: NOW.toISOString(), bucket: 'MONTH', timeZone: 'UTC', breakdown: 'BRAND' }, token);
    expect(byBrand.errors).toBeUndefined();
    const rows = byBrand.data!.salesKpis;
    expect(rows.reduce((s, r) => s + r.values.gmv.amount, 0)).toBe(e.gmv);
    expect(rows.reduce((s, r) => s + r.values.discounts.amount, 0)).toBe(e.discounts);
    expect(new Set(rows.map((r) => r.dimension!.label))).toEqual(new Set(['Seedling', 'Northfield', 'Copperleaf', '(no brand)']));
  });
});
