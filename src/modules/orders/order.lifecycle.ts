import { registerEnumType } from 'type-graphql';
import { Role } from '../../common/auth/roles.js';
import { Lifecycle } from '../../common/lifecycle.js';

export enum OrderStatus {
  PENDING_PAYMENT = 'PENDING_PAYMENT',
  PAID = 'PAID',
  CONFIRMED = 'CONFIRMED',
  PROCESSING = 'PROCESSING',
  SHIPPED = 'SHIPPED',
  DELIVERED = 'DELIVERED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description: 'Where an order is in its lifecycle. `Order.nextStates` lists the moves allowed from the current one.',
  valuesConfig: {
    PENDING_PAYMENT: { description: 'Placed; waiting for payment.' },
    PAID: { description: 'Payment captured.' },
    CONFIRMED: { description: 'Accepted by the shop for fulfilment.' },
    PROCESSING: { description: 'Being picked and packed.' },
    SHIPPED: { description: 'Handed to the carrier.' },
    DELIVERED: { description: 'Received by the customer.' },
    COMPLETED: { description: 'Closed; no further changes.' },
    CANCELLED: { description: 'Cancelled before shipment; terminal.' },
  },
});

const OPS = [Role.OPERATIONS] as const;
const OPS_OR_SUPPORT = [Role.OPERATIONS, Role.SUPPORT] as const;

/**
 * The order lifecycle as data. Customers may cancel their own order until it is confirmed;
 * staff cancellations are allowed until it ships. Cancelling always needs a reason.
 */
export const orderLifecycle = new Lifecycle<OrderStatus>('Order', {
  PENDING_PAYMENT: {
    PAID: { by: OPS },
    CANCELLED: { by: [...OPS_OR_SUPPORT, 'CUSTOMER'], requiresReason: true },
  },
  PAID: {
    CONFIRMED: { by: OPS },
    CANCELLED: { by: [...OPS_OR_SUPPORT, 'CUSTOMER'], requiresReason: true },
  },
  CONFIRMED: {
    PROCESSING: { by: OPS },
    CANCELLED: { by: OPS_OR_SUPPORT, requiresReason: true },
  },
  PROCESSING: {
    SHIPPED: { by: OPS },
    CANCELLED: { by: OPS_OR_SUPPORT, requiresReason: true },
  },
  SHIPPED: { DELIVERED: { by: OPS } },
  DELIVERED: { COMPLETED: { by: OPS } },
  COMPLETED: {},
  CANCELLED: {},
});
