import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { returnKpisRawSql, returnKpisSql, salesKpisRawSql, salesKpisSql, toPgSql, trafficKpisRawSql, trafficKpisSql } from '../src/modules/analytics/analytics.service.js';
import { MARK_ALL_SLOTS_SQL, refreshRollups, returnsSlotRowsSql, salesLineRowsSql, salesSlotRowsSql, trafficSlotRowsSql } from '../src/modules/analytics/rollups.js';
import { KpiBucket, ReturnsBreakdown, SalesBreakdown, TrafficBreakdown } from '../src/modules/analytics/analytics.types.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import {
  AnalyticsCreateChannelDocument,
  AnalyticsReturnKpisDocument,
  AnalyticsTrafficKpisDocument,
  AnalyticsSalesKpisDocument,
  CapturePaymentDocument,
  MoveOrderDocument,
  PlaceOrderDocument,
  RefundPaymentDocument,
} from './generated/graphql.js';

/*
 * Slot rollups must give exactly what the raw statements give, whatever the zone (45-minute offsets, DST changes),
 * period edges (not on 15-minute slots) and refresher state (nothing rolled up, all rolled up, some slots marked).
 * The fixture is pseudo-random (fixed seed) around the Europe/Berlin DST change of 2026-03-29 01:00Z and the
 * March/April month change, plus a hand-checked pair of orders around Asia/Kathmandu's midnight (18:15Z).
 */
let t: TestApp;
let clock: ManualClock;
let ops: string;
let analyst: string;
const channels: (string | null)[] = [null];
const channelCurrency = new Map<string | null, string>();
let usd: string[] = [];
let eur: string[] = [];
const customers: string[] = [];
const live: { id: string; captured: boolean; placedAt: Date }[] = [];
let seed = 20260329;
const CAT = { shoes: '5a0e0000-0000-4000-8000-000000000001', hats: '5a0e0000-0000-4000-8000-000000000002' };
const BRAND_NORTH = 'b0a00000-0000-4000-8000-000000000001';
const productIds: string[] = [];
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;

async function place(at: Date, customerId: string, channelId: string | null, lines: [string, number][]): Promise<string> {
  clock.set(at.toISOString());
  const res = await t.gql(PlaceOrderDocument, { input: { customerId, channelId, lines: lines.map(([variantId, quantity]) => ({ variantId, quantity })) } }, ops);
  if (res.data?.placeOrder?.__typename !== 'Order') throw new Error(JSON.stringify(res));
  // Placement stamps the wall clock: backdate it (an UPDATE the triggers must follow, from the wall-clock slot to this one).
  await t.sql('UPDATE sales_order SET placed_at = $2 WHERE id = $1', [res.data.placeOrder.id, at]);
  return res.data.placeOrder.id;
}

async function capture(at: Date, orderId: string) {
  clock.set(at.toISOString());
  const res = await t.gql(CapturePaymentDocument, { input: { orderId, idempotencyKey: `cap-${orderId}` } }, ops);
  if (res.data?.capturePayment?.__typename !== 'Order') throw new Error(JSON.stringify(res));
}

async function refund(at: Date, orderId: string, amountMinor: number, key: string) {
  clock.set(at.toISOString());
  const res = await t.gql(RefundPaymentDocument, { input: { orderId, amountMinor, idempotencyKey: key, reason: 'damaged' } }, ops);
  if (res.data?.refundPayment?.__typename !== 'Order') throw new Error(JSON.stringify(res));
}

async function cancel(at: Date, orderId: string) {
  clock.set(at.toISOString());
  const res = await t.gql(MoveOrderDocument, { input: { orderId, to: 'CANCELLED', reason: 'customer changed their mind' } }, ops);
  if (res.data?.transitionOrder?.__typename !== 'Order') throw new Error(JSON.stringify(res));
}

/** A random instant in [from, from + hours), to the millisecond (never on a slot edge by design). */
const around = (from: string, hours: number) => new Date(Date.parse(from) + Math.floor(rnd() * hours * 3_600_000));

