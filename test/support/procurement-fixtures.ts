import { CreatePurchaseOrderDocument, CreateSupplierDocument, TransitionPurchaseOrderDocument, TransitionSupplierDocument } from '../generated/graphql.js';
import type { TestApp } from './harness.js';

/** A supplier moved to the given status through the API. */
export async function supplier(t: TestApp, token: string, status: 'PROSPECT' | 'APPROVED' | 'SUSPENDED' | 'BLOCKED' = 'APPROVED', name = 'Acme Supply') {
  const res = await t.gql(CreateSupplierDocument, { input: { name, country: 'DE' } }, token);
  const s = res.data?.createSupplier;
  if (s?.__typename !== 'Supplier') throw new Error(JSON.stringify(res));
  const path = { PROSPECT: [], APPROVED: ['APPROVED'], SUSPENDED: ['APPROVED', 'SUSPENDED'], BLOCKED: ['BLOCKED'] }[status] as ('APPROVED' | 'SUSPENDED' | 'BLOCKED')[];
  for (const to of path) {
    const r = await t.gql(TransitionSupplierDocument, { input: { supplierId: s.id, to, reason: 'fixture' } }, token);
    if (r.data?.transitionSupplier.__typename !== 'Supplier') throw new Error(JSON.stringify(r));
  }
  return s.id;
}

/** A purchase order, created and moved along the given statuses. */
export async function purchaseOrder(
  t: TestApp,
  token: string,
  supplierId: string,
  lines: { variantId: string; quantity: number; unitCostAmount: number }[],
  expectedAt: string,
  path: ('SUBMITTED' | 'CONFIRMED' | 'CANCELLED')[] = ['SUBMITTED', 'CONFIRMED'],
) {
  const res = await t.gql(CreatePurchaseOrderDocument, { input: { supplierId, currency: 'USD', expectedAt, lines } }, token);
  const po = res.data?.createPurchaseOrder;
  if (po?.__typename !== 'PurchaseOrder') throw new Error(JSON.stringify(res));
  let last = po;
  for (const to of path) {
    const r = await t.gql(TransitionPurchaseOrderDocument, { input: { purchaseOrderId: po.id, to, reason: 'fixture' } }, token);
    const moved = r.data?.transitionPurchaseOrder;
    if (moved?.__typename !== 'PurchaseOrder') throw new Error(JSON.stringify(r));
    last = moved;
  }
  return last;
}
