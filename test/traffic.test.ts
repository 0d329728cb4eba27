import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, Role, staffToken } from './support/fixtures.js';
import { cancelOrder, countRows, item } from './support/marketing-fixtures.js';
import { IngestTrafficDocument, PlaceOrderPricedDocument, TrafficConversionDocument, TrafficFunnelDocument, type TrafficEventInput } from './generated/graphql.js';

let t: TestApp;
let ops: string;
let mkt: string;
let analyst: string;
let buyer: Awaited<ReturnType<typeof customer>>;
let variant: string;

const FROM = '2026-03-01T00:00:00.000Z';
const TO = '2026-03-02T00:00:00.000Z';
const at = (min: number) => new Date(Date.parse(FROM) + min * 60_000).toISOString();

type Visit = { source: string; medium: string; campaign?: string; channelCode?: string; device: 'DESKTOP' | 'MOBILE' | 'TABLET' | 'OTHER' };
function visit(sessionId: string, v: Visit, steps: TrafficEventInput['step'][], start = 0): TrafficEventInput[] {
  return steps.map((step, i) => ({ eventId: `${sessionId}-e${i}`, sessionId, step, occurredAt: at(start + i), ...v }));
}
const google: Visit = { source: 'google', medium: 'cpc', campaign: 'spring', channelCode: 'web', device: 'DESKTOP' };
const FIXTURE: TrafficEventInput[] = [
  ...visit('s1', google, ['PRODUCT_VIEW', 'ADD_TO_CART', 'CHECKOUT_START', 'PURCHASE']),
  ...visit('s2', { ...google, device: 'MOBILE' }, ['PRODUCT_VIEW', 'ADD_TO_CART'], 10),
  ...visit('s3', { source: 'Instagram', medium: 'social', channelCode: 'app', device: 'MOBILE' }, ['PRODUCT_VIEW'], 20),
  ...visit('s4', { source: 'direct', medium: 'none', channelCode: 'web', device: 'TABLET' }, ['PRODUCT_VIEW', 'ADD_TO_CART', 'CHECKOUT_START'], 30),
  // outside the period
  ...visit('s5', google, ['PRODUCT_VIEW', 'PURCHASE'], 24 * 60 + 5),
];

beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  mkt = (await staffToken(t, Role.MARKETING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  buyer = await customer(t);
  variant = (await item(t, ops, 1000)).variantId;
});
afterAll(() => t?.stop());

const snapshot = async () => ({ sessions: await countRows(t, 'traffic_session'), events: await countRows(t, 'funnel_event') });

async function order(sessionId: string) {
  const res = await t.gql(PlaceOrderPricedDocument, { input: { lines: [{ variantId: variant, quantity: 1 }], sessionId } }, buyer.token);
  if (res.data?.placeOrder.__typename !== 'Order') throw new Error(JSON.stringify(res));
  return res.data.placeOrder;
}

