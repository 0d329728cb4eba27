import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type GqlResponse, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { receive, warehouse } from './support/logistics-fixtures.js';
import { purchaseOrder, supplier } from './support/procurement-fixtures.js';
import { deliveredOrder } from './support/returns-fixtures.js';
import {
  AdjustLoyaltyPointsDocument,
  AdjustStockDocument,
  CapturePaymentDocument,
  CreateCarrierDocument,
  CreateShipmentDocument,
  CreateShippingServiceDocument,
  InspectReturnDocument,
  MoveOrderDocument,
  PlaceOrderDocument,
  ReceivePurchaseOrderDocument,
  ReceiveStockDocument,
  RefundPaymentDocument,
  RefundReturnDocument,
  RequestReturnDocument,
  SetReturnPolicyDocument,
  TransferStockDocument,
  TransitionReturnDocument,
} from './generated/graphql.js';

/**
 * Every money and stock mutation a retry could double-apply, driven by one table: three concurrent calls with the same
 * key and input apply once and all answer the same; a later retry answers the same again; the same key with other
 * input is refused with a typed error and writes nothing.
 */
interface Case {
  name: string;
  /** Builds what the mutation needs; returns how to call it and how to count its effect in the ledger. */
  setup(): Promise<{
    call(key: string, other: boolean): Promise<GqlResponse<any>>;
    /** Rows the mutation writes to its ledger (or the quantity it books). */
    effect(): Promise<number>;
  }>;
  success: string;
  reused: string;
}

let t: TestApp;
let admin: string;
let variant: string;
let wh: string;
let wh2: string;
let serviceId: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = (await staffToken(t, Role.ADMIN)).token;
  variant = (await product(t, admin, [{ priceAmount: 1000 }])).variantIds[0]!;
  wh = await warehouse(t, admin);
  wh2 = await warehouse(t, admin);
  await receive(t, admin, variant, wh, 500);
  const carrier = (await t.gql(CreateCarrierDocument, { input: { code: 'idem', name: 'Idem' } }, admin)).data!.createCarrier.id;
  const svc = await t.gql(
    CreateShippingServiceDocument,
    { input: { carrierId: carrier, code: 'STD', name: 'S', type: 'STANDARD', regions: [], maxWeightGrams: 30000, maxLengthMm: 2000, transitDays: 2, cutoffTimeUtc: '23:59', currency: 'USD', rates: [{ upToGrams: 30000, priceAmount: 300 }] } },
    admin,
  );
  serviceId = svc.data!.createShippingService.id;
  await t.gql(SetReturnPolicyDocument, { input: { windowDays: 60, returnable: true } }, admin);
});
afterAll(() => t?.stop());

const count = async (sql: string, params: unknown[] = []) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);
const placeFor = async (token: string, quantity = 1) => {
  const res = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: variant, quantity }] } }, token);
  if (res.data?.placeOrder.__typename !== 'Order') throw new Error(JSON.stringify(res));
  return res.data.placeOrder.id as string;
};
const move = async (orderId: string, ...to: string[]) => {
  for (const s of to) {
    const r = await t.gql(MoveOrderDocument, { input: { orderId, to: s as any } }, admin);
    if (r.data?.transitionOrder.__typename !== 'Order') throw new Error(JSON.stringify(r));
  }
};
const capture = (orderId: string) => t.gql(CapturePaymentDocument, { input: { orderId, idempotencyKey: `cap-${orderId}` } }, admin);

