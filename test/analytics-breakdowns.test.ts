import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, Role, staffToken } from './support/fixtures.js';
import {
  AnalyticsCampaignKpisDocument,
  AnalyticsInventoryKpisDocument,
  AnalyticsReturnKpisDocument,
  AnalyticsRfmDistributionDocument,
  AnalyticsSalesKpisDocument,
  AnalyticsTrafficKpisDocument,
} from './generated/graphql.js';

/*
 * A small fixture written straight into the tables (the figures, not the workflows, are under test; the fact tables
 * analytics keeps are filled by their triggers). New York is UTC−5 in February. Ids are fixed so the order in which
 * an order's discount and refunds are shared among its rows is known (running share, floor).
 *
 *   Runner (category Shoes): A 1000 (cost 400), B 2500 (cost 1000)    Cap (category Hats): D 3000 (no cost)
 *   Suppliers: Acme offers A (preferred, 400); Budget offers A (300) and B (900); D has no offer.
 *   O0 alice  2026-01-20T12:00Z  A×1 = 1000                       (before the period: alice is returning)
 *   O1 alice  2026-02-02T15:00Z  NY Feb 2   A×2 = 2000, D×1 = 3000, discount 500, total 4500; visit sess-1 (google, spring)
 *             A reserved 1 in Berlin (consumed) + 1 in Paris (open); D not reserved
 *             refund 1000 at 2026-02-03T03:00Z (NY Feb 2 22:00, UTC Feb 3)
 *   O2 bob    2026-02-03T02:00Z  NY Feb 2, UTC Feb 3   B×1 = 2500, reserved in Berlin; bob's first order
 *   O3 bob    2026-02-03T16:00Z  A×1 cancelled (never counts)
 *   alice holds the Gold membership tier; bob none.
 */
let t: TestApp;
let analyst: string;
const id = (n: string) => `00000000-0000-0000-0000-${n.padStart(12, '0')}`;
const ID = {
  shoes: id('c1'), hats: id('c2'), runner: id('b01'), cap: id('b02'), A: id('f1a'), B: id('f1b'), D: id('f2d'),
  berlin: id('e1'), paris: id('e2'), acme: id('5a'), budget: id('5b'), gold: id('901'),
  o0: id('d0'), o1: id('d1'), o2: id('d2'), o3: id('d3'),
  l0: id('a0'), l1a: id('a1'), l1d: id('a2'), l2: id('a3'), l3: id('a4'),
};

