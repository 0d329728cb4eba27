import type { Context } from '../../common/context.js';
import { assertAccess } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { customerIdOf } from '../../common/auth/viewer.js';
import { checkId, notFound } from '../../common/errors.js';
import { eventStream } from '../../common/events/stream.js';
import { Order } from '../orders/order.entity.js';
import { Shipment } from './tracking.entity.js';
import { SHIPMENT_TRACKING_UPDATED, type ShipmentTrackingUpdatedPayload } from './tracking.topics.js';
import type { ShipmentTrackingUpdatedArgs } from './tracking.types.js';

/** Authorises at subscribe time and scopes customers to their own orders' shipments, live and in replay. */
export async function subscribeShipmentTracking(ctx: Context, args: ShipmentTrackingUpdatedArgs) {
  assertAccess(ctx.viewer, [Role.OPERATIONS, Role.SUPPORT, Role.ANALYST, 'CUSTOMER']);
  const own = customerIdOf(ctx.viewer);
  if (args.shipmentId) {
    checkId('shipmentId', args.shipmentId);
    const s = await ctx.em.findOne(Shipment, { id: args.shipmentId }, { populate: ['order'] });
    if (!s || (own && s.order.customer.id !== own)) throw notFound('Shipment', args.shipmentId);
  }
  if (args.orderId) {
    checkId('orderId', args.orderId);
    const o = await ctx.em.findOne(Order, { id: args.orderId }, { fields: ['id', 'customer'] });
    if (!o || (own && o.customer.id !== own)) throw notFound('Order', args.orderId);
  }
  return eventStream<ShipmentTrackingUpdatedPayload>(ctx, {
    topic: SHIPMENT_TRACKING_UPDATED,
    afterEventId: args.afterEventId,
    match: { shipmentId: args.shipmentId ?? undefined, orderId: args.orderId ?? undefined, customerId: own ?? undefined },
  });
}
