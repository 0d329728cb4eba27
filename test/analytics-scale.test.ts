import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { InventoryBreakdown, KpiBucket } from '../src/modules/analytics/analytics.types.js';
import { customerCohortsSql, inventoryKpisSql, rfmDistributionSql, toPgSql, type KpiSql } from '../src/modules/analytics/analytics.service.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { warehouse } from './support/logistics-fixtures.js';
import { LEGACY_RFM_STATS_SQL, legacyCustomerCohortsSql, legacyInventoryKpisSql } from './support/analytics-legacy-sql.js';
import {
  AdjustStockDocument,
  AnalyticsCohortsDocument,
  AnalyticsInventoryKpisDocument,
  AnalyticsRfmDistributionDocument,
  CreateSegmentDocument,
  CustomerRfmDocument,
  MoveOrderDocument,
  PlaceOrderDocument,
  ReceiveStockDocument,
  SegmentListDocument,
} from './generated/graphql.js';

/*
 * The KPIs rewritten for 1M orders — RFM on analytics_customer_stats, inventory on analytics_stock_balance plus the
 * recent ledger, cohorts in one pass over a partial index — answer what the previous statements
 * (test/support/analytics-legacy-sql.ts) answered, and the facts stay equal to the tables they summarise through
 * placements, cancellations, re-dating and re-pricing.
 *
 * Inventory fixture (America/New_York is UTC−5 in March; period NY Mar 2–5, Mar 2 2026 is a Monday):
 *   A (cost 100) @W1  +10 Feb 20; −3 adjustment Mar 3 03:00Z (NY Mar 2, UTC Mar 3); −7 shipped Mar 4 15:00Z; +5 Mar 5 12:00Z
 *   A @W2             +2 Mar 7 (after the period: the balance now includes it, the period must not)
 *   B (no cost) @W1   +4 Feb 25, nothing in the period
 *   C (cost 50) @W2   +6 Mar 4 02:00Z (NY Mar 3 21:00, UTC Mar 4): first stocked mid-period
 *   D (cost 20) @W1   +3 Feb 10, −3 Feb 15: exists, empty all period
 */
let t: TestApp;
let clock: ManualClock;
let ops: string;
let analyst: string;
let A: string, B: string, C: string, D: string, X: string;
let w1: string, w2: string;

const NY = { from: '2026-03-02T05:00:00Z', to: '2026-03-06T05:00:00Z', timeZone: 'America/New_York' };
const UTC = { from: '2026-03-02T00:00:00Z', to: '2026-03-06T00:00:00Z', timeZone: 'UTC' };

async function receive(at: string, variantId: string, warehouseId: string, quantity: number) {
  clock.set(at);
  const r = await t.gql(ReceiveStockDocument, { input: { variantId, warehouseId, quantity, reference: `PO-${at}` } }, ops);
  if (r.data?.receiveStock?.__typename !== 'StockLevel') throw new Error(JSON.stringify(r));
}

async function adjust(at: string, variantId: string, warehouseId: string, quantityChange: number, expectedOnHand: number) {
  clock.set(at);
  const r = await t.gql(AdjustStockDocument, { input: { variantId, warehouseId, quantityChange, expectedOnHand, reason: 'count' } }, ops);
  if (r.data?.adjustStock?.__typename !== 'StockLevel') throw new Error(JSON.stringify(r));
}

/** A shipment movement as fulfilment writes it (with its stock_level update), without building the order around it. */
async function ship(at: string, variantId: string, warehouseId: string, quantity: number) {
  await t.sql(
    `INSERT INTO stock_movement (id, variant_id, warehouse_id, quantity, kind, reference, actor_kind, at) VALUES (gen_random_uuid(), $1, $2, $3, 'SHIPMENT', 'S-1', 'system', $4)`,
    [variantId, warehouseId, -quantity, at],
  );
  await t.sql('UPDATE stock_level SET on_hand = on_hand - $3 WHERE variant_id = $1 AND warehouse_id = $2', [variantId, warehouseId, quantity]);
}

async function place(at: string, customerId: string, lines: [string, number][]): Promise<string> {
  clock.set(at);
  const res = await t.gql(PlaceOrderDocument, { input: { customerId, channelId: null, lines: lines.map(([variantId, quantity]) => ({ variantId, quantity })) } }, ops);
  if (res.data?.placeOrder?.__typename !== 'Order') throw new Error(JSON.stringify(res));
  // Placement stamps the wall clock: backdate it (an UPDATE of placed_at, which the facts must follow).
  await t.sql('UPDATE sales_order SET placed_at = $2 WHERE id = $1', [res.data.placeOrder.id, at]);
  return res.data.placeOrder.id;
}