beforeAll(async () => {
  t = await startTestApp();
  analyst = (await staffToken(t, Role.ANALYST)).token;
  const alice = (await customer(t, 'Alice')).id;
  const bob = (await customer(t, 'Bob')).id;
  const q = (sql: string, params: unknown[] = []) => t.sql(sql, params);
  await q(`INSERT INTO category (id, name, slug, path, created_at) VALUES ($1, 'Shoes', 'shoes', ARRAY[$1]::uuid[], now()), ($2, 'Hats', 'hats', ARRAY[$2]::uuid[], now())`, [ID.shoes, ID.hats]);
  await q(`INSERT INTO product (id, name, slug, category_id, status, created_at) VALUES ($1, 'Runner', 'runner', $2, 'ACTIVE', now()), ($3, 'Cap', 'cap', $4, 'ACTIVE', now())`, [ID.runner, ID.shoes, ID.cap, ID.hats]);
  await q(
    `INSERT INTO product_variant (id, product_id, sku, name, price_amount, currency, cost_amount, active)
     VALUES ($1, $4, 'RUN-A', 'A', 1000, 'USD', 400, true), ($2, $4, 'RUN-B', 'B', 2500, 'USD', 1000, true), ($3, $5, 'CAP-D', 'D', 3000, 'USD', NULL, true)`,
    [ID.A, ID.B, ID.D, ID.runner, ID.cap],
  );
  await q(`INSERT INTO warehouse (id, code, name, type, city, country, active, created_at) VALUES ($1, 'BER', 'Berlin DC', 'OWN', 'Berlin', 'DE', true, now()), ($2, 'PAR', 'Paris DC', 'OWN', 'Paris', 'FR', true, now())`, [ID.berlin, ID.paris]);
  await q(`INSERT INTO supplier (id, name, country, status, contacts, certifications, created_at) VALUES ($1, 'Acme', 'DE', 'APPROVED', '[]', '{}', now()), ($2, 'Budget', 'CN', 'APPROVED', '[]', '{}', now())`, [ID.acme, ID.budget]);
  await q(
    `INSERT INTO supplier_offer (id, supplier_id, variant_id, unit_cost_amount, currency, moq, lead_time_days, preferred, updated_at)
     VALUES (gen_random_uuid(), $1, $3, 400, 'USD', 1, 7, true, now()), (gen_random_uuid(), $2, $3, 300, 'USD', 1, 30, false, now()),
            (gen_random_uuid(), $2, $4, 900, 'USD', 1, 30, false, now())`,
    [ID.acme, ID.budget, ID.A, ID.B],
  );
  await q(`INSERT INTO membership_tier (id, name, threshold_amount, currency, points_multiplier_percent, created_at) VALUES ($1, 'Gold', 100000, 'USD', 150, now())`, [ID.gold]);
  await q(`INSERT INTO customer_membership (id, customer_id, tier_id, spend_amount, currency, updated_at) VALUES (gen_random_uuid(), $1, $2, 5500, 'USD', now())`, [alice, ID.gold]);
  const order = (oid: string, n: number, cust: string, status: string, sub: number, disc: number, at: string) =>
    q(
      `INSERT INTO sales_order (id, number, customer_id, status, currency, subtotal_amount, discount_amount, total_amount, placed_at, updated_at)
       VALUES ($1, $2, $3, $4, 'USD', $5::int, $6::int, $5::int - $6::int, $7, $7)`,
      [oid, n, cust, status, sub, disc, at],
    );
  await order(ID.o0, 9000, alice, 'COMPLETED', 1000, 0, '2026-01-20T12:00:00Z');
  await order(ID.o1, 9001, alice, 'PROCESSING', 5000, 500, '2026-02-02T15:00:00Z');
  await order(ID.o2, 9002, bob, 'PAID', 2500, 0, '2026-02-03T02:00:00Z');
  await order(ID.o3, 9003, bob, 'CANCELLED', 1000, 0, '2026-02-03T16:00:00Z');
  await q(
    `INSERT INTO order_line (id, order_id, variant_id, position, sku, title, quantity, unit_price_amount, line_total_amount, currency) VALUES
       ($1, $6, $10, 0, 'RUN-A', 'Runner A', 1, 1000, 1000, 'USD'),
       ($2, $7, $10, 0, 'RUN-A', 'Runner A', 2, 1000, 2000, 'USD'),
       ($3, $7, $12, 1, 'CAP-D', 'Cap D', 1, 3000, 3000, 'USD'),
       ($4, $8, $11, 0, 'RUN-B', 'Runner B', 1, 2500, 2500, 'USD'),
       ($5, $9, $10, 0, 'RUN-A', 'Runner A', 1, 1000, 1000, 'USD')`,
    [ID.l0, ID.l1a, ID.l1d, ID.l2, ID.l3, ID.o0, ID.o1, ID.o2, ID.o3, ID.A, ID.B, ID.D],
  );
  await q(
    `INSERT INTO stock_reservation (id, order_id, order_line_id, variant_id, warehouse_id, quantity, status, created_at) VALUES
       ($1, $4, $5, $7, $8, 1, 'CONSUMED', now()), ($2, $4, $5, $7, $9, 1, 'OPEN', now()), ($3, $6, $10, $11, $8, 1, 'CONSUMED', now())`,
    [id('b1'), id('b2'), id('b3'), ID.o1, ID.l1a, ID.o2, ID.A, ID.berlin, ID.paris, ID.l2, ID.B],
  );
  await q(
    `INSERT INTO payment_transaction (id, order_id, kind, amount_minor, currency, source, idempotency_key, request_hash, actor_kind, at)
     VALUES (gen_random_uuid(), $1, 'REFUND', 1000, 'USD', 'api', 'bd-ref-1', 'h', 'staff', '2026-02-03T03:00:00Z')`,
    [ID.o1],
  );
  // Traffic: three visits; sess-1 bought O1, sess-3's order O3 was cancelled.
  await q(
    `INSERT INTO traffic_session (id, session_key, source, medium, campaign, device, started_at) VALUES
       ($1, 'sess-1', 'google', 'cpc', 'spring', 'DESKTOP', '2026-02-02T14:50:00Z'),
       ($2, 'sess-2', 'google', 'organic', NULL, 'MOBILE', '2026-02-03T03:30:00Z'),
       ($3, 'sess-3', 'newsletter', 'email', NULL, 'MOBILE', '2026-02-03T15:00:00Z')`,
    [id('71'), id('72'), id('73')],
  );
  await q(
    `INSERT INTO funnel_event (id, event_key, session_id, step, occurred_at)
     SELECT gen_random_uuid(), s || '-' || step, s_id, step::funnel_step, '2026-02-03T00:00:00Z'
       FROM (VALUES ('e1', $1::uuid, 'PRODUCT_VIEW'), ('e1', $1, 'ADD_TO_CART'), ('e1', $1, 'CHECKOUT_START'), ('e1', $1, 'PURCHASE'), ('e1b', $1, 'PRODUCT_VIEW'),
                    ('e2', $2, 'PRODUCT_VIEW'), ('e3', $3, 'PRODUCT_VIEW'), ('e3', $3, 'ADD_TO_CART')) v(s, s_id, step)`,
    [id('71'), id('72'), id('73')],
  );
  await q(`INSERT INTO order_attribution (id, order_id, session_key) VALUES (gen_random_uuid(), $1, 'sess-1'), (gen_random_uuid(), $2, 'sess-3')`, [ID.o1, ID.o3]);
  await q(
    `INSERT INTO ad_campaign (id, name, platform, budget_amount, currency, tracking_code, created_at) VALUES ($1, 'Spring search', 'SEARCH', 100000, 'USD', 'spring', now())`,
    [id('ad1')],
  );
  await q(
    `INSERT INTO ad_daily_metric (id, ad_campaign_id, day, spend_amount, impressions, clicks) VALUES
       (gen_random_uuid(), $1, '2026-02-02', 4000, 1000, 50), (gen_random_uuid(), $1, '2026-02-03', 1000, 200, 10)`,
    [id('ad1')],
  );
  // Returns: O1's A line, one unit (counts); O2's B line (rejected: does not count).
  await q(
    `INSERT INTO return_request (id, order_id, customer_id, status, resolution, photo_urls, requested_at, updated_at) VALUES
       ($1, $3, $5, 'REQUESTED', 'REFUND', '[]', '2026-02-04T00:00:00Z', now()), ($2, $4, $6, 'REJECTED', 'REFUND', '[]', '2026-02-04T00:00:00Z', now())`,
    [id('f01'), id('f02'), ID.o1, ID.o2, alice, bob],
  );
  await q(
    `INSERT INTO return_line (id, return_request_id, order_line_id, position, quantity, reason_code) VALUES
       (gen_random_uuid(), $1, $3, 0, 1, 'DAMAGED'), (gen_random_uuid(), $2, $4, 0, 1, 'WRONG_SIZE')`,
    [id('f01'), id('f02'), ID.l1a, ID.l2],
  );
  // Ledger (inventory KPIs): A in Berlin +10 (Feb 1), −4 (NY Feb 2), −6 (NY Feb 3 22:00 = UTC Feb 4); A in Paris +5 (Feb 3); D in Berlin +2 (Feb 4).
  await q(
    `INSERT INTO stock_movement (id, variant_id, warehouse_id, quantity, kind, reference, actor_kind, at) VALUES
       (gen_random_uuid(), $1, $3, 10, 'RECEIPT', 'PO-1', 'system', '2026-02-01T12:00:00Z'),
       (gen_random_uuid(), $1, $3, -4, 'SHIPMENT', '9001', 'system', '2026-02-02T20:00:00Z'),
       (gen_random_uuid(), $1, $3, -6, 'SHIPMENT', '9002', 'system', '2026-02-04T03:00:00Z'),
       (gen_random_uuid(), $1, $4, 5, 'RECEIPT', 'PO-2', 'system', '2026-02-03T12:00:00Z'),
       (gen_random_uuid(), $2, $3, 2, 'RECEIPT', 'PO-3', 'system', '2026-02-04T12:00:00Z')`,
    [ID.A, ID.D, ID.berlin, ID.paris],
  );
});
afterAll(() => t?.stop());

