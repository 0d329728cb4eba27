import { spawn } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type GqlResponse, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { receive, warehouse } from './support/logistics-fixtures.js';
import { reconcile } from '../src/app/reconcile.js';
import {
  AdjustLoyaltyPointsDocument,
  AdjustStockDocument,
  CapturePaymentDocument,
  CreateCarrierDocument,
  CreatePromotionDocument,
  CreateShippingServiceDocument,
  CreateShipmentDocument,
  PlaceOrderDocument,
  ReceiveStockDocument,
  RefundPaymentDocument,
  TransferStockDocument,
  TransitionOrderDocument,
} from './generated/graphql.js';

/** Operations in the simulation; `SIM_OPS=5000 npx vitest run test/invariants.test.ts` for the large run. */
const SIM_OPS = Number(process.env.SIM_OPS ?? 600);
const SIM_SEED = Number(process.env.SIM_SEED ?? 20261125);
const ACTORS = 6;

/** mulberry32: a small seeded PRNG, so a failing run can be repeated with the same SIM_SEED. */
function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
  return { next, int: (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1)), pick: <T>(xs: T[]) => xs[Math.floor(next() * xs.length)]! };
}

let t: TestApp;
let db: pg.Client;
beforeAll(async () => {
  t = await startTestApp();
  db = new pg.Client({ connectionString: t.dbUrl });
  await db.connect();
});
afterAll(async () => {
  await db?.end();
  await t?.stop();
});

