import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { receive, stockUp, warehouse } from './support/logistics-fixtures.js';
import { purchaseOrder, supplier } from './support/procurement-fixtures.js';
import { channel, deliveredOrder } from './support/returns-fixtures.js';
import {
  AnalyticsFindingsDocument,
  AnalyticsReturnKpisDocument,
  AnalyticsSupplierKpisDocument,
  TransitionReturnDocument,
  CreateListingDocument,
  IngestListingMetricsDocument,
  ReceivePurchaseOrderDocument,
  UpsertSupplierOfferDocument,
  CreateAdCampaignDocument,
  IngestAdMetricsDocument,
  IngestTrafficDocument,
  OpenTicketDocument,
  PlaceOrderDocument,
  RequestReturnDocument,
} from './generated/graphql.js';

/*
 * One fixture per finding kind, each with a twin built not to trigger it:
 *   ads       "Loser" spent 1000 and brought an order of 600 (ROAS 0.6);  "Winner" spent 1000 for 3000 (ROAS 3).
 *   returns   one delivered order of P1×5, P2×5, P3×2; one return of P1×2 (40 %), P2×1 DEFECTIVE (20 %, not above 20 %),
 *             P3×2 (100 % but only 2 units sold, below minUnitsSold 5); a rejected return of P2×3 DAMAGED counts nowhere.
 *   stock     SKUs S and T: 10 units available each, 8 sold in the 32-day period (0.25 a day, 40 days of cover);
 *             S's supplier needs 60 days (stock-out finding), T's 30 (none). Neither is overstocked (40 ≤ 180 days);
 *             P1–P3 hold ~100,000 units each and are.
 *   listings  L1 (P1) 2000 impressions, 100 clicks, 0 orders: finding; L2 (P2) same with 5 orders (5 %): none;
 *             L3 (P3) 500 impressions, 0 orders: too little exposure to judge.
 *   suppliers "Slipping": 2 receipts on time in the first half of the period, 2 late in the second (1 → 0);
 *             "Steady": 4 on time.
 *   tickets   "Late" opened 10 days before the breach check (breached, still open); "Fresh" opened at the check.
 */
const DAY = 86_400_000;
const T0 = new Date();
const clock = new ManualClock(T0);
let t: TestApp;
let analyst: string;
let ids: { loser: string; winner: string; p1: string; p2: string; p3: string; late: string; fresh: string; s: string; t: string; p1Variant: string; lowListing: string; slipping: string };