async function cancel(at: string, orderId: string) {
  clock.set(at);
  const res = await t.gql(MoveOrderDocument, { input: { orderId, to: 'CANCELLED', reason: 'customer changed their mind' } }, ops);
  if (res.data?.transitionOrder?.__typename !== 'Order') throw new Error(JSON.stringify(res));
}

/** Rows of a statement, with timestamps and numerics as text so equal answers compare equal. */
async function rows(q: KpiSql): Promise<unknown[]> {
  const { text, values } = toPgSql(q);
  const r = await t.sql(text, values);
  return r.map((row) => JSON.parse(JSON.stringify(row)));
}

/** The facts equal the tables they summarise. */
async function expectFactsConsistent() {
  const stats = await t.sql(`
    (SELECT customer_id, currency, count(*)::int AS orders, sum(total_amount)::bigint AS spend, max(placed_at) AS last_order_at
       FROM sales_order WHERE status <> 'CANCELLED' GROUP BY 1, 2
     EXCEPT SELECT customer_id, currency, orders, spend, last_order_at FROM analytics_customer_stats)
    UNION ALL
    (SELECT customer_id, currency, orders, spend, last_order_at FROM analytics_customer_stats
     EXCEPT SELECT customer_id, currency, count(*)::int, sum(total_amount)::bigint, max(placed_at) FROM sales_order WHERE status <> 'CANCELLED' GROUP BY 1, 2)`);
  expect(stats).toEqual([]);
  const stock = await t.sql(`
    (SELECT variant_id, warehouse_id, sum(quantity)::bigint AS on_hand, min(at) AS first_at FROM stock_movement GROUP BY 1, 2
     EXCEPT SELECT variant_id, warehouse_id, on_hand, first_at FROM analytics_stock_balance)
    UNION ALL
    (SELECT variant_id, warehouse_id, on_hand, first_at FROM analytics_stock_balance
     EXCEPT SELECT variant_id, warehouse_id, sum(quantity)::bigint, min(at) FROM stock_movement GROUP BY 1, 2)`);
  expect(stock).toEqual([]);
}

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-02-01T00:00:00Z'));
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING, Role.MARKETING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  [A, B, C, D] = (await product(t, ops, [{ priceAmount: 1000 }, { priceAmount: 2000 }, { priceAmount: 3000 }, { priceAmount: 400 }])).variantIds as [string, string, string, string];
  [X] = (await product(t, ops, [{ priceAmount: 5000, currency: 'EUR' }])).variantIds as [string];
  await t.sql('UPDATE product_variant SET cost_amount = CASE id WHEN $1 THEN 100 WHEN $2 THEN 50 WHEN $3 THEN 20 END WHERE id IN ($1, $2, $3, $4)', [A, C, D, B]);
  await t.sql('UPDATE product_variant SET cost_amount = NULL WHERE id = $1', [B]);
  w1 = await warehouse(t, ops, { city: 'Newark' });
  w2 = await warehouse(t, ops, { city: 'Boston' });

  await receive('2026-02-10T12:00:00Z', D, w1, 3);
  await adjust('2026-02-15T12:00:00Z', D, w1, -3, 3);
  await receive('2026-02-20T12:00:00Z', A, w1, 10);
  await receive('2026-02-25T12:00:00Z', B, w1, 4);
  await adjust('2026-03-03T03:00:00Z', A, w1, -3, 10);
  await receive('2026-03-04T02:00:00Z', C, w2, 6);
  await ship('2026-03-04T15:00:00Z', A, w1, 7);
  await receive('2026-03-05T12:00:00Z', A, w1, 5);
  await receive('2026-03-07T12:00:00Z', A, w2, 2);
});
afterAll(() => t?.stop());

