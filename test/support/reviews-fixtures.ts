import { PlaceOrderDocument, TransitionOrderDocument } from '../generated/graphql.js';
import type { TestApp } from './harness.js';
import { stockUp } from './logistics-fixtures.js';

const TO_DELIVERED = ['PAID', 'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED'] as const;

/** Places an order as the customer and moves it (as operations staff) up to `until` (default DELIVERED); returns the order and its line ids in line order. */
export async function orderUpTo(
  t: TestApp,
  opsToken: string,
  customerToken: string,
  variantIds: string[],
  until: (typeof TO_DELIVERED)[number] | 'PENDING_PAYMENT' = 'DELIVERED',
): Promise<{ orderId: string; lineIds: string[] }> {
  if (until !== 'PENDING_PAYMENT' && until !== 'PAID') await stockUp(t, opsToken, variantIds); // confirmation reserves stock
  const res = await t.gql(PlaceOrderDocument, { input: { lines: variantIds.map((variantId) => ({ variantId, quantity: 1 })) } }, customerToken);
  const order = res.data?.placeOrder;
  if (order?.__typename !== 'Order') throw new Error(`placeOrder failed: ${JSON.stringify(res)}`);
  if (until !== 'PENDING_PAYMENT') {
    for (const to of TO_DELIVERED.slice(0, TO_DELIVERED.indexOf(until) + 1)) {
      const moved = await t.gql(TransitionOrderDocument, { input: { orderId: order.id, to } }, opsToken);
      if (moved.data?.transitionOrder.__typename !== 'Order') throw new Error(`transition to ${to} failed: ${JSON.stringify(moved)}`);
    }
  }
  return { orderId: order.id, lineIds: order.lines.map((l) => l.id) };
}
