import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { Role, staffToken } from './support/fixtures.js';
import { BenchOrderListDocument, BenchProductPageDocument } from './generated/graphql.js';
import { SEED_SIZES, seed } from '../bench/seed.js';

let t: TestApp;
let seconds: number;

beforeAll(async () => {
  t = await startTestApp();
  ({ seconds } = await seed(t.dbUrl, SEED_SIZES.small));
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
    // orders, totalCount, lines, shipments, variants, customers, products
    expect(q5).toBe(7);
    expect(q100).toBe(q5);
  });
});
