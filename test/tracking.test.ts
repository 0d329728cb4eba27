import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { print } from 'graphql';
import { ManualClock } from '../src/common/clock.js';
import { trackingHooks } from '../src/modules/tracking/tracking.hooks.js';
import { collect, sleep, startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { receive, warehouse } from './support/logistics-fixtures.js';
import {
  CreateCarrierDocument,
  CreateShipmentDocument,
  CreateShippingServiceDocument,
  FlaggedShipmentsDocument,
  IngestTrackingDocument,
  MoveOrderDocument,
  OrderShipmentsDocument,
  PlaceOrderShippingDocument,
  ShipmentByIdDocument,
  ShipmentTrackingUpdatedDocument,
  type ShipmentTrackingUpdatedSubscription,
} from './generated/graphql.js';

const clock = new ManualClock(new Date('2026-03-02T08:00:00Z'));
const SUB = print(ShipmentTrackingUpdatedDocument);
let t: TestApp;
let ops: string;
let buyer: Awaited<ReturnType<typeof customer>>;
let variants: string[];
let wh: string;
let serviceId: string;
const flagged: { shipmentId: string; reason: string }[] = [];

beforeAll(async () => {
  trackingHooks.onException(async (_ctx, _em, shipment, reason) => {
    flagged.push({ shipmentId: shipment.id, reason });
  });
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  buyer = await customer(t);
  variants = (await product(t, ops, [{ priceAmount: 1000 }, { priceAmount: 2000 }])).variantIds;
  wh = await warehouse(t, ops, { code: 'TRK-BER', city: 'Berlin' });
  for (const v of variants) await receive(t, ops, v, wh, 100);
  const carrier = (await t.gql(CreateCarrierDocument, { input: { code: 'trk', name: 'Track Co' } }, ops)).data!.createCarrier.id;
  const svc = await t.gql(
    CreateShippingServiceDocument,
    { input: { carrierId: carrier, code: 'STD', name: 'Standard', type: 'STANDARD', regions: [], maxWeightGrams: 30000, maxLengthMm: 1200, transitDays: 2, cutoffTimeUtc: '18:00', currency: 'USD', rates: [{ upToGrams: 30000, priceAmount: 500 }] } },
    ops,
  );
  serviceId = svc.data!.createShippingService.id;
});
afterAll(() => t?.stop());

const move = async (orderId: string, to: string) => {
  const r = await t.gql(MoveOrderDocument, { input: { orderId, to: to as any } }, ops);
  if (r.data?.transitionOrder?.__typename !== 'Order') throw new Error(JSON.stringify(r));
};

/** An order for 2 × A and 1 × B, in PROCESSING with stock reserved. */
async function processingOrder(token = buyer.token): Promise<{ id: string; lines: string[] }> {
  const res = await t.gql(
    PlaceOrderShippingDocument,
    { input: { lines: [{ variantId: variants[0]!, quantity: 2 }, { variantId: variants[1]!, quantity: 1 }], shippingAddress: { name: 'Ada', line1: 'Street 1', postalCode: '10115', city: 'Berlin', country: 'DE' }, shippingServiceId: serviceId } },
    token,
  );
  const id = (res.data!.placeOrder as any).id as string;
  for (const to of ['PAID', 'CONFIRMED', 'PROCESSING']) await move(id, to);
  const lines = await t.sql('SELECT id FROM order_line WHERE order_id = $1 ORDER BY position', [id]);
  return { id, lines: lines.map((l) => l.id) };
}

const scan = (trackingNumber: string, carrierEventId: string, status: string, occurredAt: string, extra: Record<string, unknown> = {}) => ({
  carrierEventId,
  trackingNumber,
  status: status as any,
  rawCode: `RAW-${status}`,
  occurredAt,
  location: 'Hub',
  ...extra,
});
const ingest = (events: ReturnType<typeof scan>[]) => t.gql(IngestTrackingDocument, { input: { carrierCode: 'trk', events } }, ops);
const orderStatus = async (id: string) => (await t.sql('SELECT status FROM sales_order WHERE id = $1', [id]))[0].status;

describe('shipments and tracking', () => {
  it('ships partially, then fully; ingests scans once; late scans never regress; all delivered → order DELIVERED; live feed with resume', async () => {
    const order = await processingOrder();
    const sub = collect<ShipmentTrackingUpdatedSubscription>(t.ws(buyer.token), SUB, { orderId: order.id });
    await sleep(300);

    const first = await t.gql(CreateShipmentDocument, { input: { orderId: order.id, warehouseId: wh, items: [{ orderLineId: order.lines[0]!, quantity: 1 }] } }, ops);
    const s1 = first.data!.createShipment as any;
    expect(s1).toMatchObject({ __typename: 'Shipment', status: 'LABEL_CREATED', service: { code: 'STD' }, items: [{ orderLineId: order.lines[0], quantity: 1 }] });
    expect(await orderStatus(order.id)).toBe('PARTIALLY_SHIPPED');
    const tooMany = await t.gql(CreateShipmentDocument, { input: { orderId: order.id, warehouseId: wh, items: [{ orderLineId: order.lines[1]!, quantity: 2 }] } }, ops);
    expect(tooMany.data?.createShipment).toMatchObject({ __typename: 'InsufficientStockError', requested: 2, available: 1 });
    const rest = await t.gql(CreateShipmentDocument, { input: { orderId: order.id, warehouseId: wh } }, ops);
    const s2 = rest.data!.createShipment as any;
    expect(s2.items).toEqual([{ orderLineId: order.lines[0], quantity: 1 }, { orderLineId: order.lines[1], quantity: 1 }]);
    expect(await orderStatus(order.id)).toBe('SHIPPED');
    const [lvl] = await t.sql('SELECT on_hand, reserved FROM stock_level WHERE variant_id = $1 AND warehouse_id = $2', [variants[0], wh]);
    expect(lvl).toEqual({ on_hand: 98, reserved: 0 });

    const r1 = await ingest([
      scan(s1.trackingNumber, 'e1', 'PICKED_UP', '2026-03-02T09:00:00Z'),
      scan(s1.trackingNumber, 'e2', 'IN_TRANSIT', '2026-03-02T12:00:00Z'),
      scan('NOPE-123', 'e-x', 'IN_TRANSIT', '2026-03-02T12:00:00Z'),
    ]);
    expect(r1.data?.ingestTrackingEvents).toEqual({ accepted: 2, duplicates: 0, unknownTrackingNumbers: ['NOPE-123'] });
    // The same webhook delivered twice, plus a scan that arrives late (happened before the current status).
    const r2 = await ingest([scan(s1.trackingNumber, 'e2', 'IN_TRANSIT', '2026-03-02T12:00:00Z'), scan(s1.trackingNumber, 'e0', 'LABEL_CREATED', '2026-03-02T08:30:00Z')]);
    expect(r2.data?.ingestTrackingEvents).toEqual({ accepted: 1, duplicates: 1, unknownTrackingNumbers: [] });
    // A newer scan that would go back along the path does not move it either.
    await ingest([scan(s1.trackingNumber, 'e3', 'PICKED_UP', '2026-03-02T13:00:00Z')]);
    let shipment = (await t.gql(ShipmentByIdDocument, { id: s1.id }, buyer.token)).data!.shipment;
    expect(shipment.status).toBe('IN_TRANSIT');
    expect(shipment.events.map((e) => [e.carrierEventId, e.status])).toEqual([['e0', 'LABEL_CREATED'], ['e1', 'PICKED_UP'], ['e2', 'IN_TRANSIT'], ['e3', 'PICKED_UP']]);
    expect(await t.sql('SELECT count(*)::int AS n FROM tracking_event WHERE carrier_event_id = $1', ['e2'])).toEqual([{ n: 1 }]);

    await ingest([scan(s1.trackingNumber, 'e4', 'DELIVERED', '2026-03-03T10:00:00Z')]);
    expect(await orderStatus(order.id)).toBe('SHIPPED'); // the second parcel is still on its way
    await ingest([scan(s2.trackingNumber, 'f1', 'DELIVERED', '2026-03-03T11:00:00Z'), scan(s1.trackingNumber, 'e5', 'OUT_FOR_DELIVERY', '2026-03-03T12:00:00Z')]);
    shipment = (await t.gql(ShipmentByIdDocument, { id: s1.id }, ops)).data!.shipment;
    expect(shipment.status).toBe('DELIVERED'); // final: a later scan cannot reopen it
    expect(await orderStatus(order.id)).toBe('DELIVERED');
    const [h] = await t.sql(`SELECT actor_kind, reason FROM order_status_change WHERE order_id = $1 AND to_status = 'DELIVERED'`, [order.id]);
    expect(h).toEqual({ actor_kind: 'system', reason: 'all shipments delivered' });

    // Live: 2 labels + e1, e2, e0, e3, e4, f1, e5 (duplicates never published twice).
    const live = await sub.waitFor(9);
    expect(live.map((i) => [i.data!.shipmentTrackingUpdated.eventStatus, i.data!.shipmentTrackingUpdated.shipmentStatus])).toEqual([
      ['LABEL_CREATED', 'LABEL_CREATED'],
      ['LABEL_CREATED', 'LABEL_CREATED'],
      ['PICKED_UP', 'PICKED_UP'],
      ['IN_TRANSIT', 'IN_TRANSIT'],
      ['LABEL_CREATED', 'IN_TRANSIT'],
      ['PICKED_UP', 'IN_TRANSIT'],
      ['DELIVERED', 'DELIVERED'],
      ['DELIVERED', 'DELIVERED'],
      ['OUT_FOR_DELIVERY', 'DELIVERED'],
    ]);
    await sleep(300);
    expect(sub.items).toHaveLength(9);

    // Resume after the 4th event: exactly the missed ones, in order, once.
    const after = live[3]!.data!.shipmentTrackingUpdated.eventId;
    const resumed = collect<ShipmentTrackingUpdatedSubscription>(t.ws(buyer.token), SUB, { shipmentId: s1.id, afterEventId: after });
    const replay = await resumed.waitFor(4);
    expect(replay.map((i) => i.data!.shipmentTrackingUpdated.eventStatus)).toEqual(['LABEL_CREATED', 'PICKED_UP', 'DELIVERED', 'OUT_FOR_DELIVERY']);
  });

  it('stores a scan once when the same webhook arrives twice at the same time', async () => {
    const order = await processingOrder();
    const s = (await t.gql(CreateShipmentDocument, { input: { orderId: order.id, warehouseId: wh } }, ops)).data!.createShipment as any;
    const batch = [scan(s.trackingNumber, 'c1', 'PICKED_UP', '2026-03-02T09:00:00Z'), scan(s.trackingNumber, 'c2', 'IN_TRANSIT', '2026-03-02T10:00:00Z')];
    const results = await Promise.all([ingest(batch), ingest(batch), ingest(batch)]);
    const totals = results.map((r) => r.data!.ingestTrackingEvents);
    expect(totals.reduce((n, r) => n + r.accepted, 0)).toBe(2);
    expect(totals.reduce((n, r) => n + r.duplicates, 0)).toBe(4);
    expect(await t.sql(`SELECT count(*)::int AS n FROM tracking_event WHERE shipment_id = $1`, [s.id])).toEqual([{ n: 2 }]);
    expect(await t.sql(`SELECT count(*)::int AS n FROM event_outbox WHERE topic = 'tracking.shipment_updated' AND payload->>'shipmentId' = $1`, [s.id])).toEqual([{ n: 3 }]);
  });

  it('keeps customers to their own shipments', async () => {
    const other = await customer(t, 'Other');
    const order = await processingOrder();
    const s = (await t.gql(CreateShipmentDocument, { input: { orderId: order.id, warehouseId: wh } }, ops)).data!.createShipment as any;
    const read = await t.gql(ShipmentByIdDocument, { id: s.id }, other.token);
    expect(read.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const sub = collect(t.ws(other.token), SUB, { shipmentId: s.id });
    await sub.settled();
    expect(sub.errors[0]?.message).toMatch(/was not found/);
    // Without a filter, another customer's stream stays silent about this order.
    const quiet = collect<ShipmentTrackingUpdatedSubscription>(t.ws(other.token), SUB, {});
    await sleep(300);
    await ingest([scan(s.trackingNumber, 'q1', 'PICKED_UP', '2026-03-02T09:00:00Z')]);
    await sleep(800);
    expect(quiet.items).toHaveLength(0);
    const ship = await t.gql(CreateShipmentDocument, { input: { orderId: order.id, warehouseId: wh } }, buyer.token);
    expect(ship.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('ships once per idempotency key, even when the request is retried concurrently', async () => {
    const order = await processingOrder();
    const input = { orderId: order.id, warehouseId: wh, items: [{ orderLineId: order.lines[0]!, quantity: 1 }], idempotencyKey: `ship-${order.id}` };
    const results = await Promise.all([1, 2, 3].map(() => t.gql(CreateShipmentDocument, { input }, ops)));
    const ids = new Set(results.map((r) => (r.data!.createShipment as any).id));
    expect(ids.size).toBe(1);
    expect(await t.sql('SELECT count(*)::int AS n FROM shipment WHERE order_id = $1', [order.id])).toEqual([{ n: 1 }]);
    const [lvl] = await t.sql(`SELECT coalesce(sum(quantity), 0)::int AS n FROM stock_reservation WHERE order_id = $1 AND status = 'CONSUMED'`, [order.id]);
    expect(lvl.n).toBe(1);
    const other = await t.gql(CreateShipmentDocument, { input: { ...input, items: [{ orderLineId: order.lines[1]!, quantity: 1 }] } }, ops);
    expect(other.data?.createShipment).toMatchObject({ __typename: 'ShipmentIdempotencyKeyReusedError', errorCode: 'IDEMPOTENCY_KEY_REUSED' });
  });

  it('refuses to ship an order that is not being processed, writing nothing', async () => {
    const res = await t.gql(
      PlaceOrderShippingDocument,
      { input: { lines: [{ variantId: variants[0]!, quantity: 1 }], shippingAddress: { name: 'Ada', line1: 'x', postalCode: '1', city: 'Berlin', country: 'DE' }, shippingServiceId: serviceId } },
      buyer.token,
    );
    const id = (res.data!.placeOrder as any).id;
    const r = await t.gql(CreateShipmentDocument, { input: { orderId: id, warehouseId: wh } }, ops);
    expect(r.data?.createShipment).toMatchObject({ __typename: 'ShipmentNotAllowedError', errorCode: 'SHIPMENT_NOT_ALLOWED', orderStatus: 'PENDING_PAYMENT' });
    expect(await t.sql('SELECT count(*)::int AS n FROM shipment WHERE order_id = $1', [id])).toEqual([{ n: 0 }]);
  });

  it('flags an exception, and a shipment with no scan for 48 hours, once each, calling the exception hook', async () => {
    const a = await processingOrder();
    const sa = (await t.gql(CreateShipmentDocument, { input: { orderId: a.id, warehouseId: wh } }, ops)).data!.createShipment as any;
    const b = await processingOrder();
    const sb = (await t.gql(CreateShipmentDocument, { input: { orderId: b.id, warehouseId: wh } }, ops)).data!.createShipment as any;
    flagged.length = 0;
    await ingest([scan(sa.trackingNumber, 'x1', 'EXCEPTION', '2026-03-02T09:00:00Z', { description: 'address unknown' })]);
    await ingest([scan(sa.trackingNumber, 'x2', 'EXCEPTION', '2026-03-02T10:00:00Z', { description: 'still unknown' })]);
    expect(flagged).toEqual([{ shipmentId: sa.id, reason: 'EXCEPTION' }]);
    const shipA = (await t.gql(ShipmentByIdDocument, { id: sa.id }, ops)).data!.shipment;
    expect(shipA).toMatchObject({ status: 'EXCEPTION', flagged: true, flagReason: 'EXCEPTION: address unknown' });

    await ingest([scan(sb.trackingNumber, 'y1', 'PICKED_UP', '2026-03-02T09:00:00Z')]);
    clock.set('2026-03-04T08:59:00Z'); // 47h59m after the last scan of B
    await t.app.runJob('tracking.stale-shipments');
    expect(flagged.map((f) => f.shipmentId)).not.toContain(sb.id);
    clock.set('2026-03-04T09:01:00Z');
    await t.app.runJob('tracking.stale-shipments');
    await t.app.runJob('tracking.stale-shipments');
    expect(flagged.filter((f) => f.shipmentId === sb.id)).toEqual([{ shipmentId: sb.id, reason: 'NO_SCAN' }]);
    const list = await t.gql(FlaggedShipmentsDocument, { flagged: true }, ops);
    const reasons = Object.fromEntries(list.data!.shipments.nodes.map((n) => [n.id, n.flagReason]));
    expect(reasons[sb.id]).toBe('NO_SCAN: no scan since 2026-03-02T09:00:00.000Z');
    expect(reasons[sa.id]).toBe('EXCEPTION: address unknown');
    const orders = await t.gql(OrderShipmentsDocument, { id: b.id }, buyer.token);
    expect(orders.data?.order.shipments.map((s) => s.id)).toEqual([sb.id]);
    clock.set('2026-03-02T08:00:00Z');
  });
});
