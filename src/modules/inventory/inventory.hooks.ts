import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';
import { Channel } from '../channels/channel.entity.js';
import type { Order } from '../orders/order.entity.js';
import { orderHooks, transitionOrderErrorTypes } from '../orders/orders.hooks.js';
import { OrderHoldReason, OrderStatus } from '../orders/order.lifecycle.js';
import { applyOrderTransition } from '../orders/orders.service.js';
import { InsufficientStockError } from './inventory.errors.js';
import { consumeForShipment, releaseForOrder, reserveForOrder, setReservationExpiry, tryReserveForOrder } from './inventory.service.js';

/**
 * Channels with autoConfirm: a paid order is confirmed at once. When stock is short the payment still stands
 * and the order goes ON_HOLD (OUT_OF_STOCK) for staff, instead of refusing the payment.
 */
async function autoConfirm(ctx: Context, em: EntityManager, order: Order): Promise<void> {
  if (!order.channel) return;
  const channel = await em.findOne(Channel, { id: order.channel.id });
  if (!channel?.autoConfirm) return;
  const short = await tryReserveForOrder(ctx, em, order);
  if (short) await applyOrderTransition(ctx, em, order, OrderStatus.ON_HOLD, short.message, { system: true, holdReason: OrderHoldReason.OUT_OF_STOCK });
  else await applyOrderTransition(ctx, em, order, OrderStatus.CONFIRMED, 'confirmed automatically (channel)', { system: true });
}

/** Stock follows the order: reserved at confirmation, released on cancellation, shipped with the order. */
export function registerInventoryHooks(): void {
  orderHooks.onTransition(OrderStatus.PAID, (ctx, em, order, from) => (from === OrderStatus.ON_HOLD ? Promise.resolve() : autoConfirm(ctx, em, order)));
  orderHooks.onTransition(OrderStatus.CONFIRMED, (ctx, em, order) => reserveForOrder(ctx, em, order));
  orderHooks.onTransition(OrderStatus.CANCELLED, (ctx, em, order) => releaseForOrder(ctx, em, order.id));
  // Marking an order SHIPPED without shipments (manual fulfilment) ships whatever is still reserved.
  orderHooks.onTransition(OrderStatus.SHIPPED, (ctx, em, order) => consumeForShipment(ctx, em, order, null, null, `order:${order.number}`));
  // A held order keeps its stock for a while; lifting the hold stops the clock, and an order whose
  // reservation expired meanwhile reserves again when it resumes (refused with INSUFFICIENT_STOCK if short).
  orderHooks.onTransition(OrderStatus.ON_HOLD, (ctx, em, order) => setReservationExpiry(ctx, em, order.id, true));
  orderHooks.onTransition('*', async (ctx, em, order, from, to) => {
    if (from !== OrderStatus.ON_HOLD || to === OrderStatus.CANCELLED) return;
    await setReservationExpiry(ctx, em, order.id, false);
    if (to === OrderStatus.PROCESSING) await reserveForOrder(ctx, em, order);
  });
  transitionOrderErrorTypes.push(InsufficientStockError);
}