/** Places `n` random orders (random customer, channel, currency, lines, discount), capturing and refunding some. */
async function randomOrders(n: number, from: string, hours: number) {
  for (let i = 0; i < n; i++) {
    const at = around(from, hours);
    const variants = rnd() < 0.7 ? usd : eur;
    const lines: [string, number][] = [[pick(variants), 1 + Math.floor(rnd() * 3)]];
    if (rnd() < 0.4) lines.push([pick(variants.filter((v) => v !== lines[0]![0])), 1 + Math.floor(rnd() * 2)]);
    const cur = variants === usd ? 'USD' : 'EUR';
    const id = await place(at, pick(customers), pick(channels.filter((c) => c === null || channelCurrency.get(c) === cur)), lines);
    if (rnd() < 0.3) await t.sql('UPDATE sales_order SET discount_amount = $2 WHERE id = $1', [id, 100 + Math.floor(rnd() * 400)]);
    const o = { id, captured: false, placedAt: at };
    if (rnd() < 0.5) {
      await capture(new Date(at.getTime() + 60_000), id);
      o.captured = true;
      if (rnd() < 0.5) await refund(new Date(at.getTime() + Math.floor(rnd() * 48 * 3_600_000)), id, 100 + Math.floor(rnd() * 300), `r-${id}`);
    }
    live.push(o);
  }
}

const RETURN_STATUSES = ['REQUESTED', 'REQUESTED', 'RECEIVED', 'REJECTED', 'CANCELLED'];
const REASONS = ['DAMAGED', 'DEFECTIVE', 'WRONG_SIZE', 'OTHER'];

/** Return requests on random lines of random orders (written directly: the KPI, not the return workflow, is under test). */
async function randomReturns(n: number) {
  for (let i = 0; i < n; i++) {
    const o = pick(live);
    const lines: { id: string; quantity: number; customer_id: string }[] = await t.sql(
      'SELECT ol.id, ol.quantity, so.customer_id FROM order_line ol JOIN sales_order so ON so.id = ol.order_id WHERE ol.order_id = $1 ORDER BY ol.position',
      [o.id],
    );
    const [rr] = await t.sql(
      `INSERT INTO return_request (id, order_id, customer_id, status, resolution, photo_urls, requested_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2, $3, 'REFUND', '[]', now(), now()) RETURNING id`,
      [o.id, lines[0]!.customer_id, pick(RETURN_STATUSES)],
    );
    await t.sql(
      `INSERT INTO return_line (id, return_request_id, order_line_id, position, quantity, reason_code)
       SELECT gen_random_uuid(), $1, x.id, x.pos, x.q, x.reason::return_reason_code FROM json_to_recordset($2::json) x(id uuid, pos int, q int, reason text)`,
      [rr.id, JSON.stringify(lines.map((l, pos) => ({ id: l.id, pos: pos + 1, q: 1 + Math.floor(rnd() * l.quantity), reason: pick(REASONS) })))],
    );
  }
}

const STEPS = ['PRODUCT_VIEW', 'ADD_TO_CART', 'CHECKOUT_START', 'PURCHASE'];
let visitNo = 0;

/** Visits (random source, campaign or none, funnel steps), some attributed to a not yet attributed order. */
async function randomVisits(n: number, from: string, hours: number) {
  for (let i = 0; i < n; i++) {
    const key = `v-${++visitNo}`;
    const [s] = await t.sql(
      `INSERT INTO traffic_session (id, session_key, source, medium, campaign, device, started_at)
       VALUES (gen_random_uuid(), $1, $2, 'cpc', $3, 'MOBILE', $4) RETURNING id, started_at`,
      [key, pick(['google', 'newsletter', 'direct']), pick([null, 'spring', 'easter', null]), around(from, hours)],
    );
    const steps = STEPS.filter(() => rnd() < 0.5);
    for (const step of steps) {
      await t.sql(`INSERT INTO funnel_event (id, event_key, session_id, step, occurred_at) VALUES (gen_random_uuid(), $1, $2, $3, $4)`, [
        `${key}-${step}`,
        s.id,
        step,
        s.started_at,
      ]);
    }
    if (rnd() < 0.5) {
      await t.sql(
        `INSERT INTO order_attribution (id, order_id, session_key)
         SELECT gen_random_uuid(), o.id, $1 FROM sales_order o WHERE NOT EXISTS (SELECT 1 FROM order_attribution a WHERE a.order_id = o.id)
          ORDER BY md5(o.id::text || $1) LIMIT 1`,
        [key],
      );
    }
  }
}

