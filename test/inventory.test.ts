import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { print } from 'graphql';
import { collect, sleep, startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { receive, warehouse } from './support/logistics-fixtures.js';
import { Context } from '../src/common/context.js';
import { ANONYMOUS } from '../src/common/auth/viewer.js';
import { inTransaction } from '../src/common/transaction.js';
import { availableStock, recordStockMovement } from '../src/modules/inventory/inventory.service.js';
import {
  AdjustStockDocument,
  InventoryAlertRaisedDocument,
  InventoryAlertsDocument,
  MoveOrderDocument,
  OrderAllocationsDocument,
  PlaceOrderDocument,
  ProductAvailabilityDocument,
  ReceiveStockDocument,
  ReplenishmentDocument,
  SetStockPolicyDocument,
  StockMovementsDocument,
  TransferStockDocument,
  TransitionInventoryAlertDocument,
  type InventoryAlertRaisedSubscription,
} from './generated/graphql.js';

let t: TestApp;
let ops: string;
let buyer: Awaited<ReturnType<typeof customer>>;

beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  buyer = await customer(t);
});
afterAll(() => t?.stop());

type Addr = { city: string; country: string };
const address = (a: Addr = { city: 'Berlin', country: 'DE' }) => ({ name: 'Ada', line1: 'Street 1', postalCode: '10115', ...a });

async function placePaid(lines: { variantId: string; quantity: number }[], to?: Addr): Promise<string> {
  const res = await t.gql(PlaceOrderDocument, { input: { lines, shippingAddress: address(to) } }, buyer.token);
  const o = res.data?.placeOrder;
  if (o?.__typename !== 'Order') throw new Error(JSON.stringify(res));
  const paid = await t.gql(MoveOrderDocument, { input: { orderId: o.id, to: 'PAID' } }, ops);
  if (paid.data?.transitionOrder?.__typename !== 'Order') throw new Error(JSON.stringify(paid));
  return o.id;
}
const move = (orderId: string, to: any, reason?: string) => t.gql(MoveOrderDocument, { input: { orderId, to, reason } }, ops);

async function level(variantId: string, warehouseId: string) {
  const [r] = await t.sql('SELECT on_hand, reserved FROM stock_level WHERE variant_id = $1 AND warehouse_id = $2', [variantId, warehouseId]);
  return r ? { onHand: r.on_hand as number, reserved: r.reserved as number } : { onHand: 0, reserved: 0 };
}
const count = async (sql: string, params: unknown[] = []) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);

/** The invariants the ledger design promises, for every SKU × warehouse. */
async function expectLedgerConsistent() {
  const bad = await t.sql(`
    SELECT sl.variant_id, sl.warehouse_id, sl.on_hand, sl.reserved,
           coalesce((SELECT sum(quantity) FROM stock_movement m WHERE m.variant_id = sl.variant_id AND m.warehouse_id = sl.warehouse_id), 0)::int AS ledger,
           coalesce((SELECT sum(quantity) FROM stock_reservation r WHERE r.variant_id = sl.variant_id AND r.warehouse_id = sl.warehouse_id AND r.status = 'OPEN'), 0)::int AS open
    FROM stock_level sl`);
  for (const r of bad) {
    expect(r.on_hand, `on hand of ${r.variant_id}@${r.warehouse_id}`).toBe(r.ledger);
    expect(r.reserved, `reserved of ${r.variant_id}@${r.warehouse_id}`).toBe(r.open);
    expect(r.reserved).toBeLessThanOrEqual(r.on_hand);
    expect(r.reserved).toBeGreaterThanOrEqual(0);
  }
  return bad.length;
}