const cases: Case[] = [
  {
    name: 'placeOrder (with points redeemed)',
    success: 'Order',
    reused: 'IdempotencyKeyReusedError',
    async setup() {
      const b = await customer(t);
      await t.gql(AdjustLoyaltyPointsDocument, { input: { customerId: b.id, points: 100, reason: 'seed', idempotencyKey: `seed-${b.id}` } }, admin);
      return {
        call: (key, other) => t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: variant, quantity: other ? 2 : 1 }], redeemPoints: 60, idempotencyKey: key } }, b.token),
        effect: async () => (await count('sales_order WHERE customer_id = $1', [b.id])) * 1000 + (await count(`loyalty_entry WHERE customer_id = $1 AND kind = 'REDEEM'`, [b.id])),
      };
    },
  },
  {
    name: 'capturePayment',
    success: 'Order',
    reused: 'PaymentIdempotencyKeyReusedError',
    async setup() {
      const b = await customer(t);
      const orderId = await placeFor(b.token, 2);
      return {
        call: (key, other) => t.gql(CapturePaymentDocument, { input: { orderId, amountMinor: other ? 500 : 700, idempotencyKey: key } }, admin),
        effect: () => count(`payment_transaction WHERE order_id = $1 AND kind = 'CAPTURE'`, [orderId]),
      };
    },
  },
  {
    name: 'refundPayment',
    success: 'Order',
    reused: 'PaymentIdempotencyKeyReusedError',
    async setup() {
      const b = await customer(t);
      const orderId = await placeFor(b.token, 3);
      await capture(orderId);
      return {
        call: (key, other) => t.gql(RefundPaymentDocument, { input: { orderId, amountMinor: other ? 200 : 1000, reason: 'goodwill', idempotencyKey: key } }, admin),
        effect: () => count(`payment_transaction WHERE order_id = $1 AND kind = 'REFUND'`, [orderId]),
      };
    },
  },
  {
    name: 'refundReturn',
    success: 'ReturnRefund',
    reused: 'ReturnIdempotencyKeyReusedError',
    async setup() {
      const b = await customer(t);
      const order = await deliveredOrder(t, admin, b.token, [{ variantId: variant, quantity: 2 }]);
      const req = await t.gql(RequestReturnDocument, { input: { orderId: order.id, resolution: 'REFUND', lines: [{ orderLineId: order.lineIds[0]!, quantity: 2, reasonCode: 'WRONG_SIZE' }] } }, b.token);
      const returnId = (req.data?.requestReturn as any)?.id;
      if (!returnId) throw new Error(JSON.stringify(req));
      for (const [to, token] of [['APPROVED', admin], ['IN_TRANSIT', b.token], ['RECEIVED', admin]] as const) await t.gql(TransitionReturnDocument, { input: { returnId, to } }, token);
      const [line] = await t.sql('SELECT id FROM return_line WHERE return_request_id = $1', [returnId]);
      const insp = await t.gql(InspectReturnDocument, { input: { returnId, lines: [{ returnLineId: line.id, condition: 'OPENED', restockable: false }] } }, admin);
      if (insp.data?.inspectReturn.__typename !== 'ReturnRequest') throw new Error(JSON.stringify(insp));
      return {
        call: (key, other) => t.gql(RefundReturnDocument, { input: { returnId, returnLineIds: [line.id], includeShipping: other, reason: 'return', idempotencyKey: key } }, admin),
        effect: () => count('return_refund WHERE return_request_id = $1', [returnId]),
      };
    },
  },
  {
    name: 'receiveStock',
    success: 'StockLevel',
    reused: 'StockIdempotencyKeyReusedError',
    async setup() {
      return {
        call: (key, other) => t.gql(ReceiveStockDocument, { input: { variantId: variant, warehouseId: wh2, quantity: other ? 4 : 3, reference: 'ASN-1', idempotencyKey: key } }, admin),
        effect: async () => Number((await t.sql(`SELECT coalesce(sum(quantity), 0)::int AS q FROM stock_movement WHERE warehouse_id = $1 AND kind = 'RECEIPT'`, [wh2]))[0].q),
      };
    },
  },
  {
    name: 'adjustStock',
    success: 'StockLevel',
    reused: 'StockIdempotencyKeyReusedError',
    async setup() {
      return {
        call: (key, other) => t.gql(AdjustStockDocument, { input: { variantId: variant, warehouseId: wh, quantityChange: other ? -2 : -1, reason: 'cycle count', idempotencyKey: key } }, admin),
        effect: () => count(`stock_movement WHERE warehouse_id = $1 AND kind = 'ADJUSTMENT'`, [wh]),
      };
    },
  },
  {
    name: 'transferStock',
    success: 'StockLevel',
    reused: 'StockIdempotencyKeyReusedError',
    async setup() {
      return {
        call: (key, other) => t.gql(TransferStockDocument, { input: { variantId: variant, fromWarehouseId: wh, toWarehouseId: wh2, quantity: other ? 6 : 5, idempotencyKey: key } }, admin),
        effect: () => count(`stock_movement WHERE kind IN ('TRANSFER_OUT', 'TRANSFER_IN')`),
      };
    },
  },
  {
    name: 'createShipment',
    success: 'Shipment',
    reused: 'ShipmentIdempotencyKeyReusedError',
    async setup() {
      const b = await customer(t);
      const orderId = await placeFor(b.token, 2);
      await capture(orderId);
      await move(orderId, 'CONFIRMED', 'PROCESSING');
      const [res] = await t.sql(`SELECT warehouse_id FROM stock_reservation WHERE order_id = $1 AND status = 'OPEN'`, [orderId]);
      return {
        call: (key, other) => t.gql(CreateShipmentDocument, { input: { orderId, warehouseId: res.warehouse_id, serviceId, trackingNumber: other ? 'TRK-OTHER' : 'TRK-0001', idempotencyKey: key } }, admin),
        effect: async () => (await count('shipment WHERE order_id = $1', [orderId])) * 1000 + (await count(`stock_movement WHERE kind = 'SHIPMENT' AND reference LIKE '%' || $1 || '%'`, [orderId])),
      };
    },
  },
  {
    name: 'receivePurchaseOrder',
    success: 'PurchaseOrder',
    reused: 'ReceiptIdempotencyKeyReusedError',
    async setup() {
      const s = await supplier(t, admin);
      const po = await purchaseOrder(t, admin, s, [{ variantId: variant, quantity: 10, unitCostAmount: 400 }], new Date(Date.now() + 86_400_000).toISOString());
      const lineId = (po as any).lines[0].id;
      return {
        call: (key, other) => t.gql(ReceivePurchaseOrderDocument, { input: { purchaseOrderId: po.id, warehouseId: wh, idempotencyKey: key, lines: [{ lineId, acceptedQuantity: other ? 5 : 4, rejectedQuantity: 0 }] } }, admin),
        effect: () => count('purchase_order_receipt WHERE purchase_order_id = $1', [po.id]),
      };
    },
  },
  {
    name: 'adjustLoyaltyPoints',
    success: 'LoyaltyEntry',
    reused: 'IdempotencyKeyReusedError',
    async setup() {
      const b = await customer(t);
      return {
        call: (key, other) => t.gql(AdjustLoyaltyPointsDocument, { input: { customerId: b.id, points: other ? 51 : 50, reason: 'goodwill', idempotencyKey: key } }, admin),
        effect: () => count('loyalty_entry WHERE customer_id = $1', [b.id]),
      };
    },
  },
];