type Case = { from: string; to: string; bucket: KpiBucket; timeZone: string; breakdown: SalesBreakdown };
const ZONES = ['UTC', 'Europe/Berlin', 'Asia/Kathmandu', 'America/St_Johns'];
const CASES: Case[] = ZONES.flatMap((timeZone) =>
  [SalesBreakdown.NONE, SalesBreakdown.CHANNEL, SalesBreakdown.CATEGORY, SalesBreakdown.BRAND].flatMap((breakdown) => [
    { from: '2026-03-27T22:07:13.250Z', to: '2026-04-01T03:52:00.001Z', bucket: KpiBucket.HOUR, timeZone, breakdown },
    { from: '2026-03-27T22:07:13.250Z', to: '2026-04-01T03:52:00.001Z', bucket: KpiBucket.DAY, timeZone, breakdown },
    { from: '2026-03-01T00:00:00Z', to: '2026-06-30T00:00:00Z', bucket: KpiBucket.WEEK, timeZone, breakdown },
    { from: '2026-02-14T10:10:10Z', to: '2026-07-01T23:59:59.999Z', bucket: KpiBucket.MONTH, timeZone, breakdown },
    // Both edges inside one slot, and a period inside one slot.
    { from: '2026-03-28T00:05:00Z', to: '2026-03-30T23:58:00Z', bucket: KpiBucket.DAY, timeZone, breakdown },
    { from: '2026-03-29T00:31:00Z', to: '2026-03-29T00:44:00Z', bucket: KpiBucket.HOUR, timeZone, breakdown },
  ]),
);

const gqlVars = (c: Case) => ({ from: c.from, to: c.to, bucket: c.bucket, timeZone: c.timeZone, breakdown: c.breakdown });

/** The raw statement's answer in the API's shape. */
async function rawAnswer(c: Case) {
  const q = toPgSql(salesKpisRawSql({ ...c, from: new Date(c.from), to: new Date(c.to) }));
  const rows = await t.sql(q.text, q.values);
  return rows.map((r) => ({
    start: new Date(r.bucket_start).toISOString(),
    label: r.bucket_label,
    key: c.breakdown === SalesBreakdown.NONE ? null : r.dim_key,
    cur: r.currency.trim(),
    gmv: Number(r.gmv),
    disc: Number(r.discounts),
    refunds: Number(r.refunds),
    orders: r.orders,
    units: Number(r.units),
    newC: r.new_orders,
  }));
}

async function apiAnswer(c: Case) {
  const res = await t.gql(AnalyticsSalesKpisDocument, gqlVars(c), analyst);
  expect(res.errors).toBeUndefined();
  return res.data!.salesKpis.map((r: any) => ({
    start: new Date(r.bucketStart).toISOString(),
    label: r.bucketLabel,
    key: r.dimension?.key ?? null,
    cur: r.currency,
    gmv: r.values.gmv.amount,
    disc: r.values.discounts.amount,
    refunds: r.values.refunds.amount,
    orders: r.values.orders,
    units: r.values.units,
    newC: r.values.newCustomerOrders,
  }));
}

