import type { Context } from '../../common/context.js';
import { assertAccess } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { customerIdOf } from '../../common/auth/viewer.js';
import { checkId, notFound } from '../../common/errors.js';
import { eventStream } from '../../common/events/stream.js';
import { Order } from '../orders/order.entity.js';
import { ReturnRequest } from './returns.entity.js';
import { RETURN_STATUS_CHANGED, type ReturnStatusChangedPayload } from './returns.topics.js';
import type { ReturnStatusChangedArgs } from './returns.types.js';

/**
 * Authorises at subscribe time (type-graphql's @Authorized guards only the per-event resolver) and scopes a
 * customer's stream to their own returns, in replay and live alike.
 */
export async function subscribeReturnStatusChanged(ctx: Context, args: ReturnStatusChangedArgs) {
  assertAccess(ctx.viewer, [Role.SUPPORT, Role.OPERATIONS, Role.ANALYST, 'CUSTOMER']);
  const own = customerIdOf(ctx.viewer);
  if (args.returnId) {
    checkId('returnId', args.returnId);
    const ret = await ctx.em.findOne(ReturnRequest, { id: args.returnId }, { fields: ['id', 'customer'] });
    if (!ret || (own && ret.customer.id !== own)) throw notFound('Return', args.returnId);
  }
  if (args.orderId) {
    checkId('orderId', args.orderId);
    const order = await ctx.em.findOne(Order, { id: args.orderId }, { fields: ['id', 'customer'] });
    if (!order || (own && order.customer.id !== own)) throw notFound('Order', args.orderId);
  }
  return eventStream<ReturnStatusChangedPayload>(ctx, {
    topic: RETURN_STATUS_CHANGED,
    afterEventId: args.afterEventId,
    match: { returnId: args.returnId ?? undefined, orderId: args.orderId ?? undefined, customerId: own },
  });
}