beforeAll(async () => {
  t = await startTestApp({ clock });
  const ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  const mkt = (await staffToken(t, Role.MARKETING)).token;
  const support = (await staffToken(t, Role.SUPPORT)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  const buyer = await customer(t);

  const ad = async (name: string, trackingCode: string) => {
    const res = await t.gql(CreateAdCampaignDocument, { input: { name, platform: 'SEARCH', budgetAmount: 50000, currency: 'USD', trackingCode } }, mkt);
    return (res.data!.createAdCampaign as { id: string }).id;
  };
  const loser = await ad('Loser', 'loser-ad');
  const winner = await ad('Winner', 'winner-ad');
  const today = T0.toISOString().slice(0, 10);
  await t.gql(IngestAdMetricsDocument, { rows: [loser, winner].map((adCampaignId) => ({ adCampaignId, day: today, spendAmount: 1000, impressions: 100, clicks: 10 })) }, mkt);
  const visit = (sessionId: string, campaign: string) => ({ eventId: `e-${sessionId}`, sessionId, step: 'PRODUCT_VIEW' as const, occurredAt: T0.toISOString(), source: 'google', medium: 'cpc', campaign, device: 'DESKTOP' as const });
  await t.gql(IngestTrafficDocument, { events: [visit('s-loser', 'loser-ad'), visit('s-winner', 'winner-ad')] }, mkt);
  const [v600] = (await product(t, ops, [{ priceAmount: 600 }])).variantIds as [string];
  const [v3000] = (await product(t, ops, [{ priceAmount: 3000 }])).variantIds as [string];
  for (const [variantId, sessionId] of [[v600, 's-loser'], [v3000, 's-winner']] as const) {
    const res = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId, quantity: 1 }], sessionId } }, buyer.token);
    if (res.data?.placeOrder?.__typename !== 'Order') throw new Error(JSON.stringify(res));
  }

  const p = await Promise.all([1, 2, 3].map(() => product(t, ops, [{ priceAmount: 1000 }])));
  const variants = p.map((x) => x.variantIds[0]!);
  await stockUp(t, ops, variants);
  const order = await deliveredOrder(t, ops, buyer.token, [
    { variantId: variants[0]!, quantity: 5 },
    { variantId: variants[1]!, quantity: 5 },
    { variantId: variants[2]!, quantity: 2 },
  ]);
  const ret = await t.gql(
    RequestReturnDocument,
    {
      input: {
        orderId: order.id,
        resolution: 'REFUND',
        lines: [
          { orderLineId: order.lineIds[0]!, quantity: 2, reasonCode: 'WRONG_SIZE' },
          { orderLineId: order.lineIds[1]!, quantity: 1, reasonCode: 'DEFECTIVE' },
          { orderLineId: order.lineIds[2]!, quantity: 2, reasonCode: 'WRONG_SIZE' },
        ],
      },
    },
    buyer.token,
  );
  if (ret.data?.requestReturn?.__typename !== 'ReturnRequest') throw new Error(JSON.stringify(ret));
  // A rejected return counts nowhere.
  const rejected = await t.gql(RequestReturnDocument, { input: { orderId: order.id, resolution: 'REFUND', lines: [{ orderLineId: order.lineIds[1]!, quantity: 3, reasonCode: 'DAMAGED' }] } }, buyer.token);
  if (rejected.data?.requestReturn?.__typename !== 'ReturnRequest') throw new Error(JSON.stringify(rejected));
  const rej = await t.gql(TransitionReturnDocument, { input: { returnId: rejected.data.requestReturn.id, to: 'REJECTED', reason: 'outside policy' } }, support);
  if (rej.data?.transitionReturn?.__typename !== 'ReturnRequest') throw new Error(JSON.stringify(rej));

  const st = await product(t, ops, [{ sku: 'SKU-S', priceAmount: 100 }, { sku: 'SKU-T', priceAmount: 100 }]);
  const wh = await warehouse(t, ops);
  const sup = await supplier(t, ops);
  for (const [variantId, leadTimeDays] of [[st.variantIds[0]!, 60], [st.variantIds[1]!, 30]] as const) {
    await receive(t, ops, variantId, wh, 10);
    const offer = await t.gql(UpsertSupplierOfferDocument, { input: { supplierId: sup, variantId, unitCostAmount: 50, currency: 'USD', moq: 1, leadTimeDays, preferred: true } }, ops);
    if (offer.data?.upsertSupplierOffer?.__typename !== 'SupplierOffer') throw new Error(JSON.stringify(offer));
    const placed = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId, quantity: 8 }] } }, buyer.token);
    if (placed.data?.placeOrder?.__typename !== 'Order') throw new Error(JSON.stringify(placed));
  }

  const shop = await channel(t, ops);
  const listingIds: string[] = [];
  for (const [i, prod] of p.entries()) {
    const res = await t.gql(CreateListingDocument, { input: { productId: prod.productId, channelId: shop, title: `Listing ${i + 1}` } }, ops);
    if (res.data?.createListing?.__typename !== 'Listing') throw new Error(JSON.stringify(res));
    listingIds.push(res.data.createListing.id);
  }
  const listingDay = (listingId: string, impressions: number, clicks: number, orders: number) => ({ listingId, day: today, impressions, clicks, addToCarts: orders, orders, revenueAmount: orders * 1000 });
  const ingested = await t.gql(IngestListingMetricsDocument, { metrics: [listingDay(listingIds[0]!, 2000, 100, 0), listingDay(listingIds[1]!, 2000, 100, 5), listingDay(listingIds[2]!, 500, 0, 0)] }, ops);
  if (ingested.data?.ingestListingMetrics?.received !== 3) throw new Error(JSON.stringify(ingested));

  const [pv] = (await product(t, ops, [{ priceAmount: 100 }])).variantIds as [string];
  const slipping = await supplier(t, ops, 'APPROVED', 'Slipping Ltd');
  const steady = await supplier(t, ops, 'APPROVED', 'Steady Ltd');
  const receiveAt = async (supplierId: string, expectedDays: number, receivedDays: number) => {
    clock.set(T0);
    const po = await purchaseOrder(t, ops, supplierId, [{ variantId: pv, quantity: 1, unitCostAmount: 50 }], new Date(T0.getTime() + expectedDays * DAY).toISOString());
    clock.set(new Date(T0.getTime() + receivedDays * DAY));
    const res = await t.gql(
      ReceivePurchaseOrderDocument,
      { input: { purchaseOrderId: po.id, warehouseId: wh, lines: [{ lineId: po.lines[0]!.id, acceptedQuantity: 1, rejectedQuantity: 0 }], idempotencyKey: `rcv-${po.id}` } },
      ops,
    );
    if (res.data?.receivePurchaseOrder?.__typename !== 'PurchaseOrder') throw new Error(JSON.stringify(res));
  };
  // The period below runs from T0 − 2 days to T0 + 30 days: its halves meet at T0 + 14 days.
  for (const [expected, received] of [[1, 0], [1, 0], [15, 20], [15, 20]]) await receiveAt(slipping, expected!, received!);
  for (const [expected, received] of [[1, 0], [1, 0], [25, 20], [25, 20]]) await receiveAt(steady, expected!, received!);
  clock.set(T0);

  const ticket = async (subject: string) => {
    const res = await t.gql(OpenTicketDocument, { input: { customerId: buyer.id, subject, body: 'Please help.', category: 'INQUIRY', priority: 'HIGH' } }, support);
    if (res.data?.openTicket?.__typename !== 'Ticket') throw new Error(JSON.stringify(res));
    return res.data.openTicket.id;
  };
  const late = await ticket('Late');
  clock.set(new Date(T0.getTime() + 10 * DAY));
  const fresh = await ticket('Fresh');
  await t.app.runJob('support.sla-breaches');

  ids = { loser, winner, p1: p[0]!.productId, p2: p[1]!.productId, p3: p[2]!.productId, late, fresh, s: st.variantIds[0]!, t: st.variantIds[1]!, p1Variant: variants[0]!, lowListing: listingIds[0]!, slipping };
});
afterAll(() => t?.stop());

