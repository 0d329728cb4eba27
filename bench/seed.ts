/**
 * Demo-data generator. Writes a coherent data set straight through SQL in set-based batches
 * (INSERT … SELECT over generate_series, one statement per table per chunk), never through the API:
 * the API path costs milliseconds per order, which would make a million orders take hours.
 *
 * Coherence is what makes the data useful for demos, for analytics and for the benchmarks, so every row is
 * one the services could have written:
 * - orders walk the order lifecycle (status history PENDING_PAYMENT → … → status, or → CANCELLED), never
 *   further than their age allows; paid orders carry a CAPTURE of their total; confirmed/processing orders
 *   hold OPEN reservations; shipped ones have a shipment with items, CONSUMED reservations and SHIPMENT
 *   ledger entries; they are spread over four sales channels;
 * - shipments carry the carrier scans of their path (PICKED_UP, IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED),
 *   a few with a DELAYED scan, a few stuck in EXCEPTION;
 * - every seventh order used the SEED10 coupon (a promotion usage whose discount is the order discount);
 * - within the traffic window, most web orders are attributed to the visit they were placed in; each of
 *   them comes with ~30 visits that did not convert (≈3 % conversion) and their funnel events; ad campaigns
 *   have one daily metric row per day whose clicks are the visits they brought; listings (product ×
 *   channel) have daily metrics whose orders and revenue are the orders of that product on that channel;
 * - procurement: suppliers with offers for every SKU and one purchase order per five SKUs walked through
 *   its lifecycle; received ones have receipts whose accepted units are RECEIPT ledger entries;
 * - returns on a few delivered orders in every state the generator can make coherent; inspected
 *   restockable units are RETURN_RESTOCK ledger entries, refunded ones a SUCCEEDED refund booked as a
 *   REFUND payment (≤ captured) and counted in the order's refunded amount;
 * - support tickets (linked to the order, its shipment or its return) with messages, SLA due times from the
 *   policies, breaches where a target was missed, CSAT on some resolved ones;
 * - loyalty: an EARN entry per completed order at the multiplier of the tier held before it, memberships
 *   from the rolling 12-month completed spend; two segments;
 * - stock_level equals its ledger (opening RECEIPT + PO receipts + restocks − shipments) and its reserved
 *   equals the open reservations; reviews come only from the buyer of a delivered line.
 *
 * Ids are derived from the row number (md5 → uuid) so related rows are written without reading back ids,
 * and pseudo-random choices come from hashint8, so a given size always produces the same data.
 */
import pg from 'pg';
import { REBUILD_ALL_ROLLUPS_SQL } from '../src/modules/analytics/rollups.js';

export interface SeedSizes {
  customers: number;
  /** SKUs (product variants); products get two variants each. */
  skus: number;
  orders: number;
  /** Days (ending now) with visit-level traffic, ad and listing metrics. Default 90. */
  trafficDays?: number;
}

export const SEED_SIZES: Record<'small' | 'large', SeedSizes> = {
  small: { customers: 200, skus: 60, orders: 1_000, trafficDays: 90 },
  // 30 days of traffic for a million orders is ~1.9 M visits and ~2.3 M funnel events; a full year would
  // be twelve times that and dominate the run.
  large: { customers: 100_000, skus: 10_000, orders: 1_000_000, trafficDays: 30 },
};

