import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { rollbackWith } from '../src/common/transaction.js';
import { procurementHooks, type ReceivedGoods } from '../src/modules/procurement/procurement.hooks.js';
import { ReceivingExceedsOrderedError } from '../src/modules/procurement/procurement.errors.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { product, Role, staffToken } from './support/fixtures.js';
import { warehouse } from './support/logistics-fixtures.js';
import { purchaseOrder, supplier } from './support/procurement-fixtures.js';
import {
  CreatePurchaseOrderDocument,
  CreateSupplierDocument,
  PurchaseOrdersDocument,
  ReceivePurchaseOrderDocument,
  SupplierScorecardDocument,
  SupplierWithOffersDocument,
  TransitionPurchaseOrderDocument,
  TransitionSupplierDocument,
  UpsertSupplierOfferDocument,
  VariantSupplierOffersDocument,
} from './generated/graphql.js';

const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
let t: TestApp;
let ops: string;
let merch: string;
let analyst: string;
let variantA: string;
let variantB: string;
let productId: string;
let WAREHOUSE: string; // a real warehouse: receipts post stock into it through the inventory ledger

// Receipts handed to the stock seam; a test may make the seam refuse to prove it shares the transaction.
const posted: ReceivedGoods[] = [];
let refuseStockPosting = false;
procurementHooks.onReceived(async (_ctx, em, receipt) => {
  const [{ n }] = await em.execute('SELECT count(*)::int AS n FROM purchase_order_receipt WHERE id = ?', [receipt.receiptId]);
  if (n !== 1) throw new Error('the receipt must be visible inside the receiving transaction');
  if (refuseStockPosting) rollbackWith(ReceivingExceedsOrderedError.create('lines[0].acceptedQuantity', receipt.lines[0]!.variantId, 0, 0));
  posted.push(receipt);
});

beforeAll(async () => {
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS)).token;
  merch = (await staffToken(t, Role.MERCHANDISING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  const p = await product(t, merch, [{ priceAmount: 2000 }, { priceAmount: 900 }]);
  [variantA, variantB] = p.variantIds as [string, string];
  productId = p.productId;
  WAREHOUSE = await warehouse(t, ops);
});
afterAll(() => t?.stop());