/** Return KPIs by REASON: the API equals the raw statement, and the two statements agree row for row. */
async function expectReturnsExact() {
  let nonEmpty = 0;
  for (const c of CASES.filter((x) => x.breakdown === SalesBreakdown.NONE)) {
    const args = { ...c, from: new Date(c.from), to: new Date(c.to), breakdown: ReturnsBreakdown.REASON };
    const b = toPgSql(returnKpisRawSql(args));
    const raw = await t.sql(b.text, b.values);
    const a = toPgSql(returnKpisSql(args));
    expect(await t.sql(a.text, a.values), JSON.stringify(c)).toEqual(raw);
    const res = await t.gql(AnalyticsReturnKpisDocument, { ...gqlVars(c), breakdown: 'REASON' }, analyst);
    expect(res.errors).toBeUndefined();
    expect(
      res.data!.returnKpis.map((r: any) => [new Date(r.bucketStart).toISOString(), r.bucketLabel, r.dimension.key, r.values.unitsSold, r.values.unitsReturned]),
      JSON.stringify(c),
    ).toEqual(raw.map((r) => [new Date(r.bucket_start).toISOString(), r.bucket_label, r.dim, Number(r.sold), Number(r.returned)]));
    if (raw.length > 0) nonEmpty++;
  }
  expect(nonEmpty).toBeGreaterThan(6);
}

/** Traffic KPIs, every breakdown: the API equals the raw statement, and the two statements agree row for row. */
async function expectTrafficExact() {
  let nonEmpty = 0;
  for (const c of CASES.filter((x) => x.breakdown === SalesBreakdown.NONE)) {
    for (const breakdown of [TrafficBreakdown.NONE, TrafficBreakdown.SOURCE, TrafficBreakdown.CAMPAIGN]) {
      const args = { ...c, from: new Date(c.from), to: new Date(c.to), breakdown };
      const b = toPgSql(trafficKpisRawSql(args));
      const raw = await t.sql(b.text, b.values);
      const a = toPgSql(trafficKpisSql(args));
      expect(await t.sql(a.text, a.values), JSON.stringify(args)).toEqual(raw);
      const res = await t.gql(AnalyticsTrafficKpisDocument, { ...gqlVars(c), breakdown }, analyst);
      expect(res.errors).toBeUndefined();
      expect(
        res.data!.trafficKpis.map((r: any) => [new Date(r.bucketStart).toISOString(), r.bucketLabel, r.dimension?.key ?? null, r.values.sessions, r.values.productViewSessions, r.values.addToCartSessions, r.values.checkoutStartSessions, r.values.purchaseSessions, r.values.convertedSessions, r.values.attributedOrders]),
        JSON.stringify(args),
      ).toEqual(raw.map((r) => [new Date(r.bucket_start).toISOString(), r.bucket_label, r.dim, r.sessions, r.pv, r.atc, r.cs, r.pu, r.converted, r.orders]));
      if (raw.length > 0) nonEmpty++;
    }
  }
  expect(nonEmpty).toBeGreaterThan(12);
}

/** Every case: the API (rollup path) equals the raw statement; the statements themselves agree row for row too. */
async function expectAllExact() {
  await expectReturnsExact();
  await expectTrafficExact();
  let nonEmpty = 0;
  for (const c of CASES) {
    const [api, raw] = await Promise.all([apiAnswer(c), rawAnswer(c)]);
    expect(api, JSON.stringify(c)).toEqual(raw);
    if (raw.length > 0) nonEmpty++;
    const args = { ...c, from: new Date(c.from), to: new Date(c.to) };
    const a = toPgSql(salesKpisSql(args));
    const b = toPgSql(salesKpisRawSql(args));
    expect(await t.sql(a.text, a.values), JSON.stringify(c)).toEqual(await t.sql(b.text, b.values));
  }
  expect(nonEmpty).toBeGreaterThan(CASES.length / 2);
}

const dirtySlots = async () =>
  Number((await t.sql('SELECT count(DISTINCT slot)::int AS n FROM analytics_sales_dirty'))[0].n) +
  Number((await t.sql('SELECT count(DISTINCT slot)::int AS n FROM analytics_returns_dirty'))[0].n) +
  Number((await t.sql('SELECT count(DISTINCT slot)::int AS n FROM analytics_traffic_dirty'))[0].n);
const rollupRows = async () => t.sql('SELECT * FROM analytics_sales_slot ORDER BY slot, channel_id, currency');

