import type { Context } from '../../common/context.js';
import { assertAccess } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { customerIdOf } from '../../common/auth/viewer.js';
import { checkId, forbidden, notFound } from '../../common/errors.js';
import { eventStream } from '../../common/events/stream.js';
import { Order } from './order.entity.js';
import { ORDER_STATUS_CHANGED, type OrderStatusChangedPayload } from './orders.topics.js';
import type { OrderStatusChangedArgs } from './orders.types.js';

/**
 * Authorises at subscribe time (type-graphql's @Authorized guards only the per-event resolver) and scopes a
 * customer's stream to their own orders, both live and in replay.
 */
export async function subscribeOrderStatusChanged(ctx: Context, args: OrderStatusChangedArgs) {
  assertAccess(ctx.viewer, [Role.OPERATIONS, Role.SUPPORT, Role.ANALYST, 'CUSTOMER']);
  const own = customerIdOf(ctx.viewer);
  if (args.customerId) checkId('customerId', args.customerId);
  if (own && args.customerId && args.customerId !== own) throw forbidden('Customers can subscribe only to their own orders');
  if (args.orderId) {
    checkId('orderId', args.orderId);
    const order = await ctx.em.findOne(Order, { id: args.orderId }, { fields: ['id', 'customer'] });
    if (!order || (own && order.customer.id !== own)) throw notFound('Order', args.orderId);
  }
  return eventStream<OrderStatusChangedPayload>(ctx, {
    topic: ORDER_STATUS_CHANGED,
    afterEventId: args.afterEventId,
    match: { orderId: args.orderId ?? undefined, customerId: own ?? args.customerId ?? undefined },
  });
}