describe('inventory KPIs from stock balances and the recent ledger', () => {
  const inv = async (vars: Record<string, unknown>) => {
    const res = await t.gql(AnalyticsInventoryKpisDocument, vars as any, analyst);
    expect(res.errors).toBeUndefined();
    return res.data!.inventoryKpis.map((r) => {
      const v = r.values;
      return [r.bucketLabel, r.dimension?.label ?? null, r.days, v.unitsOnHand, v.valueOnHand.amount, v.unitsWithoutCost, v.unitsShipped, v.costOfGoodsShipped.amount, v.averageUnitsOnHand, v.turnover, v.daysOfCover, v.stockOutDays];
    });
  };

  // columns: day, group, days, on hand, value, unvalued units, shipped, COGS, average on hand, turnover, days of cover, stock-out days
  it('per local day: a mid-period adjustment, a SKU first stocked mid-period, a stock-out and an empty SKU', async () => {
    expect(await inv({ ...NY, bucket: 'DAY' })).toEqual([
      // A 7 (adjusted the evening before in NY), B 4 unvalued, D 0 (a stock-out day); C not stocked yet
      ['2026-03-02', null, 1, 11, 700, 4, 0, 0, 11, 0, null, 1],
      ['2026-03-03', null, 1, 17, 1000, 4, 0, 0, 17, 0, null, 1],
      // A shipped empty: stock-outs A and D; cover 10 / 7
      ['2026-03-04', null, 1, 10, 300, 4, 7, 700, 10, 0.7, 1.4, 2],
      ['2026-03-05', null, 1, 15, 800, 4, 0, 0, 15, 0, null, 1],
    ]);
    // One week of 4 days: average (11 + 17 + 10 + 15) / 4
    expect(await inv({ ...NY, bucket: 'WEEK' })).toEqual([['2026-03-02', null, 4, 15, 800, 4, 7, 700, 13.25, 0.5283, 8.6, 5]]);
  });

  it('cuts the same ledger into UTC days (the adjustment and C’s first receipt move a day)', async () => {
    expect(await inv({ ...UTC, bucket: 'DAY' })).toEqual([
      ['2026-03-02', null, 1, 14, 1000, 4, 0, 0, 14, 0, null, 1],
      ['2026-03-03', null, 1, 11, 700, 4, 0, 0, 11, 0, null, 1],
      ['2026-03-04', null, 1, 10, 300, 4, 7, 700, 10, 0.7, 1.4, 2],
      ['2026-03-05', null, 1, 15, 800, 4, 0, 0, 15, 0, null, 1],
    ]);
  });

  it('by WAREHOUSE: a warehouse has rows from the day its first SKU is stocked', async () => {
    const labels = Object.fromEntries((await t.sql('SELECT id, name FROM warehouse WHERE id IN ($1, $2)', [w1, w2])).map((r) => [r.id, r.name]));
    const byDayAndLabel = (x: unknown[], y: unknown[]) => String(x[0]).localeCompare(String(y[0])) || String(x[1]).localeCompare(String(y[1]));
    expect((await inv({ ...NY, bucket: 'DAY', breakdown: 'WAREHOUSE' })).sort(byDayAndLabel)).toEqual(
      [
        ['2026-03-02', labels[w1], 1, 11, 700, 4, 0, 0, 11, 0, null, 1],
        ['2026-03-03', labels[w1], 1, 11, 700, 4, 0, 0, 11, 0, null, 1],
        ['2026-03-03', labels[w2], 1, 6, 300, 0, 0, 0, 6, 0, null, 0],
        ['2026-03-04', labels[w1], 1, 4, 0, 4, 7, 700, 4, 1.75, 0.6, 2],
        ['2026-03-04', labels[w2], 1, 6, 300, 0, 0, 0, 6, 0, null, 0],
        ['2026-03-05', labels[w1], 1, 9, 500, 4, 0, 0, 9, 0, null, 1],
        ['2026-03-05', labels[w2], 1, 6, 300, 0, 0, 0, 6, 0, null, 0],
      ].sort(byDayAndLabel),
    );
  });

  it('answers exactly what the statement over the whole ledger answered, for every breakdown, bucket and zone', async () => {
    const periods = [
      NY,
      UTC,
      { from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00Z', timeZone: 'Asia/Kolkata' },
      { from: '2026-02-01T05:00:00Z', to: '2026-04-01T04:00:00Z', timeZone: 'America/New_York' },
      { from: '2026-01-01T00:00:00Z', to: '2026-02-12T00:00:00Z', timeZone: 'Europe/Berlin' },
      { from: '2026-03-04T10:00:00Z', to: '2026-03-05T03:00:00Z', timeZone: 'UTC' }, // no whole day: no rows
    ];
    let compared = 0;
    for (const p of periods) {
      for (const bucket of [KpiBucket.DAY, KpiBucket.WEEK, KpiBucket.MONTH]) {
        for (const breakdown of [InventoryBreakdown.NONE, InventoryBreakdown.WAREHOUSE, InventoryBreakdown.PRODUCT]) {
          const args = { from: new Date(p.from), to: new Date(p.to), timeZone: p.timeZone, bucket, breakdown };
          const legacy = await rows(legacyInventoryKpisSql(args));
          expect(await rows(inventoryKpisSql(args)), JSON.stringify(args)).toEqual(legacy);
          compared += legacy.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('keeps analytics_stock_balance equal to the ledger', async () => {
    await expectFactsConsistent();
  });
});

describe('customer cohorts and RFM from trigger-kept facts', () => {
  /*
   * 2026 (the same clock):
   *   ann  Jan 10 (USD 2×A), Mar 31 23:30 NY = Apr 1 03:30Z (USD A), May 2 (EUR X)
   *   ben  cancelled Jan 5, then Feb 1 03:00Z (NY Jan 31), Feb 20
   *   cid  Feb 3, re-priced; a later order cancelled (his last order falls back)
   *   dee  Dec 2025 (before the period: no cohort), Jan 15
   *   eve  only a cancelled order (no scores)
   */
  let ann: string, ben: string, cid: string, dee: string, eve: string;
  beforeAll(async () => {
    const c = async (name: string) => (await customer(t, name)).id;
    [ann, ben, cid, dee, eve] = [await c('Ann'), await c('Ben'), await c('Cid'), await c('Dee'), await c('Eve')];
    await place('2026-01-10T15:00:00Z', ann, [[A, 2]]);
    await place('2026-04-01T03:30:00Z', ann, [[A, 1]]);
    await place('2026-05-02T15:00:00Z', ann, [[X, 1]]);
    await cancel('2026-01-05T16:00:00Z', await place('2026-01-05T15:00:00Z', ben, [[B, 1]]));
    await place('2026-02-01T03:00:00Z', ben, [[B, 1]]);
    await place('2026-02-20T15:00:00Z', ben, [[A, 1]]);
    const cidFirst = await place('2026-02-03T15:00:00Z', cid, [[C, 1]]);
    await t.sql('UPDATE sales_order SET discount_amount = 500, total_amount = total_amount - 500 WHERE id = $1', [cidFirst]);
    await cancel('2026-06-02T16:00:00Z', await place('2026-06-01T15:00:00Z', cid, [[C, 2]]));
    await place('2025-12-20T15:00:00Z', dee, [[D, 1]]);
    await place('2026-01-15T15:00:00Z', dee, [[D, 1]]);
    await cancel('2026-03-01T16:00:00Z', await place('2026-03-01T15:00:00Z', eve, [[A, 1]]));
    // Concurrent placements of one customer meet on one stats row only: all of them count.
    clock.set('2026-06-10T12:00:00Z');
    const many = await Promise.all([1, 2, 3, 4].map(() => t.gql(PlaceOrderDocument, { input: { customerId: dee, channelId: null, lines: [{ variantId: D, quantity: 1 }] } }, ops)));
    expect(many.map((r) => r.data?.placeOrder?.__typename)).toEqual(['Order', 'Order', 'Order', 'Order']);
    await t.sql(`UPDATE sales_order SET placed_at = '2026-06-10T12:00:00Z' WHERE customer_id = $1 AND placed_at > '2026-06-10T00:00:00Z'`, [dee]);
    clock.set('2026-07-01T00:00:00Z');
  });

  const table = (res: any) => res.data!.customerCohorts.map((c: any) => [c.cohortMonth, c.customers, c.retention.map((r: any) => [r.month, r.activeCustomers])]);

  it('cohorts by first-order month in the zone, the cancelled order not counting', async () => {
    const res = await t.gql(AnalyticsCohortsDocument, { from: '2026-01-01T05:00:00Z', to: '2026-04-01T04:00:00Z', timeZone: 'America/New_York' }, analyst);
    expect(res.errors).toBeUndefined();
    // ann Jan (Mar 31 NY is active in March); ben Jan 31 NY; dee started 2025; cid Feb
    expect(table(res)).toEqual([
      ['2026-01', 2, [['2026-01', 2], ['2026-02', 1], ['2026-03', 1]]],
      ['2026-02', 1, [['2026-02', 1], ['2026-03', 0]]],
    ]);
    const utc = await t.gql(AnalyticsCohortsDocument, { from: '2026-01-01T00:00:00Z', to: '2026-04-01T00:00:00Z', timeZone: 'UTC' }, analyst);
    // In UTC ben starts in February and ann's Apr 1 order falls after the period.
    expect(table(utc)).toEqual([
      ['2026-01', 1, [['2026-01', 1], ['2026-02', 0], ['2026-03', 0]]],
      ['2026-02', 2, [['2026-02', 2], ['2026-03', 0]]],
    ]);
  });

  it('cohorts answer exactly what the statement over every order answered', async () => {
    for (const [from, to, timeZone] of [
      ['2026-01-01T05:00:00Z', '2026-04-01T04:00:00Z', 'America/New_York'],
      ['2026-01-01T00:00:00Z', '2026-07-01T00:00:00Z', 'UTC'],
      ['2025-07-01T00:00:00Z', '2026-07-01T00:00:00Z', 'Asia/Kolkata'],
      ['2026-02-01T00:00:00Z', '2026-02-02T00:00:00Z', 'Europe/Berlin'],
    ] as const) {
      const args = { from: new Date(from), to: new Date(to), timeZone };
      const legacy = await rows(legacyCustomerCohortsSql(args));
      expect(legacy.length).toBeGreaterThan(0);
      expect(await rows(customerCohortsSql(args)), JSON.stringify(args)).toEqual(legacy);
    }
  });

  it('RFM distribution: only non-cancelled orders, spend in the currency asked for', async () => {
    const usd = await t.gql(AnalyticsRfmDistributionDocument, { currency: 'USD' }, analyst);
    expect(usd.errors).toBeUndefined();
    /*
     * last order (any currency) / orders / USD spend: ann May 2, 3, 3000 · ben Feb 20, 2, 3000 · cid Feb 3, 1, 2500 · dee Jun 10, 6, 2400
     * percent_rank over 4: R ben 1/3→2, cid 0→1, ann 2/3→4, dee 1→5 (dee's four concurrent orders tie at Jun 10);
     * F cid 0→1, ben 1/3→2, ann 2/3→4, dee 1→5; M dee 0→1, cid 1/3→2, ann and ben 2/3→4.
     */
    expect(usd.data!.rfmDistribution).toEqual([
      { recencyScore: 1, frequencyScore: 1, monetaryScore: 2, customers: 1 },
      { recencyScore: 2, frequencyScore: 2, monetaryScore: 4, customers: 1 },
      { recencyScore: 4, frequencyScore: 4, monetaryScore: 4, customers: 1 },
      { recencyScore: 5, frequencyScore: 5, monetaryScore: 1, customers: 1 },
    ]);
    for (const currency of ['USD', 'EUR', 'GBP']) {
      const legacy = await rows({ sql: `${LEGACY_RFM_STATS_SQL} SELECT r, f, m, count(*)::int AS customers FROM base WHERE r IS NOT NULL GROUP BY r, f, m ORDER BY r, f, m`, params: [currency, new Date('2026-07-01T00:00:00Z')] });
      expect(await rows(rfmDistributionSql(currency, new Date('2026-07-01T00:00:00Z')))).toEqual(legacy);
      // Every customer's figures, scores included, as the CRM reads them.
      const all = (sql: string) => rows({ sql: `${sql} SELECT id, created_at, spend, orders, last_order_at, r, f, m, now_at FROM base ORDER BY id`, params: [currency, new Date('2026-07-01T00:00:00Z')] });
      const { RFM_STATS_SQL } = await import('../src/modules/crm/insights.service.js');
      expect(await all(RFM_STATS_SQL)).toEqual(await all(LEGACY_RFM_STATS_SQL));
    }
  });

  it('customer RFM and segment counts follow a cancellation at once', async () => {
    const rfm = async (customerId: string) => (await t.gql(CustomerRfmDocument, { customerId, currency: 'USD' }, ops)).data?.customerRfm;
    expect(await rfm(eve)).toMatchObject({ frequency: 0, monetary: { amount: 0 }, recencyScore: null });
    expect(await rfm(cid)).toMatchObject({ frequency: 1, monetary: { amount: 2500 }, recencyDays: 147 });
    const seg = await t.gql(CreateSegmentDocument, { input: { name: 'Two or more', currency: 'USD', rules: { minOrders: 2 } } }, ops);
    expect(seg.data?.createSegment?.__typename).toBe('Segment');
    const count = async () => (await t.gql(SegmentListDocument, {}, ops)).data!.segments.find((s: any) => s.name === 'Two or more')!.memberCount;
    expect(await count()).toBe(3); // ann, ben, dee
    const [benLast] = await t.sql(`SELECT id FROM sales_order WHERE customer_id = $1 AND status <> 'CANCELLED' ORDER BY placed_at DESC LIMIT 1`, [ben]);
    await cancel('2026-07-01T00:00:00Z', benLast.id);
    expect(await count()).toBe(2);
    expect(await rfm(ben)).toMatchObject({ frequency: 1, monetary: { amount: 2000 }, recencyDays: 149 });
    await expectFactsConsistent();
  });
});