/** The stored rollup equals a full recomputation from the raw tables (for every slot with data). */
async function expectRollupMatchesRaw() {
  const full = await t.sql(
    `WITH rs AS (SELECT DISTINCT analytics_slot(placed_at) AS slot FROM sales_order
                 UNION SELECT analytics_slot(at) FROM payment_transaction WHERE kind = 'REFUND'),
     ${salesSlotRowsSql()} ORDER BY 1, 2, 3`,
  );
  const stored = await rollupRows();
  expect(stored.map((r) => Object.values(r).map(String))).toEqual(full.map((r) => Object.values(r).map(String)));
  const fullReturns = await t.sql(`WITH rs AS (SELECT DISTINCT analytics_slot(placed_at) AS slot FROM sales_order), ${returnsSlotRowsSql()} ORDER BY 1, 2`);
  const storedReturns = await t.sql('SELECT * FROM analytics_returns_slot ORDER BY slot, reason');
  const fullLines = await t.sql(
    `WITH rs AS (SELECT DISTINCT analytics_slot(placed_at) AS slot FROM sales_order UNION SELECT analytics_slot(at) FROM payment_transaction WHERE kind = 'REFUND'),
     ${salesLineRowsSql({ bucket: () => 'rs.slot', kinds: ['C', 'B'], period: false })} ORDER BY 1, 2, 3, 4`,
  );
  const storedLines = await t.sql('SELECT * FROM analytics_sales_line_slot ORDER BY slot, kind, dim, currency');
  expect(storedLines.length).toBeGreaterThan(40);
  expect(storedLines.map((r) => Object.values(r).map(String))).toEqual(fullLines.map((r) => Object.values(r).map(String)));
  expect(storedReturns.map((r) => Object.values(r).map(String))).toEqual(fullReturns.map((r) => Object.values(r).map(String)));
  const fullTraffic = await t.sql(`WITH rs AS (SELECT DISTINCT analytics_slot(started_at) AS slot FROM traffic_session), ${trafficSlotRowsSql()} ORDER BY 1, 2, 3, 4`);
  const storedTraffic = await t.sql('SELECT * FROM analytics_traffic_slot ORDER BY slot, source, has_campaign, campaign');
  expect(storedTraffic.length).toBeGreaterThan(10);
  expect(storedTraffic.map((r) => Object.values(r).map(String))).toEqual(fullTraffic.map((r) => Object.values(r).map(String)));
}

const kathmandu = { from: '2026-06-09T18:15:00Z', to: '2026-06-11T18:15:00Z', bucket: 'DAY' as const, timeZone: 'Asia/Kathmandu' };

/** Hand-computed: X (1000 USD) at 18:10Z is 23:55 on June 10 in Kathmandu; Y (2×1250) at 18:20Z and X's refund at 18:16Z fall on June 11. */
async function expectKathmanduByHand() {
  const res = await t.gql(AnalyticsSalesKpisDocument, kathmandu, analyst);
  expect(res.errors).toBeUndefined();
  expect(
    res.data!.salesKpis.map((r: any) => [r.bucketLabel, r.bucketStart, r.currency, r.values.gmv.amount, r.values.refunds.amount, r.values.orders, r.values.units, r.values.newCustomerOrders]),
  ).toEqual([
    ['2026-06-10', '2026-06-09T18:15:00.000Z', 'USD', 1000, 0, 1, 1, 1],
    ['2026-06-11', '2026-06-10T18:15:00.000Z', 'USD', 2500, 300, 1, 2, 1],
  ]);
}