const count = async (table: string) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${table}`))[0].n);
const snapshot = async () => ({
  pos: await count('purchase_order'),
  lines: await count('purchase_order_line'),
  history: await count('purchase_order_status_change'),
  receipts: await count('purchase_order_receipt'),
  receiptLines: await count('purchase_order_receipt_line'),
  received: (await t.sql('SELECT coalesce(sum(accepted_quantity + rejected_quantity), 0)::int AS n FROM purchase_order_line'))[0].n,
});

describe('supplier lifecycle', () => {
  it('walks PROSPECT → APPROVED → SUSPENDED → APPROVED → BLOCKED → PROSPECT with reasons and history', async () => {
    const created = await t.gql(CreateSupplierDocument, { input: { name: 'Lifecycle Ltd', country: 'CN', certifications: ['ISO 9001'], contacts: [{ name: 'Li', email: 'li@example.com' }] } }, merch);
    const s = created.data?.createSupplier;
    expect(s).toMatchObject({ __typename: 'Supplier', status: 'PROSPECT', nextStates: ['APPROVED', 'BLOCKED'], certifications: ['ISO 9001'], contacts: [{ name: 'Li', email: 'li@example.com' }] });
    const id = (s as { id: string }).id;
    const steps = [
      ['APPROVED', null],
      ['SUSPENDED', 'late twice'],
      ['APPROVED', null],
      ['BLOCKED', 'fraud'],
      ['PROSPECT', 're-evaluate'],
    ] as const;
    let last: any;
    for (const [to, reason] of steps) {
      const r = await t.gql(TransitionSupplierDocument, { input: { supplierId: id, to, reason } }, merch);
      expect(r.data?.transitionSupplier).toMatchObject({ __typename: 'Supplier', status: to });
      last = r.data?.transitionSupplier;
    }
    expect(last.statusHistory.map((h: any) => [h.fromStatus, h.toStatus, h.reason])).toEqual([
      [null, 'PROSPECT', null],
      ['PROSPECT', 'APPROVED', null],
      ['APPROVED', 'SUSPENDED', 'late twice'],
      ['SUSPENDED', 'APPROVED', null],
      ['APPROVED', 'BLOCKED', 'fraud'],
      ['BLOCKED', 'PROSPECT', 're-evaluate'],
    ]);
  });

  it('refuses an illegal move with ILLEGAL_TRANSITION and a suspension without reason, changing nothing', async () => {
    const id = await supplier(t, ops, 'PROSPECT');
    const before = await count('supplier_status_change');
    const r = await t.gql(TransitionSupplierDocument, { input: { supplierId: id, to: 'SUSPENDED', reason: 'x' } }, ops);
    expect(r.data?.transitionSupplier).toMatchObject({ __typename: 'IllegalSupplierTransitionError', errorCode: 'ILLEGAL_TRANSITION', from: 'PROSPECT', to: 'SUSPENDED', allowed: ['APPROVED', 'BLOCKED'] });
    const approved = await supplier(t, ops, 'APPROVED');
    const mid = await count('supplier_status_change');
    const noReason = await t.gql(TransitionSupplierDocument, { input: { supplierId: approved, to: 'SUSPENDED' } }, ops);
    expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(await count('supplier_status_change')).toBe(mid);
    const [row] = await t.sql('SELECT status FROM supplier WHERE id = $1', [id]);
    expect(row.status).toBe('PROSPECT');
    expect(mid - before).toBe(2);
  });

  it('lets analysts read but not write', async () => {
    const r = await t.gql(CreateSupplierDocument, { input: { name: 'Nope', country: 'DE' } }, analyst);
    expect(r.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const list = await t.gql(PurchaseOrdersDocument, { first: 1 }, analyst);
    expect(list.errors).toBeUndefined();
  });
});

describe('supplier offers', () => {
  it('keeps one offer per supplier and variant, at most one preferred per variant, and refuses blocked suppliers', async () => {
    const s1 = await supplier(t, merch, 'APPROVED', 'Offer One');
    const s2 = await supplier(t, merch, 'PROSPECT', 'Offer Two');
    const offer = (supplierId: string, unitCostAmount: number, preferred: boolean) =>
      t.gql(UpsertSupplierOfferDocument, { input: { supplierId, variantId: variantA, unitCostAmount, currency: 'USD', moq: 50, leadTimeDays: 14, preferred } }, merch);
    expect((await offer(s1, 700, true)).data?.upsertSupplierOffer).toMatchObject({ __typename: 'SupplierOffer', preferred: true, moq: 50, unitCost: { amount: 700 } });
    expect((await offer(s1, 650, true)).data?.upsertSupplierOffer).toMatchObject({ preferred: true, unitCost: { amount: 650 } });
    expect((await offer(s2, 600, true)).data?.upsertSupplierOffer).toMatchObject({ preferred: true });
    const one = await t.gql(SupplierWithOffersDocument, { id: s1 }, analyst);
    expect(one.data?.supplier.offers).toEqual([{ preferred: false, unitCost: { amount: 650 }, variant: { id: variantA } }]);
    const byVariant = await t.gql(VariantSupplierOffersDocument, { id: productId }, analyst);
    expect(byVariant.data?.product.variants.find((v) => v.id === variantA)?.supplierOffers).toEqual([
      { preferred: true, unitCost: { amount: 600 }, supplier: { name: 'Offer Two' } },
      { preferred: false, unitCost: { amount: 650 }, supplier: { name: 'Offer One' } },
    ]);
    const blocked = await supplier(t, merch, 'BLOCKED', 'Offer Blocked');
    expect((await offer(blocked, 500, false)).data?.upsertSupplierOffer).toMatchObject({ __typename: 'SupplierNotApprovedError', errorCode: 'SUPPLIER_NOT_APPROVED' });
    expect(await count(`supplier_offer WHERE supplier_id = '${blocked}'`)).toBe(0);
  });
});

describe('purchase orders', () => {
  it('refuses a purchase order for a blocked, suspended or prospect supplier and writes nothing', async () => {
    for (const status of ['BLOCKED', 'SUSPENDED', 'PROSPECT'] as const) {
      const id = await supplier(t, ops, status);
      const before = await snapshot();
      const r = await t.gql(CreatePurchaseOrderDocument, { input: { supplierId: id, currency: 'USD', expectedAt: '2026-02-01T00:00:00Z', lines: [{ variantId: variantA, quantity: 5, unitCostAmount: 100 }] } }, ops);
      expect(r.data?.createPurchaseOrder).toMatchObject({ __typename: 'SupplierNotApprovedError', errorCode: 'SUPPLIER_NOT_APPROVED', supplierId: id, supplierStatus: status, field: 'supplierId' });
      expect(await snapshot()).toEqual(before);
    }
  });

  it('refuses to submit a draft once its supplier was suspended', async () => {
    const id = await supplier(t, ops, 'APPROVED');
    const po = await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 1, unitCostAmount: 100 }], '2026-02-01T00:00:00Z', []);
    await t.gql(TransitionSupplierDocument, { input: { supplierId: id, to: 'SUSPENDED', reason: 'quality' } }, ops);
    const r = await t.gql(TransitionPurchaseOrderDocument, { input: { purchaseOrderId: po.id, to: 'SUBMITTED' } }, ops);
    expect(r.data?.transitionPurchaseOrder).toMatchObject({ __typename: 'SupplierNotApprovedError', errorCode: 'SUPPLIER_NOT_APPROVED' });
    const [row] = await t.sql('SELECT status FROM purchase_order WHERE id = $1', [po.id]);
    expect(row.status).toBe('DRAFT');
  });

  it('refuses bad lines naming the field', async () => {
    const id = await supplier(t, ops);
    const r = await t.gql(CreatePurchaseOrderDocument, { input: { supplierId: id, currency: 'USD', expectedAt: '2026-02-01T00:00:00Z', lines: [{ variantId: variantA, quantity: 1, unitCostAmount: 1 }, { variantId: variantB, quantity: 0, unitCostAmount: 1 }] } }, ops);
    expect(r.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'lines[1].quantity' });
  });

  it('walks DRAFT → SUBMITTED → CONFIRMED → PARTIALLY_RECEIVED → RECEIVED → CLOSED, posting each receipt to the stock seam', async () => {
    const id = await supplier(t, ops);
    const po = await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 10, unitCostAmount: 450 }, { variantId: variantB, quantity: 4, unitCostAmount: 200 }], '2026-02-01T00:00:00Z');
    expect(po).toMatchObject({ status: 'CONFIRMED', nextStates: ['PARTIALLY_RECEIVED', 'RECEIVED', 'CANCELLED'] });
    const [lineA, lineB] = po.lines;
    posted.length = 0;
    const first = await t.gql(ReceivePurchaseOrderDocument, { input: { purchaseOrderId: po.id, warehouseId: WAREHOUSE, idempotencyKey: 'rcv-1', lines: [{ lineId: lineA!.id, acceptedQuantity: 6, rejectedQuantity: 1 }] } }, ops);
    expect(first.data?.receivePurchaseOrder).toMatchObject({ __typename: 'PurchaseOrder', status: 'PARTIALLY_RECEIVED' });
    expect((first.data?.receivePurchaseOrder as any).lines.map((l: any) => [l.acceptedQuantity, l.rejectedQuantity, l.openQuantity])).toEqual([[6, 1, 3], [0, 0, 4]]);
    const second = await t.gql(ReceivePurchaseOrderDocument, { input: { purchaseOrderId: po.id, warehouseId: WAREHOUSE, idempotencyKey: 'rcv-2', lines: [{ lineId: lineA!.id, acceptedQuantity: 3, rejectedQuantity: 0 }, { lineId: lineB!.id, acceptedQuantity: 4, rejectedQuantity: 0 }] } }, ops);
    const received = second.data?.receivePurchaseOrder as any;
    expect(received).toMatchObject({ status: 'RECEIVED', nextStates: ['CLOSED'] });
    expect(received.receipts.map((r: any) => r.lines.map((l: any) => [l.lineId, l.acceptedQuantity, l.rejectedQuantity]))).toEqual([
      [[lineA!.id, 6, 1]],
      [[lineA!.id, 3, 0], [lineB!.id, 4, 0]],
    ]);
    expect(posted).toEqual([
      { purchaseOrderId: po.id, receiptId: received.receipts[0].id, warehouseId: WAREHOUSE, lines: [{ variantId: variantA, acceptedQuantity: 6, rejectedQuantity: 1, unitCostAmount: 450, currency: 'USD' }] },
      {
        purchaseOrderId: po.id,
        receiptId: received.receipts[1].id,
        warehouseId: WAREHOUSE,
        lines: [
          { variantId: variantA, acceptedQuantity: 3, rejectedQuantity: 0, unitCostAmount: 450, currency: 'USD' },
          { variantId: variantB, acceptedQuantity: 4, rejectedQuantity: 0, unitCostAmount: 200, currency: 'USD' },
        ],
      },
    ]);
    const closed = await t.gql(TransitionPurchaseOrderDocument, { input: { purchaseOrderId: po.id, to: 'CLOSED' } }, ops);
    expect(closed.data?.transitionPurchaseOrder).toMatchObject({ status: 'CLOSED', nextStates: [] });
    expect((closed.data?.transitionPurchaseOrder as any).statusHistory.map((h: any) => h.toStatus)).toEqual(['DRAFT', 'SUBMITTED', 'CONFIRMED', 'PARTIALLY_RECEIVED', 'RECEIVED', 'CLOSED']);
  });

  it('refuses illegal moves (and receiving states by hand), cancels with a reason, short-closes a partial delivery', async () => {
    const id = await supplier(t, ops);
    const draft = await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 2, unitCostAmount: 100 }], '2026-02-01T00:00:00Z', []);
    const before = await snapshot();
    const illegal = await t.gql(TransitionPurchaseOrderDocument, { input: { purchaseOrderId: draft.id, to: 'CONFIRMED' } }, ops);
    expect(illegal.data?.transitionPurchaseOrder).toMatchObject({ __typename: 'IllegalPurchaseOrderTransitionError', errorCode: 'ILLEGAL_TRANSITION', from: 'DRAFT', to: 'CONFIRMED', allowed: ['SUBMITTED', 'CANCELLED'] });
    const byHand = await t.gql(TransitionPurchaseOrderDocument, { input: { purchaseOrderId: draft.id, to: 'RECEIVED' } }, ops);
    expect(byHand.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'to' });
    const receiveDraft = await t.gql(ReceivePurchaseOrderDocument, { input: { purchaseOrderId: draft.id, warehouseId: WAREHOUSE, idempotencyKey: 'd-1', lines: [{ lineId: draft.lines[0]!.id, acceptedQuantity: 1, rejectedQuantity: 0 }] } }, ops);
    expect(receiveDraft.data?.receivePurchaseOrder).toMatchObject({ __typename: 'IllegalPurchaseOrderTransitionError', from: 'DRAFT' });
    const noReason = await t.gql(TransitionPurchaseOrderDocument, { input: { purchaseOrderId: draft.id, to: 'CANCELLED' } }, ops);
    expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(await snapshot()).toEqual(before);
    const cancelled = await t.gql(TransitionPurchaseOrderDocument, { input: { purchaseOrderId: draft.id, to: 'CANCELLED', reason: 'not needed' } }, ops);
    expect(cancelled.data?.transitionPurchaseOrder).toMatchObject({ status: 'CANCELLED', nextStates: [] });
    const again = await t.gql(TransitionPurchaseOrderDocument, { input: { purchaseOrderId: draft.id, to: 'SUBMITTED' } }, ops);
    expect(again.data?.transitionPurchaseOrder).toMatchObject({ __typename: 'IllegalPurchaseOrderTransitionError', from: 'CANCELLED', allowed: [] });

    const partial = await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 5, unitCostAmount: 100 }], '2026-02-01T00:00:00Z');
    await t.gql(ReceivePurchaseOrderDocument, { input: { purchaseOrderId: partial.id, warehouseId: WAREHOUSE, idempotencyKey: 'p-1', lines: [{ lineId: partial.lines[0]!.id, acceptedQuantity: 2, rejectedQuantity: 0 }] } }, ops);
    const cancelPartial = await t.gql(TransitionPurchaseOrderDocument, { input: { purchaseOrderId: partial.id, to: 'CANCELLED', reason: 'x' } }, ops);
    expect(cancelPartial.data?.transitionPurchaseOrder).toMatchObject({ __typename: 'IllegalPurchaseOrderTransitionError', from: 'PARTIALLY_RECEIVED', allowed: ['RECEIVED', 'CLOSED'] });
    const shortClose = await t.gql(TransitionPurchaseOrderDocument, { input: { purchaseOrderId: partial.id, to: 'CLOSED', reason: 'supplier out of stock' } }, ops);
    expect(shortClose.data?.transitionPurchaseOrder).toMatchObject({ status: 'CLOSED' });
  });
});

describe('receiving', () => {
  it('refuses more than is open on a line and writes nothing', async () => {
    const id = await supplier(t, ops);
    const po = await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 10, unitCostAmount: 100 }, { variantId: variantB, quantity: 3, unitCostAmount: 100 }], '2026-02-01T00:00:00Z');
    const [lineA, lineB] = po.lines;
    await t.gql(ReceivePurchaseOrderDocument, { input: { purchaseOrderId: po.id, warehouseId: WAREHOUSE, idempotencyKey: 'o-1', lines: [{ lineId: lineA!.id, acceptedQuantity: 7, rejectedQuantity: 0 }] } }, ops);
    const before = await snapshot();
    posted.length = 0;
    const over = await t.gql(
      ReceivePurchaseOrderDocument,
      { input: { purchaseOrderId: po.id, warehouseId: WAREHOUSE, idempotencyKey: 'o-2', lines: [{ lineId: lineB!.id, acceptedQuantity: 1, rejectedQuantity: 0 }, { lineId: lineA!.id, acceptedQuantity: 3, rejectedQuantity: 1 }] } },
      ops,
    );
    expect(over.data?.receivePurchaseOrder).toMatchObject({ __typename: 'ReceivingExceedsOrderedError', errorCode: 'RECEIVING_EXCEEDS_ORDERED', field: 'lines[1].acceptedQuantity', lineId: lineA!.id, openQuantity: 3, requestedQuantity: 4 });
    expect(await snapshot()).toEqual(before);
    expect(posted).toEqual([]);
  });

  it('never exceeds the ordered quantity under concurrent deliveries', async () => {
    const id = await supplier(t, ops);
    const po = await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 10, unitCostAmount: 100 }], '2026-02-01T00:00:00Z');
    const lineId = po.lines[0]!.id;
    const results = await Promise.all(
      [1, 2, 3, 4].map((i) => t.gql(ReceivePurchaseOrderDocument, { input: { purchaseOrderId: po.id, warehouseId: WAREHOUSE, idempotencyKey: `c-${i}`, lines: [{ lineId, acceptedQuantity: 4, rejectedQuantity: 0 }] } }, ops)),
    );
    const kinds = results.map((r) => r.data?.receivePurchaseOrder.__typename).sort();
    expect(kinds).toEqual(['PurchaseOrder', 'PurchaseOrder', 'ReceivingExceedsOrderedError', 'ReceivingExceedsOrderedError']);
    const [row] = await t.sql('SELECT accepted_quantity FROM purchase_order_line WHERE id = $1', [lineId]);
    expect(row.accepted_quantity).toBe(8);
  });

  it('is idempotent per key, refuses the key for other input, and rolls back with the stock seam', async () => {
    const id = await supplier(t, ops);
    const po = await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 10, unitCostAmount: 100 }], '2026-02-01T00:00:00Z');
    const lineId = po.lines[0]!.id;
    const input = { purchaseOrderId: po.id, warehouseId: WAREHOUSE, idempotencyKey: 'same-key', lines: [{ lineId, acceptedQuantity: 2, rejectedQuantity: 0 }] };
    const a = await t.gql(ReceivePurchaseOrderDocument, { input }, ops);
    const b = await t.gql(ReceivePurchaseOrderDocument, { input }, ops);
    expect((a.data?.receivePurchaseOrder as any).lines[0].acceptedQuantity).toBe(2);
    expect((b.data?.receivePurchaseOrder as any).lines[0].acceptedQuantity).toBe(2);
    expect((b.data?.receivePurchaseOrder as any).receipts).toHaveLength(1);
    const other = await t.gql(ReceivePurchaseOrderDocument, { input: { ...input, lines: [{ lineId, acceptedQuantity: 3, rejectedQuantity: 0 }] } }, ops);
    expect(other.data?.receivePurchaseOrder).toMatchObject({ __typename: 'ReceiptIdempotencyKeyReusedError', errorCode: 'IDEMPOTENCY_KEY_REUSED' });

    const before = await snapshot();
    refuseStockPosting = true;
    try {
      const refused = await t.gql(ReceivePurchaseOrderDocument, { input: { ...input, idempotencyKey: 'seam-refuses' } }, ops);
      expect(refused.data?.receivePurchaseOrder.__typename).toBe('ReceivingExceedsOrderedError');
    } finally {
      refuseStockPosting = false;
    }
    expect(await snapshot()).toEqual(before);
  });
});

/** A supplier with n confirmed purchase orders, each with one receipt. */
async function purchaseOrdersOfOneSupplier(n: number) {
  const id = await supplier(t, ops, 'APPROVED', 'Paged Co');
  for (let i = 0; i < n; i++) {
    const po = await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 2, unitCostAmount: 1 }, { variantId: variantB, quantity: 2, unitCostAmount: 1 }], `2026-02-0${i + 1}T00:00:00Z`);
    await t.gql(ReceivePurchaseOrderDocument, { input: { purchaseOrderId: po.id, warehouseId: WAREHOUSE, idempotencyKey: `page-${i}`, lines: [{ lineId: po.lines[0]!.id, acceptedQuantity: 1, rejectedQuantity: 0 }] } }, ops);
  }
  return id;
}

describe('finding late purchase orders and paging', () => {
  it('lists open orders past their expected date, with nested fields batched whatever the page size', async () => {
    const id = await supplier(t, ops, 'APPROVED', 'Late Co');
    const late1 = await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 1, unitCostAmount: 1 }], '2025-12-01T00:00:00Z');
    const late2 = await purchaseOrder(t, ops, id, [{ variantId: variantB, quantity: 1, unitCostAmount: 1 }], '2025-12-15T00:00:00Z', ['SUBMITTED']);
    await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 1, unitCostAmount: 1 }], '2025-12-10T00:00:00Z', ['CANCELLED']);
    await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 1, unitCostAmount: 1 }], '2026-03-01T00:00:00Z');
    const res = await t.gql(PurchaseOrdersDocument, { filter: { late: true, supplierId: id } }, analyst);
    expect(res.data?.purchaseOrders.nodes.map((n) => n.id)).toEqual([late1.id, late2.id]);
    expect(res.data?.purchaseOrders.totalCount).toBe(2);

    const paged = await purchaseOrdersOfOneSupplier(6);
    const small = await t.countQueries(() => t.gql(PurchaseOrdersDocument, { first: 2, filter: { supplierId: paged } }, analyst));
    const large = await t.countQueries(() => t.gql(PurchaseOrdersDocument, { first: 6, filter: { supplierId: paged } }, analyst));
    expect(large).toBe(small);
    const page1 = await t.gql(PurchaseOrdersDocument, { first: 4, filter: { supplierId: paged } }, analyst);
    const page2 = await t.gql(PurchaseOrdersDocument, { first: 4, after: page1.data!.purchaseOrders.pageInfo.endCursor, filter: { supplierId: paged } }, analyst);
    expect(page1.data!.purchaseOrders.pageInfo.hasNextPage).toBe(true);
    expect(page2.data!.purchaseOrders.nodes).toHaveLength(2);
    expect(page2.data!.purchaseOrders.pageInfo.hasNextPage).toBe(false);
    expect(page2.data!.purchaseOrders.nodes.every((n) => n.receipts.length === 1 && n.supplier.id === paged)).toBe(true);
  });
});

describe('supplier scorecard', () => {
  it('computes on-time rate, fill rate, defect rate and average lead time from real orders and receipts', async () => {
    clock.set('2026-04-01T00:00:00Z');
    const id = await supplier(t, ops, 'APPROVED', 'Scored Inc');
    const other = await supplier(t, ops, 'APPROVED', 'Unscored Inc');
    const receive = (poId: string, lineId: string, accepted: number, rejected: number, key: string) =>
      t.gql(ReceivePurchaseOrderDocument, { input: { purchaseOrderId: poId, warehouseId: WAREHOUSE, idempotencyKey: key, lines: [{ lineId, acceptedQuantity: accepted, rejectedQuantity: rejected }] } }, ops);

    // PO1 submitted 04-01, expected 04-10: line A 10 units, line B 5 units.
    const po1 = await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 10, unitCostAmount: 100 }, { variantId: variantB, quantity: 5, unitCostAmount: 100 }], '2026-04-10T00:00:00Z');
    await purchaseOrder(t, ops, other, [{ variantId: variantA, quantity: 99, unitCostAmount: 100 }], '2026-04-10T00:00:00Z');
    await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 50, unitCostAmount: 100 }], '2026-04-10T00:00:00Z', ['SUBMITTED', 'CANCELLED']);
    clock.set('2026-04-05T00:00:00Z');
    await receive(po1.id, po1.lines[0]!.id, 8, 2, 's-1'); // 4 days, on time
    clock.set('2026-04-12T00:00:00Z');
    await receive(po1.id, po1.lines[1]!.id, 3, 0, 's-2'); // 11 days, late
    // PO2 submitted 04-12, expected 04-20: 20 units.
    const po2 = await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 20, unitCostAmount: 100 }], '2026-04-20T00:00:00Z');
    clock.set('2026-04-15T00:00:00Z');
    await receive(po2.id, po2.lines[0]!.id, 20, 0, 's-3'); // 3 days, on time
    // Submitted after the period: must not count.
    clock.set('2026-05-02T00:00:00Z');
    await purchaseOrder(t, ops, id, [{ variantId: variantA, quantity: 7, unitCostAmount: 100 }], '2026-05-10T00:00:00Z');

    const res = await t.gql(SupplierScorecardDocument, { supplierId: id, from: '2026-04-01T00:00:00Z', to: '2026-05-01T00:00:00Z' }, analyst);
    const card = res.data!.supplierScorecard;
    expect(card.purchaseOrderCount).toBe(2);
    expect(card.receiptCount).toBe(3);
    expect(card.onTimeDeliveryRate).toBeCloseTo(2 / 3, 10);
    expect(card.fillRate).toBeCloseTo(31 / 35, 10); // accepted 8 + 3 + 20 of ordered 10 + 5 + 20
    expect(card.defectRate).toBeCloseTo(2 / 33, 10); // rejected 2 of received 10 + 3 + 20
    expect(card.averageLeadTimeDays).toBeCloseTo(6, 10); // (4 + 11 + 3) / 3

    const empty = await t.gql(SupplierScorecardDocument, { supplierId: id, from: '2025-01-01T00:00:00Z', to: '2025-02-01T00:00:00Z' }, analyst);
    expect(empty.data?.supplierScorecard).toEqual({ purchaseOrderCount: 0, receiptCount: 0, onTimeDeliveryRate: null, fillRate: null, defectRate: null, averageLeadTimeDays: null });
  });
});

describe('access on the planning fields', () => {
  it('declares who may use every query and mutation of research, pricing, procurement and listings; analysts never write', async () => {
    const { buildAppSchema } = await import('../src/app/schema.js');
    const schema = await buildAppSchema();
    const mine = (name: string) =>
      /supplier|purchaseOrder|competitor|pricePosition|categoryDemand|searchTerm|outOfStock|marketStud|pricingStrategy|variantPrice|priceHistory|suggestedPrice|priceChangeImpact|targetSegment|positioning|listing|variantAttributes/i.test(name);
    const queries = Object.values(schema.getQueryType()!.getFields()).filter((f) => mine(f.name));
    const mutations = Object.values(schema.getMutationType()!.getFields()).filter((f) => mine(f.name));
    expect(queries.length).toBeGreaterThan(15);
    expect(mutations.length).toBeGreaterThan(20);
    for (const f of [...queries, ...mutations]) expect(f.extensions?.access, f.name).toBeDefined();
    for (const f of mutations) expect(f.extensions?.access as string[], f.name).not.toContain(Role.ANALYST);
  });
});
