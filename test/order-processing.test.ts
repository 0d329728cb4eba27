import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { receive, warehouse } from './support/logistics-fixtures.js';
import {
  AddOrderNoteDocument,
  CapturePaymentDocument,
  CreateAutoChannelDocument,
  CreateCarrierDocument,
  CreateShipmentDocument,
  CreateShippingServiceDocument,
  HoldOrderDocument,
  IngestTrackingDocument,
  OrdersLogisticsDocument,
  OrderTimelineDocument,
  PlaceOrderShippingDocument,
} from './generated/graphql.js';

let t: TestApp;
let ops: string;
let support: string;
let buyer: Awaited<ReturnType<typeof customer>>;
let variant: string;
let wh: string;

beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING, Role.MARKETING)).token;
  support = (await staffToken(t, Role.SUPPORT)).token;
  buyer = await customer(t);
  variant = (await product(t, ops, [{ priceAmount: 1000 }])).variantIds[0]!;
  wh = await warehouse(t, ops, { code: 'OP-BER' });
  await receive(t, ops, variant, wh, 3);
});
afterAll(() => t?.stop());

const address = { name: 'Ada', line1: 'Street 1', postalCode: '10115', city: 'Berlin', country: 'DE' };
async function place(extra: Record<string, unknown> = {}, quantity = 1): Promise<string> {
  const res = await t.gql(PlaceOrderShippingDocument, { input: { lines: [{ variantId: variant, quantity }], shippingAddress: address, ...extra } }, buyer.token);
  if (res.data?.placeOrder?.__typename !== 'Order') throw new Error(JSON.stringify(res));
  return res.data.placeOrder.id;
}
const move = (orderId: string, to: string, extra: Record<string, unknown> = {}, token = ops) => t.gql(HoldOrderDocument, { input: { orderId, to: to as any, ...extra } }, token);
const openReserved = async (orderId: string) => Number((await t.sql(`SELECT coalesce(sum(quantity), 0)::int AS n FROM stock_reservation WHERE order_id = $1 AND status = 'OPEN'`, [orderId]))[0].n);

describe('holds', () => {
  it('holds with a reason, resumes only to the status it was held from, and keeps the reservation meanwhile', async () => {
    const id = await place();
    await move(id, 'PAID');
    await move(id, 'CONFIRMED');
    expect(await openReserved(id)).toBe(1);
    const noReason = await move(id, 'ON_HOLD', { reason: 'check' });
    expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'holdReason' });
    const held = await move(id, 'ON_HOLD', { reason: 'billing and shipping names differ', holdReason: 'FRAUD_REVIEW' }, support);
    expect(held.data?.transitionOrder).toMatchObject({ status: 'ON_HOLD', heldFromStatus: 'CONFIRMED', holdReason: 'FRAUD_REVIEW', nextStates: ['CONFIRMED', 'CANCELLED'] });
    const wrong = await move(id, 'PROCESSING');
    expect(wrong.data?.transitionOrder).toMatchObject({ __typename: 'IllegalOrderTransitionError', from: 'ON_HOLD', to: 'PROCESSING', allowed: ['CONFIRMED', 'CANCELLED'] });
    const resumed = await move(id, 'CONFIRMED', {}, support);
    expect(resumed.data?.transitionOrder).toMatchObject({ status: 'CONFIRMED', heldFromStatus: null, holdReason: null });
    expect(await openReserved(id)).toBe(1); // not reserved twice
    const [lvl] = await t.sql('SELECT reserved FROM stock_level WHERE variant_id = $1', [variant]);
    expect(lvl.reserved).toBe(1);
    await move(id, 'ON_HOLD', { reason: 'address unknown', holdReason: 'ADDRESS_PROBLEM' });
    await move(id, 'CANCELLED', { reason: 'could not reach customer' });
    expect(await openReserved(id)).toBe(0);
  });

  it('keeps a timeline of status changes and staff notes, for staff only', async () => {
    const id = await place();
    await move(id, 'PAID');
    await t.gql(AddOrderNoteDocument, { input: { orderId: id, note: 'Customer asked for gift wrap' } }, support);
    await move(id, 'ON_HOLD', { reason: 'confirming address', holdReason: 'ADDRESS_PROBLEM' });
    const res = await t.gql(OrderTimelineDocument, { id }, support);
    expect(res.data?.order.timeline.map((e) => [e.kind, e.fromStatus, e.toStatus, e.text, e.actorKind])).toEqual([
      ['STATUS_CHANGE', null, 'PENDING_PAYMENT', null, 'customer'],
      ['STATUS_CHANGE', 'PENDING_PAYMENT', 'PAID', null, 'staff'],
      ['NOTE', null, null, 'Customer asked for gift wrap', 'staff'],
      ['STATUS_CHANGE', 'PAID', 'ON_HOLD', 'confirming address', 'staff'],
    ]);
    const asCustomer = await t.gql(OrderTimelineDocument, { id }, buyer.token);
    expect(asCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const note = await t.gql(AddOrderNoteDocument, { input: { orderId: id, note: '' } }, support);
    expect(note.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
  });
});