beforeAll(async () => {
  clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  for (const [code, type, currency] of [['web', 'OWN_SITE', 'USD'], ['mkt', 'MARKETPLACE', 'USD'], ['app', 'OWN_SITE', 'EUR'], ['web2', 'OWN_SITE', 'USD']] as const) {
    const res = await t.gql(AnalyticsCreateChannelDocument, { input: { code, name: `Channel ${code}`, type, currency } }, ops);
    if (res.data?.createChannel?.__typename !== 'Channel') throw new Error(JSON.stringify(res));
    channels.push(res.data.createChannel.id);
    channelCurrency.set(res.data.createChannel.id, currency);
  }
  const pa = await product(t, ops, [{ priceAmount: 1000 }, { priceAmount: 2500 }, { priceAmount: 1999 }]);
  const pb = await product(t, ops, [{ priceAmount: 3100 }, { priceAmount: 450 }]);
  const pe = await product(t, ops, [{ priceAmount: 4000, currency: 'EUR' }, { priceAmount: 750, currency: 'EUR' }]);
  usd = [...pa.variantIds, ...pb.variantIds];
  eur = pe.variantIds;
  // CATEGORY and BRAND: two categories and a brand over the products, some left without (orders mix them).
  await t.sql(`INSERT INTO category (id, name, slug, path, created_at) VALUES ($1, 'Shoes', 'shoes', ARRAY[$1]::uuid[], now()), ($2, 'Hats', 'hats', ARRAY[$2]::uuid[], now())`, [CAT.shoes, CAT.hats]);
  await t.sql(`INSERT INTO brand (id, name, created_at) VALUES ($1, 'North', now())`, [BRAND_NORTH]);
  productIds.push(pa.productId, pb.productId, pe.productId);
  await t.sql('UPDATE product SET category_id = $2, brand_id = $3 WHERE id = $1', [pa.productId, CAT.shoes, BRAND_NORTH]);
  await t.sql('UPDATE product SET category_id = $2 WHERE id = $1', [pb.productId, CAT.hats]);
  await t.sql('UPDATE product SET brand_id = $2 WHERE id = $1', [pe.productId, BRAND_NORTH]);
  for (let i = 0; i < 6; i++) customers.push((await customer(t, `C${i}`)).id);

  // Around the DST change and the month change, and spread over spring for WEEK/MONTH.
  await randomOrders(30, '2026-03-27T20:00:00Z', 5 * 24);
  await randomOrders(10, '2026-02-10T00:00:00Z', 140 * 24);
  // Cancellations: a customer's first order (the flag moves to a later order, maybe far away), and refunded orders.
  const byTime = [...live].sort((a, b) => a.placedAt.getTime() - b.placedAt.getTime());
  await cancel(new Date('2026-07-02T00:00:00Z'), byTime[0]!.id);
  const refunded: { order_id: string }[] = await t.sql(`SELECT DISTINCT order_id FROM payment_transaction WHERE kind = 'REFUND' ORDER BY 1 LIMIT 2`);
  for (const r of refunded) await cancel(new Date('2026-07-02T00:00:00Z'), r.order_id);

  await randomReturns(25);
  await randomVisits(40, '2026-03-27T20:00:00Z', 5 * 24);
  await randomVisits(10, '2026-02-10T00:00:00Z', 140 * 24);
  // An attributed order cancelled after the fact no longer counts for its visit.
  const [attributed] = await t.sql(`SELECT a.order_id FROM order_attribution a JOIN sales_order o ON o.id = a.order_id WHERE o.status <> 'CANCELLED' ORDER BY a.order_id LIMIT 1`);
  await cancel(new Date('2026-07-02T00:00:00Z'), attributed.order_id);

  // The hand-checked pair (two new customers, one USD variant at 1000 and one at 1250).
  const [x, y] = [(await customer(t, 'X')).id, (await customer(t, 'Y')).id];
  const [v1000, v1250] = (await product(t, ops, [{ priceAmount: 1000 }, { priceAmount: 1250 }])).variantIds as [string, string];
  const ox = await place(new Date('2026-06-10T18:10:00Z'), x, channels[1]!, [[v1000, 1]]);
  await place(new Date('2026-06-10T18:20:00Z'), y, null, [[v1250, 2]]);
  await capture(new Date('2026-06-10T18:11:00Z'), ox);
  await refund(new Date('2026-06-10T18:16:00Z'), ox, 300, 'kathmandu-refund');
});
afterAll(() => t?.stop());