/** The order lifecycle path the generator walks; an order's status is one step on it (or CANCELLED from step 0). */
const PATH = ['PENDING_PAYMENT', 'PAID', 'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'COMPLETED'] as const;

const WAREHOUSE_ID = '00000000-0000-4000-8000-00000000e001';
const CARRIER_ID = '00000000-0000-4000-8000-00000000e002';
const SERVICE_ID = '00000000-0000-4000-8000-00000000e003';
const PROMOTION_ID = '00000000-0000-4000-8000-00000000e004';
/** Sales channels, in the order of `o.ch` (1-based). */
export const SEED_CHANNELS = [
  { code: 'web', name: 'Web shop', type: 'OWN_SITE' },
  { code: 'marketplace', name: 'Marketplace', type: 'MARKETPLACE' },
  { code: 'social', name: 'Social shop', type: 'SOCIAL' },
  { code: 'store', name: 'Flagship store', type: 'RETAIL' },
] as const;
const channelId = (expr: string) => `md5('ch' || (${expr}))::uuid`;
const channelCode = (expr: string) => `(ARRAY['web', 'marketplace', 'social', 'store'])[${expr}]`;
/** Ad campaigns and the visits they bring: tracking code = the visit's utm campaign. */
const ADS = [
  { code: 'seed-search', name: 'Search always-on', platform: 'SEARCH', cpc: 80 },
  { code: 'seed-social', name: 'Social prospecting', platform: 'SOCIAL', cpc: 55 },
  { code: 'seed-display', name: 'Display retargeting', platform: 'DISPLAY', cpc: 30 },
] as const;
/** Loyalty tiers (threshold: rolling 12-month completed spend, minor units). No free shipping, so order shipping stays as computed. */
const TIERS = [
  { name: 'Bronze', threshold: 0, mult: 100 },
  { name: 'Silver', threshold: 50_000, mult: 125 },
  { name: 'Gold', threshold: 150_000, mult: 150 },
] as const;
/** SLA policies as the support migration seeds them (minutes). */
const SLA = `CASE o.t_priority WHEN 'URGENT' THEN 30 WHEN 'HIGH' THEN 60 WHEN 'NORMAL' THEN 240 ELSE 1440 END`;
const SLA_RES = `CASE o.t_priority WHEN 'URGENT' THEN 240 WHEN 'HIGH' THEN 480 WHEN 'NORMAL' THEN 1440 ELSE 4320 END`;

export interface SeedOptions {
  /** Orders written per chunk (one statement per table per chunk). */
  chunk?: number;
  /** Called after each chunk with (orders written, orders total). */
  progress?: (done: number, total: number) => void;
  /** Called when a phase starts; its progress calls follow. Defaults to nothing. */
  phase?: (name: string) => ((done: number, total: number) => void) | undefined;
  /** The most recent order is placed one hour before this instant. */
  now?: Date;
  /**
   * Skip the foreign-key triggers while loading (session_replication_role = replica; needs a superuser).
   * Every id is derived so that it points at a row written before it, and the test seeds with the checks on,
   * so this only saves the per-row trigger cost of the large run.
   */
  skipForeignKeyChecks?: boolean;
}

/** `mod(abs(hashint8(expr)), m)`: a deterministic pseudo-random integer in [0, m). */
const h = (expr: string, m: number | string) => `mod(abs(hashint8((${expr})::bigint)::bigint), ${m})`;

export async function seed(url: string, sizes: SeedSizes, opts: SeedOptions = {}): Promise<{ seconds: number }> {
  const started = Date.now();
  const chunk = opts.chunk ?? 20_000;
  const now = (opts.now ?? new Date()).toISOString();
  const trafficDays = sizes.trafficDays ?? 90;
  const products = Math.ceil(sizes.skus / 2);
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const timings = new Map<string, number>();
  const q = async (text: string, params: unknown[] = []) => {
    const t0 = Date.now();
    const r = await c.query(text, params);
    const key = text.trim().slice(0, 60).replace(/\s+/g, ' ');
    timings.set(key, (timings.get(key) ?? 0) + Date.now() - t0);
    return r;
  };
  const phase = (name: string) => opts.phase?.(name);
  try {
    const existing = await q('SELECT count(*)::int AS n FROM sales_order');
    if (existing.rows[0].n > 0) throw new Error('the database already holds orders; seed an empty (freshly migrated) database');
    // Constant parameters of the whole run, visible to every statement through current_setting.
    await q(`SELECT set_config('seed.now', $1, false), set_config('seed.orders', $2, false), set_config('seed.traffic_from', $3, false),
              set_config('seed.products', $4, false)`, [now, String(sizes.orders), new Date(Date.parse(now) - trafficDays * 86_400_000).toISOString(), String(products)]);
    await q('SET synchronous_commit = off');
    if (opts.skipForeignKeyChecks) await q('SET session_replication_role = replica');

    const ref = phase('reference data');
    await reference(q, sizes, products, now);
    ref?.(1, 1);

    // Per-chunk scratch tables: the plan for each order (customer, step on the path, totals, the extras it gets) and each line.
    await q(`CREATE TEMP TABLE seed_order (n int PRIMARY KEY, id uuid, customer_id uuid, step int, cancelled boolean, placed_at timestamptz,
             subtotal int, discount int, shipping int, tax int, total int, ch int, v1 int, p1 int, price1 int,
             attributed boolean, extra int, ship_exception boolean, delayed boolean,
             r_path text[], r_at timestamptz, restock boolean, refund int,
             t_path text[], t_at timestamptz, t_priority text, t_category text, t_fr int, t_res int) ON COMMIT PRESERVE ROWS`);
    await q(`CREATE TEMP TABLE seed_line (n int, k int, id uuid, variant int, quantity int, price int) ON COMMIT PRESERVE ROWS`);
    await q('CREATE INDEX ON seed_line (n)');

    const progress = opts.progress ?? phase('orders');
    for (let a = 1; a <= sizes.orders; a += chunk) {
      const b = Math.min(sizes.orders, a + chunk - 1);
      await q('BEGIN');
      await q('TRUNCATE seed_order, seed_line');
      await planChunk(q, sizes, products, a, b);
      await writeOrders(q);
      await writeTraffic(q);
      await writeAfterSales(q);
      await q('COMMIT');
      progress?.(b, sizes.orders);
    }

    const fin = phase('ledgers, metrics, loyalty');
    const steps = 5;
    await q('BEGIN');
    await procurement(q, sizes, now);
    fin?.(1, steps);
    await stock(q, sizes, now);
    fin?.(2, steps);
    await metrics(q, trafficDays, now);
    fin?.(3, steps);
    await loyalty(q);
    fin?.(4, steps);
    await q('COMMIT');
    // session_replication_role = replica also silenced the triggers that keep the analytics facts: rebuild them.
    if (opts.skipForeignKeyChecks) {
      await q('SET session_replication_role = origin');
      await rebuildAnalyticsFacts(q);
    }
    await q('ANALYZE');
    fin?.(5, steps);
    if (process.env.SEED_TIMINGS) for (const [k, ms] of [...timings].sort((x, y) => y[1] - x[1]).slice(0, 25)) console.error(`${String(ms).padStart(7)} ms  ${k}`);
    return { seconds: (Date.now() - started) / 1000 };
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  } finally {
    await c.end();
  }
}

type Q = (text: string, params?: unknown[]) => Promise<pg.QueryResult>;

/** The trigger-kept analytics tables and the KPI slot rollups (see the analytics migrations), recomputed from their sources in one transaction. */
export async function rebuildAnalyticsFacts(q: Q) {
  await q('BEGIN');
  await q('TRUNCATE analytics_first_order, analytics_order_units, analytics_customer_stats, analytics_stock_balance');
  await q(`INSERT INTO analytics_first_order (customer_id, order_id, placed_at)
           SELECT DISTINCT ON (customer_id) customer_id, id, placed_at FROM sales_order WHERE status <> 'CANCELLED' ORDER BY customer_id, placed_at, id`);
  await q('INSERT INTO analytics_order_units (order_id, units) SELECT order_id, sum(quantity) FROM order_line GROUP BY order_id');
  await q(`INSERT INTO analytics_customer_stats (customer_id, currency, orders, spend, last_order_at)
           SELECT customer_id, currency, count(*), sum(total_amount), max(placed_at) FROM sales_order WHERE status <> 'CANCELLED' GROUP BY 1, 2`);
  await q('INSERT INTO analytics_stock_balance (variant_id, warehouse_id, on_hand, first_at) SELECT variant_id, warehouse_id, sum(quantity), min(at) FROM stock_movement GROUP BY 1, 2');
  // The slot rollups read the facts above (units, first orders), so they come after them.
  for (const sql of REBUILD_ALL_ROLLUPS_SQL) await q(sql);
  await q('COMMIT');
}

/** Fixed rows every data set has: warehouse, carrier, channels, categories, brands, catalog, campaigns, suppliers, tiers, segments. */
async function reference(q: Q, sizes: SeedSizes, products: number, now: string): Promise<void> {
  await q(
    `INSERT INTO warehouse (id, code, name, type, city, country, active, created_at)
     VALUES ($1, 'SEED-MAIN', 'Main warehouse', 'OWN', 'Rotterdam', 'NL', true, $2::timestamptz - interval '500 days')`,
    [WAREHOUSE_ID, now],
  );
  await q(`INSERT INTO carrier (id, code, name, active) VALUES ($1, 'SEEDPOST', 'Seed Post', true)`, [CARRIER_ID]);
  await q(
    `INSERT INTO shipping_service (id, carrier_id, code, name, type, regions, max_weight_grams, max_length_mm, volumetric_divisor, transit_days, cutoff_minute_utc, currency, active)
     VALUES ($1, $2, 'STD', 'Seed Post Standard', 'STANDARD', '{*}', 30000, 1500, 5000, 3, 960, 'USD', true)`,
    [SERVICE_ID, CARRIER_ID],
  );
  await q(
    `INSERT INTO channel (id, code, name, type, currency, status, created_at, auto_confirm)
     SELECT ${channelId('c.i')}, c.code, c.name, c.type::channel_type, 'USD', 'ACTIVE', $2::timestamptz - interval '500 days', false
     FROM jsonb_array_elements($1::jsonb) WITH ORDINALITY AS e(j, i)
     CROSS JOIN LATERAL (SELECT e.j->>'code' AS code, e.j->>'name' AS name, e.j->>'type' AS type, e.i::int AS i) c`,
    [JSON.stringify(SEED_CHANNELS), now],
  );

  // Catalog: four top categories with three children each; products sit in the children.
  await q(
    `INSERT INTO category (id, name, slug, parent_id, path, created_at)
     SELECT md5('cat' || t)::uuid, (ARRAY['Home', 'Outdoor', 'Kitchen', 'Apparel'])[t], 'seed-' || lower((ARRAY['Home', 'Outdoor', 'Kitchen', 'Apparel'])[t]),
            NULL, ARRAY[md5('cat' || t)::uuid], $1::timestamptz - interval '500 days'
     FROM generate_series(1, 4) t`,
    [now],
  );
  await q(
    `INSERT INTO category (id, name, slug, parent_id, path, created_at)
     SELECT md5('cat' || t || '-' || s)::uuid, (ARRAY['Home', 'Outdoor', 'Kitchen', 'Apparel'])[t] || ' ' || (ARRAY['basics', 'premium', 'accessories'])[s],
            'seed-' || lower((ARRAY['Home', 'Outdoor', 'Kitchen', 'Apparel'])[t]) || '-' || (ARRAY['basics', 'premium', 'accessories'])[s],
            md5('cat' || t)::uuid, ARRAY[md5('cat' || t)::uuid, md5('cat' || t || '-' || s)::uuid], $1::timestamptz - interval '500 days'
     FROM generate_series(1, 4) t CROSS JOIN generate_series(1, 3) s`,
    [now],
  );
  await q(
    `INSERT INTO brand (id, name, story, positioning, guidelines, created_at)
     SELECT md5('brand' || i)::uuid, (ARRAY['Seedling', 'Northfield', 'Copperleaf'])[i], 'Generated brand story.', 'Everyday quality.', 'Plain words, no superlatives.',
            $1::timestamptz - interval '500 days'
     FROM generate_series(1, 3) i`,
    [now],
  );

  for (let a = 1; a <= sizes.customers; a += 50_000) {
    const b = Math.min(sizes.customers, a + 49_999);
    await q(
      `INSERT INTO customer (id, email, name, created_at)
       SELECT md5('c' || n)::uuid, 'customer' || n || '@seed.example', 'Customer ' || n, $3::timestamptz - interval '500 days'
       FROM generate_series($1::int, $2::int) n`,
      [a, b, now],
    );
  }
  await q(
    `INSERT INTO product (id, name, slug, description, category_id, brand_id, status, created_at)
     SELECT md5('p' || n)::uuid, 'Seed product ' || n, 'seed-product-' || n, 'Generated demo product number ' || n,
            md5('cat' || (1 + n % 4) || '-' || (1 + (n / 4) % 3))::uuid,
            -- Three products in four carry one of the three brands; the rest are unbranded.
            CASE WHEN n % 4 = 0 THEN NULL ELSE md5('brand' || (1 + n % 3))::uuid END, 'ACTIVE', $2::timestamptz - interval '450 days'
     FROM generate_series(1, $1::int) n`,
    [products, now],
  );
  // Prices are a function of the variant number so order lines can be priced without a join; cost is 60 % of price.
  await q(
    `INSERT INTO product_variant (id, product_id, sku, name, price_amount, currency, cost_amount, weight_grams, active)
     SELECT md5('v' || n)::uuid, md5('p' || ((n + 1) / 2))::uuid, 'SEED-' || lpad(n::text, 6, '0'), CASE WHEN n % 2 = 1 THEN 'Standard' ELSE 'Large' END,
            500 + (n % 50) * 100, 'USD', (500 + (n % 50) * 100) * 6 / 10, 250 + (n % 7) * 100, true
     FROM generate_series(1, $1::int) n`,
    [sizes.skus],
  );
  // Listings: every product on every channel, published a day after it was drafted (DRAFT → PUBLISHED).
  await q(
    `INSERT INTO listing (id, product_id, channel_id, status, title, description, keywords, published_at, created_at, updated_at)
     SELECT md5('li' || p || '-' || ch)::uuid, md5('p' || p)::uuid, ${channelId('ch')}, 'PUBLISHED', 'Seed product ' || p,
            'Generated listing of demo product ' || p || ' on ' || ${channelCode('ch')}, '{seed,demo}',
            $2::timestamptz - interval '439 days', $2::timestamptz - interval '440 days', $2::timestamptz - interval '439 days'
     FROM generate_series(1, $1::int) p CROSS JOIN generate_series(1, 4) ch`,
    [products, now],
  );
  await q(
    `INSERT INTO listing_status_change (id, listing_id, from_status, to_status, reason, actor_kind, at)
     SELECT md5('lsc' || id || '-' || j)::uuid, id, CASE WHEN j = 1 THEN 'DRAFT'::listing_status END,
            (CASE WHEN j = 0 THEN 'DRAFT' ELSE 'PUBLISHED' END)::listing_status, NULL, 'staff', created_at + j * interval '1 day'
     FROM listing CROSS JOIN generate_series(0, 1) j`,
  );

  // Marketing: a campaign per year half plus an always-on one; ad campaigns under the always-on one.
  await q(
    `INSERT INTO campaign (id, name, objective, starts_at, ends_at, budget_amount, currency, status, created_at) VALUES
       (md5('camp1')::uuid, 'Always-on performance', 'Sales from paid search, social and display', $1::timestamptz - interval '420 days', $1::timestamptz + interval '60 days', 50000000, 'USD', 'ACTIVE', $1::timestamptz - interval '430 days'),
       (md5('camp2')::uuid, 'Spring collection', 'Launch the spring range', $1::timestamptz - interval '300 days', $1::timestamptz - interval '240 days', 2000000, 'USD', 'ENDED', $1::timestamptz - interval '320 days'),
       (md5('camp3')::uuid, 'Holiday gifting', 'Gift season awareness', $1::timestamptz + interval '20 days', $1::timestamptz + interval '50 days', 3000000, 'USD', 'SCHEDULED', $1::timestamptz - interval '10 days')`,
    [now],
  );
  await q(
    `INSERT INTO ad_campaign (id, name, platform, campaign_id, budget_amount, currency, tracking_code, created_at)
     SELECT md5('ad' || a.code)::uuid, a.name, a.platform::ad_platform, md5('camp1')::uuid, 20000000, 'USD', a.code, $2::timestamptz - interval '420 days'
     FROM jsonb_to_recordset($1::jsonb) AS a(code text, name text, platform text)`,
    [JSON.stringify(ADS), now],
  );
  await q(
    `INSERT INTO promotion (id, name, kind, target, percent, min_subtotal_amount, currency, coupon_code, stackable, priority, status, campaign_id, created_at)
     VALUES ($1, '10 % off with SEED10', 'PERCENT_OFF', 'ORDER', 10, 0, 'USD', 'SEED10', true, 0, 'ACTIVE', md5('camp1')::uuid, $2::timestamptz - interval '400 days')`,
    [PROMOTION_ID, now],
  );
  await q(
    `INSERT INTO influencer (id, name, platform, handle, tier, followers, rate_amount, currency, created_at)
     SELECT md5('inf' || i)::uuid, 'Influencer ' || i, (ARRAY['instagram', 'youtube', 'tiktok', 'instagram'])[i], 'seed_creator_' || i,
            (CASE WHEN i <= 2 THEN 'KOL' ELSE 'KOC' END)::influencer_tier, (ARRAY[850000, 420000, 12000, 8000])[i], (ARRAY[500000, 300000, 20000, 15000])[i],
            'USD', $1::timestamptz - interval '330 days'
     FROM generate_series(1, 4) i`,
    [now],
  );
  // Collaborations: completed (PROPOSED → AGREED → LIVE → COMPLETED in the spring campaign), one live, one proposed.
  await q(
    `INSERT INTO collaboration (id, influencer_id, campaign_id, fee_amount, currency, deliverables, coupon_code, tracking_code, status, created_at)
     SELECT md5('col' || i)::uuid, md5('inf' || i)::uuid, CASE WHEN i <= 2 THEN md5('camp2')::uuid ELSE md5('camp1')::uuid END,
            (ARRAY[500000, 300000, 20000])[i], 'USD', 'Two posts and a story', NULL, 'seed-collab-' || i,
            (ARRAY['COMPLETED', 'LIVE', 'PROPOSED'])[i]::collaboration_status, $1::timestamptz - interval '310 days' + i * interval '60 days'
     FROM generate_series(1, 3) i`,
    [now],
  );
  await q(
    `INSERT INTO content_piece (id, brand_id, campaign_id, type, platform, title, status, planned_for, published_at, views, likes, comments, shares, clicks, created_at)
     SELECT md5('cp' || i)::uuid, md5('brand' || (1 + i % 3))::uuid, md5('camp' || (1 + i % 2))::uuid,
            (ARRAY['ARTICLE', 'VIDEO', 'SOCIAL_POST', 'EMAIL', 'SOCIAL_POST', 'LIVESTREAM'])[i]::content_type,
            (ARRAY['blog', 'youtube', 'instagram', 'newsletter', 'tiktok', 'instagram'])[i], 'Seed content piece ' || i,
            (CASE WHEN i <= 4 THEN 'PUBLISHED' WHEN i = 5 THEN 'PLANNED' ELSE 'ARCHIVED' END)::content_status,
            $1::timestamptz - interval '200 days' + i * interval '30 days',
            CASE WHEN i <= 4 OR i = 6 THEN $1::timestamptz - interval '200 days' + i * interval '30 days' END,
            CASE WHEN i <= 4 OR i = 6 THEN 1000 * i * i ELSE 0 END, CASE WHEN i <= 4 OR i = 6 THEN 80 * i ELSE 0 END,
            CASE WHEN i <= 4 OR i = 6 THEN 9 * i ELSE 0 END, CASE WHEN i <= 4 OR i = 6 THEN 4 * i ELSE 0 END, CASE WHEN i <= 4 OR i = 6 THEN 30 * i ELSE 0 END,
            $1::timestamptz - interval '230 days' + i * interval '30 days'
     FROM generate_series(1, 6) i`,
    [now],
  );

  // Procurement: five approved suppliers (PROSPECT → APPROVED), each SKU offered by two of them.
  await q(
    `INSERT INTO supplier (id, name, country, status, contacts, certifications, created_at)
     SELECT md5('sup' || s)::uuid, 'Seed Supplier ' || s, (ARRAY['CN', 'VN', 'DE', 'PL', 'TR'])[s], 'APPROVED',
            jsonb_build_array(jsonb_build_object('name', 'Account manager ' || s, 'email', 'sales' || s || '@supplier.seed.example')),
            CASE WHEN s % 2 = 0 THEN '{ISO 9001}'::text[] ELSE '{}'::text[] END, $1::timestamptz - interval '480 days'
     FROM generate_series(1, 5) s`,
    [now],
  );
  await q(
    `INSERT INTO supplier_status_change (id, supplier_id, from_status, to_status, reason, actor_kind, at)
     SELECT md5('ssc' || s || '-' || j)::uuid, md5('sup' || s)::uuid, CASE WHEN j = 1 THEN 'PROSPECT'::supplier_status END,
            (CASE WHEN j = 0 THEN 'PROSPECT' ELSE 'APPROVED' END)::supplier_status, NULL, 'staff', $1::timestamptz - interval '480 days' + j * interval '10 days'
     FROM generate_series(1, 5) s CROSS JOIN generate_series(0, 1) j`,
    [now],
  );
  // The preferred supplier of SKU v is 1 + v % 5 (the one its purchase order goes to); the next one quotes 5 % more.
  await q(
    `INSERT INTO supplier_offer (id, supplier_id, variant_id, unit_cost_amount, currency, moq, lead_time_days, preferred, updated_at)
     SELECT md5('so' || v || '-' || j)::uuid, md5('sup' || (1 + (v + j) % 5))::uuid, md5('v' || v)::uuid,
            ((500 + (v % 50) * 100) * 6 / 10) * (100 + 5 * j) / 100, 'USD', 10, 14 + 7 * j, j = 0, $2::timestamptz - interval '400 days'
     FROM generate_series(1, $1::int) v CROSS JOIN generate_series(0, 1) j`,
    [sizes.skus, now],
  );

  await q(
    `INSERT INTO membership_tier (id, name, threshold_amount, currency, points_multiplier_percent, free_shipping, created_at)
     SELECT md5('tier' || t.name)::uuid, t.name, t.threshold, 'USD', t.mult, false, $2::timestamptz - interval '500 days'
     FROM jsonb_to_recordset($1::jsonb) AS t(name text, threshold int, mult int)`,
    [JSON.stringify(TIERS), now],
  );
  await q(
    `INSERT INTO segment (id, name, rules, currency, created_at) VALUES
       (md5('seg1')::uuid, 'Regulars', '{"minOrders": 5, "orderedWithinDays": 90}', 'USD', $1::timestamptz - interval '100 days'),
       (md5('seg2')::uuid, 'Lapsed big spenders', '{"minSpend": 50000, "notOrderedForDays": 60}', 'USD', $1::timestamptz - interval '100 days')`,
    [now],
  );
}

/** Plans one chunk of orders and their lines: every later statement of the chunk reads these two tables. */
async function planChunk(q: Q, sizes: SeedSizes, products: number, a: number, b: number): Promise<void> {
  // Three distinct variants at most per order: offsets 0, 7919 and 15838 never collide modulo the SKU count
  // unless it divides them, which the CLI rules out.
  await q(
    `INSERT INTO seed_line (n, k, id, variant, quantity, price)
     SELECT n, k, md5('l' || n || '-' || k)::uuid, v, 1 + ${h('n * 4 + k + 7', 3)}, 500 + (v % 50) * 100
     FROM generate_series($1::int, $2::int) n
     CROSS JOIN LATERAL generate_series(1, 1 + ${h('n * 3 + 1', 3)}::int) k
     CROSS JOIN LATERAL (SELECT 1 + mod(${h('n * 5 + 2', sizes.skus)} + (k - 1) * 7919, ${sizes.skus})::int AS v) x`,
    [a, b],
  );
  // Step on the lifecycle path from a hash: 2% pending, 3% cancelled unpaid, then paid … completed; step j is
  // reached j days after placement and what follows it (scans, reviews) within the next day, so an order older
  // than d whole days is at step d − 1 at most: nothing is dated after now.
  // Orders spread evenly over the last 365 days.
  await q(
    `INSERT INTO seed_order (n, id, customer_id, step, cancelled, placed_at, subtotal, discount, shipping, tax, total, ch, v1, p1, price1, attributed, extra,
                             ship_exception, delayed)
     SELECT o.n, md5('o' || o.n)::uuid, md5('c' || (1 + ${h('o.n * 11 + 3', sizes.customers)}))::uuid,
            greatest(0, least(st.step, age.days - 1)), st.cancelled AND age.days >= 1, t.placed_at,
            s.subtotal, s.discount, s.shipping, s.tax, s.subtotal - s.discount + s.shipping + s.tax,
            ch.ch, o.v1, (o.v1 + 1) / 2, 500 + (o.v1 % 50) * 100,
            ch.ch <> 4 AND t.placed_at >= current_setting('seed.traffic_from')::timestamptz AND ${h('o.n * 31 + 6', 10)} < 7,
            24 + ${h('o.n * 37', 12)},
            greatest(0, least(st.step, age.days - 1)) = 4 AND ${h('o.n * 83 + 13', 100)} < 4,
            greatest(0, least(st.step, age.days - 1)) >= 5 AND ${h('o.n * 89 + 14', 100)} < 3
     FROM (SELECT l.n, ${h('l.n * 13 + 4', 1000)} AS r, sum(l.quantity * l.price)::int AS subtotal, min(l.variant) FILTER (WHERE l.k = 1) AS v1
           FROM seed_line l GROUP BY l.n) o
     CROSS JOIN LATERAL (SELECT current_setting('seed.now')::timestamptz - interval '1 hour'
                           - (current_setting('seed.orders')::int - o.n) * (interval '365 days' / current_setting('seed.orders')::int) AS placed_at) t
     CROSS JOIN LATERAL (SELECT floor(extract(epoch FROM current_setting('seed.now')::timestamptz - t.placed_at) / 86400)::int AS days) age
     CROSS JOIN LATERAL (SELECT CASE WHEN o.r < 50 THEN 0 WHEN o.r < 80 THEN 1 WHEN o.r < 110 THEN 2 WHEN o.r < 140 THEN 3
                                     WHEN o.r < 250 THEN 4 WHEN o.r < 500 THEN 5 ELSE 6 END AS step, o.r >= 20 AND o.r < 50 AS cancelled) st
     CROSS JOIN LATERAL (SELECT CASE WHEN x < 60 THEN 1 WHEN x < 85 THEN 2 WHEN x < 95 THEN 3 ELSE 4 END AS ch FROM (SELECT ${h('o.n * 29 + 5', 100)} AS x) y) ch
     CROSS JOIN LATERAL (SELECT CASE WHEN o.n % 7 = 0 THEN o.subtotal / 10 ELSE 0 END AS discount) d
     CROSS JOIN LATERAL (
       SELECT o.subtotal, d.discount, CASE WHEN o.subtotal >= 5000 THEN 0 ELSE 499 END AS shipping,
              ((o.subtotal - d.discount) * 8 + 50) / 100 AS tax
     ) s`,
  );
  // Returns: ~4 % of delivered orders older than 20 days, on their first line (one unit), each in one of the
  // states the lifecycle allows (path from REQUESTED); a day per move.
  await q(
    `UPDATE seed_order o SET r_path = p.path, r_at = o.placed_at + interval '8 days',
            restock = array_length(p.path, 1) >= 5 AND ${h('o.n * 97 + 15', 10)} < 7,
            refund = CASE WHEN array_length(p.path, 1) >= 6 THEN least(o.price1, o.total) ELSE 0 END
     FROM (SELECT n, CASE WHEN x < 15 THEN '{REQUESTED}' WHEN x < 30 THEN '{REQUESTED,APPROVED}' WHEN x < 40 THEN '{REQUESTED,REJECTED}'
                          WHEN x < 48 THEN '{REQUESTED,CANCELLED}' WHEN x < 58 THEN '{REQUESTED,APPROVED,IN_TRANSIT,RECEIVED}'
                          WHEN x < 68 THEN '{REQUESTED,APPROVED,IN_TRANSIT,RECEIVED,INSPECTED}'
                          WHEN x < 84 THEN '{REQUESTED,APPROVED,IN_TRANSIT,RECEIVED,INSPECTED,REFUNDED}'
                          ELSE '{REQUESTED,APPROVED,IN_TRANSIT,RECEIVED,INSPECTED,REFUNDED,CLOSED}' END::text[] AS path
           FROM (SELECT n, ${h('n * 61 + 9', 100)} AS x FROM seed_order) y) p
     WHERE p.n = o.n AND o.step >= 5 AND o.placed_at < current_setting('seed.now')::timestamptz - interval '20 days' AND ${h('o.n * 59 + 8', 100)} < 4`,
  );
  // Support tickets on ~3 % of orders: about the return if there is one, else the shipment, else the order.
  // Unresolved tickets are recent (opened in the last two days); resolved ones were handled within their
  // targets mostly, and breached them when the response or resolution came late.
  await q(
    `UPDATE seed_order o SET t_path = p.path, t_priority = p.priority,
            t_category = CASE WHEN o.r_path IS NOT NULL THEN 'RETURN' WHEN o.step >= 5 AND o.n % 2 = 0 THEN 'PRODUCT_QUALITY' WHEN o.step >= 4 THEN 'LOGISTICS' ELSE 'INQUIRY' END,
            t_at = CASE WHEN o.r_path IS NOT NULL THEN o.r_at + interval '1 day' ELSE o.placed_at + (2 + o.step) * interval '1 day' END,
            t_fr = 10 + ${h('o.n * 103 + 17', 100)}, t_res = 10 + ${h('o.n * 107 + 18', 100)}
     FROM (SELECT n, CASE WHEN x < 8 THEN '{NEW}' WHEN x < 18 THEN '{NEW,OPEN}' WHEN x < 26 THEN '{NEW,OPEN,PENDING_CUSTOMER}'
                          WHEN x < 60 THEN '{NEW,OPEN,RESOLVED}' ELSE '{NEW,OPEN,RESOLVED,CLOSED}' END::text[] AS path,
                  CASE WHEN y < 10 THEN 'URGENT' WHEN y < 30 THEN 'HIGH' WHEN y < 85 THEN 'NORMAL' ELSE 'LOW' END AS priority
           FROM (SELECT n, ${h('n * 71 + 11', 100)} AS x, ${h('n * 73 + 19', 100)} AS y FROM seed_order) z) p
     WHERE p.n = o.n AND (${h('o.n * 67 + 10', 100)} < 3 OR (o.r_path IS NOT NULL AND ${h('o.n * 67 + 10', 100)} < 40))
       AND o.placed_at < current_setting('seed.now')::timestamptz - interval '7 days' AND NOT o.ship_exception
       AND (array_length(p.path, 1) <= 2 OR p.path[3] = 'PENDING_CUSTOMER' OR o.placed_at < current_setting('seed.now')::timestamptz - interval '30 days')`,
  );
  // A carrier exception opens a HIGH logistics ticket for the shipment at the exception scan (the tracking hook's
  // system ticket); older ones were answered and closed, recent ones are being worked on.
  await q(
    `UPDATE seed_order o SET t_category = 'LOGISTICS', t_priority = 'HIGH', t_at = o.placed_at + interval '4 days 18 hours',
            t_path = CASE WHEN o.placed_at < current_setting('seed.now')::timestamptz - interval '14 days' THEN '{NEW,OPEN,RESOLVED,CLOSED}' ELSE '{NEW,OPEN}' END::text[],
            t_fr = 10 + ${h('o.n * 103 + 17', 80)}, t_res = 10 + ${h('o.n * 107 + 18', 80)}
     WHERE o.ship_exception`,
  );
  // Unresolved tickets were opened recently: NEW ones within 1.3 first-response targets, answered ones long
  // enough ago for the answer (and the wait for the customer) to be in the past.
  await q(
    `UPDATE seed_order o SET t_at = current_setting('seed.now')::timestamptz - CASE WHEN array_length(o.t_path, 1) = 1
              THEN 5 + ${h('o.n * 101 + 16', `(${SLA}) * 13 / 10`)} ELSE (${SLA}) * o.t_fr / 100 + 90 + ${h('o.n * 101 + 16', 1440)} END * interval '1 minute'
     WHERE o.t_path IS NOT NULL AND NOT o.ship_exception AND (array_length(o.t_path, 1) <= 2 OR o.t_path[3] = 'PENDING_CUSTOMER')`,
  );
  await q('ANALYZE seed_order, seed_line');
}

/** Orders, lines, history, payments, reservations, shipments with their scans, ledger entries, coupon usages, reviews. */
async function writeOrders(q: Q): Promise<void> {
  await q(
    `INSERT INTO sales_order (id, number, customer_id, channel_id, status, currency, subtotal_amount, discount_amount, shipping_amount, tax_amount, total_amount,
                              placed_at, updated_at, captured_amount, refunded_amount, shipping_service_id)
     SELECT id, nextval('order_number_seq'), customer_id, ${channelId('ch')},
            (CASE WHEN cancelled THEN 'CANCELLED' ELSE ($1::text[])[step + 1] END)::order_status, 'USD',
            subtotal, discount, shipping, tax, total, placed_at,
            -- a refund changes the order (refunded amount) after its last status change
            greatest(placed_at + (CASE WHEN cancelled THEN 1 ELSE step END) * interval '1 day', CASE WHEN refund > 0 THEN r_at + interval '5 days' END),
            CASE WHEN step >= 1 AND NOT cancelled THEN total ELSE 0 END, coalesce(refund, 0), $2::uuid
     FROM seed_order ORDER BY n`,
    [PATH, SERVICE_ID],
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
     FROM seed_order o CROSS JOIN LATERAL generate_series(0, CASE WHEN o.cancelled THEN 0 ELSE o.step END) j
     UNION ALL
     SELECT md5('h' || o.n || '-x')::uuid, o.id, 'PENDING_PAYMENT', 'CANCELLED', 'customer changed their mind', 'customer', o.placed_at + interval '1 day'
     FROM seed_order o WHERE o.cancelled`,
    [PATH],
  );
  await q(
    `INSERT INTO payment_transaction (id, order_id, kind, amount_minor, currency, reason, source, idempotency_key, request_hash, actor_kind, at)
     SELECT md5('pay' || n)::uuid, id, 'CAPTURE', total, 'USD', NULL, 'seed', 'seed-capture-' || n, md5(id::text || total), 'staff', placed_at + interval '1 day'
     FROM seed_order WHERE step >= 1 AND NOT cancelled`,
  );
  // SEED10: the coupon behind every discounted order; released when the order was cancelled.
  await q(
    `INSERT INTO promotion_usage (id, promotion_id, order_id, customer_id, position, name, coupon_code, discount_amount, shipping_discount_amount, currency, released_at)
     SELECT md5('pu' || n)::uuid, $1, id, customer_id, 0, '10 % off with SEED10', 'SEED10', discount, 0, 'USD',
            CASE WHEN cancelled THEN placed_at + interval '1 day' END
     FROM seed_order WHERE discount > 0`,
    [PROMOTION_ID],
  );
  // Confirmation reserves every line; shipping consumes the reservation and writes the ledger entry.
  await q(
    `INSERT INTO stock_reservation (id, order_id, order_line_id, variant_id, warehouse_id, quantity, status, created_at, closed_at)
     SELECT md5('r' || l.n || '-' || l.k)::uuid, o.id, l.id, md5('v' || l.variant)::uuid, $1, l.quantity,
            (CASE WHEN o.step >= 4 THEN 'CONSUMED' ELSE 'OPEN' END)::reservation_status,
            o.placed_at + interval '2 days', CASE WHEN o.step >= 4 THEN o.placed_at + interval '4 days' END
     FROM seed_order o JOIN seed_line l ON l.n = o.n WHERE o.step >= 2 AND NOT o.cancelled`,
    [WAREHOUSE_ID],
  );
  // Shipments: label at +4 days, picked up +2 h, in transit +6 h, out for delivery +4 days 20 h, delivered +5 days.
  // A few in-transit ones are stuck in EXCEPTION (+4 days 18 h; flagged, with the system ticket the tracking hook
  // opens); a few delivered ones were DELAYED on the way.
  await q(
    `INSERT INTO shipment (id, order_id, warehouse_id, service_id, carrier_id, tracking_number, status, status_at, progress, last_scan_at, delivered_at,
                           flagged_at, flag_reason, created_at)
     SELECT md5('s' || n)::uuid, id, $1, $2, $3, 'SEED' || lpad(n::text, 10, '0'),
            (CASE WHEN step >= 5 THEN 'DELIVERED' WHEN ship_exception THEN 'EXCEPTION' ELSE 'IN_TRANSIT' END)::shipment_status,
            placed_at + CASE WHEN step >= 5 THEN interval '5 days' WHEN ship_exception THEN interval '4 days 18 hours' ELSE interval '4 days 6 hours' END,
            CASE WHEN step >= 5 THEN 4 ELSE 2 END,
            placed_at + CASE WHEN step >= 5 THEN interval '5 days' WHEN ship_exception THEN interval '4 days 18 hours' ELSE interval '4 days 6 hours' END,
            CASE WHEN step >= 5 THEN placed_at + interval '5 days' END,
            CASE WHEN ship_exception THEN placed_at + interval '4 days 18 hours' END, CASE WHEN ship_exception THEN 'EXCEPTION: Address not found' END,
            placed_at + interval '4 days'
     FROM seed_order WHERE step >= 4 AND NOT cancelled`,
    [WAREHOUSE_ID, SERVICE_ID, CARRIER_ID],
  );
  await q(
    `INSERT INTO tracking_event (id, shipment_id, carrier_id, carrier_event_id, status, raw_code, location, occurred_at, description, received_at)
     SELECT md5('te' || o.n || '-' || e.code)::uuid, md5('s' || o.n)::uuid, $1, 'seed-' || o.n || '-' || e.code, e.status::shipment_status, e.code,
            e.location, o.placed_at + e.after, e.description, o.placed_at + e.after + interval '1 minute'
     FROM seed_order o
     CROSS JOIN LATERAL (VALUES
       ('PU', 'PICKED_UP', interval '4 days 2 hours', 'Rotterdam', 'Picked up', true),
       ('IT', 'IN_TRANSIT', interval '4 days 6 hours', 'Utrecht hub', 'In transit', true),
       ('EX', 'EXCEPTION', interval '4 days 18 hours', 'Utrecht hub', 'Address not found', o.ship_exception),
       ('DL', 'DELAYED', interval '4 days 12 hours', 'Utrecht hub', 'Delayed at hub', o.step >= 5 AND o.delayed),
       ('OD', 'OUT_FOR_DELIVERY', interval '4 days 20 hours', 'Local depot', 'Out for delivery', o.step >= 5),
       ('DV', 'DELIVERED', interval '5 days', 'Doorstep', 'Delivered', o.step >= 5)
     ) e(code, status, after, location, description, present)
     WHERE o.step >= 4 AND NOT o.cancelled AND e.present`,
    [CARRIER_ID],
  );
  await q(
    `INSERT INTO shipment_item (id, shipment_id, order_line_id, quantity)
     SELECT md5('si' || l.n || '-' || l.k)::uuid, md5('s' || l.n)::uuid, l.id, l.quantity
     FROM seed_order o JOIN seed_line l ON l.n = o.n WHERE o.step >= 4 AND NOT o.cancelled`,
  );
  await q(
    `INSERT INTO stock_movement (id, variant_id, warehouse_id, quantity, kind, reference, actor_kind, at)
     SELECT md5('m' || l.n || '-' || l.k)::uuid, md5('v' || l.variant)::uuid, $1, -l.quantity, 'SHIPMENT', 'shipment:' || md5('s' || l.n)::uuid, 'staff',
            o.placed_at + interval '4 days'
     FROM seed_order o JOIN seed_line l ON l.n = o.n WHERE o.step >= 4 AND NOT o.cancelled`,
    [WAREHOUSE_ID],
  );
  // Reviews: about one delivered line in six, by the order's own customer, two days after delivery.
  await q(
    `INSERT INTO review (id, product_id, variant_id, customer_id, order_line_id, rating, title, body, media_urls, status, created_at, updated_at, published_at)
     SELECT md5('rv' || l.n || '-' || l.k)::uuid, md5('p' || ((l.variant + 1) / 2))::uuid, md5('v' || l.variant)::uuid, o.customer_id, l.id,
            (ARRAY[1, 2, 3, 3, 4, 4, 4, 5, 5, 5])[1 + ${h('l.n * 17 + l.k', 10)}], 'Review of order ' || l.n,
            'Generated review text for a delivered line.', '{}', 'PUBLISHED',
            o.placed_at + interval '7 days', o.placed_at + interval '7 days', o.placed_at + interval '7 days'
     FROM seed_order o JOIN seed_line l ON l.n = o.n
     WHERE o.step >= 5 AND NOT o.cancelled AND o.placed_at + interval '7 days' < current_setting('seed.now')::timestamptz AND ${h('l.n * 19 + l.k', 6)} = 0`,
  );
}

/** The visits of the chunk's attributed orders: the converting one (k = 0) and the ones that did not convert. */
async function writeTraffic(q: Q): Promise<void> {
  const start = `CASE WHEN k = 0 THEN o.placed_at - interval '20 minutes' ELSE o.placed_at - (1 + ${h('o.n * 41 + k', 1440)}) * interval '1 minute' END`;
  await q(
    `INSERT INTO traffic_session (id, session_key, customer_id, source, medium, campaign, channel_code, device, started_at)
     SELECT md5('ts' || o.n || '-' || k)::uuid, 'seed-s-' || o.n || '-' || k, CASE WHEN k = 0 THEN o.customer_id END,
            src.source, src.medium, src.campaign,
            CASE WHEN k = 0 THEN ${channelCode('o.ch')} ELSE ${channelCode(`1 + ${h('o.n * 43 + k', 3)}`)} END,
            (ARRAY['MOBILE', 'MOBILE', 'MOBILE', 'DESKTOP', 'DESKTOP', 'TABLET'])[1 + ${h('o.n * 47 + k', 6)}]::device,
            ${start}
     FROM seed_order o CROSS JOIN LATERAL generate_series(0, o.extra) k
     CROSS JOIN LATERAL (SELECT ${h('o.n * 53 + k * 7', 100)} AS x) r
     CROSS JOIN LATERAL (SELECT
       CASE WHEN x < 15 THEN 'google' WHEN x < 25 THEN 'facebook' WHEN x < 30 THEN 'gdn' WHEN x < 60 THEN 'google' WHEN x < 80 THEN 'direct' WHEN x < 90 THEN 'newsletter' ELSE 'instagram' END AS source,
       CASE WHEN x < 15 THEN 'cpc' WHEN x < 25 THEN 'paid_social' WHEN x < 30 THEN 'display' WHEN x < 60 THEN 'organic' WHEN x < 80 THEN '(none)' WHEN x < 90 THEN 'email' ELSE 'social' END AS medium,
       CASE WHEN x < 15 THEN 'seed-search' WHEN x < 25 THEN 'seed-social' WHEN x < 30 THEN 'seed-display' END AS campaign) src
     WHERE o.attributed`,
  );
  // Funnel: the converting visit views the first product, adds it, checks out and purchases at placement;
  // 12 % of the others add to cart and 5 % start a checkout.
  await q(
    `INSERT INTO funnel_event (id, event_key, session_id, step, product_id, order_id, occurred_at)
     SELECT md5('fe' || o.n || '-' || k || '-' || st)::uuid, 'seed-e-' || o.n || '-' || k || '-' || st, md5('ts' || o.n || '-' || k)::uuid,
            (ARRAY['PRODUCT_VIEW', 'ADD_TO_CART', 'CHECKOUT_START', 'PURCHASE'])[st]::funnel_step,
            CASE WHEN k = 0 THEN md5('p' || o.p1)::uuid ELSE md5('p' || (1 + ${h('o.n * 59 + k', 'current_setting(\'seed.products\')::int')}))::uuid END,
            CASE WHEN st = 4 THEN o.id END,
            CASE WHEN st = 4 THEN o.placed_at ELSE ${start} + (st - 1) * interval '5 minutes' END
     FROM seed_order o CROSS JOIN LATERAL generate_series(0, o.extra) k
     CROSS JOIN LATERAL (SELECT ${h('o.n * 61 + k * 3', 100)} AS y) r
     CROSS JOIN LATERAL generate_series(1, CASE WHEN k = 0 THEN 4 WHEN r.y < 5 THEN 3 WHEN r.y < 12 THEN 2 ELSE 1 END) st
     WHERE o.attributed`,
  );
  await q(
    `INSERT INTO order_attribution (id, order_id, session_key)
     SELECT md5('oa' || n)::uuid, id, 'seed-s-' || n || '-0' FROM seed_order WHERE attributed`,
  );
}

/** Returns (with history, inspection restocks and refunds) and support tickets (with history and messages). */
async function writeAfterSales(q: Q): Promise<void> {
  await q(
    `INSERT INTO return_request (id, order_id, customer_id, status, resolution, customer_note, photo_urls, requested_at, updated_at)
     SELECT md5('rt' || n)::uuid, id, customer_id, r_path[array_length(r_path, 1)]::return_status, 'REFUND', 'Generated return request', '[]',
            r_at, r_at + (array_length(r_path, 1) - 1) * interval '1 day'
     FROM seed_order WHERE r_path IS NOT NULL`,
  );
  await q(
    `INSERT INTO return_status_change (id, return_request_id, from_status, to_status, reason, actor_kind, at)
     SELECT md5('rsc' || o.n || '-' || j)::uuid, md5('rt' || o.n)::uuid, o.r_path[j - 1]::return_status, o.r_path[j]::return_status,
            CASE o.r_path[j] WHEN 'REJECTED' THEN 'outside the return window' WHEN 'CANCELLED' THEN 'customer kept the item' END,
            CASE WHEN j = 1 OR o.r_path[j] IN ('IN_TRANSIT', 'CANCELLED') THEN 'customer' ELSE 'staff' END, o.r_at + (j - 1) * interval '1 day'
     FROM seed_order o CROSS JOIN LATERAL generate_series(1, array_length(o.r_path, 1)) j WHERE o.r_path IS NOT NULL`,
  );
  await q(
    `INSERT INTO return_line (id, return_request_id, order_line_id, position, quantity, reason_code, note, condition, restockable, restock_warehouse_id)
     SELECT md5('rl' || n)::uuid, md5('rt' || n)::uuid, md5('l' || n || '-1')::uuid, 0, 1,
            (ARRAY['DAMAGED', 'DEFECTIVE', 'WRONG_SIZE', 'NO_LONGER_NEEDED', 'NOT_AS_DESCRIBED'])[1 + ${h('n * 109 + 20', 5)}]::return_reason_code, NULL,
            CASE WHEN array_length(r_path, 1) >= 5 THEN (CASE WHEN restock THEN 'OPENED' ELSE 'DAMAGED' END)::return_item_condition END,
            CASE WHEN array_length(r_path, 1) >= 5 THEN restock END, CASE WHEN restock THEN $1::uuid END
     FROM seed_order WHERE r_path IS NOT NULL`,
    [WAREHOUSE_ID],
  );
  // Inspection (path step 5, r_at + 4 days) books restockable units back.
  await q(
    `INSERT INTO stock_movement (id, variant_id, warehouse_id, quantity, kind, reference, reason, actor_kind, at)
     SELECT md5('mr' || n)::uuid, md5('v' || v1)::uuid, $1, 1, 'RETURN_RESTOCK', 'return:' || md5('rt' || n)::uuid, 'inspected OPENED', 'staff', r_at + interval '4 days'
     FROM seed_order WHERE restock`,
    [WAREHOUSE_ID],
  );
  // Refund (path step 6, r_at + 5 days): the line's unit price was asked for; like the service, the settled amount
  // is capped at what was captured (a discounted one-line order captured less), and booked as a REFUND payment.
  await q(
    `INSERT INTO payment_transaction (id, order_id, kind, amount_minor, currency, reason, source, idempotency_key, request_hash, actor_kind, at)
     SELECT md5('rf' || n)::uuid, id, 'REFUND', refund, 'USD', 'return refund', 'return', 'return:' || md5('rt' || n)::uuid || ':seed', md5('rf' || n), 'staff',
            r_at + interval '5 days'
     FROM seed_order WHERE refund > 0`,
  );
  await q(
    `INSERT INTO return_refund (id, return_request_id, status, requested_amount_minor, amount_minor, currency, return_line_ids, includes_shipping, reason,
                                idempotency_key, request_hash, payment_transaction_id, created_at, settled_at)
     SELECT md5('rr' || n)::uuid, md5('rt' || n)::uuid, 'SUCCEEDED', price1, refund, 'USD', jsonb_build_array(md5('rl' || n)::uuid), false, 'return refund',
            'seed', md5('rr' || n), md5('rf' || n)::uuid, r_at + interval '4 days 12 hours', r_at + interval '5 days'
     FROM seed_order WHERE refund > 0`,
  );

  // Tickets. Moves: NEW at t_at; agent reply (→ OPEN) after t_fr % of the first-response target; PENDING_CUSTOMER
  // an hour later; RESOLVED after t_res % of the resolution target; CLOSED two days after that.
  await q(
    `CREATE TEMP TABLE IF NOT EXISTS seed_ticket (n int, at_open timestamptz, at_resolved timestamptz, fr_due timestamptz, res_due timestamptz) ON COMMIT DROP`,
  );
  await q(
    `INSERT INTO seed_ticket
     SELECT n, t_at + (${SLA}) * t_fr / 100.0 * interval '1 minute', t_at + (${SLA_RES}) * t_res / 100.0 * interval '1 minute',
            t_at + (${SLA}) * interval '1 minute', t_at + (${SLA_RES}) * interval '1 minute'
     FROM seed_order o WHERE t_path IS NOT NULL`,
  );
  // A target is breached at its due time when it was met late or is still unmet past it (the breach job's view;
  // a pause for the customer stops the clock). next_due_at is the earliest running target of NEW/OPEN tickets.
  await q(
    `INSERT INTO support_ticket (id, number, customer_id, order_id, shipment_id, return_id, channel, category, priority, status, subject, tags,
                                 created_at, updated_at, first_response_due_at, resolution_due_at, first_responded_at, resolved_at, closed_at,
                                 first_response_breached_at, resolution_breached_at, next_due_at, satisfaction_rating, satisfaction_comment, rated_at, sla_paused_at)
     SELECT md5('tk' || o.n)::uuid, nextval('support_ticket_number_seq'), o.customer_id, o.id,
            CASE WHEN o.t_category IN ('LOGISTICS', 'RETURN') AND o.step >= 4 THEN md5('s' || o.n)::uuid END,
            CASE WHEN o.r_path IS NOT NULL THEN md5('rt' || o.n)::uuid END,
            (ARRAY['EMAIL', 'CHAT', 'PHONE', 'IN_APP'])[1 + ${h('o.n * 113 + 21', 4)}]::ticket_channel, o.t_category::ticket_category, o.t_priority::ticket_priority,
            o.t_path[array_length(o.t_path, 1)]::ticket_status,
            CASE WHEN o.ship_exception THEN 'Delivery problem with shipment SEED' || lpad(o.n::text, 10, '0')
                 ELSE CASE o.t_category WHEN 'RETURN' THEN 'Question about my return' WHEN 'LOGISTICS' THEN 'Where is my parcel?' WHEN 'PRODUCT_QUALITY' THEN 'Problem with an item'
                              ELSE 'Question about my order' END END,
            '{}', o.t_at, x.updated_at, t.fr_due, t.res_due, x.responded, x.resolved, x.closed,
            CASE WHEN coalesce(x.responded, current_setting('seed.now')::timestamptz) > t.fr_due THEN t.fr_due END,
            CASE WHEN coalesce(x.resolved, CASE WHEN o.t_path[3] = 'PENDING_CUSTOMER' THEN x.responded + interval '1 hour' END, current_setting('seed.now')::timestamptz) > t.res_due
                 THEN t.res_due END,
            CASE WHEN o.t_path[3] IS NULL THEN CASE WHEN x.responded IS NULL THEN least(t.fr_due, t.res_due) ELSE t.res_due END END,
            CASE WHEN x.resolved IS NOT NULL AND o.n % 2 = 0 THEN (ARRAY[1, 3, 4, 4, 5, 5, 5])[1 + ${h('o.n * 127 + 22', 7)}] END,
            CASE WHEN x.resolved IS NOT NULL AND o.n % 2 = 0 THEN 'Generated rating comment' END,
            CASE WHEN x.resolved IS NOT NULL AND o.n % 2 = 0 THEN x.resolved + interval '1 hour' END,
            CASE WHEN o.t_path[3] = 'PENDING_CUSTOMER' THEN x.responded + interval '1 hour' END
     FROM seed_order o JOIN seed_ticket t ON t.n = o.n
     CROSS JOIN LATERAL (SELECT CASE WHEN array_length(o.t_path, 1) >= 2 THEN t.at_open END AS responded,
                                CASE WHEN o.t_path[3] = 'RESOLVED' THEN greatest(t.at_resolved, t.at_open + interval '1 hour') END AS resolved) y
     CROSS JOIN LATERAL (SELECT y.responded, y.resolved, CASE WHEN o.t_path[4] = 'CLOSED' THEN y.resolved + interval '2 days' END AS closed,
                                coalesce(CASE WHEN o.t_path[4] = 'CLOSED' THEN y.resolved + interval '2 days' END, y.resolved,
                                         CASE WHEN o.t_path[3] = 'PENDING_CUSTOMER' THEN y.responded + interval '1 hour' END, y.responded, o.t_at) AS updated_at) x
     ORDER BY o.n`,
  );
  await q(
    `INSERT INTO support_ticket_status_change (id, ticket_id, from_status, to_status, reason, actor_kind, at)
     SELECT md5('tsc' || o.n || '-' || j)::uuid, md5('tk' || o.n)::uuid, o.t_path[j - 1]::ticket_status, o.t_path[j]::ticket_status, NULL,
            CASE WHEN j > 1 THEN 'staff' WHEN o.ship_exception THEN 'system' ELSE 'customer' END,
            CASE o.t_path[j] WHEN 'NEW' THEN k.created_at WHEN 'OPEN' THEN k.first_responded_at WHEN 'PENDING_CUSTOMER' THEN k.sla_paused_at
                             WHEN 'RESOLVED' THEN k.resolved_at ELSE k.closed_at END
     FROM seed_order o JOIN support_ticket k ON k.id = md5('tk' || o.n)::uuid
     CROSS JOIN LATERAL generate_series(1, array_length(o.t_path, 1)) j WHERE o.t_path IS NOT NULL`,
  );
  await q(
    `INSERT INTO support_ticket_message (id, ticket_id, author_kind, author_id, body, internal, created_at)
     SELECT md5('tm' || k.id || '-' || m.i)::uuid, k.id, m.kind::ticket_message_author_kind, CASE WHEN m.kind = 'CUSTOMER' THEN k.customer_id END, m.body, false, m.at
     FROM support_ticket k
     CROSS JOIN LATERAL (SELECT k.subject LIKE 'Delivery problem%' AS system) x
     CROSS JOIN LATERAL (VALUES
       (1, CASE WHEN x.system THEN 'SYSTEM' ELSE 'CUSTOMER' END, CASE WHEN x.system THEN 'Carrier exception: Address not found' ELSE 'Hello, I need help with my order.' END, k.created_at),
       (2, 'AGENT', 'Thanks for reaching out, we are looking into it.', k.first_responded_at),
       (3, 'AGENT', 'Could you send us a photo or more details?', k.sla_paused_at),
       (4, 'AGENT', 'This is sorted now; let us know if anything else comes up.', k.resolved_at)
     ) m(i, kind, body, at)
     WHERE k.id IN (SELECT md5('tk' || n)::uuid FROM seed_order WHERE t_path IS NOT NULL) AND m.at IS NOT NULL`,
  );
  await q(
    `INSERT INTO support_ticket_product (id, ticket_id, product_id)
     SELECT md5('tp' || n)::uuid, md5('tk' || n)::uuid, md5('p' || p1)::uuid FROM seed_order WHERE t_category = 'PRODUCT_QUALITY'`,
  );
  await q('DROP TABLE IF EXISTS seed_ticket');
}

/** Purchase orders, one per five SKUs of a supplier, walked through their lifecycle; receipts post RECEIPT entries. */
async function procurement(q: Q, sizes: SeedSizes, now: string): Promise<void> {
  await q(
    `CREATE TEMP TABLE seed_po AS
     SELECT p, md5('po' || p)::uuid AS id, 1 + (p - 1) % 5 AS supplier, path, created_at,
            created_at + interval '14 days' + (${h('p * 131 + 23', 8)} - 2) * interval '1 day' AS received_at
     FROM (SELECT p, CASE WHEN x < 8 THEN '{DRAFT}' WHEN x < 16 THEN '{DRAFT,SUBMITTED}' WHEN x < 26 THEN '{DRAFT,SUBMITTED,CONFIRMED}'
                          WHEN x < 34 THEN '{DRAFT,SUBMITTED,CONFIRMED,PARTIALLY_RECEIVED}' WHEN x < 70 THEN '{DRAFT,SUBMITTED,CONFIRMED,RECEIVED}'
                          WHEN x < 92 THEN '{DRAFT,SUBMITTED,CONFIRMED,RECEIVED,CLOSED}' ELSE '{DRAFT,SUBMITTED,CANCELLED}' END::text[] AS path,
                  CASE WHEN x < 26 THEN $1::timestamptz - (4 + ${h('p * 137', 9)}) * interval '1 day'
                       ELSE $1::timestamptz - (30 + ${h('p * 139', 330)}) * interval '1 day' END AS created_at
           FROM (SELECT DISTINCT ((v - 1) / 25) * 5 + v % 5 + 1 AS p FROM generate_series(1, $2::int) v) ps
           CROSS JOIN LATERAL (SELECT ${h('p * 149 + 24', 100)} AS x) r) y`,
    [now, sizes.skus],
  );
  // The SKUs of PO p: same block of 25 and same preferred supplier (1 + v % 5).
  await q(
    `CREATE TEMP TABLE seed_pol AS
     SELECT po.p, md5('pol' || v)::uuid AS id, v, row_number() OVER (PARTITION BY po.p ORDER BY v) - 1 AS position, 20 + ${h('v * 151', 80)} AS quantity,
            ((500 + (v % 50) * 100) * 6 / 10) AS cost,
            CASE WHEN po.path[4] = 'PARTIALLY_RECEIVED' THEN (20 + ${h('v * 151', 80)}) / 2
                 WHEN po.path[4] = 'RECEIVED' THEN 20 + ${h('v * 151', 80)} - CASE WHEN ${h('v * 157', 10)} = 0 THEN 2 ELSE 0 END ELSE 0 END AS accepted,
            CASE WHEN po.path[4] = 'RECEIVED' AND ${h('v * 157', 10)} = 0 THEN 2 ELSE 0 END AS rejected
     FROM generate_series(1, $1::int) v JOIN seed_po po ON po.p = ((v - 1) / 25) * 5 + v % 5 + 1`,
    [sizes.skus],
  );
  await q(
    `INSERT INTO purchase_order (id, supplier_id, status, currency, expected_at, note, submitted_at, created_at, updated_at)
     SELECT id, md5('sup' || supplier)::uuid, path[array_length(path, 1)]::purchase_order_status, 'USD', created_at + interval '14 days', NULL,
            CASE WHEN array_length(path, 1) >= 2 THEN created_at + interval '1 day' END, created_at,
            CASE path[array_length(path, 1)] WHEN 'DRAFT' THEN created_at WHEN 'SUBMITTED' THEN created_at + interval '1 day'
                 WHEN 'CANCELLED' THEN created_at + interval '2 days' WHEN 'CONFIRMED' THEN created_at + interval '3 days'
                 WHEN 'CLOSED' THEN received_at + interval '2 days' ELSE received_at END
     FROM seed_po`,
  );
  await q(
    `INSERT INTO purchase_order_status_change (id, purchase_order_id, from_status, to_status, reason, actor_kind, at)
     SELECT md5('posc' || p || '-' || j)::uuid, id, path[j - 1]::purchase_order_status, path[j]::purchase_order_status,
            CASE WHEN path[j] = 'CANCELLED' THEN 'supplier could not deliver' END, 'staff',
            CASE path[j] WHEN 'DRAFT' THEN created_at WHEN 'SUBMITTED' THEN created_at + interval '1 day' WHEN 'CANCELLED' THEN created_at + interval '2 days'
                 WHEN 'CONFIRMED' THEN created_at + interval '3 days' WHEN 'CLOSED' THEN received_at + interval '2 days' ELSE received_at END
     FROM seed_po CROSS JOIN LATERAL generate_series(1, array_length(path, 1)) j`,
  );
  await q(
    `INSERT INTO purchase_order_line (id, purchase_order_id, variant_id, position, quantity, unit_cost_amount, currency, accepted_quantity, rejected_quantity)
     SELECT l.id, md5('po' || l.p)::uuid, md5('v' || l.v)::uuid, l.position, l.quantity, l.cost, 'USD', l.accepted, l.rejected FROM seed_pol l`,
  );
  await q(
    `INSERT INTO purchase_order_receipt (id, purchase_order_id, warehouse_id, received_at, idempotency_key, request_hash)
     SELECT md5('rc' || p)::uuid, id, $1, received_at, 'seed-receipt-' || p, md5('rc' || p) FROM seed_po WHERE array_length(path, 1) >= 4 AND path[3] = 'CONFIRMED'`,
    [WAREHOUSE_ID],
  );
  await q(
    `INSERT INTO purchase_order_receipt_line (id, receipt_id, line_id, accepted_quantity, rejected_quantity)
     SELECT md5('rcl' || l.v)::uuid, md5('rc' || l.p)::uuid, l.id, l.accepted, l.rejected FROM seed_pol l WHERE l.accepted + l.rejected > 0`,
  );
  await q(
    `INSERT INTO stock_movement (id, variant_id, warehouse_id, quantity, kind, reference, actor_kind, at)
     SELECT md5('mpo' || l.v)::uuid, md5('v' || l.v)::uuid, $1, l.accepted, 'RECEIPT', 'po-receipt:' || md5('rc' || l.p)::uuid, 'staff', po.received_at
     FROM seed_pol l JOIN seed_po po ON po.p = l.p WHERE l.accepted > 0`,
    [WAREHOUSE_ID],
  );
}

/**
 * Stock: an opening RECEIPT large enough for everything shipped and reserved plus a remainder, then
 * stock_level = Σ ledger (opening + PO receipts + restocks − shipments) and reserved = Σ OPEN reservations.
 */
async function stock(q: Q, sizes: SeedSizes, now: string): Promise<void> {
  await q(
    `CREATE TEMP TABLE seed_stock AS
     SELECT v.id AS variant_id,
            coalesce(sh.q, 0)::int AS shipped, coalesce(rs.q, 0)::int AS reserved,
            (coalesce(sh.q, 0) + coalesce(rs.q, 0) + 5 + ${h('v.n * 23 + 9', 120)})::int AS opening
     FROM (SELECT md5('v' || n)::uuid AS id, n FROM generate_series(1, $1::int) n) v
     LEFT JOIN (SELECT variant_id, -sum(quantity) AS q FROM stock_movement WHERE warehouse_id = $2 AND kind = 'SHIPMENT' GROUP BY variant_id) sh ON sh.variant_id = v.id
     LEFT JOIN (SELECT variant_id, sum(quantity) AS q FROM stock_reservation WHERE warehouse_id = $2 AND status = 'OPEN' GROUP BY variant_id) rs ON rs.variant_id = v.id`,
    [sizes.skus, WAREHOUSE_ID],
  );
  await q(
    `INSERT INTO stock_movement (id, variant_id, warehouse_id, quantity, kind, reference, actor_kind, at)
     SELECT md5('open' || variant_id)::uuid, variant_id, $1, opening, 'RECEIPT', 'seed:opening-stock', 'staff', $2::timestamptz - interval '400 days'
     FROM seed_stock`,
    [WAREHOUSE_ID, now],
  );
  await q(
    `INSERT INTO stock_level (id, variant_id, warehouse_id, on_hand, reserved, reorder_point, safety_stock, updated_at)
     SELECT md5('sl' || s.variant_id)::uuid, s.variant_id, $1, m.on_hand, s.reserved, 10, 2, $2::timestamptz
     FROM seed_stock s JOIN (SELECT variant_id, sum(quantity)::int AS on_hand FROM stock_movement WHERE warehouse_id = $1 GROUP BY variant_id) m ON m.variant_id = s.variant_id`,
    [WAREHOUSE_ID, now],
  );
}

/** Ad spend per day from the visits each ad brought; listing metrics per day from the orders of the product on the channel. */
async function metrics(q: Q, trafficDays: number, now: string): Promise<void> {
  // From the first visit (visits that did not convert may start up to a day before the window).
  const days = `generate_series((SELECT (least(min(started_at), current_setting('seed.traffic_from')::timestamptz) AT TIME ZONE 'UTC')::date FROM traffic_session),
                                ($1::timestamptz AT TIME ZONE 'UTC')::date, interval '1 day')`;
  await q(
    `INSERT INTO ad_daily_metric (id, ad_campaign_id, day, spend_amount, impressions, clicks)
     SELECT md5('adm' || a.code || d::date)::uuid, md5('ad' || a.code)::uuid, d::date, coalesce(s.n, 0) * a.cpc,
            coalesce(s.n, 0) * 40 + ${h("extract(epoch FROM d)::bigint + a.cpc", 200)}, coalesce(s.n, 0)
     FROM jsonb_to_recordset($2::jsonb) AS a(code text, cpc int) CROSS JOIN ${days} d
     LEFT JOIN (SELECT campaign, (started_at AT TIME ZONE 'UTC')::date AS day, count(*)::int AS n FROM traffic_session WHERE campaign IS NOT NULL GROUP BY 1, 2) s
       ON s.campaign = a.code AND s.day = d::date`,
    [now, JSON.stringify(ADS)],
  );
  await q(
    `INSERT INTO listing_daily_metric (id, listing_id, day, impressions, clicks, add_to_carts, orders, revenue_amount, currency)
     SELECT md5('ldm' || l.id || d::date)::uuid, l.id, d::date, c.clicks * 20 + ${h("hashtext(l.id::text) + extract(epoch FROM d)::bigint", 100)},
            c.clicks, c.carts, coalesce(o.orders, 0), coalesce(o.revenue, 0), 'USD'
     FROM listing l CROSS JOIN ${days} d
     LEFT JOIN (SELECT v.product_id, so.channel_id, (so.placed_at AT TIME ZONE 'UTC')::date AS day, count(DISTINCT so.id)::int AS orders, sum(ol.line_total_amount)::int AS revenue
                FROM sales_order so JOIN order_line ol ON ol.order_id = so.id JOIN product_variant v ON v.id = ol.variant_id
                WHERE so.status <> 'CANCELLED' AND so.placed_at >= current_setting('seed.traffic_from')::timestamptz - interval '2 days'
                GROUP BY 1, 2, 3) o ON o.product_id = l.product_id AND o.channel_id = l.channel_id AND o.day = d::date
     CROSS JOIN LATERAL (SELECT coalesce(o.orders, 0) * 2 + ${h("hashtext(l.id::text) + extract(epoch FROM d)::bigint * 3", 3)} AS carts) a
     CROSS JOIN LATERAL (SELECT a.carts * 3 + ${h("hashtext(l.id::text) + extract(epoch FROM d)::bigint * 7", 10)} AS clicks, a.carts) c`,
    [now],
  );
  void trafficDays;
}

/**
 * Loyalty as the completed-order hook writes it: one EARN per completed order (completed 6 days after placement),
 * floor((subtotal − discount) × multiplier / 10 000) points, at the multiplier of the tier the customer held
 * before it (their completed spend in the 12 months before); memberships from the completed spend of the
 * 12 months before the last completion, counting it.
 */
async function loyalty(q: Q): Promise<void> {
  await q(
    `CREATE TEMP TABLE seed_completed AS
     SELECT id, customer_id, placed_at, placed_at + interval '6 days' AS completed_at, subtotal_amount - discount_amount AS goods,
            coalesce(sum(subtotal_amount - discount_amount) OVER (PARTITION BY customer_id ORDER BY placed_at
                     RANGE BETWEEN interval '12 months' PRECEDING AND CURRENT ROW EXCLUDE CURRENT ROW), 0)::int AS spend_before,
            sum(subtotal_amount - discount_amount) OVER (PARTITION BY customer_id ORDER BY placed_at
                     RANGE BETWEEN interval '12 months' PRECEDING AND CURRENT ROW)::int AS spend_after,
            row_number() OVER (PARTITION BY customer_id ORDER BY placed_at DESC) AS latest
     FROM sales_order WHERE status = 'COMPLETED'`,
  );
  await q(
    `INSERT INTO loyalty_entry (id, customer_id, kind, points, order_id, reason, expires_at, created_at)
     SELECT md5('le' || c.id)::uuid, c.customer_id, 'EARN', (c.goods::bigint * t.mult / 10000)::int, c.id, NULL, c.completed_at + interval '365 days', c.completed_at
     FROM seed_completed c
     CROSS JOIN LATERAL (SELECT points_multiplier_percent AS mult FROM membership_tier WHERE threshold_amount <= c.spend_before ORDER BY threshold_amount DESC LIMIT 1) t
     WHERE c.goods::bigint * t.mult / 10000 > 0`,
  );
  await q(
    `INSERT INTO customer_membership (id, customer_id, tier_id, spend_amount, currency, updated_at)
     SELECT md5('cm' || c.customer_id)::uuid, c.customer_id,
            (SELECT id FROM membership_tier WHERE threshold_amount <= c.spend_after ORDER BY threshold_amount DESC LIMIT 1), c.spend_after, 'USD', c.completed_at
     FROM seed_completed c WHERE c.latest = 1`,
  );
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
