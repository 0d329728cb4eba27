/**
 * The seams connected in src/app/wiring.ts, each through the public API: purchase-order receipts become stock,
 * listings and recommendations see real stock, and shipment problems open logistics tickets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { receive, stockUp, warehouse } from './support/logistics-fixtures.js';
import { purchaseOrder, supplier } from './support/procurement-fixtures.js';
import {
  CreateCarrierDocument,
  CreateListingChannelDocument,
  CreateListingDocument,
  CreateShipmentDocument,
  CreateShippingServiceDocument,
  IngestTrackingDocument,
  ListingStaffViewDocument,
  MoveOrderDocument,
  PlaceOrderDocument,
  PlaceOrderShippingDocument,
  ReceivePurchaseOrderDocument,
  RecommendationsForCustomerDocument,
} from './generated/graphql.js';

const clock = new ManualClock(new Date('2026-05-04T08:00:00Z'));
let t: TestApp;
let ops: string;

beforeAll(async () => {
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING, Role.MARKETING, Role.SUPPORT)).token;
});
afterAll(() => t?.stop());

const stock = async (variantId: string, warehouseId: string) =>
  (await t.sql('SELECT on_hand, reserved FROM stock_level WHERE variant_id = $1 AND warehouse_id = $2', [variantId, warehouseId]))[0] ?? { on_hand: 0, reserved: 0 };

describe('purchase-order receipts post to the stock ledger', () => {
  it('books accepted units into the chosen warehouse, not rejected ones, in the same transaction', async () => {
    const variant = (await product(t, ops, [{ priceAmount: 1500 }])).variantIds[0]!;
    const wh = await warehouse(t, ops, { code: 'WIRE-RCV' });
    const po = await purchaseOrder(t, ops, await supplier(t, ops), [{ variantId: variant, quantity: 10, unitCostAmount: 700 }], '2026-05-10T00:00:00Z');
    const res = await t.gql(
      ReceivePurchaseOrderDocument,
      { input: { purchaseOrderId: po.id, warehouseId: wh, idempotencyKey: 'wire-rcv-1', lines: [{ lineId: po.lines[0]!.id, acceptedQuantity: 6, rejectedQuantity: 2 }] } },
      ops,
    );
    expect(res.data?.receivePurchaseOrder).toMatchObject({ __typename: 'PurchaseOrder', status: 'PARTIALLY_RECEIVED' });
    expect(await stock(variant, wh)).toEqual({ on_hand: 6, reserved: 0 });
    const ledger = await t.sql('SELECT kind, quantity, reference FROM stock_movement WHERE variant_id = $1 AND warehouse_id = $2', [variant, wh]);
    expect(ledger).toEqual([{ kind: 'RECEIPT', quantity: 6, reference: expect.stringMatching(/^po-receipt:/) }]);

    // A retry with the same key books nothing more.
    await t.gql(
      ReceivePurchaseOrderDocument,
      { input: { purchaseOrderId: po.id, warehouseId: wh, idempotencyKey: 'wire-rcv-1', lines: [{ lineId: po.lines[0]!.id, acceptedQuantity: 6, rejectedQuantity: 2 }] } },
      ops,
    );
    expect(await stock(variant, wh)).toEqual({ on_hand: 6, reserved: 0 });
  });

  it('refuses an unknown warehouse and writes neither receipt nor stock', async () => {
    const variant = (await product(t, ops, [{ priceAmount: 1500 }])).variantIds[0]!;
    const po = await purchaseOrder(t, ops, await supplier(t, ops, 'APPROVED', 'Other Supply'), [{ variantId: variant, quantity: 5, unitCostAmount: 700 }], '2026-05-10T00:00:00Z');
    const res = await t.gql(
      ReceivePurchaseOrderDocument,
      { input: { purchaseOrderId: po.id, warehouseId: '0190a000-0000-7000-8000-00000000ffff', idempotencyKey: 'wire-rcv-2', lines: [{ lineId: po.lines[0]!.id, acceptedQuantity: 5, rejectedQuantity: 0 }] } },
      ops,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'warehouseId' });
    const [{ n }] = await t.sql('SELECT count(*)::int AS n FROM purchase_order_receipt WHERE purchase_order_id = $1', [po.id]);
    expect(n).toBe(0);
    const [{ m }] = await t.sql('SELECT count(*)::int AS m FROM stock_movement WHERE variant_id = $1', [variant]);
    expect(m).toBe(0);
  });
});

describe('listings and recommendations see real stock', () => {
  it('scores "stock available" from inventory', async () => {
    const p = await product(t, ops, [{ priceAmount: 2500 }]);
    const channel = await t.gql(CreateListingChannelDocument, { input: { code: 'wire-shop', name: 'Wire shop', type: 'OWN_SITE', currency: 'USD' } }, ops);
    const created = await t.gql(CreateListingDocument, { input: { productId: p.productId, channelId: (channel.data!.createChannel as any).id, title: 'A listing to score' } }, ops);
    const listingId = (created.data!.createListing as any).id;
    const stockRule = async () => {
      const res = await t.gql(ListingStaffViewDocument, { id: listingId }, ops);
      return res.data!.listing.quality.findings.find((f: any) => f.rule === 'STOCK_AVAILABLE');
    };
    expect(await stockRule()).toMatchObject({ passed: false, points: 0 });
    await stockUp(t, ops, [p.variantIds[0]!], 3);
    expect(await stockRule()).toMatchObject({ passed: true });
    expect((await stockRule())!.points).toBe((await stockRule())!.maxPoints);
  });

  it('leaves out-of-stock products out of recommendations', async () => {
    const [p0, p1, p2] = [await product(t, ops, [{ priceAmount: 100 }]), await product(t, ops, [{ priceAmount: 200 }]), await product(t, ops, [{ priceAmount: 300 }])];
    await stockUp(t, ops, [p0.variantIds[0]!, p2.variantIds[0]!], 10); // p1 has none
    const me = await customer(t, 'Me');
    const other = await customer(t, 'Other');
    const place = (token: string, ...ps: (typeof p0)[]) => t.gql(PlaceOrderDocument, { input: { lines: ps.map((p) => ({ variantId: p.variantIds[0]!, quantity: 1 })) } }, token);
    await place(me.token, p0);
    await place(other.token, p0, p1);
    await place(other.token, p0, p1);
    await place(other.token, p0, p2);
    const res = await t.gql(RecommendationsForCustomerDocument, { first: 10 }, me.token);
    const ids = res.data!.recommendationsForCustomer.map((r: any) => r.product.id);
    expect(ids).toContain(p2.productId);
    expect(ids).not.toContain(p1.productId); // bought together more often, but cannot be bought now
  });
});

describe('shipment problems open logistics tickets', () => {
  it('opens one HIGH logistics ticket per shipment on a carrier exception, and one when a shipment goes quiet', async () => {
    const buyer = await customer(t, 'Parcel');
    const variant = (await product(t, ops, [{ priceAmount: 1000 }])).variantIds[0]!;
    const wh = await warehouse(t, ops, { code: 'WIRE-SHIP', city: 'Berlin' });
    await receive(t, ops, variant, wh, 10);
    const carrier = (await t.gql(CreateCarrierDocument, { input: { code: 'wire', name: 'Wire Post' } }, ops)).data!.createCarrier.id;
    const svc = await t.gql(
      CreateShippingServiceDocument,
      { input: { carrierId: carrier, code: 'STD', name: 'Standard', type: 'STANDARD', regions: [], maxWeightGrams: 30000, maxLengthMm: 1200, transitDays: 2, cutoffTimeUtc: '18:00', currency: 'USD', rates: [{ upToGrams: 30000, priceAmount: 500 }] } },
      ops,
    );
    const shipOne = async () => {
      const placed = await t.gql(
        PlaceOrderShippingDocument,
        { input: { lines: [{ variantId: variant, quantity: 1 }], shippingAddress: { name: 'Ada', line1: 'Street 1', postalCode: '10115', city: 'Berlin', country: 'DE' }, shippingServiceId: svc.data!.createShippingService.id } },
        buyer.token,
      );
      const orderId = (placed.data!.placeOrder as any).id as string;
      for (const to of ['PAID', 'CONFIRMED', 'PROCESSING']) await t.gql(MoveOrderDocument, { input: { orderId, to: to as any } }, ops);
      const shipment = (await t.gql(CreateShipmentDocument, { input: { orderId, warehouseId: wh } }, ops)).data!.createShipment as any;
      return { orderId, shipment };
    };
    const tickets = (shipmentId: string) => t.sql('SELECT category, priority, customer_id, order_id, status FROM support_ticket WHERE shipment_id = $1', [shipmentId]);

    const a = await shipOne();
    const exception = (id: string) => ({ carrierEventId: id, trackingNumber: a.shipment.trackingNumber, status: 'EXCEPTION' as const, rawCode: 'X1', occurredAt: '2026-05-04T09:00:00Z', location: 'Hub', description: 'Address not found' });
    await t.gql(IngestTrackingDocument, { input: { carrierCode: 'wire', events: [exception('w-1')] } }, ops);
    await t.gql(IngestTrackingDocument, { input: { carrierCode: 'wire', events: [{ ...exception('w-2'), occurredAt: '2026-05-04T10:00:00Z' }] } }, ops);
    expect(await tickets(a.shipment.id)).toEqual([{ category: 'LOGISTICS', priority: 'HIGH', customer_id: buyer.id, order_id: a.orderId, status: 'NEW' }]);

    const b = await shipOne();
    clock.advance(72 * 3600_000); // no scan since the label was created
    await t.app.runJob('tracking.stale-shipments');
    await t.app.runJob('tracking.stale-shipments');
    expect(await tickets(b.shipment.id)).toEqual([{ category: 'LOGISTICS', priority: 'HIGH', customer_id: buyer.id, order_id: b.orderId, status: 'NEW' }]);
  });
});