describe('sales KPIs from slot rollups', () => {
  it('are exact before the refresher ever ran (every slot marked, all raw)', async () => {
    expect(await dirtySlots()).toBeGreaterThan(40);
    expect(await rollupRows()).toEqual([]);
    await expectAllExact();
    await expectKathmanduByHand();
  });

  it('are exact once everything is rolled up, and refreshing again changes nothing', async () => {
    await t.app.runJob('analytics.rollups');
    expect(await dirtySlots()).toBe(0);
    const after = await rollupRows();
    expect(after.length).toBeGreaterThan(40);
    await expectRollupMatchesRaw();
    await expectAllExact();
    await expectKathmanduByHand();
    await t.app.runJob('analytics.rollups');
    expect(await rollupRows()).toEqual(after);
    // Marking everything (what a trigger-less bulk load must do) and recomputing gives the same rollup again.
    for (const q of MARK_ALL_SLOTS_SQL) await t.sql(q);
    expect(await dirtySlots()).toBeGreaterThan(40);
    await refreshRollups(t.app.services, { batchSlots: 7 });
    expect(await dirtySlots()).toBe(0);
    expect(await rollupRows()).toEqual(after);
    await expectRollupMatchesRaw();
  });

  it('are exact with some slots marked after further writes, and after the next refresh', async () => {
    // A new order, a refund, a discount change, a moved order, a cancelled first order, a channel change.
    await randomOrders(5, '2026-03-28T00:00:00Z', 72);
    const captured = live.filter((o) => o.captured);
    await refund(new Date('2026-03-30T11:11:11Z'), captured[captured.length - 1]!.id, 50, 'late-refund');
    await t.sql('UPDATE sales_order SET discount_amount = discount_amount + 7 WHERE id = $1', [live[3]!.id]);
    await t.sql(`UPDATE sales_order SET placed_at = placed_at + interval '9 hours 3 minutes' WHERE id = $1`, [live[4]!.id]);
    await t.sql(`UPDATE sales_order SET channel_id = $1 WHERE id = (SELECT order_id FROM payment_transaction WHERE kind = 'REFUND' AND currency = 'USD' ORDER BY at DESC LIMIT 1)`, [channels[4]]);
    const first: { order_id: string }[] = await t.sql(
      `SELECT fo.order_id FROM analytics_first_order fo JOIN sales_order o ON o.id = fo.order_id
        WHERE o.placed_at >= '2026-03-27' AND o.placed_at < '2026-04-02' AND o.status <> 'CANCELLED' ORDER BY o.placed_at LIMIT 1`,
    );
    await cancel(new Date('2026-07-03T00:00:00Z'), first[0]!.order_id);
    // Returns: new ones, one cancelled, one reinstated, a line's quantity and reason changed.
    await randomReturns(4);
    await t.sql(`UPDATE return_request SET status = 'CANCELLED' WHERE id = (SELECT id FROM return_request WHERE status = 'REQUESTED' ORDER BY id LIMIT 1)`);
    await t.sql(`UPDATE return_request SET status = 'APPROVED' WHERE id = (SELECT id FROM return_request WHERE status = 'REJECTED' ORDER BY id LIMIT 1)`);
    await t.sql(`UPDATE return_line SET quantity = 1, reason_code = 'WRONG_ITEM' WHERE id = (SELECT id FROM return_line ORDER BY id DESC LIMIT 1)`);
    // Traffic: new visits, a late funnel event on an old visit, an attribution removed, an attributed order cancelled.
    await randomVisits(5, '2026-03-28T00:00:00Z', 72);
    await t.sql(`INSERT INTO funnel_event (id, event_key, session_id, step, occurred_at)
                 SELECT gen_random_uuid(), 'late-' || s.id, s.id, 'PURCHASE', s.started_at FROM traffic_session s
                  WHERE NOT EXISTS (SELECT 1 FROM funnel_event e WHERE e.session_id = s.id AND e.step = 'PURCHASE') ORDER BY s.session_key LIMIT 2`);
    await t.sql(`DELETE FROM order_attribution WHERE id = (SELECT id FROM order_attribution ORDER BY session_key LIMIT 1)`);
    const [att] = await t.sql(`SELECT a.order_id FROM order_attribution a JOIN sales_order o ON o.id = a.order_id WHERE o.status <> 'CANCELLED' ORDER BY a.session_key DESC LIMIT 1`);
    await cancel(new Date('2026-07-03T00:00:00Z'), att.order_id);
    const marked = await dirtySlots();
    expect(marked).toBeGreaterThan(0);
    // Mixed: some slots of each family marked, most still answered from the rollup.
    for (const f of ['sales', 'returns', 'traffic']) {
      const [{ marked: m, rolled }] = await t.sql(
        `SELECT (SELECT count(DISTINCT slot) FROM analytics_${f}_dirty)::int AS marked, (SELECT count(DISTINCT slot) FROM analytics_${f}_slot)::int AS rolled`,
      );
      expect(m, f).toBeGreaterThan(0);
      expect(rolled, f).toBeGreaterThan(m);
    }
    await expectAllExact();
    await expectKathmanduByHand();
    await t.app.runJob('analytics.rollups');
    expect(await dirtySlots()).toBe(0);
    await expectRollupMatchesRaw();
    await expectAllExact();

    // Line level: a line's amount changed on an order with a refund: refund shares follow line amounts, so the
    // slots of its refunds are marked as well as its order's.
    const [edited] = await t.sql(`SELECT ol.id, analytics_slot(r.at) AS refund_slot FROM order_line ol
                                    JOIN payment_transaction r ON r.order_id = ol.order_id AND r.kind = 'REFUND'
                                    JOIN sales_order o ON o.id = ol.order_id AND o.status <> 'CANCELLED'
                                   WHERE analytics_slot(r.at) <> analytics_slot(o.placed_at) ORDER BY ol.id LIMIT 1`);
    await t.sql('UPDATE order_line SET line_total_amount = line_total_amount + 3 WHERE id = $1', [edited.id]);
    expect(await t.sql('SELECT 1 FROM analytics_sales_dirty WHERE slot = $1', [edited.refund_slot])).not.toEqual([]);
    await expectAllExact();
    await t.app.runJob('analytics.rollups');
    await expectRollupMatchesRaw();
    // A product re-categorised and another re-branded: history follows, as in the raw statement.
    await t.sql('UPDATE product SET category_id = $2 WHERE id = $1', [productIds[0], CAT.hats]);
    await t.sql('UPDATE product SET brand_id = NULL WHERE id = $1', [productIds[2]]);
    // The product edits marked the slots of every sale of those products (most slots here).
    expect(await dirtySlots()).toBeGreaterThan(20);
    await expectAllExact();
    await t.app.runJob('analytics.rollups');
    expect(await dirtySlots()).toBe(0);
    await expectRollupMatchesRaw();
    await expectAllExact();
  });

  it('stay exact with two refreshers running at once beside concurrent writes', async () => {
    const writes = async () => {
      for (let i = 0; i < 6; i++) {
        const o = pick(live);
        await t.sql('UPDATE sales_order SET subtotal_amount = subtotal_amount + 1 WHERE id = $1', [o.id]);
        await randomOrders(1, '2026-03-28T00:00:00Z', 72);
        await randomReturns(1);
        await randomVisits(1, '2026-03-28T00:00:00Z', 72);
      }
    };
    const refreshers = async () => {
      for (let i = 0; i < 8; i++) await Promise.all([refreshRollups(t.app.services, { batchSlots: 3 }), refreshRollups(t.app.services, { batchSlots: 3 })]);
    };
    await Promise.all([writes(), refreshers(), refreshers()]);
    await expectAllExact();
    await Promise.all([refreshRollups(t.app.services), refreshRollups(t.app.services)]);
    await refreshRollups(t.app.services);
    expect(await dirtySlots()).toBe(0);
    await expectRollupMatchesRaw();
    await expectAllExact();
  });
});
