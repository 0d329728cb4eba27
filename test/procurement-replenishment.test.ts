import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { product, Role, staffToken } from './support/fixtures.js';
import { receive, warehouse } from './support/logistics-fixtures.js';
import { supplier } from './support/procurement-fixtures.js';
import {
  CreatePurchaseOrdersFromSuggestionsDocument,
  ReplenishmentWithOffersDocument,
  SetStockPolicyDocument,
  UpsertSupplierOfferDocument,
} from './generated/graphql.js';

const NOW = new Date('2026-03-01T12:00:00Z');
const clock = new ManualClock(NOW);
let t: TestApp;
let ops: string;
let analyst: string;
let wh: string;
let A: string, B: string, C: string, D: string;
let S1: string, S2: string;

/** Stock in through the API, then `shipped` units out as SHIPMENT movements a day ago (the velocity source). */
async function stockAndShip(variantId: string, received: number, shipped: number) {
  await receive(t, ops, variantId, wh, received);
  await t.sql(
    `INSERT INTO stock_movement (id, variant_id, warehouse_id, quantity, kind, reference, actor_kind, at)
     VALUES (gen_random_uuid(), $1, $2, $3, 'SHIPMENT', 'test-shipment', 'system', $4)`,
    [variantId, wh, -shipped, new Date(NOW.getTime() - 86_400_000)],
  );
  await t.sql('UPDATE stock_level SET on_hand = on_hand - $3 WHERE variant_id = $1 AND warehouse_id = $2', [variantId, wh, shipped]);
}

async function offer(supplierId: string, variantId: string, unitCostAmount: number, moq: number, leadTimeDays: number, preferred: boolean) {
  const r = await t.gql(UpsertSupplierOfferDocument, { input: { supplierId, variantId, unitCostAmount, currency: 'USD', moq, leadTimeDays, preferred } }, ops);
  if (r.data?.upsertSupplierOffer.__typename !== 'SupplierOffer') throw new Error(JSON.stringify(r));
}

beforeAll(async () => {
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  [A, B, C, D] = (await product(t, ops, [{ priceAmount: 1000 }, { priceAmount: 1000 }, { priceAmount: 1000 }, { priceAmount: 1000 }])).variantIds as [string, string, string, string];
  wh = await warehouse(t, ops);
  // 28-day window: A ships 28 (velocity 1), B 14 (0.5), C 56 (2), D 7 (0.25).
  await stockAndShip(A, 30, 28); // available 2
  await stockAndShip(B, 20, 14); // available 6
  await stockAndShip(C, 60, 56); // available 4
  await stockAndShip(D, 10, 7); // available 3
  await t.gql(SetStockPolicyDocument, { input: { variantId: C, warehouseId: wh, reorderPoint: 0, safetyStock: 3 } }, ops);
  S1 = await supplier(t, ops, 'APPROVED', 'Supplier One');
  S2 = await supplier(t, ops, 'APPROVED', 'Supplier Two');
  await offer(S1, A, 250, 10, 6, true);
  await offer(S1, B, 400, 1, 20, true);
  await offer(S1, C, 90, 1, 1, false); // not preferred: ignored although shorter and cheaper
  await offer(S2, C, 100, 5, 3, true);
});
afterAll(() => t?.stop());

const count = async (table: string) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
const run = (key: string, extra: Record<string, unknown> = {}, token = ops) =>
  t.gql(CreatePurchaseOrdersFromSuggestionsDocument, { input: { warehouseId: wh, coverDays: 4, windowDays: 28, leadTimeDays: 10, idempotencyKey: key, ...extra } }, token);

describe('replenishment suggestions with supplier offers', () => {
  it('uses the preferred offer’s lead time and MOQ, the argument as fallback', async () => {
    const res = await t.gql(ReplenishmentWithOffersDocument, { warehouseId: wh, leadTimeDays: 10, coverDays: 4, windowDays: 28 }, ops);
    expect(res.errors).toBeUndefined();
    const byVariant = new Map(res.data!.replenishmentSuggestions.map((s) => [s.variantId, s]));
    // A: ceil(1 × (6 + 4)) − 2 = 8, raised to the MOQ 10.
    expect(byVariant.get(A)).toEqual({ variantId: A, available: 2, unitsShipped: 28, suggestedQuantity: 10, leadTimeDays: 6, supplierId: S1, minimumOrderQuantity: 10 });
    // B: ceil(0.5 × (20 + 4)) − 6 = 6.
    expect(byVariant.get(B)).toEqual({ variantId: B, available: 6, unitsShipped: 14, suggestedQuantity: 6, leadTimeDays: 20, supplierId: S1, minimumOrderQuantity: 1 });
    // C: ceil(2 × (3 + 4)) + 3 safety − 4 = 13 (above the MOQ 5).
    expect(byVariant.get(C)).toEqual({ variantId: C, available: 4, unitsShipped: 56, suggestedQuantity: 13, leadTimeDays: 3, supplierId: S2, minimumOrderQuantity: 5 });
    // D has no offer: the argument's 10 days; ceil(0.25 × 14) − 3 = 1.
    expect(byVariant.get(D)).toEqual({ variantId: D, available: 3, unitsShipped: 7, suggestedQuantity: 1, leadTimeDays: 10, supplierId: null, minimumOrderQuantity: 1 });
    expect(byVariant.size).toBe(4);
  });
});