describe('no overselling', () => {
  it('200 concurrent confirmations for a SKU with 50 available: exactly 50 succeed, the rest get INSUFFICIENT_STOCK', async () => {
    const v = (await product(t, ops, [{ priceAmount: 500 }])).variantIds[0]!;
    const wh = await warehouse(t, ops);
    await receive(t, ops, v, wh, 50);
    const orderIds: string[] = [];
    for (let i = 0; i < 200; i += 20) {
      orderIds.push(...(await Promise.all(Array.from({ length: 20 }, () => placePaid([{ variantId: v, quantity: 1 }])))));
    }
    const results = await Promise.all(orderIds.map((id) => move(id, 'CONFIRMED')));
    const kinds = results.map((r) => r.data?.transitionOrder?.__typename ?? JSON.stringify(r.errors));
    expect(kinds.filter((k) => k === 'Order')).toHaveLength(50);
    const refused = results.map((r) => r.data!.transitionOrder).filter((r) => r?.__typename === 'InsufficientStockError');
    expect(refused).toHaveLength(150);
    expect(refused[0]).toMatchObject({ errorCode: 'INSUFFICIENT_STOCK', field: 'lines[0].quantity' });
    expect(await level(v, wh)).toEqual({ onHand: 50, reserved: 50 });
    expect(await count(`stock_reservation WHERE variant_id = $1 AND status = 'OPEN'`, [v])).toBe(50);
    expect(await count(`sales_order o JOIN order_line l ON l.order_id = o.id WHERE l.variant_id = $1 AND o.status = 'CONFIRMED'`, [v])).toBe(50);
    // Refused confirmations wrote nothing: no CONFIRMED history for the 150.
    expect(await count(`order_status_change c JOIN order_line l ON l.order_id = c.order_id WHERE l.variant_id = $1 AND c.to_status = 'CONFIRMED'`, [v])).toBe(50);
    const avail = await t.gql(ProductAvailabilityDocument, { id: (await t.sql('SELECT product_id FROM product_variant WHERE id = $1', [v]))[0].product_id }, ops);
    expect(avail.data?.product.variants[0]?.availableQuantity).toBe(0);
  });
});

describe('ledger consistency', () => {
  it('after a random mix of receipts, orders, cancellations, shipments, transfers and adjustments, on hand = ledger and reserved = open reservations', async () => {
    const vs = (await product(t, ops, [{ priceAmount: 100 }, { priceAmount: 200 }, { priceAmount: 300 }])).variantIds;
    const whs = [await warehouse(t, ops, { city: 'Berlin' }), await warehouse(t, ops, { city: 'Hamburg' })];
    let seed = 42;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    const confirmed: string[] = [];
    const processing: string[] = [];
    const outcomes: Record<string, number> = {};
    const note = (k: string): void => {
      outcomes[k] = (outcomes[k] ?? 0) + 1;
    };
    const step = async (): Promise<void> => {
      const v = vs[rnd(3)]!;
      const w = whs[rnd(2)]!;
      switch (rnd(7)) {
        case 0: {
          const r = await t.gql(ReceiveStockDocument, { input: { variantId: v, warehouseId: w, quantity: 1 + rnd(8), reference: 'PO-R' } }, ops);
          return note(`receive:${r.data?.receiveStock?.__typename}`);
        }
        case 1:
        case 2: {
          const id = await placePaid([{ variantId: v, quantity: 1 + rnd(4) }, { variantId: vs[(vs.indexOf(v) + 1) % 3]!, quantity: 1 + rnd(2) }], { city: rnd(2) ? 'Berlin' : 'Hamburg', country: 'DE' });
          const r = await move(id, 'CONFIRMED');
          if (r.data?.transitionOrder?.__typename === 'Order') confirmed.push(id);
          return note(`confirm:${r.data?.transitionOrder?.__typename}`);
        }
        case 3: {
          const id = confirmed.splice(rnd(Math.max(1, confirmed.length)), 1)[0];
          if (!id) return note('cancel:none');
          const r = await move(id, 'CANCELLED', 'random cancel');
          return note(`cancel:${r.data?.transitionOrder?.__typename}`);
        }
        case 4: {
          const id = confirmed.splice(rnd(Math.max(1, confirmed.length)), 1)[0];
          if (!id) return note('ship:none');
          await move(id, 'PROCESSING');
          const r = await move(id, 'SHIPPED');
          processing.push(id);
          return note(`ship:${r.data?.transitionOrder?.__typename}`);
        }
        case 5: {
          const r = await t.gql(TransferStockDocument, { input: { variantId: v, fromWarehouseId: w, toWarehouseId: whs.find((x) => x !== w)!, quantity: 1 + rnd(3) } }, ops);
          return note(`transfer:${r.data?.transferStock?.__typename}`);
        }
        default: {
          const cur = await level(v, w);
          const r = await t.gql(AdjustStockDocument, { input: { variantId: v, warehouseId: w, quantityChange: rnd(2) ? 2 : -1, reason: 'cycle count', expectedOnHand: cur.onHand } }, ops);
          return note(`adjust:${r.data?.adjustStock?.__typename}`);
        }
      }
    };
    for (let round = 0; round < 16; round++) await Promise.all([step(), step(), step(), step(), step()]);
    const rows = await expectLedgerConsistent();
    expect(rows).toBeGreaterThanOrEqual(4);
    // The mix really exercised every path, refusals included.
    const kinds = Object.keys(outcomes).map((k) => k.split(':')[0]);
    for (const k of ['receive', 'confirm', 'cancel', 'ship', 'transfer', 'adjust']) expect(kinds).toContain(k);
    expect(outcomes['ship:Order']).toBeGreaterThan(0);
    expect(await count(`stock_movement WHERE kind = 'SHIPMENT' AND variant_id IN ($1, $2, $3)`, vs)).toBeGreaterThan(0);
  });

  it('the ledger is append-only', async () => {
    await expect(t.sql(`UPDATE stock_movement SET quantity = quantity + 1`)).rejects.toThrow(/append-only/);
    await expect(t.sql(`DELETE FROM stock_movement`)).rejects.toThrow(/append-only/);
  });
});