const NY = { from: '2026-02-02T05:00:00Z', to: '2026-02-04T05:00:00Z', bucket: 'DAY' as const, timeZone: 'America/New_York' };
const UTC = { from: '2026-02-02T00:00:00Z', to: '2026-02-04T00:00:00Z', bucket: 'DAY' as const, timeZone: 'UTC' };

function sales(r: any) {
  const v = r.values;
  return [r.bucketLabel, r.dimension?.label ?? null, v.gmv.amount, v.discounts.amount, v.refunds.amount, v.netRevenue.amount, v.orders, v.units, v.averageOrderValue?.amount ?? null, v.newCustomerOrders];
}
const salesKpis = async (vars: any) => {
  const res = await t.gql(AnalyticsSalesKpisDocument, vars, analyst);
  expect(res.errors).toBeUndefined();
  return res.data!.salesKpis.map(sales);
};

describe('sales breakdowns', () => {
  // columns: day, group, gmv, discounts, refunds, net, orders, units, AOV, new-customer orders
  it('CATEGORY shares the order discount and the refund among lines by line total, in the local day', async () => {
    expect(await salesKpis({ ...NY, breakdown: 'CATEGORY' })).toEqual([
      // D: discount 500 − ⌊500 × 2000/5000⌋ = 300, refund 1000 − 400 = 600
      ['2026-02-02', 'Hats', 3000, 300, 600, 2100, 1, 1, 2700, 0],
      // A (O1): 200 and 400; B (O2) has no discount; AOV (4500 − 200) / 2
      ['2026-02-02', 'Shoes', 4500, 200, 400, 3900, 2, 3, 2150, 1],
    ]);
  });

  it('CATEGORY in UTC puts O2 and the refund on Feb 3 (UTC day ≠ local day)', async () => {
    expect(await salesKpis({ ...UTC, to: '2026-02-05T00:00:00Z', breakdown: 'CATEGORY' })).toEqual([
      ['2026-02-02', 'Hats', 3000, 300, 0, 2700, 1, 1, 2700, 0],
      ['2026-02-02', 'Shoes', 2000, 200, 0, 1800, 1, 2, 1800, 0],
      ['2026-02-03', 'Hats', 0, 0, 600, -600, 0, 0, null, 0],
      ['2026-02-03', 'Shoes', 2500, 0, 400, 2100, 1, 1, 2500, 1],
    ]);
  });

  it('PRODUCT', async () => {
    expect(await salesKpis({ ...NY, breakdown: 'PRODUCT' })).toEqual([
      ['2026-02-02', 'Cap', 3000, 300, 600, 2100, 1, 1, 2700, 0],
      ['2026-02-02', 'Runner', 4500, 200, 400, 3900, 2, 3, 2150, 1],
    ]);
  });

  it('WAREHOUSE splits a line by its reservations, unreserved units in their own row', async () => {
    // O1 rows in id order: A/Berlin 1000, A/Paris 1000, D/unreserved 3000 → discount 100, 100, 300; refund 200, 200, 600
    expect(await salesKpis({ ...NY, breakdown: 'WAREHOUSE' })).toEqual([
      ['2026-02-02', '(not reserved)', 3000, 300, 600, 2100, 1, 1, 2700, 0],
      ['2026-02-02', 'Berlin DC', 3500, 100, 200, 3200, 2, 2, 1700, 1],
      ['2026-02-02', 'Paris DC', 1000, 100, 200, 700, 1, 1, 900, 0],
    ]);
  });

  it('SEGMENT (membership tier) and TRAFFIC_SOURCE keep each order whole', async () => {
    expect(await salesKpis({ ...NY, breakdown: 'SEGMENT' })).toEqual([
      ['2026-02-02', '(no membership tier)', 2500, 0, 0, 2500, 1, 1, 2500, 1],
      ['2026-02-02', 'Gold', 5000, 500, 1000, 3500, 1, 3, 4500, 0],
    ]);
    expect(await salesKpis({ ...NY, breakdown: 'TRAFFIC_SOURCE' })).toEqual([
      ['2026-02-02', '(unattributed)', 2500, 0, 0, 2500, 1, 1, 2500, 1],
      ['2026-02-02', 'google', 5000, 500, 1000, 3500, 1, 3, 4500, 0],
    ]);
    // Without a breakdown the groups add up: one row.
    expect(await salesKpis(NY)).toEqual([['2026-02-02', null, 7500, 500, 1000, 6000, 2, 4, 3500, 1]]);
  });

  it('keeps new-customer orders right when a first order is cancelled later (trigger-kept facts)', async () => {
    await t.sql(`UPDATE sales_order SET status = 'CANCELLED' WHERE id = $1`, [ID.o0]);
    try {
      // O1 becomes alice's first non-cancelled order.
      expect(await salesKpis({ ...NY, breakdown: 'SEGMENT' })).toEqual([
        ['2026-02-02', '(no membership tier)', 2500, 0, 0, 2500, 1, 1, 2500, 1],
        ['2026-02-02', 'Gold', 5000, 500, 1000, 3500, 1, 3, 4500, 1],
      ]);
    } finally {
      await t.sql(`UPDATE sales_order SET status = 'COMPLETED' WHERE id = $1`, [ID.o0]);
    }
    expect(await salesKpis(NY)).toEqual([['2026-02-02', null, 7500, 500, 1000, 6000, 2, 4, 3500, 1]]);
  });
});