describe('idempotency keys on money and stock mutations', () => {
  it.each(cases)('$name: concurrent retries apply once and answer alike; other input with the key is refused', async (c) => {
    const { call, effect } = await c.setup();
    const key = `idem-${c.name.replace(/\W+/g, '-')}-${Date.now()}`;
    const before = await effect();
    const first = await Promise.all([1, 2, 3].map(() => call(key, false)));
    const answers = first.map((r) => {
      expect(r.errors, JSON.stringify(r.errors)).toBeUndefined();
      return Object.values(r.data!)[0] as any;
    });
    expect(answers[0].__typename, JSON.stringify(answers[0])).toBe(c.success);
    for (const a of answers) expect(a).toEqual(answers[0]);
    const applied = await effect();
    expect(applied).not.toBe(before);

    const retry = Object.values((await call(key, false)).data!)[0] as any;
    expect(retry.id).toBe(answers[0].id);
    expect(await effect()).toBe(applied);

    const reused = await call(key, true);
    expect(Object.values(reused.data!)[0]).toMatchObject({ __typename: c.reused, field: 'idempotencyKey' });
    expect(await effect()).toBe(applied);
  });

  it('concurrent retries book the amount exactly once (figures by hand)', async () => {
    const b = await customer(t);
    const calls = await Promise.all([1, 2, 3, 4].map(() => t.gql(AdjustLoyaltyPointsDocument, { input: { customerId: b.id, points: 50, reason: 'x', idempotencyKey: 'same-key-0001' } }, admin)));
    expect(new Set(calls.map((c) => (c.data!.adjustLoyaltyPoints as any).id)).size).toBe(1);
    expect(await t.sql('SELECT sum(points)::int AS p, count(*)::int AS n FROM loyalty_entry WHERE customer_id = $1', [b.id])).toEqual([{ p: 50, n: 1 }]);
    const stock = await Promise.all([1, 2, 3].map(() => t.gql(ReceiveStockDocument, { input: { variantId: variant, warehouseId: wh2, quantity: 9, reference: 'ASN-2', idempotencyKey: 'same-key-0002' } }, admin)));
    expect(new Set(stock.map((s) => (s.data!.receiveStock as any).onHand)).size).toBe(1);
    expect(await count(`stock_movement WHERE idempotency_key = 'same-key-0002'`)).toBe(1);
  });
});