describe('allocation', () => {
  let a: string;
  let b: string;
  let ber: string;
  let muc: string;
  let par: string;
  beforeAll(async () => {
    [a, b] = (await product(t, ops, [{ priceAmount: 1000 }, { priceAmount: 2000 }])).variantIds as [string, string];
    ber = await warehouse(t, ops, { code: 'A-BER', city: 'Berlin', country: 'DE' });
    muc = await warehouse(t, ops, { code: 'B-MUC', city: 'Munich', country: 'DE' });
    par = await warehouse(t, ops, { code: 'C-PAR', city: 'Paris', country: 'FR' });
  });
  const allocations = async (id: string) =>
    (await t.gql(OrderAllocationsDocument, { id }, ops)).data!.order.allocations.map((x) => [x.variantId === a ? 'A' : 'B', x.warehouse.code, x.quantity, x.status]);

  it('takes everything from the warehouse in the destination city when it has it all', async () => {
    for (const w of [ber, muc, par]) await receive(t, ops, a, w, 5);
    const id = await placePaid([{ variantId: a, quantity: 2 }], { city: 'munich', country: 'DE' });
    expect((await move(id, 'CONFIRMED')).data?.transitionOrder?.__typename).toBe('Order');
    expect(await allocations(id)).toEqual([['A', 'B-MUC', 2, 'OPEN']]);
    const fr = await placePaid([{ variantId: a, quantity: 1 }], { city: 'Lyon', country: 'FR' });
    await move(fr, 'CONFIRMED');
    expect(await allocations(fr)).toEqual([['A', 'C-PAR', 1, 'OPEN']]);
  });

  it('prefers one warehouse that has every line over splitting from the nearer one', async () => {
    await receive(t, ops, b, ber, 4); // B only in Berlin
    const id = await placePaid([{ variantId: a, quantity: 1 }, { variantId: b, quantity: 1 }], { city: 'Munich', country: 'DE' });
    await move(id, 'CONFIRMED');
    expect(await allocations(id)).toEqual([['A', 'A-BER', 1, 'OPEN'], ['B', 'A-BER', 1, 'OPEN']]);
  });

  it('splits across warehouses, nearest first, when no single one can serve the order', async () => {
    // A available now: Berlin 4, Munich 3, Paris 4.
    const id = await placePaid([{ variantId: a, quantity: 9 }], { city: 'Munich', country: 'DE' });
    await move(id, 'CONFIRMED');
    expect(await allocations(id)).toEqual([['A', 'B-MUC', 3, 'OPEN'], ['A', 'A-BER', 4, 'OPEN'], ['A', 'C-PAR', 2, 'OPEN']]);
    const short = await placePaid([{ variantId: a, quantity: 3 }], { city: 'Munich', country: 'DE' });
    const res = await move(short, 'CONFIRMED');
    expect(res.data?.transitionOrder).toMatchObject({ __typename: 'InsufficientStockError', requested: 3, available: 2, variantId: a });
    expect(await allocations(short)).toEqual([]);
    // Cancelling gives the units back.
    await move(id, 'CANCELLED', 'customer called');
    expect(await allocations(id)).toEqual([['A', 'B-MUC', 3, 'RELEASED'], ['A', 'A-BER', 4, 'RELEASED'], ['A', 'C-PAR', 2, 'RELEASED']]);
    expect(await level(a, muc)).toEqual({ onHand: 5, reserved: 2 });
    expect((await move(short, 'CONFIRMED')).data?.transitionOrder?.__typename).toBe('Order');
    await expectLedgerConsistent();
  });
});