describe('traffic and campaign KPIs', () => {
  const traffic = async (vars: any) => {
    const res = await t.gql(AnalyticsTrafficKpisDocument, vars, analyst);
    expect(res.errors).toBeUndefined();
    return res.data!.trafficKpis.map((r) => [r.bucketLabel, r.dimension?.label ?? null, ...Object.values(r.values)]);
  };
  // columns: day, group, sessions, product view, add to cart, checkout, purchase, converted, orders, conversion rate
  it('counts visits, funnel steps and conversions per local day', async () => {
    expect(await traffic(NY)).toEqual([
      ['2026-02-02', null, 2, 2, 1, 1, 1, 1, 1, 0.5],
      ['2026-02-03', null, 1, 1, 1, 0, 0, 0, 0, 0],
    ]);
    expect(await traffic(UTC)).toEqual([
      ['2026-02-02', null, 1, 1, 1, 1, 1, 1, 1, 1],
      ['2026-02-03', null, 2, 2, 1, 0, 0, 0, 0, 0],
    ]);
    expect(await traffic({ ...NY, breakdown: 'CAMPAIGN' })).toEqual([
      ['2026-02-02', '(none)', 1, 1, 0, 0, 0, 0, 0, 0],
      ['2026-02-02', 'spring', 1, 1, 1, 1, 1, 1, 1, 1],
      ['2026-02-03', '(none)', 1, 1, 1, 0, 0, 0, 0, 0],
    ]);
    expect(await traffic({ ...NY, breakdown: 'SOURCE' })).toEqual([
      ['2026-02-02', 'google', 2, 2, 1, 1, 1, 1, 1, 0.5],
      ['2026-02-03', 'newsletter', 1, 1, 1, 0, 0, 0, 0, 0],
    ]);
  });

  it('reports spend, attributed revenue, ROAS and CPA per campaign', async () => {
    const res = await t.gql(AnalyticsCampaignKpisDocument, NY, analyst);
    expect(res.errors).toBeUndefined();
    const rows = res.data!.campaignKpis.map((r) => [r.bucketLabel, r.dimension.label, r.currency, r.values.spend.amount, r.values.impressions, r.values.clicks, r.values.attributedOrders, r.values.attributedRevenue.amount, r.values.roas, r.values.cpa?.amount ?? null]);
    // O1 total 4500 against 4000 spent: ROAS 1.125, CPA 4000
    expect(rows).toEqual([
      ['2026-02-02', 'Spring search', 'USD', 4000, 1000, 50, 1, 4500, 1.125, 4000],
      ['2026-02-03', 'Spring search', 'USD', 1000, 200, 10, 0, 0, 0, null],
    ]);
    const hour = await t.gql(AnalyticsCampaignKpisDocument, { ...NY, bucket: 'HOUR' }, analyst);
    expect(hour.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'bucket' });
  });
});

