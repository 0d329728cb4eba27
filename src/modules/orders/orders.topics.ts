import type { OrderStatus } from './order.lifecycle.js';

export const ORDER_STATUS_CHANGED = 'order.status_changed';

/** JSON payload of ORDER_STATUS_CHANGED, written to the outbox with the change. */
export interface OrderStatusChangedPayload extends Record<string, unknown> {
  orderId: string;
  customerId: string;
  orderNumber: number;
  /** Null when the order was just placed. */
  previousStatus: OrderStatus | null;
  status: OrderStatus;
  reason: string | null;
  actorKind: string;
  changedAt: string;
}
