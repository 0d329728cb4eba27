import { randomBytes } from 'node:crypto';
import {
  CreateCarrierDocument,
  CreateShipmentDocument,
  CreateShippingServiceDocument,
  IngestTrackingDocument,
  MoveOrderDocument,
  PlaceOrderDocument,
} from '../generated/graphql.js';
import type { TestApp } from './harness.js';
import { receive, warehouse } from './logistics-fixtures.js';

const uniq = () => randomBytes(3).toString('hex');

export interface Logistics {
  carrierCode: string;
  serviceId: string;
  warehouseId: string;
}

/** A carrier with one STANDARD service (rate table `rates`, default 500 USD up to 30 kg) and a warehouse holding `stock` of each variant. */
export async function logistics(
  t: TestApp,
  ops: string,
  variantIds: string[],
  opts: { rates?: { upToGrams: number; priceAmount: number }[]; stock?: number } = {},
): Promise<Logistics> {
  const carrierCode = `c${uniq()}`;
  const carrier = await t.gql(CreateCarrierDocument, { input: { code: carrierCode, name: 'Parcel Co' } }, ops);
  if (!carrier.data) throw new Error(JSON.stringify(carrier));
  const svc = await t.gql(
    CreateShippingServiceDocument,
    {
      input: {
        carrierId: carrier.data.createCarrier.id,
        code: `STD-${uniq()}`,
        name: 'Standard',
        type: 'STANDARD',
        regions: [],
        maxWeightGrams: 30000,
        maxLengthMm: 1200,
        transitDays: 2,
        cutoffTimeUtc: '18:00',
        currency: 'USD',
        rates: opts.rates ?? [{ upToGrams: 30000, priceAmount: 500 }],
      },
    },
    ops,
  );
  if (!svc.data) throw new Error(JSON.stringify(svc));
  const warehouseId = await warehouse(t, ops);
  for (const v of variantIds) await receive(t, ops, v, warehouseId, opts.stock ?? 100);
  return { carrierCode, serviceId: svc.data.createShippingService.id, warehouseId };
}

export const ADDRESS = { name: 'Ada Buyer', line1: 'Street 1', postalCode: '10115', city: 'Berlin', country: 'DE' };

/** An order placed by the customer with the logistics' service and moved PAID → CONFIRMED → PROCESSING; line ids in line order. */
export async function processingOrder(t: TestApp, ops: string, buyerToken: string, l: Logistics, lines: { variantId: string; quantity: number }[]) {
  const res = await t.gql(PlaceOrderDocument, { input: { lines, shippingAddress: ADDRESS, shippingServiceId: l.serviceId } }, buyerToken);
  const o = res.data?.placeOrder;
  if (o?.__typename !== 'Order') throw new Error(JSON.stringify(res));
  for (const to of ['PAID', 'CONFIRMED', 'PROCESSING']) {
    const m = await t.gql(MoveOrderDocument, { input: { orderId: o.id, to: to as any } }, ops);
    if (m.data?.transitionOrder?.__typename !== 'Order') throw new Error(JSON.stringify(m));
  }
  return { id: o.id, lineIds: o.lines.map((line) => line.id) };
}

/** Ships the given items (default: everything open) from the logistics' warehouse. */
export async function ship(t: TestApp, ops: string, l: Logistics, orderId: string, items?: { orderLineId: string; quantity: number }[]) {
  const res = await t.gql(CreateShipmentDocument, { input: { orderId, warehouseId: l.warehouseId, items } }, ops);
  const s = res.data?.createShipment;
  if (s?.__typename !== 'Shipment') throw new Error(JSON.stringify(res));
  return { id: s.id, trackingNumber: s.trackingNumber };
}

/** The carrier reports the shipment DELIVERED at `at`. */
export async function deliver(t: TestApp, ops: string, l: Logistics, trackingNumber: string, at: string) {
  const res = await t.gql(
    IngestTrackingDocument,
    { input: { carrierCode: l.carrierCode, events: [{ carrierEventId: `dlv-${trackingNumber}`, trackingNumber, status: 'DELIVERED', rawCode: 'DLV', occurredAt: at, location: 'Door' }] } },
    ops,
  );
  if (res.data?.ingestTrackingEvents.accepted !== 1) throw new Error(JSON.stringify(res));
}