describe('inventory KPIs', () => {
  const inv = async (vars: any) => {
    const res = await t.gql(AnalyticsInventoryKpisDocument, vars, analyst);
    expect(res.errors).toBeUndefined();
    return res.data!.inventoryKpis.map((r) => {
      const v = r.values;
      return [r.bucketLabel, r.dimension?.label ?? null, r.days, v.unitsOnHand, v.valueOnHand.amount, v.unitsWithoutCost, v.unitsShipped, v.costOfGoodsShipped.amount, v.averageUnitsOnHand, v.turnover, v.daysOfCover, v.stockOutDays];
    });
  };
  const period = { from: '2026-02-02T05:00:00Z', to: '2026-02-05T05:00:00Z', timeZone: 'America/New_York' };
  // columns: day, group, days, on hand, value, unvalued units, shipped, COGS, average on hand, turnover, days of cover, stock-out days
  it('computes balances, value at cost, turnover, cover and stock-outs from the ledger per local day', async () => {
    expect(await inv({ ...period, bucket: 'DAY' })).toEqual([
      ['2026-02-02', null, 1, 6, 2400, 0, 4, 1600, 6, 0.6667, 1.5, 0],
      ['2026-02-03', null, 1, 5, 2000, 0, 6, 2400, 5, 1.2, 0.8, 0],
      ['2026-02-04', null, 1, 7, 2000, 2, 0, 0, 7, 0, null, 0],
    ]);
    // Feb 2 is a Monday: one week bucket of 3 days; average (6 + 5 + 7) / 3
    expect(await inv({ ...period, bucket: 'WEEK' })).toEqual([['2026-02-02', null, 3, 7, 2000, 2, 10, 4000, 6, 1.6667, 2.1, 0]]);
  });

  it('cuts the ledger into UTC days differently (the −6 falls on Feb 4 in UTC)', async () => {
    expect(await inv({ from: '2026-02-03T00:00:00Z', to: '2026-02-05T00:00:00Z', timeZone: 'UTC', bucket: 'DAY' })).toEqual([
      ['2026-02-03', null, 1, 11, 4400, 0, 0, 0, 11, 0, null, 0],
      ['2026-02-04', null, 1, 7, 2000, 2, 6, 2400, 7, 0.8571, 1.2, 0],
    ]);
  });

  it('by WAREHOUSE counts the days a SKU ended empty there', async () => {
    expect(await inv({ ...period, bucket: 'DAY', breakdown: 'WAREHOUSE' })).toEqual([
      ['2026-02-02', 'Berlin DC', 1, 6, 2400, 0, 4, 1600, 6, 0.6667, 1.5, 0],
      ['2026-02-03', 'Berlin DC', 1, 0, 0, 0, 6, 2400, 0, null, 0, 1],
      ['2026-02-03', 'Paris DC', 1, 5, 2000, 0, 0, 0, 5, 0, null, 0],
      ['2026-02-04', 'Berlin DC', 1, 2, 0, 2, 0, 0, 2, 0, null, 1],
      ['2026-02-04', 'Paris DC', 1, 5, 2000, 0, 0, 0, 5, 0, null, 0],
    ]);
  });
});