describe('randomized concurrent simulation', () => {
  it(`keeps every ledger invariant after ${SIM_OPS} concurrent operations (seed ${SIM_SEED})`, async () => {
    const admin = (await staffToken(t, Role.ADMIN)).token;
    const variants = (await product(t, admin, [{ priceAmount: 1250 }, { priceAmount: 799 }, { priceAmount: 4000 }])).variantIds;
    const whs = [await warehouse(t, admin), await warehouse(t, admin)];
    for (const v of variants) await receive(t, admin, v, whs[0]!, 20);
    const buyers: Awaited<ReturnType<typeof customer>>[] = [];
    for (let i = 0; i < 4; i++) {
      const b = await customer(t);
      await t.gql(AdjustLoyaltyPointsDocument, { input: { customerId: b.id, points: 400, reason: 'welcome', idempotencyKey: `welcome-${b.id}` } }, admin);
      buyers.push(b);
    }
    const carrier = (await t.gql(CreateCarrierDocument, { input: { code: 'sim', name: 'Sim Express' } }, admin)).data!.createCarrier.id;
    const service = await t.gql(
      CreateShippingServiceDocument,
      { input: { carrierId: carrier, code: 'STD', name: 'Standard', type: 'STANDARD', regions: [], maxWeightGrams: 30000, maxLengthMm: 2000, transitDays: 2, cutoffTimeUtc: '23:59', currency: 'USD', rates: [{ upToGrams: 30000, priceAmount: 300 }] } },
      admin,
    );
    const serviceId = service.data!.createShippingService.id;
    const promo = await t.gql(CreatePromotionDocument, { input: { name: 'Sim', currency: 'USD', couponCode: 'SIM10', kind: 'PERCENT_OFF', percent: 10 } }, admin);
    expect(promo.data?.createPromotion.__typename).toBe('Promotion');

    const orders: string[] = [];
    const outcomes = new Map<string, number>();
    const failures: string[] = [];
    const note = (op: string, res: GqlResponse<any>) => {
      const data = res.data ? (Object.values(res.data)[0] as any) : null;
      // Every input is valid, so refusals must come back as typed results; any thrown error is a failure.
      const bad = res.status >= 500 || !!res.errors?.length;
      if (bad) failures.push(`${op}: ${JSON.stringify(res.errors ?? res)}`);
      const key = `${op}:${data?.__typename ?? (res.errors ? res.errors[0]!.extensions?.code : 'none')}`;
      outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
      return data;
    };
    const status = new Map<string, string>();
    const track = (orderId: string, data: any) => {
      if (data?.__typename === 'Order') status.set(orderId, data.status);
    };
    const reservedWarehouse = async (orderId: string) =>
      (await t.sql<{ warehouse_id: string }>(`SELECT warehouse_id FROM stock_reservation WHERE order_id = $1 AND status = 'OPEN' LIMIT 1`, [orderId]))[0]?.warehouse_id;

    const actor = async (index: number, count: number) => {
      const r = prng(SIM_SEED + index * 7919);
      for (let i = 0; i < count; i++) {
        const op = r.int(0, 99);
        const order = orders.length ? r.pick(orders) : undefined;
        if (op < 22 || !order) {
          const b = r.pick(buyers);
          const lines = [{ variantId: r.pick(variants), quantity: r.int(1, 3) }];
          if (r.next() < 0.4) {
            const other = variants.find((v) => v !== lines[0]!.variantId)!;
            lines.push({ variantId: other, quantity: r.int(1, 2) });
          }
          const input: any = { lines, idempotencyKey: `sim-place-${index}-${i}` };
          if (r.next() < 0.3) input.couponCodes = ['SIM10'];
          if (r.next() < 0.3) input.redeemPoints = r.int(1, 300);
          const placed = note('place', await t.gql(PlaceOrderDocument, { input }, b.token));
          if (placed?.__typename === 'Order') {
            orders.push(placed.id);
            track(placed.id, placed);
          }
        } else if (op < 64) {
          // Moves an order one step along the happy path, as the status it had when last seen allows.
          const st = status.get(order);
          if (st === 'PENDING_PAYMENT') track(order, note('pay', await t.gql(CapturePaymentDocument, { input: { orderId: order, idempotencyKey: `cap-${order}` } }, admin)));
          else if (st === 'PAID') track(order, note('confirm', await t.gql(TransitionOrderDocument, { input: { orderId: order, to: 'CONFIRMED' } }, admin)));
          else if (st === 'CONFIRMED') track(order, note('process', await t.gql(TransitionOrderDocument, { input: { orderId: order, to: 'PROCESSING' } }, admin)));
          else if (st === 'PROCESSING') {
            const wh = await reservedWarehouse(order);
            if (wh) note('ship', await t.gql(CreateShipmentDocument, { input: { orderId: order, warehouseId: wh, serviceId, idempotencyKey: `ship-${order}-${r.int(0, 1)}` } }, admin));
            status.set(order, 'SHIPPING');
          }
        } else if (op < 70) {
          track(order, note('cancel', await t.gql(TransitionOrderDocument, { input: { orderId: order, to: 'CANCELLED', reason: 'simulation' } }, admin)));
        } else if (op < 76) {
          note('refund', await t.gql(RefundPaymentDocument, { input: { orderId: order, amountMinor: r.int(1, 1500), reason: 'goodwill', idempotencyKey: `sim-ref-${index}-${i}` } }, admin));
        } else if (op < 82) {
          note('receive', await t.gql(ReceiveStockDocument, { input: { variantId: r.pick(variants), warehouseId: r.pick(whs), quantity: r.int(1, 6), reference: 'SIM', idempotencyKey: `sim-rcv-${index}-${i}` } }, admin));
        } else if (op < 88) {
          const change = r.int(1, 3) * (r.next() < 0.5 ? -1 : 1);
          note('adjust', await t.gql(AdjustStockDocument, { input: { variantId: r.pick(variants), warehouseId: r.pick(whs), quantityChange: change, reason: 'count', idempotencyKey: `sim-adj-${index}-${i}` } }, admin));
        } else if (op < 94) {
          const from = r.int(0, 1);
          note('transfer', await t.gql(TransferStockDocument, { input: { variantId: r.pick(variants), fromWarehouseId: whs[from]!, toWarehouseId: whs[1 - from]!, quantity: r.int(1, 4), idempotencyKey: `sim-trf-${index}-${i}` } }, admin));
        } else {
          const points = r.int(1, 150) * (r.next() < 0.5 ? -1 : 1);
          note('points', await t.gql(AdjustLoyaltyPointsDocument, { input: { customerId: r.pick(buyers).id, points, reason: 'simulation', idempotencyKey: `sim-pts-${index}-${i}` } }, admin));
        }
      }
    };
    const per = Math.ceil(SIM_OPS / ACTORS);
    await Promise.all(Array.from({ length: ACTORS }, (_, i) => actor(i, per)));

    expect(failures).toEqual([]);
    // The mix really exercised the paths whose ledgers are checked below.
    for (const k of ['place:Order', 'pay:Order', 'confirm:Order', 'receive:StockLevel', 'points:LoyaltyEntry']) expect(outcomes.get(k) ?? 0, k).toBeGreaterThan(0);
    if (SIM_OPS >= 200) for (const k of ['ship:Shipment', 'cancel:Order', 'refund:Order']) expect(outcomes.get(k) ?? 0, `${k} ${JSON.stringify([...outcomes])}`).toBeGreaterThan(0);
    expect(await reconcile(db)).toEqual([]);
  }, 600_000);
});

