/**
 * Demo-data generator. Writes a coherent data set straight through SQL in set-based batches
 * (INSERT … SELECT over generate_series, one statement per table per chunk), never through the API:
 * the API path costs milliseconds per order, which would make a million orders take hours.
 *
 * Coherence is what makes the data useful for demos and for the benchmarks, so every order goes through the
 * lifecycle the service would have walked: its status history runs PENDING_PAYMENT → … → its status; paid
 * orders carry a CAPTURE of their total; confirmed/processing orders hold OPEN reservations; shipped ones have
 * a shipment with items, CONSUMED reservations and SHIPMENT ledger entries; stock_level equals its ledger
 * (one opening RECEIPT minus shipments) and its reserved equals the open reservations; reviews come only from
 * the buyer of a delivered line.
 *
 * Ids are derived from the row number (md5 → uuid) so related rows are written without reading back ids,
 * and pseudo-random choices come from hashint8, so a given size always produces the same data.
 */
import pg from 'pg';

export interface SeedSizes {
  customers: number;
  /** SKUs (product variants); products get two variants each. */
  skus: number;
  orders: number;
}

export const SEED_SIZES: Record<'small' | 'large', SeedSizes> = {
  small: { customers: 200, skus: 60, orders: 1_000 },
  large: { customers: 100_000, skus: 10_000, orders: 1_000_000 },
};

