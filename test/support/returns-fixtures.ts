import { randomBytes } from 'node:crypto';
import { CapturePaymentDocument, CreateCategoryDocument, MoveOrderDocument, PlaceOrderDocument, ReturnsCreateChannelDocument } from '../generated/graphql.js';
import type { TestApp } from './harness.js';

const uniq = () => randomBytes(3).toString('hex');

/** A category through the API (optionally under a parent). */
export async function category(t: TestApp, token: string, name: string, parentId?: string): Promise<string> {
  const res = await t.gql(CreateCategoryDocument, { input: { name: `${name} ${uniq()}`, parentId } }, token);
  const c = res.data?.createCategory;
  if (c?.__typename !== 'Category') throw new Error(`createCategory failed: ${JSON.stringify(res)}`);
  return c.id;
}

/** A USD web channel through the API. */
export async function channel(t: TestApp, token: string): Promise<string> {
  const res = await t.gql(ReturnsCreateChannelDocument, { input: { code: `web-${uniq()}`, name: 'Web shop', currency: 'USD', type: 'OWN_SITE' } }, token);
  const c = res.data?.createChannel;
  if (c?.__typename !== 'Channel') throw new Error(`createChannel failed: ${JSON.stringify(res)}`);
  return c.id;
}

export interface PlacedOrder {
  id: string;
  /** Order line ids in the order of `lines`. */
  lineIds: string[];
}

/**
 * An order placed by the customer, fully captured and moved PAID → CONFIRMED → PROCESSING → SHIPPED (→ DELIVERED
 * unless `deliver` is false) by operations; the application clock decides when it was delivered.
 */
export async function deliveredOrder(
  t: TestApp,
  ops: string,
  buyerToken: string,
  lines: { variantId: string; quantity: number }[],
  opts: { channelId?: string; shippingAmount?: number; deliver?: boolean } = {},
): Promise<PlacedOrder> {
  const res = await t.gql(PlaceOrderDocument, { input: { lines, channelId: opts.channelId } }, buyerToken);
  const o = res.data?.placeOrder;
  if (o?.__typename !== 'Order') throw new Error(`placeOrder failed: ${JSON.stringify(res)}`);
  if (opts.shippingAmount) {
    // The shipping module prices shipping at placement; a fixed charge keeps the figures hand-checkable here.
    await t.sql('UPDATE sales_order SET shipping_amount = $2, total_amount = total_amount + $2 WHERE id = $1', [o.id, opts.shippingAmount]);
  }
  const cap = await t.gql(CapturePaymentDocument, { input: { orderId: o.id, idempotencyKey: `cap-${o.id}` } }, ops);
  if (cap.data?.capturePayment?.__typename !== 'Order') throw new Error(`capture failed: ${JSON.stringify(cap)}`);
  const steps = ['CONFIRMED', 'PROCESSING', 'SHIPPED', ...(opts.deliver === false ? [] : ['DELIVERED'])];
  for (const to of steps) {
    const m = await t.gql(MoveOrderDocument, { input: { orderId: o.id, to: to as any } }, ops);
    if (m.data?.transitionOrder?.__typename !== 'Order') throw new Error(`move to ${to} failed: ${JSON.stringify(m)}`);
  }
  const rows = await t.sql<{ id: string; variant_id: string }>('SELECT id, variant_id FROM order_line WHERE order_id = $1', [o.id]);
  return { id: o.id, lineIds: lines.map((l) => rows.find((r) => r.variant_id === l.variantId)!.id) };
}
