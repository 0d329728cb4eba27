import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import {
  AnalyticsCohortsDocument,
  AnalyticsCreateChannelDocument,
  AnalyticsSalesKpisDocument,
  CapturePaymentDocument,
  MoveOrderDocument,
  PlaceOrderDocument,
  RefundPaymentDocument,
} from './generated/graphql.js';

/*
 * Fixture (America/New_York is UTC−5 in January):
 *   O0 alice  —    1×A 1000 USD  2026-01-05T12:00Z                      (before the daily period: makes alice returning)
 *   O1 alice  WEB  2×A 2000 USD  2026-01-10T15:00Z  NY Jan 10 10:00     discount 300, captured 1700, refund 500 at 2026-01-12T02:00Z (NY Jan 11)
 *   O2 bob    MKT  1×B 2500 USD  2026-01-11T03:00Z  NY Jan 10 22:00     UTC day ≠ local day; bob's first order
 *   O6 carol  WEB  1×A 1000 USD  2026-01-10T12:00Z  cancelled           (does not count, so carol's O7 is her first)
 *   O3 alice  WEB  A+B  3500 USD 2026-01-11T16:00Z  NY Jan 11 11:00
 *   O5 alice  —    1×C 4000 EUR  2026-01-11T17:00Z  NY Jan 11 12:00
 *   O4 bob    WEB  3×A 3000 USD  2026-01-11T18:00Z  captured, cancelled at 19:00Z (its cancellation refund does not count)
 *   O7 carol  WEB  1×A 1000 USD  2026-01-11T20:00Z  NY Jan 11 15:00
 */
let t: TestApp;
let clock: ManualClock;
let ops: string;
let analyst: string;
let web: string;
let mkt: string;
let variantA: string;

async function channel(code: string, name: string, type: 'OWN_SITE' | 'MARKETPLACE'): Promise<string> {
  const res = await t.gql(AnalyticsCreateChannelDocument, { input: { code, name, type, currency: 'USD' } }, ops);
  if (res.data?.createChannel?.__typename !== 'Channel') throw new Error(JSON.stringify(res));
  return res.data.createChannel.id;
}

async function place(at: string, customerId: string, channelId: string | null, lines: [string, number][]): Promise<string> {
  clock.set(at);
  const res = await t.gql(PlaceOrderDocument, { input: { customerId, channelId, lines: lines.map(([variantId, quantity]) => ({ variantId, quantity })) } }, ops);
  if (res.data?.placeOrder?.__typename !== 'Order') throw new Error(JSON.stringify(res));
  // Placement stamps the wall clock, not the application clock: backdate it.
  await t.sql('UPDATE sales_order SET placed_at = $2 WHERE id = $1', [res.data.placeOrder.id, at]);
  return res.data.placeOrder.id;
}

async function capture(at: string, orderId: string, key: string) {
  clock.set(at);
  const res = await t.gql(CapturePaymentDocument, { input: { orderId, idempotencyKey: key } }, ops);
  if (res.data?.capturePayment?.__typename !== 'Order') throw new Error(JSON.stringify(res));
}

async function cancel(at: string, orderId: string) {
  clock.set(at);
  const res = await t.gql(MoveOrderDocument, { input: { orderId, to: 'CANCELLED', reason: 'customer changed their mind' } }, ops);
  if (res.data?.transitionOrder?.__typename !== 'Order') throw new Error(JSON.stringify(res));
}

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  web = await channel('web-shop', 'Web shop', 'OWN_SITE');
  mkt = await channel('marketplace', 'Marketplace', 'MARKETPLACE');
  const [A, B] = (await product(t, ops, [{ priceAmount: 1000 }, { priceAmount: 2500 }])).variantIds as [string, string];
  variantA = A;
  const [C] = (await product(t, ops, [{ priceAmount: 4000, currency: 'EUR' }])).variantIds as [string];
  const alice = (await customer(t, 'Alice')).id;
  const bob = (await customer(t, 'Bob')).id;
  const carol = (await customer(t, 'Carol')).id;

  await place('2026-01-05T12:00:00Z', alice, null, [[A, 1]]);
  const o1 = await place('2026-01-10T15:00:00Z', alice, web, [[A, 2]]);
  // Discounts come from promotions at placement; the figure is what matters here, so it is set directly.
  await t.sql('UPDATE sales_order SET discount_amount = 300, total_amount = total_amount - 300 WHERE id = $1', [o1]);
  await capture('2026-01-10T15:05:00Z', o1, 'an-cap-o1');
  await place('2026-01-11T03:00:00Z', bob, mkt, [[B, 1]]);
  const o6 = await place('2026-01-10T12:00:00Z', carol, web, [[A, 1]]);
  await cancel('2026-01-10T12:30:00Z', o6);
  await place('2026-01-11T16:00:00Z', alice, web, [[A, 1], [B, 1]]);
  await place('2026-01-11T17:00:00Z', alice, null, [[C, 1]]);
  const o4 = await place('2026-01-11T18:00:00Z', bob, web, [[A, 3]]);
  await capture('2026-01-11T18:10:00Z', o4, 'an-cap-o4');
  await cancel('2026-01-11T19:00:00Z', o4);
  await place('2026-01-11T20:00:00Z', carol, web, [[A, 1]]);
  clock.set('2026-01-12T02:00:00Z');
  const refund = await t.gql(RefundPaymentDocument, { input: { orderId: o1, amountMinor: 500, idempotencyKey: 'an-ref-o1', reason: 'damaged box' } }, ops);
  if (refund.data?.refundPayment?.__typename !== 'Order') throw new Error(JSON.stringify(refund));
});
afterAll(() => t?.stop());

