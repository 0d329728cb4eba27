import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { receive, warehouse } from './support/logistics-fixtures.js';
import {
  AnalyticsBulkTrackingEventsDocument,
  AnalyticsFindingsDocument,
  CreateCarrierDocument,
  CreateShipmentDocument,
  CreateShippingServiceDocument,
  IngestTrackingDocument,
  MoveOrderDocument,
  PlaceOrderShippingDocument,
} from './generated/graphql.js';

/*
 * Two services of one carrier, two shipments each: "Flaky" has one EXCEPTION scan (50 %), "Solid" none;
 * "Rare" has a single shipment with an exception, below minShipments 2.
 */
let t: TestApp;
let analyst: string;
let ops: string;
let lastTracking = '';
const services: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  const buyer = await customer(t);
  const [v] = (await product(t, ops, [{ priceAmount: 1000 }])).variantIds as [string];
  const wh = await warehouse(t, ops, { city: 'Berlin' });
  await receive(t, ops, v, wh, 100);
  const carrier = (await t.gql(CreateCarrierDocument, { input: { code: 'anl', name: 'Parcel Co' } }, ops)).data!.createCarrier.id;
  for (const name of ['Flaky', 'Solid', 'Rare']) {
    const svc = await t.gql(
      CreateShippingServiceDocument,
      { input: { carrierId: carrier, code: name.toUpperCase(), name, type: 'STANDARD', regions: [], maxWeightGrams: 30000, maxLengthMm: 1200, transitDays: 2, cutoffTimeUtc: '18:00', currency: 'USD', rates: [{ upToGrams: 30000, priceAmount: 500 }] } },
      ops,
    );
    services[name] = svc.data!.createShippingService.id;
  }
  let n = 0;
  const ship = async (serviceName: string, exception: boolean) => {
    const res = await t.gql(
      PlaceOrderShippingDocument,
      { input: { lines: [{ variantId: v, quantity: 1 }], shippingAddress: { name: 'Ada', line1: 'Street 1', postalCode: '10115', city: 'Berlin', country: 'DE' }, shippingServiceId: services[serviceName] } },
      buyer.token,
    );
    const orderId = (res.data!.placeOrder as { id: string }).id;
    for (const to of ['PAID', 'CONFIRMED', 'PROCESSING'] as const) {
      const moved = await t.gql(MoveOrderDocument, { input: { orderId, to } }, ops);
      if (moved.data?.transitionOrder?.__typename !== 'Order') throw new Error(JSON.stringify(moved));
    }
    const created = await t.gql(CreateShipmentDocument, { input: { orderId, warehouseId: wh } }, ops);
    const shipment = created.data!.createShipment as { __typename: string; trackingNumber: string };
    if (shipment.__typename !== 'Shipment') throw new Error(JSON.stringify(created));
    const status = exception ? 'EXCEPTION' : 'IN_TRANSIT';
    const scan = { carrierEventId: `ev-${++n}`, trackingNumber: shipment.trackingNumber, status, rawCode: `RAW-${status}`, occurredAt: new Date().toISOString(), location: 'Hub' } as const;
    const ingested = await t.gql(IngestTrackingDocument, { input: { carrierCode: 'anl', events: [scan] } }, ops);
    if (ingested.data?.ingestTrackingEvents?.accepted !== 1) throw new Error(JSON.stringify(ingested));
    lastTracking = shipment.trackingNumber;
  };
  await ship('Flaky', true);
  await ship('Flaky', false);
  await ship('Solid', false);
  await ship('Solid', false);
  await ship('Rare', true);
});
afterAll(() => t?.stop());

const DAY = 86_400_000;
const period = () => ({ from: new Date(Date.now() - DAY).toISOString(), to: new Date(Date.now() + DAY).toISOString() });

describe('shipping findings', () => {
  it('lists shipping services with a high exception rate, not the reliable or the rarely used', async () => {
    const res = await t.gql(AnalyticsFindingsDocument, period(), analyst);
    expect(res.errors).toBeUndefined();
    const found = res.data!.optimisationFindings.filter((f) => f.kind === 'SHIPPING_SERVICE_HIGH_EXCEPTION_RATE');
    expect(found.map((f) => f.entity)).toEqual([{ type: 'ShippingService', id: services.Flaky, label: 'Parcel Co Flaky' }]);
    expect(Object.fromEntries(found[0]!.metrics.map((m) => [m.name, m.value]))).toEqual({ shipments: 2, exceptions: 1, exceptionRate: 0.5 });
    expect(found[0]!.severity).toBe('HIGH');
    const withRare = await t.gql(AnalyticsFindingsDocument, { ...period(), minShipments: 1 }, analyst);
    expect(withRare.data!.optimisationFindings.filter((f) => f.kind === 'SHIPPING_SERVICE_HIGH_EXCEPTION_RATE').map((f) => f.entity.id)).toEqual([services.Rare, services.Flaky]);
    const bad = await t.gql(AnalyticsFindingsDocument, { ...period(), maxExceptionRate: 1 }, analyst);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'maxExceptionRate' });
  });
});

describe('bulk pull of tracking events', () => {
  it('follows the time events were received, so a late scan with an old carrier time still comes next', async () => {
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const res = await t.gql(AnalyticsBulkTrackingEventsDocument, { first: 2, after }, analyst);
      if (res.errors) throw new Error(JSON.stringify(res.errors));
      ids.push(...res.data!.bulkTrackingEvents.nodes.map((n) => n.id));
      after = res.data!.bulkTrackingEvents.pageInfo.endCursor ?? after;
      if (!res.data!.bulkTrackingEvents.pageInfo.hasNextPage) break;
    }
    expect(ids).toEqual((await t.sql('SELECT id FROM tracking_event ORDER BY received_at, id')).map((r) => r.id));
    expect(new Set(ids).size).toBe(ids.length);
    const late = { carrierEventId: 'ev-late', trackingNumber: lastTracking, status: 'PICKED_UP' as const, rawCode: 'RAW-PICKED_UP', occurredAt: '2020-01-01T00:00:00Z', location: 'Hub' };
    await t.gql(IngestTrackingDocument, { input: { carrierCode: 'anl', events: [late] } }, ops);
    const next = await t.gql(AnalyticsBulkTrackingEventsDocument, { first: 10, after }, analyst);
    expect(next.data!.bulkTrackingEvents.nodes.map((n) => n.carrierEventId)).toEqual(['ev-late']);
  });
});