function runReconcile(args: string[]): Promise<{ code: number | null; out: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('scripts/reconcile.ts'), ...args], {
    env: { PATH: process.env.PATH ?? '', DATABASE_URL: t.dbUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (c) => (out += c));
  child.stderr.on('data', (c) => (out += c));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('reconcile', () => {
  it('reports a corrupted projection as drift (exit 1) and --repair recomputes it from the ledgers without touching them', async () => {
    const admin = (await staffToken(t, Role.ADMIN)).token;
    const [variant] = (await product(t, admin, [{ priceAmount: 500 }])).variantIds;
    const wh = await warehouse(t, admin);
    await receive(t, admin, variant!, wh, 7);
    const b = await customer(t);
    const placed = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: variant!, quantity: 2 }] } }, b.token);
    const orderId = (placed.data!.placeOrder as any).id as string;
    await t.gql(CapturePaymentDocument, { input: { orderId, idempotencyKey: `cap-${orderId}` } }, admin);
    await t.gql(TransitionOrderDocument, { input: { orderId, to: 'CONFIRMED' } }, admin);
    expect(await reconcile(db)).toEqual([]);

    const ledgers = `SELECT (SELECT count(*) FROM stock_movement) || '/' || (SELECT sum(quantity) FROM stock_movement) || '/' ||
                            (SELECT count(*) FROM stock_reservation) || '/' || (SELECT count(*) FROM payment_transaction) AS v`;
    const before = (await t.sql(ledgers))[0].v;
    // Corrupt three projections: on hand +5, reserved -1 (2 are reserved), refunded 300 (nothing was refunded).
    await t.sql(`UPDATE stock_level SET on_hand = on_hand + 5, reserved = reserved - 1 WHERE variant_id = $1 AND warehouse_id = $2`, [variant, wh]);
    await t.sql(`UPDATE sales_order SET refunded_amount = 300 WHERE id = $1`, [orderId]);

    const drift = await reconcile(db);
    expect(drift).toEqual([
      { check: 'stock_on_hand', key: `variant=${variant} warehouse=${wh}`, expected: '7', actual: '12' },
      { check: 'stock_reserved', key: `variant=${variant} warehouse=${wh}`, expected: '2', actual: '1' },
      { check: 'order_payments', key: `order=${orderId}`, expected: 'captured=1000 refunded=0', actual: 'captured=1000 refunded=300' },
    ]);

    const report = await runReconcile([]);
    expect(report.code).toBe(1);
    expect(report.out).toContain(`stock_on_hand: variant=${variant} warehouse=${wh} expected 7, found 12`);
    expect(report.out).toContain('3 invariant violation(s)');
    expect((await t.sql(`SELECT on_hand FROM stock_level WHERE variant_id = $1`, [variant]))[0].on_hand).toBe(12); // a report changes nothing

    const repaired = await runReconcile(['--repair']);
    expect(repaired.code).toBe(0);
    expect(repaired.out).toContain('repaired: 1 stock level rows, 1 orders');
    expect(repaired.out).toContain('no drift');
    expect(await t.sql(`SELECT on_hand, reserved FROM stock_level WHERE variant_id = $1`, [variant])).toEqual([{ on_hand: 7, reserved: 2 }]);
    expect((await t.sql(`SELECT refunded_amount FROM sales_order WHERE id = $1`, [orderId]))[0].refunded_amount).toBe(0);
    expect((await t.sql(ledgers))[0].v).toBe(before);
    expect(await reconcile(db)).toEqual([]);
  }, 60_000);

  it('reports ledger-level violations it cannot repair (order total, refund above capture, negative points)', async () => {
    const admin = (await staffToken(t, Role.ADMIN)).token;
    const [variant] = (await product(t, admin, [{ priceAmount: 300 }])).variantIds;
    const b = await customer(t);
    const placed = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: variant!, quantity: 1 }] } }, b.token);
    const orderId = (placed.data!.placeOrder as any).id as string;
    await t.sql(`UPDATE sales_order SET total_amount = 299 WHERE id = $1`, [orderId]);
    await t.sql(
      `INSERT INTO loyalty_entry (id, customer_id, kind, points, reason, created_at) VALUES (gen_random_uuid(), $1, 'ADJUST', -5, 'corrupt', now())`,
      [b.id],
    );
    const drift = await reconcile(db);
    expect(drift).toEqual([
      { check: 'order_total', key: `order=${orderId}`, expected: '300', actual: '299' },
      { check: 'loyalty_balance', key: `customer=${b.id}`, expected: '≥ 0', actual: '-5' },
    ]);
    const repaired = await runReconcile(['--repair']);
    expect(repaired.code).toBe(1);
    expect(repaired.out).toContain('2 invariant violation(s)');
    await t.sql(`UPDATE sales_order SET total_amount = 300 WHERE id = $1`, [orderId]);
    await t.sql(`DELETE FROM loyalty_entry WHERE reason = 'corrupt'`);
  }, 60_000);
});