describe('ingestion', () => {
  it('stores events and their visits, and a repeated batch changes nothing', async () => {
    const first = await t.gql(IngestTrafficDocument, { events: FIXTURE }, mkt);
    expect(first.data?.ingestTrafficEvents).toEqual({ eventsStored: 12, eventsSkipped: 0, sessionsStored: 5 });
    const before = await snapshot();
    const again = await t.gql(IngestTrafficDocument, { events: FIXTURE }, mkt);
    expect(again.data?.ingestTrafficEvents).toEqual({ eventsStored: 0, eventsSkipped: 12, sessionsStored: 0 });
    expect(await snapshot()).toEqual(before);
    const [s] = await t.sql(`SELECT source, medium, campaign, channel_code, device, started_at FROM traffic_session WHERE session_key = 's3'`);
    expect(s).toMatchObject({ source: 'instagram', medium: 'social', campaign: null, channel_code: 'app', device: 'MOBILE' });
    expect(s.started_at.toISOString()).toBe(at(20));
  });

  it('refuses a batch with malformed events entirely, naming each event and field', async () => {
    const before = await snapshot();
    const batch: TrafficEventInput[] = [
      { eventId: 'ok-1', sessionId: 'new-1', step: 'PRODUCT_VIEW', occurredAt: at(1), ...google },
      { eventId: 'bad-1', sessionId: '', step: 'PRODUCT_VIEW', occurredAt: at(1), ...google },
      { eventId: 'bad-2', sessionId: 'new-1', step: 'ADD_TO_CART', occurredAt: at(2), ...google, orderId: '00000000-0000-7000-8000-000000000000' },
      { eventId: 'ok-2', sessionId: 'new-1', step: 'PRODUCT_VIEW', occurredAt: at(3), ...google, productId: 'nope' },
    ];
    const res = await t.gql(IngestTrafficDocument, { events: batch }, mkt);
    expect(res.data).toBeNull();
    const ext = res.errors?.[0]?.extensions as any;
    expect(ext).toMatchObject({ code: 'BAD_USER_INPUT', field: 'events[1].sessionId' });
    expect(ext.problems.map((p: any) => [p.index, p.eventId, p.field])).toEqual([
      [1, 'bad-1', 'events[1].sessionId'],
      [2, 'bad-2', 'events[2].orderId'],
      [3, 'ok-2', 'events[3].productId'],
    ]);
    expect(await snapshot()).toEqual(before);
  });

  it('ingests 10,000 events in one call', async () => {
    const events: TrafficEventInput[] = [];
    for (let s = 0; s < 2000; s++) {
      for (let e = 0; e < 5; e++) {
        events.push({ eventId: `bulk-${s}-${e}`, sessionId: `bulk-${s}`, step: e < 4 ? 'PRODUCT_VIEW' : 'ADD_TO_CART', occurredAt: '2025-01-01T00:00:00Z', source: 'email', medium: 'email', device: 'OTHER' });
      }
    }
    const res = await t.gql(IngestTrafficDocument, { events }, mkt);
    expect(res.data?.ingestTrafficEvents).toEqual({ eventsStored: 10_000, eventsSkipped: 0, sessionsStored: 2000 });
    const tooMany = await t.gql(IngestTrafficDocument, { events: [...events, events[0]!] }, mkt);
    expect(tooMany.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'events' });
  }, 60_000);

  it('only marketing ingests', async () => {
    const res = await t.gql(IngestTrafficDocument, { events: FIXTURE.slice(0, 1) }, analyst);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('attribution and conversion', () => {
  it('attributes orders to their visit; conversion by source and channel exact, cancelled orders excluded', async () => {
    await order('s1');
    await order('s1');
    const cancelled = await order('s4');
    await cancelOrder(t, ops, cancelled.id);
    await order('s5'); // visit outside the period
    const bySource = (await t.gql(TrafficConversionDocument, { from: FROM, to: TO, by: 'SOURCE' }, analyst)).data?.trafficConversion;
    expect(bySource).toEqual([
      { key: 'google', sessions: 2, convertedSessions: 1, orders: 2, conversionRate: 0.5 },
      { key: 'direct', sessions: 1, convertedSessions: 0, orders: 0, conversionRate: 0 },
      { key: 'instagram', sessions: 1, convertedSessions: 0, orders: 0, conversionRate: 0 },
    ]);
    const byChannel = (await t.gql(TrafficConversionDocument, { from: FROM, to: TO, by: 'CHANNEL' }, analyst)).data?.trafficConversion;
    expect(byChannel).toEqual([
      { key: 'web', sessions: 3, convertedSessions: 1, orders: 2, conversionRate: 0.3333 },
      { key: 'app', sessions: 1, convertedSessions: 0, orders: 0, conversionRate: 0 },
    ]);
    const bySm = (await t.gql(TrafficConversionDocument, { from: FROM, to: TO, by: 'SOURCE_MEDIUM' }, analyst)).data?.trafficConversion;
    expect(bySm?.[0]).toMatchObject({ key: 'google / cpc', sessions: 2 });
    const [row] = await t.sql(`SELECT count(*)::int AS n FROM order_attribution WHERE session_key = 's1'`);
    expect(row.n).toBe(2);
  });

  it('refuses a malformed session id on an order and writes nothing', async () => {
    const before = await countRows(t, 'sales_order');
    const res = await t.gql(PlaceOrderPricedDocument, { input: { lines: [{ variantId: variant, quantity: 1 }], sessionId: 'has space' } }, buyer.token);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'sessionId' });
    expect(await countRows(t, 'sales_order')).toBe(before);
  });

  it('funnel step rates over the period', async () => {
    const steps = (await t.gql(TrafficFunnelDocument, { from: FROM, to: TO }, analyst)).data?.trafficFunnel;
    expect(steps).toEqual([
      { step: 'PRODUCT_VIEW', sessions: 4, rateFromPrevious: null, rateFromFirst: 1 },
      { step: 'ADD_TO_CART', sessions: 3, rateFromPrevious: 0.75, rateFromFirst: 0.75 },
      { step: 'CHECKOUT_START', sessions: 2, rateFromPrevious: 0.6667, rateFromFirst: 0.5 },
      { step: 'PURCHASE', sessions: 1, rateFromPrevious: 0.5, rateFromFirst: 0.25 },
    ]);
    const google = (await t.gql(TrafficFunnelDocument, { from: FROM, to: TO, source: 'Google' }, analyst)).data?.trafficFunnel;
    expect(google?.map((s) => s.sessions)).toEqual([2, 2, 1, 1]);
    const bad = await t.gql(TrafficFunnelDocument, { from: TO, to: FROM }, analyst);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
  });
});
