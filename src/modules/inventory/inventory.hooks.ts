import { orderHooks, transitionOrderErrorTypes } from '../orders/orders.hooks.js';
import { OrderStatus } from '../orders/order.lifecycle.js';
import { InsufficientStockError } from './inventory.errors.js';
import { consumeForShipment, releaseForOrder, reserveForOrder } from './inventory.service.js';

/** Stock follows the order: reserved at confirmation, released on cancellation, shipped with the order. */
export function registerInventoryHooks(): void {
  orderHooks.onTransition(OrderStatus.CONFIRMED, (ctx, em, order) => reserveForOrder(ctx, em, order));
  orderHooks.onTransition(OrderStatus.CANCELLED, (ctx, em, order) => releaseForOrder(ctx, em, order.id));
  // Marking an order SHIPPED without shipments (manual fulfilment) ships whatever is still reserved.
  orderHooks.onTransition(OrderStatus.SHIPPED, (ctx, em, order) => consumeForShipment(ctx, em, order, null, null, `order:${order.number}`));
  transitionOrderErrorTypes.push(InsufficientStockError);
}