const kpis = (vars: { from: string; to: string; bucket: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH'; timeZone: string; breakdown?: 'NONE' | 'CHANNEL' }, token = analyst) =>
  t.gql(AnalyticsSalesKpisDocument, vars, token);

/** A row in a compact, hand-checkable form. */
function flat(r: any) {
  const v = r.values;
  return {
    day: r.bucketLabel,
    dim: r.dimension?.label ?? null,
    cur: r.currency,
    gmv: v.gmv.amount,
    disc: v.discounts.amount,
    refunds: v.refunds.amount,
    net: v.netRevenue.amount,
    orders: v.orders,
    units: v.units,
    aov: v.averageOrderValue?.amount ?? null,
    newC: v.newCustomerOrders,
    retC: v.returningCustomerOrders,
  };
}

describe('sales KPIs', () => {
  it('buckets by local day in the requested zone, with discounts, refunds and new vs returning customers', async () => {
    const res = await kpis({ from: '2026-01-10T05:00:00Z', to: '2026-01-12T05:00:00Z', bucket: 'DAY', timeZone: 'America/New_York' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.salesKpis.map(flat)).toEqual([
      { day: '2026-01-10', dim: null, cur: 'USD', gmv: 4500, disc: 300, refunds: 0, net: 4200, orders: 2, units: 3, aov: 2100, newC: 1, retC: 1 },
      { day: '2026-01-11', dim: null, cur: 'EUR', gmv: 4000, disc: 0, refunds: 0, net: 4000, orders: 1, units: 1, aov: 4000, newC: 0, retC: 1 },
      { day: '2026-01-11', dim: null, cur: 'USD', gmv: 4500, disc: 0, refunds: 500, net: 4000, orders: 2, units: 3, aov: 2250, newC: 1, retC: 1 },
    ]);
    expect(res.data!.salesKpis.map((r) => r.bucketStart)).toEqual(['2026-01-10T05:00:00.000Z', '2026-01-11T05:00:00.000Z', '2026-01-11T05:00:00.000Z']);
  });

  it('cuts the same orders into other days in UTC (a UTC day differs from the local day)', async () => {
    const res = await kpis({ from: '2026-01-10T00:00:00Z', to: '2026-01-13T00:00:00Z', bucket: 'DAY', timeZone: 'UTC' });
    expect(res.data!.salesKpis.map(flat)).toEqual([
      { day: '2026-01-10', dim: null, cur: 'USD', gmv: 2000, disc: 300, refunds: 0, net: 1700, orders: 1, units: 2, aov: 1700, newC: 0, retC: 1 },
      { day: '2026-01-11', dim: null, cur: 'EUR', gmv: 4000, disc: 0, refunds: 0, net: 4000, orders: 1, units: 1, aov: 4000, newC: 0, retC: 1 },
      // 7000 / 3 = 2333.33 → 2333
      { day: '2026-01-11', dim: null, cur: 'USD', gmv: 7000, disc: 0, refunds: 0, net: 7000, orders: 3, units: 4, aov: 2333, newC: 2, retC: 1 },
      // The refund has its own bucket; no sales there.
      { day: '2026-01-12', dim: null, cur: 'USD', gmv: 0, disc: 0, refunds: 500, net: -500, orders: 0, units: 0, aov: null, newC: 0, retC: 0 },
    ]);
    expect(res.data!.salesKpis.map((r) => r.bucketStart)).toEqual([
      '2026-01-10T00:00:00.000Z',
      '2026-01-11T00:00:00.000Z',
      '2026-01-11T00:00:00.000Z',
      '2026-01-12T00:00:00.000Z',
    ]);
  });

  it('breaks each bucket down by channel, orders without a channel in their own row', async () => {
    const res = await kpis({ from: '2026-01-10T05:00:00Z', to: '2026-01-12T05:00:00Z', bucket: 'DAY', timeZone: 'America/New_York', breakdown: 'CHANNEL' });
    expect(res.data!.salesKpis.map(flat)).toEqual([
      { day: '2026-01-10', dim: 'Marketplace', cur: 'USD', gmv: 2500, disc: 0, refunds: 0, net: 2500, orders: 1, units: 1, aov: 2500, newC: 1, retC: 0 },
      { day: '2026-01-10', dim: 'Web shop', cur: 'USD', gmv: 2000, disc: 300, refunds: 0, net: 1700, orders: 1, units: 2, aov: 1700, newC: 0, retC: 1 },
      { day: '2026-01-11', dim: '(no channel)', cur: 'EUR', gmv: 4000, disc: 0, refunds: 0, net: 4000, orders: 1, units: 1, aov: 4000, newC: 0, retC: 1 },
      { day: '2026-01-11', dim: 'Web shop', cur: 'USD', gmv: 4500, disc: 0, refunds: 500, net: 4000, orders: 2, units: 3, aov: 2250, newC: 1, retC: 1 },
    ]);
    expect(res.data!.salesKpis.map((r) => r.dimension?.key)).toEqual([mkt, web, null, web]);
  });

  it('buckets by month and by hour in the zone', async () => {
    const month = await kpis({ from: '2026-01-01T05:00:00Z', to: '2026-02-01T05:00:00Z', bucket: 'MONTH', timeZone: 'America/New_York' });
    expect(month.data!.salesKpis.map(flat)).toEqual([
      { day: '2026-01', dim: null, cur: 'EUR', gmv: 4000, disc: 0, refunds: 0, net: 4000, orders: 1, units: 1, aov: 4000, newC: 0, retC: 1 },
      // O0, O1, O2, O3, O7: 1000 + 2000 + 2500 + 3500 + 1000; AOV (10000 − 300) / 5
      { day: '2026-01', dim: null, cur: 'USD', gmv: 10000, disc: 300, refunds: 500, net: 9200, orders: 5, units: 7, aov: 1940, newC: 3, retC: 2 },
    ]);
    expect(month.data!.salesKpis[0]!.bucketStart).toBe('2026-01-01T05:00:00.000Z');
    const hour = await kpis({ from: '2026-01-11T00:00:00Z', to: '2026-01-11T17:00:00Z', bucket: 'HOUR', timeZone: 'Asia/Kolkata' });
    // Kolkata is UTC+5:30, so hours start at :30 UTC.
    expect(hour.data!.salesKpis.map((r) => [r.bucketLabel, r.bucketStart, r.values.orders])).toEqual([
      ['2026-01-11T08:00', '2026-01-11T02:30:00.000Z', 1],
      ['2026-01-11T21:00', '2026-01-11T15:30:00.000Z', 1],
    ]);
  });

  it('refuses unknown zones, reversed and too long periods, naming the field', async () => {
    const cases: [Parameters<typeof kpis>[0], string][] = [
      [{ from: '2026-01-10T00:00:00Z', to: '2026-01-11T00:00:00Z', bucket: 'DAY', timeZone: 'Mars/Olympus' }, 'timeZone'],
      [{ from: '2026-01-10T00:00:00Z', to: '2026-01-11T00:00:00Z', bucket: 'DAY', timeZone: "UTC'; DROP TABLE sales_order; --" }, 'timeZone'],
      [{ from: '2026-01-11T00:00:00Z', to: '2026-01-10T00:00:00Z', bucket: 'DAY', timeZone: 'UTC' }, 'to'],
      [{ from: '2026-01-01T00:00:00Z', to: '2026-02-02T00:00:00Z', bucket: 'HOUR', timeZone: 'UTC' }, 'to'],
      [{ from: '2024-01-01T00:00:00Z', to: '2026-01-03T00:00:00Z', bucket: 'MONTH', timeZone: 'UTC' }, 'to'],
    ];
    for (const [vars, field] of cases) {
      const res = await kpis(vars);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const ok = await kpis({ from: '2024-01-03T00:00:00Z', to: '2026-01-03T00:00:00Z', bucket: 'MONTH', timeZone: 'UTC' });
    expect(ok.errors).toBeUndefined();
  });

  it('answers each KPI query with one SQL statement once the zone is known', async () => {
    const vars = { from: '2026-01-10T05:00:00Z', to: '2026-01-12T05:00:00Z', bucket: 'DAY' as const, timeZone: 'America/New_York' };
    await kpis(vars);
    for (const breakdown of ['NONE', 'CHANNEL'] as const) {
      let res: Awaited<ReturnType<typeof kpis>> | undefined;
      expect(await t.countQueries(async () => (res = await kpis({ ...vars, breakdown })))).toBe(1);
      expect(res!.data!.salesKpis.length).toBeGreaterThan(2);
    }
  });

  it('is for analysts (and admins), not for other staff or customers', async () => {
    const vars = { from: '2026-01-10T00:00:00Z', to: '2026-01-11T00:00:00Z', bucket: 'DAY' as const, timeZone: 'UTC' };
    expect((await kpis(vars, ops)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await kpis(vars, (await customer(t)).token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const admin = (await staffToken(t, Role.ADMIN)).token;
    expect((await kpis(vars, admin)).errors).toBeUndefined();
  });
});

describe('customer cohorts', () => {
  /*
   * 2027, separate from the sales fixture (whose customers all started in 2026):
   *   dana   2027-01-10, 2027-02-15, 2027-04-02
   *   eli    2027-02-01T03:00Z (New York: Jan 31), 2027-02-20
   *   fay    cancelled 2027-01-05, then 2027-02-10, 2027-03-10
   *   gus    2026-12-20 (before the period: in no cohort), 2027-01-15
   */
  beforeAll(async () => {
    const c = async (name: string) => (await customer(t, name)).id;
    const [dana, eli, fay, gus] = [await c('Dana'), await c('Eli'), await c('Fay'), await c('Gus')];
    for (const at of ['2027-01-10T15:00:00Z', '2027-02-15T15:00:00Z', '2027-04-02T15:00:00Z']) await place(at, dana, null, [[variantA, 1]]);
    for (const at of ['2027-02-01T03:00:00Z', '2027-02-20T15:00:00Z']) await place(at, eli, null, [[variantA, 1]]);
    await cancel('2027-01-05T16:00:00Z', await place('2027-01-05T15:00:00Z', fay, null, [[variantA, 1]]));
    for (const at of ['2027-02-10T15:00:00Z', '2027-03-10T15:00:00Z']) await place(at, fay, null, [[variantA, 1]]);
    for (const at of ['2026-12-20T15:00:00Z', '2027-01-15T15:00:00Z']) await place(at, gus, null, [[variantA, 1]]);
  });

  const table = (res: any) => res.data!.customerCohorts.map((c: any) => [c.cohortMonth, c.customers, c.retention.map((r: any) => [r.month, r.activeCustomers, r.rate])]);

  it('groups customers by their first-order month in the zone, with retention in each following month', async () => {
    const res = await t.gql(AnalyticsCohortsDocument, { from: '2027-01-01T05:00:00Z', to: '2027-05-01T04:00:00Z', timeZone: 'America/New_York' }, analyst);
    expect(res.errors).toBeUndefined();
    expect(table(res)).toEqual([
      ['2027-01', 2, [['2027-01', 2, 1], ['2027-02', 2, 1], ['2027-03', 0, 0], ['2027-04', 1, 0.5]]],
      ['2027-02', 1, [['2027-02', 1, 1], ['2027-03', 1, 1], ['2027-04', 0, 0]]],
    ]);
    expect(res.data!.customerCohorts.map((c) => c.cohortStart)).toEqual(['2027-01-01T05:00:00.000Z', '2027-02-01T05:00:00.000Z']);
  });

  it('moves the customer whose first order is on Jan 31 in New York but Feb 1 in UTC', async () => {
    const res = await t.gql(AnalyticsCohortsDocument, { from: '2027-01-01T00:00:00Z', to: '2027-05-01T00:00:00Z', timeZone: 'UTC' }, analyst);
    expect(table(res)).toEqual([
      ['2027-01', 1, [['2027-01', 1, 1], ['2027-02', 1, 1], ['2027-03', 0, 0], ['2027-04', 1, 1]]],
      ['2027-02', 2, [['2027-02', 2, 1], ['2027-03', 1, 0.5], ['2027-04', 0, 0]]],
    ]);
    const bad = await t.gql(AnalyticsCohortsDocument, { from: '2027-01-01T00:00:00Z', to: '2027-05-01T00:00:00Z', timeZone: 'Nowhere/Else' }, analyst);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timeZone' });
  });
});