describe('stock mutations', () => {
  let v: string;
  let wh: string;
  beforeAll(async () => {
    v = (await product(t, ops, [{ priceAmount: 100 }])).variantIds[0]!;
    wh = await warehouse(t, ops);
  });

  it('applies a keyed receipt once, and refuses the key for other input', async () => {
    const input = { variantId: v, warehouseId: wh, quantity: 7, reference: 'PO-77', idempotencyKey: 'receipt-key-77' };
    const [r1, r2] = await Promise.all([t.gql(ReceiveStockDocument, { input }, ops), t.gql(ReceiveStockDocument, { input }, ops)]);
    expect(r1.data?.receiveStock).toMatchObject({ __typename: 'StockLevel', onHand: 7 });
    expect(r2.data?.receiveStock).toMatchObject({ __typename: 'StockLevel', onHand: 7 });
    const other = await t.gql(ReceiveStockDocument, { input: { ...input, quantity: 8 } }, ops);
    expect(other.data?.receiveStock).toMatchObject({ __typename: 'StockIdempotencyKeyReusedError', errorCode: 'IDEMPOTENCY_KEY_REUSED' });
    expect(await level(v, wh)).toEqual({ onHand: 7, reserved: 0 });
    expect(await count(`stock_movement WHERE variant_id = $1`, [v])).toBe(1);
  });

  it('adjusts with compare-and-set: a stale expectation changes nothing', async () => {
    const before = await count('stock_movement');
    const stale = await t.gql(AdjustStockDocument, { input: { variantId: v, warehouseId: wh, quantityChange: -2, reason: 'damaged', expectedOnHand: 6 } }, ops);
    expect(stale.data?.adjustStock).toMatchObject({ __typename: 'StockChangedError', errorCode: 'STOCK_CHANGED', expectedOnHand: 6, actualOnHand: 7 });
    expect(await count('stock_movement')).toBe(before);
    const ok = await t.gql(AdjustStockDocument, { input: { variantId: v, warehouseId: wh, quantityChange: -2, reason: 'damaged', expectedOnHand: 7 } }, ops);
    expect(ok.data?.adjustStock).toMatchObject({ __typename: 'StockLevel', onHand: 5, available: 5 });
    // Two concurrent adjustments with the same expectation: exactly one applies.
    const both = await Promise.all([1, 2].map(() => t.gql(AdjustStockDocument, { input: { variantId: v, warehouseId: wh, quantityChange: -1, reason: 'count', expectedOnHand: 5 } }, ops)));
    expect(both.map((r) => r.data?.adjustStock?.__typename).sort()).toEqual(['StockChangedError', 'StockLevel']);
    expect(await level(v, wh)).toEqual({ onHand: 4, reserved: 0 });
    const unguarded = await t.gql(AdjustStockDocument, { input: { variantId: v, warehouseId: wh, quantityChange: 1, reason: 'count' } }, ops);
    expect(unguarded.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'expectedOnHand' });
    const moves = await t.gql(StockMovementsDocument, { variantId: v, first: 10 }, ops);
    expect(moves.data?.stockMovements.nodes.map((m) => [m.kind, m.quantity, m.reason])).toEqual([
      ['ADJUSTMENT', -1, 'count'],
      ['ADJUSTMENT', -2, 'damaged'],
      ['RECEIPT', 7, null],
    ]);
  });

  it('never lets an adjustment or transfer take reserved units', async () => {
    const id = await placePaid([{ variantId: v, quantity: 3 }]);
    await move(id, 'CONFIRMED');
    const adj = await t.gql(AdjustStockDocument, { input: { variantId: v, warehouseId: wh, quantityChange: -2, reason: 'lost', expectedOnHand: 4 } }, ops);
    expect(adj.data?.adjustStock).toMatchObject({ __typename: 'InsufficientStockError', requested: 2, available: 1 });
    const other = await warehouse(t, ops);
    const tr = await t.gql(TransferStockDocument, { input: { variantId: v, fromWarehouseId: wh, toWarehouseId: other, quantity: 2 } }, ops);
    expect(tr.data?.transferStock).toMatchObject({ __typename: 'InsufficientStockError', requested: 2, available: 1 });
    const ok = await t.gql(TransferStockDocument, { input: { variantId: v, fromWarehouseId: wh, toWarehouseId: other, quantity: 1 } }, ops);
    expect(ok.data?.transferStock).toMatchObject({ __typename: 'StockLevel', onHand: 3, reserved: 3, available: 0 });
    expect(await level(v, other)).toEqual({ onHand: 1, reserved: 0 });
  });

  it('is for operations staff only', async () => {
    const analyst = (await staffToken(t, Role.ANALYST)).token;
    const res = await t.gql(ReceiveStockDocument, { input: { variantId: v, warehouseId: wh, quantity: 1, reference: 'x' } }, analyst);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const cust = await t.gql(StockMovementsDocument, { first: 1 }, buyer.token);
    expect(cust.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('seams for other modules', () => {
  it('recordStockMovement books a return restock inside the caller’s transaction, refuses going below reserved, and availableStock sums active warehouses', async () => {
    const v = (await product(t, ops, [{ priceAmount: 100 }])).variantIds[0]!;
    const w1 = await warehouse(t, ops);
    const w2 = await warehouse(t, ops);
    await receive(t, ops, v, w1, 4);
    await move(await placePaid([{ variantId: v, quantity: 3 }]), 'CONFIRMED');
    const ctx = new Context(t.app.services, ANONYMOUS, 'test');
    const restocked = await inTransaction(ctx.em, (em) => recordStockMovement(ctx, em, { variantId: v, warehouseId: w2, quantity: 2, kind: 'RETURN_RESTOCK', reference: 'RMA-1' }));
    expect(restocked).toEqual({ onHand: 2, reserved: 0, available: 2 });
    const ctx2 = new Context(t.app.services, ANONYMOUS, 'test');
    const refused = await inTransaction(ctx2.em, (em) => recordStockMovement(ctx2, em, { variantId: v, warehouseId: w1, quantity: -2, kind: 'ADJUSTMENT', reference: 'x', reason: 'lost' }));
    expect(refused).toMatchObject({ errorCode: 'INSUFFICIENT_STOCK', requested: 2, available: 1 });
    expect(await level(v, w1)).toEqual({ onHand: 4, reserved: 3 });
    const [m] = await t.sql(`SELECT kind, quantity, reference, actor_kind FROM stock_movement WHERE variant_id = $1 AND warehouse_id = $2`, [v, w2]);
    expect(m).toEqual({ kind: 'RETURN_RESTOCK', quantity: 2, reference: 'RMA-1', actor_kind: 'system' });
    expect(await availableStock(new Context(t.app.services, ANONYMOUS, 'test'), [v])).toEqual(new Map([[v, 3]]));
    await t.sql('UPDATE warehouse SET active = false WHERE id = $1', [w2]);
    expect(await availableStock(new Context(t.app.services, ANONYMOUS, 'test'), [v])).toEqual(new Map([[v, 1]]));
  });
});

describe('low-stock alerts', () => {
  it('raises one alert when available falls to the reorder point, pushes it live, and does not duplicate it', async () => {
    const v = (await product(t, ops, [{ priceAmount: 100, sku: 'LOW-STOCK-1' }])).variantIds[0]!;
    const wh = await warehouse(t, ops);
    await receive(t, ops, v, wh, 10);
    await t.gql(SetStockPolicyDocument, { input: { variantId: v, warehouseId: wh, reorderPoint: 5, safetyStock: 2 } }, ops);
    const sub = collect<InventoryAlertRaisedSubscription>(t.ws(ops), print(InventoryAlertRaisedDocument), { warehouseId: wh });
    await sleep(300);
    const [[firstEvent]] = await t.sql(`SELECT coalesce(max(seq), 0)::int AS seq FROM event_outbox`).then((r) => [[r[0].seq]]);
    for (const q of [3, 2, 1]) await move(await placePaid([{ variantId: v, quantity: q }]), 'CONFIRMED'); // available 7, 5 (alert), 4
    const [ev] = await sub.waitFor(1);
    expect(ev!.data?.inventoryAlertRaised).toMatchObject({ variantId: v, warehouseId: wh, available: 5, reorderPoint: 5, alert: { status: 'OPEN' } });
    await sleep(500);
    expect(sub.items).toHaveLength(1);
    const alerts = await t.gql(InventoryAlertsDocument, { status: ['OPEN', 'ACKNOWLEDGED'] }, ops);
    const mine = alerts.data!.inventoryAlerts.nodes.filter((n) => n.variant.sku === 'LOW-STOCK-1');
    expect(mine).toEqual([{ id: ev!.data!.inventoryAlertRaised.alertId, status: 'OPEN', availableAtRaise: 5, reorderPoint: 5, variant: { sku: 'LOW-STOCK-1' }, warehouse: { code: expect.any(String) } }]);

    // A subscriber that was away gets it on resume.
    const late = collect<InventoryAlertRaisedSubscription>(t.ws(ops), print(InventoryAlertRaisedDocument), { warehouseId: wh, afterEventId: firstEvent });
    expect((await late.waitFor(1))[0]!.data?.inventoryAlertRaised.alertId).toBe(mine[0]!.id);

    const ack = await t.gql(TransitionInventoryAlertDocument, { input: { alertId: mine[0]!.id, to: 'ACKNOWLEDGED' } }, ops);
    expect(ack.data?.transitionInventoryAlert).toMatchObject({ status: 'ACKNOWLEDGED' });
    await move(await placePaid([{ variantId: v, quantity: 1 }]), 'CONFIRMED'); // still acknowledged: no new alert
    const res = await t.gql(TransitionInventoryAlertDocument, { input: { alertId: mine[0]!.id, to: 'RESOLVED' } }, ops);
    expect(res.data?.transitionInventoryAlert).toMatchObject({ status: 'RESOLVED' });
    const again = await t.gql(TransitionInventoryAlertDocument, { input: { alertId: mine[0]!.id, to: 'ACKNOWLEDGED' } }, ops);
    expect(again.data?.transitionInventoryAlert).toMatchObject({ __typename: 'IllegalAlertTransitionError', errorCode: 'ILLEGAL_TRANSITION' });
    expect(sub.items).toHaveLength(1);
    // Once resolved, the next fall raises a new one.
    await move(await placePaid([{ variantId: v, quantity: 1 }]), 'CONFIRMED');
    await sub.waitFor(2);
    expect(sub.items[1]!.data?.inventoryAlertRaised.available).toBe(2);
    expect(await count(`inventory_alert WHERE variant_id = $1`, [v])).toBe(2);
  });

  it('refuses subscribers without an inventory role', async () => {
    const sub = collect(t.ws(buyer.token), print(InventoryAlertRaisedDocument), {});
    await sub.settled();
    expect(sub.errors[0]?.message).toMatch(/requires one of/);
  });
});

describe('replenishment', () => {
  it('suggests velocity × (lead time + cover) + safety stock − available, from shipments in the window', async () => {
    const v = (await product(t, ops, [{ priceAmount: 100 }])).variantIds[0]!;
    const wh = await warehouse(t, ops);
    await receive(t, ops, v, wh, 40);
    await t.gql(SetStockPolicyDocument, { input: { variantId: v, warehouseId: wh, reorderPoint: 0, safetyStock: 5 } }, ops);
    // Ship 28 units: 1 per day over a 28-day window.
    for (const q of [10, 18]) {
      const id = await placePaid([{ variantId: v, quantity: q }]);
      await move(id, 'CONFIRMED');
      await move(id, 'PROCESSING');
      await move(id, 'SHIPPED');
    }
    const res = await t.gql(ReplenishmentDocument, { warehouseId: wh, leadTimeDays: 10, coverDays: 4, windowDays: 28 }, ops);
    // available 12; need ceil(1 × 14) + 5 − 12 = 7
    expect(res.data?.replenishmentSuggestions).toEqual([{ variantId: v, warehouseId: wh, available: 12, unitsShipped: 28, dailyVelocity: 1, suggestedQuantity: 7 }]);
  });
});