describe('automatic confirmation per channel', () => {
  it('confirms paid orders of an autoConfirm channel, and holds them OUT_OF_STOCK when stock is short', async () => {
    const ch = await t.gql(CreateAutoChannelDocument, { input: { code: 'auto-web', name: 'Auto', type: 'OWN_SITE', currency: 'USD', autoConfirm: true } }, ops);
    const channelId = (ch.data!.createChannel as any).id;
    const ok = await place({ channelId });
    const paid = await t.gql(CapturePaymentDocument, { input: { orderId: ok, idempotencyKey: `cap-${ok}` } }, ops);
    expect(paid.data?.capturePayment).toMatchObject({ __typename: 'Order', status: 'CONFIRMED' });
    expect(await openReserved(ok)).toBe(1);
    const short = await place({ channelId }, 5);
    const res = await t.gql(CapturePaymentDocument, { input: { orderId: short, idempotencyKey: `cap-${short}` } }, ops);
    expect(res.data?.capturePayment).toMatchObject({ __typename: 'Order', status: 'ON_HOLD', captured: { amount: 5000 } });
    const tl = await t.gql(OrderTimelineDocument, { id: short }, ops);
    expect(tl.data?.order.holdReason).toBe('OUT_OF_STOCK');
    expect(tl.data?.order.timeline.slice(-2).map((e) => [e.toStatus, e.actorKind])).toEqual([['PAID', 'system'], ['ON_HOLD', 'system']]);
    expect(await openReserved(short)).toBe(0);
    // A manual channel waits for staff.
    const manual = await place();
    const m = await t.gql(CapturePaymentDocument, { input: { orderId: manual, idempotencyKey: `cap-${manual}` } }, ops);
    expect(m.data?.capturePayment).toMatchObject({ status: 'PAID' });
  });
});

describe('batching', () => {
  it('loads addresses, services, allocations, shipments, items, scans and payments of 2 or 20 orders with the same number of queries', async () => {
    const carrier = (await t.gql(CreateCarrierDocument, { input: { code: 'bat', name: 'Batch' } }, ops)).data!.createCarrier.id;
    const svc = await t.gql(
      CreateShippingServiceDocument,
      { input: { carrierId: carrier, code: 'STD', name: 'S', type: 'STANDARD', regions: [], maxWeightGrams: 30000, maxLengthMm: 2000, transitDays: 2, cutoffTimeUtc: '23:59', currency: 'USD', rates: [{ upToGrams: 30000, priceAmount: 300 }] } },
      ops,
    );
    const serviceId = svc.data!.createShippingService.id;
    await receive(t, ops, variant, wh, 50);
    for (let i = 0; i < 20; i++) {
      const id = await place({ shippingServiceId: serviceId });
      await t.gql(CapturePaymentDocument, { input: { orderId: id, idempotencyKey: `cap-${id}` } }, ops);
      await move(id, 'CONFIRMED');
      await move(id, 'PROCESSING');
      const s = (await t.gql(CreateShipmentDocument, { input: { orderId: id, warehouseId: wh } }, ops)).data!.createShipment as any;
      await t.gql(IngestTrackingDocument, { input: { carrierCode: 'bat', events: [{ carrierEventId: `b-${i}`, trackingNumber: s.trackingNumber, status: 'PICKED_UP', rawCode: 'PU', occurredAt: new Date().toISOString() }] } }, ops);
    }
    let small: any;
    let large: any;
    const q2 = await t.countQueries(async () => (small = await t.gql(OrdersLogisticsDocument, { first: 2 }, ops)));
    const q20 = await t.countQueries(async () => (large = await t.gql(OrdersLogisticsDocument, { first: 20 }, ops)));
    expect(small.errors).toBeUndefined();
    expect(large.errors).toBeUndefined();
    expect(large.data.orders.nodes.every((o: any) => o.shipments[0].events.length === 1 && o.allocations.length === 1 && o.payments.length === 1)).toBe(true);
    expect(q20).toBe(q2);
  });
});