const period = () => ({ from: new Date(T0.getTime() - 2 * DAY).toISOString(), to: new Date(T0.getTime() + 30 * DAY).toISOString() });
const metrics = (f: { metrics: { name: string; value: number; currency?: string | null }[] }) => Object.fromEntries(f.metrics.map((m) => [m.name, m.value]));

describe('optimisation findings', () => {
  it('lists ad campaigns with ROAS below 1, and not those above', async () => {
    const res = await t.gql(AnalyticsFindingsDocument, period(), analyst);
    expect(res.errors).toBeUndefined();
    const ads = res.data!.optimisationFindings.filter((f) => f.kind === 'CAMPAIGN_ROAS_BELOW_ONE');
    expect(ads.map((f) => f.entity)).toEqual([{ type: 'AdCampaign', id: ids.loser, label: 'Loser' }]);
    expect(metrics(ads[0]!)).toEqual({ spend: 1000, attributedRevenue: 600, roas: 0.6 });
    expect(ads[0]!.metrics.find((m) => m.name === 'spend')!.currency).toBe('USD');
    expect(ads[0]!.severity).toBe('MEDIUM');
    expect(ads[0]!.recommendation).toContain('Loser');
    // The threshold is an argument: at 4 the winner (ROAS 3) is a finding too.
    const strict = await t.gql(AnalyticsFindingsDocument, { ...period(), minRoas: 4 }, analyst);
    expect(strict.data!.optimisationFindings.filter((f) => f.kind === 'CAMPAIGN_ROAS_BELOW_ONE').map((f) => f.entity.id)).toEqual([ids.loser, ids.winner]);
  });

  it('lists products whose return rate is above the threshold on enough units', async () => {
    const res = await t.gql(AnalyticsFindingsDocument, period(), analyst);
    const products = res.data!.optimisationFindings.filter((f) => f.kind === 'PRODUCT_HIGH_RETURN_RATE');
    expect(products.map((f) => f.entity.id)).toEqual([ids.p1]);
    expect(products[0]!.entity.type).toBe('Product');
    expect(metrics(products[0]!)).toEqual({ unitsSold: 5, unitsReturned: 2, returnRate: 0.4 });
    expect(products[0]!.severity).toBe('HIGH');
    const loose = await t.gql(AnalyticsFindingsDocument, { ...period(), maxReturnRate: 0.1, minUnitsSold: 2 }, analyst);
    const byId = Object.fromEntries(loose.data!.optimisationFindings.filter((f) => f.kind === 'PRODUCT_HIGH_RETURN_RATE').map((f) => [f.entity.id, metrics(f).returnRate]));
    expect(byId).toEqual({ [ids.p3]: 1, [ids.p1]: 0.4, [ids.p2]: 0.2 });
  });

  it('lists open tickets that breached their SLA, with how late they are', async () => {
    const res = await t.gql(AnalyticsFindingsDocument, period(), analyst);
    const tickets = res.data!.optimisationFindings.filter((f) => f.kind === 'TICKET_SLA_BREACHED');
    expect(tickets.map((f) => f.entity.id)).toEqual([ids.late]);
    const [row] = await t.sql('SELECT number, first_response_due_at FROM support_ticket WHERE id = $1', [ids.late]);
    const hours = Math.round(((T0.getTime() + 10 * DAY - new Date(row.first_response_due_at).getTime()) / 3_600_000) * 10) / 10;
    expect(metrics(tickets[0]!)).toEqual({ hoursOverdue: hours, firstResponseBreached: 1, resolutionBreached: 1 });
    expect(tickets[0]!.entity.label).toBe(`T-${row.number} Late`);
    expect(tickets[0]!.severity).toBe('HIGH');
  });

  it('lists SKUs that will stock out within their supplier lead time, and overstocked SKUs', async () => {
    const res = await t.gql(AnalyticsFindingsDocument, period(), analyst);
    const of = (kind: string) => res.data!.optimisationFindings.filter((f) => f.kind === kind);
    const stockouts = of('SKU_STOCKOUT_WITHIN_LEAD_TIME');
    expect(stockouts.map((f) => f.entity)).toEqual([{ type: 'ProductVariant', id: ids.s, label: 'SKU-S' }]);
    expect(metrics(stockouts[0]!)).toEqual({ available: 10, dailyDemand: 0.25, daysOfCover: 40, leadTimeDays: 60 });
    expect(stockouts[0]!.severity).toBe('MEDIUM');
    const over = of('SKU_OVERSTOCKED').map((f) => f.entity.id);
    expect(over).not.toContain(ids.s);
    expect(over).not.toContain(ids.t);
    const p1 = of('SKU_OVERSTOCKED').find((f) => f.entity.id === ids.p1Variant)!;
    const [{ available }] = await t.sql('SELECT sum(on_hand - reserved)::int AS available FROM stock_level WHERE variant_id = $1', [ids.p1Variant]);
    // 5 units sold in 32 days.
    expect(metrics(p1)).toEqual({ available, dailyDemand: 0.1563, daysOfCover: Number((available / 0.1563).toFixed(1)) });
    // With a 30-day cover limit, T (40 days) is overstocked too; S stays a stock-out risk, not both.
    const tight = await t.gql(AnalyticsFindingsDocument, { ...period(), maxDaysOfCover: 30 }, analyst);
    const tightOver = tight.data!.optimisationFindings.filter((f) => f.kind === 'SKU_OVERSTOCKED').map((f) => f.entity.id);
    expect(tightOver).toContain(ids.t);
    expect(tightOver).toContain(ids.s);
  });

  it('lists listings with high exposure and low conversion', async () => {
    const res = await t.gql(AnalyticsFindingsDocument, period(), analyst);
    const listings = res.data!.optimisationFindings.filter((f) => f.kind === 'LISTING_LOW_CONVERSION');
    expect(listings.map((f) => f.entity)).toEqual([{ type: 'Listing', id: ids.lowListing, label: 'Listing 1' }]);
    expect(metrics(listings[0]!)).toEqual({ impressions: 2000, clicks: 100, orders: 0, clickThroughRate: 0.05, conversionRate: 0 });
    expect(listings[0]!.severity).toBe('HIGH');
    // Lower the exposure bar and L3 (500 impressions, no clicks) is one too; raise the conversion bar and L2 (5 %) is.
    const loose = await t.gql(AnalyticsFindingsDocument, { ...period(), minImpressions: 100, maxListingConversion: 0.06 }, analyst);
    expect(loose.data!.optimisationFindings.filter((f) => f.kind === 'LISTING_LOW_CONVERSION').map((f) => f.entity.label)).toEqual(['Listing 1', 'Listing 2', 'Listing 3']);
  });

  it('lists suppliers whose on-time rate is falling, not steady ones', async () => {
    const res = await t.gql(AnalyticsFindingsDocument, period(), analyst);
    const suppliers = res.data!.optimisationFindings.filter((f) => f.kind === 'SUPPLIER_ON_TIME_FALLING');
    expect(suppliers.map((f) => f.entity)).toEqual([{ type: 'Supplier', id: ids.slipping, label: 'Slipping Ltd' }]);
    expect(metrics(suppliers[0]!)).toEqual({ earlierOnTimeRate: 1, laterOnTimeRate: 0, earlierReceipts: 2, laterReceipts: 2 });
    expect(suppliers[0]!.severity).toBe('HIGH');
    const strict = await t.gql(AnalyticsFindingsDocument, { ...period(), minReceipts: 3 }, analyst);
    expect(strict.data!.optimisationFindings.filter((f) => f.kind === 'SUPPLIER_ON_TIME_FALLING')).toEqual([]);
  });

  it('finds nothing outside the period, and refuses bad thresholds naming them', async () => {
    const before = await t.gql(AnalyticsFindingsDocument, { from: new Date(T0.getTime() - 40 * DAY).toISOString(), to: new Date(T0.getTime() - 20 * DAY).toISOString() }, analyst);
    // Only dead stock (available, nothing sold in the period) is a finding whatever the period.
    expect(new Set(before.data!.optimisationFindings.map((f) => f.kind))).toEqual(new Set(['SKU_OVERSTOCKED']));
    expect(before.data!.optimisationFindings.every((f) => metrics(f).dailyDemand === 0)).toBe(true);
    for (const [vars, field] of [
      [{ minRoas: 0 }, 'minRoas'],
      [{ maxReturnRate: 1.5 }, 'maxReturnRate'],
      [{ minUnitsSold: 0 }, 'minUnitsSold'],
      [{ maxDaysOfCover: 0 }, 'maxDaysOfCover'],
      [{ minImpressions: -1 }, 'minImpressions'],
      [{ maxListingConversion: 0 }, 'maxListingConversion'],
      [{ minOnTimeDrop: 1 }, 'minOnTimeDrop'],
      [{ minReceipts: 0 }, 'minReceipts'],
      [{ to: new Date(T0.getTime() - 3 * DAY).toISOString() }, 'to'],
    ] as const) {
      const res = await t.gql(AnalyticsFindingsDocument, { ...period(), ...vars }, analyst);
      expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });
});

describe('return KPIs', () => {
  const vars = (breakdown: 'PRODUCT' | 'REASON') => ({ ...period(), bucket: 'MONTH' as const, timeZone: 'UTC', breakdown });

  it('rates each product sold: returned units of units sold, rejected returns left out', async () => {
    const res = await t.gql(AnalyticsReturnKpisDocument, vars('PRODUCT'), analyst);
    expect(res.errors).toBeUndefined();
    const byId: Record<string, (number | null)[]> = Object.fromEntries(res.data!.returnKpis.map((r) => [r.dimension.key, [r.values.unitsSold, r.values.unitsReturned, r.values.returnRate]]));
    expect(byId[ids.p1]).toEqual([5, 2, 0.4]);
    expect(byId[ids.p2]).toEqual([5, 1, 0.2]);
    expect(byId[ids.p3]).toEqual([2, 2, 1]);
    // The two ad products sold one unit each, the S/T product 16, and none came back.
    expect(Object.values(byId).filter((v) => v[1] === 0).sort((a, b) => a[0]! - b[0]!)).toEqual([[1, 0, 0], [1, 0, 0], [16, 0, 0]]);
    expect(new Set(res.data!.returnKpis.map((r) => r.bucketLabel)).size).toBe(1);
  });

  it('rates each reason against all units sold in the bucket', async () => {
    const res = await t.gql(AnalyticsReturnKpisDocument, vars('REASON'), analyst);
    // 30 units sold: 5 + 5 + 2, the two ad orders, 8 + 8 of S and T. WRONG_SIZE 2 + 2, DEFECTIVE 1, DAMAGED only on the rejected return.
    expect(res.data!.returnKpis.map((r) => [r.dimension.key, r.values.unitsSold, r.values.unitsReturned, r.values.returnRate])).toEqual([
      ['DEFECTIVE', 30, 1, 0.0333],
      ['WRONG_SIZE', 30, 4, 0.1333],
    ]);
  });
});

describe('supplier KPIs', () => {
  it('scores each supplier per day of receipt: on-time share, units and lead time', async () => {
    const res = await t.gql(AnalyticsSupplierKpisDocument, { ...period(), bucket: 'DAY', timeZone: 'UTC' }, analyst);
    expect(res.errors).toBeUndefined();
    const day = (offset: number) => new Date(T0.getTime() + offset * DAY).toISOString().slice(0, 10);
    const rows = res.data!.supplierKpis.filter((r) => ['Slipping Ltd', 'Steady Ltd'].includes(r.dimension.label));
    // Two receipts of 1 unit per supplier on T0 (orders submitted the same instant) and on T0 + 20 days.
    expect(rows.map((r) => [r.bucketLabel, r.dimension.label, r.values.receipts, r.values.onTimeReceipts, r.values.onTimeRate, r.values.unitsAccepted, r.values.unitsRejected, r.values.rejectionRate, r.values.averageLeadDays])).toEqual([
      [day(0), 'Slipping Ltd', 2, 2, 1, 2, 0, 0, 0],
      [day(0), 'Steady Ltd', 2, 2, 1, 2, 0, 0, 0],
      [day(20), 'Slipping Ltd', 2, 0, 0, 2, 0, 0, 20],
      [day(20), 'Steady Ltd', 2, 2, 1, 2, 0, 0, 20],
    ]);
    expect(rows[0]!.dimension.key).toBe(ids.slipping);
  });
});