describe('return rate by supplier and RFM distribution', () => {
  it('splits return rates by the variant’s preferred (else cheapest) supplier', async () => {
    const res = await t.gql(AnalyticsReturnKpisDocument, { ...NY, breakdown: 'SUPPLIER' }, analyst);
    expect(res.errors).toBeUndefined();
    expect(res.data!.returnKpis.map((r) => [r.bucketLabel, r.dimension.key, r.dimension.label, r.values.unitsSold, r.values.unitsReturned, r.values.returnRate])).toEqual([
      ['2026-02-02', null, '(no supplier offer)', 1, 0, 0],
      ['2026-02-02', ID.acme, 'Acme', 2, 1, 0.5],
      ['2026-02-02', ID.budget, 'Budget', 1, 0, 0],
    ]);
  });

  it('counts customers per RFM score combination', async () => {
    const res = await t.gql(AnalyticsRfmDistributionDocument, { currency: 'USD' }, analyst);
    expect(res.errors).toBeUndefined();
    // alice: last order earlier, 2 orders, 5500; bob: later, 1 order, 2500 (O3 cancelled) — two customers rank 1 and 5.
    expect(res.data!.rfmDistribution).toEqual([
      { recencyScore: 1, frequencyScore: 5, monetaryScore: 5, customers: 1 },
      { recencyScore: 5, frequencyScore: 1, monetaryScore: 1, customers: 1 },
    ]);
  });

  it('is readable by analysts only', async () => {
    const ops = (await staffToken(t, Role.OPERATIONS)).token;
    for (const [doc, vars] of [
      [AnalyticsTrafficKpisDocument, NY],
      [AnalyticsCampaignKpisDocument, NY],
      [AnalyticsInventoryKpisDocument, NY],
      [AnalyticsRfmDistributionDocument, { currency: 'USD' }],
    ] as const) {
      expect((await t.gql(doc as any, vars, ops)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
      expect((await t.gql(doc as any, vars, analyst)).errors).toBeUndefined();
    }
  });
});