/** The order lifecycle path the generator walks; an order's status is one step on it (or CANCELLED from step 0). */
const PATH = ['PENDING_PAYMENT', 'PAID', 'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'COMPLETED'] as const;

const WAREHOUSE_ID = '00000000-0000-4000-8000-00000000e001';
const CARRIER_ID = '00000000-0000-4000-8000-00000000e002';
const SERVICE_ID = '00000000-0000-4000-8000-00000000e003';

export interface SeedOptions {
  /** Orders written per chunk (one statement per table per chunk). */
  chunk?: number;
  /** Called after each chunk with (orders written, orders total). */
  progress?: (done: number, total: number) => void;
  /** The most recent order is placed one hour before this instant. */
  now?: Date;
}

/** `mod(abs(hashint8(expr)), m)`: a deterministic pseudo-random integer in [0, m). */
const h = (expr: string, m: number | string) => `mod(abs(hashint8((${expr})::bigint)::bigint), ${m})`;

export async function seed(url: string, sizes: SeedSizes, opts: SeedOptions = {}): Promise<{ seconds: number }> {
  const started = Date.now();
  const chunk = opts.chunk ?? 20_000;
  const now = (opts.now ?? new Date()).toISOString();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const q = (text: string, params: unknown[] = []) => c.query(text, params);
  try {
    const existing = await q('SELECT count(*)::int AS n FROM sales_order');
    if (existing.rows[0].n > 0) throw new Error('the database already holds orders; seed an empty (freshly migrated) database');
    // Constant parameters of the whole run, visible to every statement through current_setting.
    await q(`SELECT set_config('seed.now', $1, false), set_config('seed.orders', $2, false)`, [now, String(sizes.orders)]);
    await q('SET synchronous_commit = off');

    await q(
      `INSERT INTO warehouse (id, code, name, type, city, country, active, created_at)
       VALUES ($1, 'SEED-MAIN', 'Main warehouse', 'OWN', 'Rotterdam', 'NL', true, now())`,
      [WAREHOUSE_ID],
    );
    await q(`INSERT INTO carrier (id, code, name, active) VALUES ($1, 'SEEDPOST', 'Seed Post', true)`, [CARRIER_ID]);
    await q(
      `INSERT INTO shipping_service (id, carrier_id, code, name, type, regions, max_weight_grams, max_length_mm, volumetric_divisor, transit_days, cutoff_minute_utc, currency, active)
       VALUES ($1, $2, 'STD', 'Seed Post Standard', 'STANDARD', '{*}', 30000, 1500, 5000, 3, 960, 'USD', true)`,
      [SERVICE_ID, CARRIER_ID],
    );

    for (let a = 1; a <= sizes.customers; a += 50_000) {
      const b = Math.min(sizes.customers, a + 49_999);
      await q(
        `INSERT INTO customer (id, email, name, created_at)
         SELECT md5('c' || n)::uuid, 'customer' || n || '@seed.example', 'Customer ' || n, now() - interval '500 days'
         FROM generate_series($1::int, $2::int) n`,
        [a, b],
      );
    }
    const products = Math.ceil(sizes.skus / 2);
    await q(
      `INSERT INTO product (id, name, slug, description, status, created_at)
       SELECT md5('p' || n)::uuid, 'Seed product ' || n, 'seed-product-' || n, 'Generated demo product number ' || n, 'ACTIVE', now() - interval '450 days'
       FROM generate_series(1, $1::int) n`,
      [products],
    );
    // Prices are a function of the variant number so order lines can be priced without a join.
    await q(
      `INSERT INTO product_variant (id, product_id, sku, name, price_amount, currency, cost_amount, weight_grams, active)
       SELECT md5('v' || n)::uuid, md5('p' || ((n + 1) / 2))::uuid, 'SEED-' || lpad(n::text, 6, '0'), CASE WHEN n % 2 = 1 THEN 'Standard' ELSE 'Large' END,
              500 + (n % 50) * 100, 'USD', (500 + (n % 50) * 100) * 6 / 10, 250 + (n % 7) * 100, true
       FROM generate_series(1, $1::int) n`,
      [sizes.skus],
    );

    // Per-chunk scratch tables: the plan for each order (customer, step on the path, totals) and each line.
    await q(`CREATE TEMP TABLE seed_order (n int PRIMARY KEY, id uuid, customer_id uuid, step int, cancelled boolean, placed_at timestamptz,
             subtotal int, discount int, shipping int, tax int, total int) ON COMMIT PRESERVE ROWS`);
    await q(`CREATE TEMP TABLE seed_line (n int, k int, id uuid, variant int, quantity int, price int) ON COMMIT PRESERVE ROWS`);
    await q('CREATE INDEX ON seed_line (n)');

    for (let a = 1; a <= sizes.orders; a += chunk) {
      const b = Math.min(sizes.orders, a + chunk - 1);
      await q('BEGIN');
      await q('TRUNCATE seed_order, seed_line');
      // Three distinct variants at most per order: offsets 0, 7919 and 15838 never collide modulo the SKU count
      // unless it divides them, which the CLI rules out.
      await q(
        `INSERT INTO seed_line (n, k, id, variant, quantity, price)
         SELECT n, k, md5('l' || n || '-' || k)::uuid, v, 1 + ${h("n * 4 + k + 7", 3)}, 500 + (v % 50) * 100
         FROM generate_series($1::int, $2::int) n
         CROSS JOIN LATERAL generate_series(1, 1 + ${h('n * 3 + 1', 3)}::int) k
         CROSS JOIN LATERAL (SELECT 1 + mod(${h('n * 5 + 2', sizes.skus)} + (k - 1) * 7919, ${sizes.skus})::int AS v) x`,
        [a, b],
      );
      // Step on the lifecycle path from a hash: 2% pending, 3% cancelled unpaid, then paid … completed.
      // Older orders are placed earlier: orders spread evenly over the last 365 days.
      await q(
        `INSERT INTO seed_order (n, id, customer_id, step, cancelled, placed_at, subtotal, discount, shipping, tax, total)
         SELECT n, md5('o' || n)::uuid, md5('c' || (1 + ${h('n * 11 + 3', sizes.customers)}))::uuid,
                CASE WHEN r < 20 THEN 0 WHEN r < 50 THEN 0 WHEN r < 80 THEN 1 WHEN r < 110 THEN 2 WHEN r < 140 THEN 3
                     WHEN r < 250 THEN 4 WHEN r < 500 THEN 5 ELSE 6 END,
                r >= 20 AND r < 50,
                current_setting('seed.now')::timestamptz - interval '1 hour'
                  - (current_setting('seed.orders')::int - n) * (interval '365 days' / current_setting('seed.orders')::int),
                s.subtotal, s.discount, s.shipping, s.tax, s.subtotal - s.discount + s.shipping + s.tax
         FROM (SELECT l.n, ${h('l.n * 13 + 4', 1000)} AS r, sum(l.quantity * l.price)::int AS subtotal FROM seed_line l GROUP BY l.n) o
         CROSS JOIN LATERAL (SELECT CASE WHEN o.n % 7 = 0 THEN o.subtotal / 10 ELSE 0 END AS discount) d
         CROSS JOIN LATERAL (
           SELECT o.subtotal, d.discount, CASE WHEN o.subtotal >= 5000 THEN 0 ELSE 499 END AS shipping,
                  ((o.subtotal - d.discount) * 8 + 50) / 100 AS tax
         ) s`,
      );
      await q('ANALYZE seed_order, seed_line');
      await q(
        `INSERT INTO sales_order (id, number, customer_id, status, currency, subtotal_amount, discount_amount, shipping_amount, tax_amount, total_amount,
                                  placed_at, updated_at, captured_amount, refunded_amount)
         SELECT id, nextval('order_number_seq'), customer_id,
                (CASE WHEN cancelled THEN 'CANCELLED' ELSE ($1::text[])[step + 1] END)::order_status, 'USD',
                subtotal, discount, shipping, tax, total, placed_at,
                placed_at + (CASE WHEN cancelled THEN 1 ELSE step END) * interval '1 day',
                CASE WHEN step >= 1 THEN total ELSE 0 END, 0
         FROM seed_order ORDER BY n`,
        [PATH],
      );
      await q(
        `INSERT INTO order_line (id, order_id, variant_id, position, sku, title, quantity, unit_price_amount, line_total_amount, currency)
         SELECT l.id, md5('o' || l.n)::uuid, md5('v' || l.variant)::uuid, l.k - 1, 'SEED-' || lpad(l.variant::text, 6, '0'),
                'Seed product ' || ((l.variant + 1) / 2) || ' – ' || CASE WHEN l.variant % 2 = 1 THEN 'Standard' ELSE 'Large' END,
                l.quantity, l.price, l.quantity * l.price, 'USD'
         FROM seed_line l`,
      );
      // Status history: one row per step walked (step j happens j days after placement), plus the cancellation.
      await q(
        `INSERT INTO order_status_change (id, order_id, from_status, to_status, reason, actor_kind, at)
         SELECT md5('h' || o.n || '-' || j)::uuid, o.id,
                CASE WHEN j = 0 THEN NULL ELSE (($1::text[])[j])::order_status END, (($1::text[])[j + 1])::order_status,
                NULL, CASE WHEN j = 0 THEN 'customer' ELSE 'staff' END, o.placed_at + j * interval '1 day'
         FROM seed_order o CROSS JOIN LATERAL generate_series(0, o.step) j
         UNION ALL
         SELECT md5('h' || o.n || '-x')::uuid, o.id, 'PENDING_PAYMENT', 'CANCELLED', 'customer changed their mind', 'customer', o.placed_at + interval '1 day'
         FROM seed_order o WHERE o.cancelled`,
        [PATH],
      );
      await q(
        `INSERT INTO payment_transaction (id, order_id, kind, amount_minor, currency, reason, source, idempotency_key, request_hash, actor_kind, at)
         SELECT md5('pay' || n)::uuid, id, 'CAPTURE', total, 'USD', NULL, 'seed', 'seed-capture-' || n, md5(id::text || total), 'staff', placed_at + interval '1 day'
         FROM seed_order WHERE step >= 1`,
      );
      // Confirmation reserves every line; shipping consumes the reservation and writes the ledger entry.
      await q(
        `INSERT INTO stock_reservation (id, order_id, order_line_id, variant_id, warehouse_id, quantity, status, created_at, closed_at)
         SELECT md5('r' || l.n || '-' || l.k)::uuid, o.id, l.id, md5('v' || l.variant)::uuid, $1, l.quantity,
                (CASE WHEN o.step >= 4 THEN 'CONSUMED' ELSE 'OPEN' END)::reservation_status,
                o.placed_at + interval '2 days', CASE WHEN o.step >= 4 THEN o.placed_at + interval '4 days' END
         FROM seed_order o JOIN seed_line l ON l.n = o.n WHERE o.step >= 2`,
        [WAREHOUSE_ID],
      );
      await q(
        `INSERT INTO shipment (id, order_id, warehouse_id, service_id, carrier_id, tracking_number, status, status_at, progress, last_scan_at, delivered_at, created_at)
         SELECT md5('s' || n)::uuid, id, $1, $2, $3, 'SEED' || lpad(n::text, 10, '0'),
                (CASE WHEN step >= 5 THEN 'DELIVERED' ELSE 'IN_TRANSIT' END)::shipment_status,
                placed_at + CASE WHEN step >= 5 THEN interval '5 days' ELSE interval '4 days 6 hours' END,
                CASE WHEN step >= 5 THEN 4 ELSE 2 END,
                placed_at + CASE WHEN step >= 5 THEN interval '5 days' ELSE interval '4 days 6 hours' END,
                CASE WHEN step >= 5 THEN placed_at + interval '5 days' END,
                placed_at + interval '4 days'
         FROM seed_order WHERE step >= 4`,
        [WAREHOUSE_ID, SERVICE_ID, CARRIER_ID],
      );
      await q(
        `INSERT INTO shipment_item (id, shipment_id, order_line_id, quantity)
         SELECT md5('si' || l.n || '-' || l.k)::uuid, md5('s' || l.n)::uuid, l.id, l.quantity
         FROM seed_order o JOIN seed_line l ON l.n = o.n WHERE o.step >= 4`,
      );
      await q(
        `INSERT INTO stock_movement (id, variant_id, warehouse_id, quantity, kind, reference, actor_kind, at)
         SELECT md5('m' || l.n || '-' || l.k)::uuid, md5('v' || l.variant)::uuid, $1, -l.quantity, 'SHIPMENT', 'shipment:' || md5('s' || l.n)::uuid, 'staff',
                o.placed_at + interval '4 days'
         FROM seed_order o JOIN seed_line l ON l.n = o.n WHERE o.step >= 4`,
        [WAREHOUSE_ID],
      );
      // Reviews: about one delivered line in six, by the order's own customer, two days after delivery.
      await q(
        `INSERT INTO review (id, product_id, variant_id, customer_id, order_line_id, rating, title, body, media_urls, status, created_at, updated_at, published_at)
         SELECT md5('rv' || l.n || '-' || l.k)::uuid, md5('p' || ((l.variant + 1) / 2))::uuid, md5('v' || l.variant)::uuid, o.customer_id, l.id,
                (ARRAY[1, 2, 3, 3, 4, 4, 4, 5, 5, 5])[1 + ${h("l.n * 17 + l.k", 10)}], 'Review of order ' || l.n,
                'Generated review text for a delivered line.', '{}', 'PUBLISHED',
                o.placed_at + interval '7 days', o.placed_at + interval '7 days', o.placed_at + interval '7 days'
         FROM seed_order o JOIN seed_line l ON l.n = o.n
         WHERE o.step >= 5 AND ${h('l.n * 19 + l.k', 6)} = 0`,
      );
      await q('COMMIT');
      opts.progress?.(b, sizes.orders);
    }

    // Stock: an opening RECEIPT large enough for everything shipped and reserved plus a remainder, so
    // on_hand = Σ movements and reserved = Σ OPEN reservations by construction.
    await q('BEGIN');
    await q(
      `CREATE TEMP TABLE seed_stock AS
       SELECT v.id AS variant_id,
              coalesce(sh.q, 0)::int AS shipped, coalesce(rs.q, 0)::int AS reserved,
              (coalesce(sh.q, 0) + coalesce(rs.q, 0) + 5 + ${h('v.n * 23 + 9', 120)})::int AS received
       FROM (SELECT md5('v' || n)::uuid AS id, n FROM generate_series(1, $1::int) n) v
       LEFT JOIN (SELECT variant_id, -sum(quantity) AS q FROM stock_movement WHERE warehouse_id = $2 AND kind = 'SHIPMENT' GROUP BY variant_id) sh ON sh.variant_id = v.id
       LEFT JOIN (SELECT variant_id, sum(quantity) AS q FROM stock_reservation WHERE warehouse_id = $2 AND status = 'OPEN' GROUP BY variant_id) rs ON rs.variant_id = v.id`,
      [sizes.skus, WAREHOUSE_ID],
    );
    await q(
      `INSERT INTO stock_movement (id, variant_id, warehouse_id, quantity, kind, reference, actor_kind, at)
       SELECT md5('open' || variant_id)::uuid, variant_id, $1, received, 'RECEIPT', 'seed:opening-stock', 'staff', $2::timestamptz - interval '400 days'
       FROM seed_stock`,
      [WAREHOUSE_ID, now],
    );
    await q(
      `INSERT INTO stock_level (id, variant_id, warehouse_id, on_hand, reserved, reorder_point, safety_stock, updated_at)
       SELECT md5('sl' || variant_id)::uuid, variant_id, $1, received - shipped, reserved, 10, 2, $2::timestamptz
       FROM seed_stock`,
      [WAREHOUSE_ID, now],
    );
    await q('COMMIT');
    await q('ANALYZE');
    return { seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await c.end();
  }
}

/** A plain stderr progress bar (`\r`, no dependency). */
export function progressBar(label: string): (done: number, total: number) => void {
  const started = Date.now();
  return (done, total) => {
    const width = 30;
    const filled = Math.round((done / total) * width);
    const secs = (Date.now() - started) / 1000;
    const rate = secs > 0 ? Math.round(done / secs) : 0;
    process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${rate}/s ${secs.toFixed(0)}s`);
    if (done >= total) process.stderr.write('\n');
  };
}