describe('createPurchaseOrdersFromSuggestions', () => {
  it('refuses analysts and writes nothing', async () => {
    const res = await run('analyst-run', {}, analyst);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await count('purchase_order')).toBe(0);
  });

  it('rejects an unknown warehouse as bad input', async () => {
    const res = await run('bad-wh', { warehouseId: '0192f3a0-0000-7000-8000-000000000009' });
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'warehouseId' });
    expect(await count('purchase_order')).toBe(0);
  });

  let firstIds: string[] = [];
  it('drafts one order per preferred supplier with lines at the offer’s unit cost; concurrent retries draft once', async () => {
    const [r1, r2] = await Promise.all([run('run-1'), run('run-1')]);
    const a = r1.data?.createPurchaseOrdersFromSuggestions;
    const b = r2.data?.createPurchaseOrdersFromSuggestions;
    if (a?.__typename !== 'PurchaseOrdersFromSuggestions' || b?.__typename !== 'PurchaseOrdersFromSuggestions') throw new Error(JSON.stringify([r1, r2]));
    expect(b.purchaseOrders.map((p) => p.id)).toEqual(a.purchaseOrders.map((p) => p.id));
    expect(a.unassignedVariantIds).toEqual([D]);
    const bySupplier = new Map(a.purchaseOrders.map((p) => [p.supplier.id, p]));
    expect(bySupplier.size).toBe(2);
    const po1 = bySupplier.get(S1)!;
    expect(po1).toMatchObject({ status: 'DRAFT', currency: 'USD', expectedAt: new Date(NOW.getTime() + 20 * 86_400_000).toISOString() });
    expect(po1.lines.map((l) => [l.variant.id, l.quantity, l.unitCost.amount]).sort()).toEqual([[A, 10, 250], [B, 6, 400]].sort());
    const po2 = bySupplier.get(S2)!;
    expect(po2).toMatchObject({ status: 'DRAFT', expectedAt: new Date(NOW.getTime() + 3 * 86_400_000).toISOString() });
    expect(po2.lines.map((l) => [l.variant.id, l.quantity, l.unitCost.amount])).toEqual([[C, 13, 100]]);
    expect(await count('purchase_order')).toBe(2);
    expect(await count('purchase_order_line')).toBe(3);
    firstIds = a.purchaseOrders.map((p) => p.id);
  });

  it('returns the first run for a repeated key and refuses the key with other input, writing nothing', async () => {
    const again = await run('run-1');
    const d = again.data?.createPurchaseOrdersFromSuggestions;
    expect(d?.__typename === 'PurchaseOrdersFromSuggestions' && d.purchaseOrders.map((p) => p.id)).toEqual(firstIds);
    const other = await run('run-1', { variantIds: [C] });
    expect(other.data?.createPurchaseOrdersFromSuggestions).toMatchObject({ __typename: 'ReplenishmentIdempotencyKeyReusedError', errorCode: 'IDEMPOTENCY_KEY_REUSED', field: 'idempotencyKey' });
    expect(await count('purchase_order')).toBe(2);
    expect(await count('purchase_order_line')).toBe(3);
  });

  it('limits the run to the given variants', async () => {
    const res = await run('run-2', { variantIds: [C, D] });
    const d = res.data?.createPurchaseOrdersFromSuggestions;
    if (d?.__typename !== 'PurchaseOrdersFromSuggestions') throw new Error(JSON.stringify(res));
    expect(d.purchaseOrders.map((p) => [p.supplier.id, p.lines.map((l) => [l.variant.id, l.quantity])])).toEqual([[S2, [[C, 13]]]]);
    expect(d.unassignedVariantIds).toEqual([D]);
    expect(await count('purchase_order')).toBe(3);
  });
});
