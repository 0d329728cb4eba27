import { registerEnumType } from 'type-graphql';
import { Role } from '../../common/auth/roles.js';
import { Lifecycle } from '../../common/lifecycle.js';

export enum OrderStatus {
  PENDING_PAYMENT = 'PENDING_PAYMENT',
  PAID = 'PAID',
  CONFIRMED = 'CONFIRMED',
  PROCESSING = 'PROCESSING',
  PARTIALLY_SHIPPED = 'PARTIALLY_SHIPPED',
  SHIPPED = 'SHIPPED',
  DELIVERED = 'DELIVERED',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
  ON_HOLD = 'ON_HOLD',
}
registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description: 'Where an order is in its lifecycle. `Order.nextStates` lists the moves allowed from the current one.',
  valuesConfig: {
    PENDING_PAYMENT: { description: 'Placed; waiting for payment.' },
    PAID: { description: 'Payment captured.' },
    CONFIRMED: { description: 'Accepted by the shop for fulfilment.' },
    PROCESSING: { description: 'Being picked and packed.' },
    PARTIALLY_SHIPPED: { description: 'Some items are with the carrier; the rest are still to ship.' },
    SHIPPED: { description: 'Every item is with the carrier.' },
    DELIVERED: { description: 'Received by the customer.' },
    COMPLETED: { description: 'Closed; no further changes.' },
    CANCELLED: { description: 'Cancelled before shipment; terminal. Reservations are released and payments refunded.' },
    ON_HOLD: { description: 'Paused (address problem, fraud review, out of stock); it can only resume to the status it was held from, or be cancelled.' },
  },
});

const OPS = [Role.OPERATIONS] as const;
const OPS_OR_SUPPORT = [Role.OPERATIONS, Role.SUPPORT] as const;

/**
 * The order lifecycle as data. Customers may cancel their own order until it is confirmed;
 * staff cancellations are allowed until it ships. Cancelling and holding always need a reason.
 */
export const orderLifecycle = new Lifecycle<OrderStatus>('Order', {
  PENDING_PAYMENT: {
    PAID: { by: OPS },
    CANCELLED: { by: [...OPS_OR_SUPPORT, 'CUSTOMER'], requiresReason: true },
  },
  PAID: {
    CONFIRMED: { by: OPS },
    CANCELLED: { by: [...OPS_OR_SUPPORT, 'CUSTOMER'], requiresReason: true },
    ON_HOLD: { by: OPS_OR_SUPPORT, requiresReason: true },
  },
  CONFIRMED: {
    PROCESSING: { by: OPS },
    CANCELLED: { by: OPS_OR_SUPPORT, requiresReason: true },
    ON_HOLD: { by: OPS_OR_SUPPORT, requiresReason: true },
  },
  PROCESSING: {
    PARTIALLY_SHIPPED: { by: OPS },
    SHIPPED: { by: OPS },
    CANCELLED: { by: OPS_OR_SUPPORT, requiresReason: true },
    ON_HOLD: { by: OPS_OR_SUPPORT, requiresReason: true },
  },
  PARTIALLY_SHIPPED: { SHIPPED: { by: OPS } },
  SHIPPED: { DELIVERED: { by: OPS } },
  DELIVERED: { COMPLETED: { by: OPS } },
  COMPLETED: {},
  CANCELLED: {},
  // Leaving a hold is narrowed to the status it was held from (Order.heldFromStatus) by the service.
  ON_HOLD: {
    PAID: { by: OPS_OR_SUPPORT },
    CONFIRMED: { by: OPS_OR_SUPPORT },
    PROCESSING: { by: OPS_OR_SUPPORT },
    CANCELLED: { by: OPS_OR_SUPPORT, requiresReason: true },
  },
});

export enum OrderHoldReason {
  ADDRESS_PROBLEM = 'ADDRESS_PROBLEM',
  FRAUD_REVIEW = 'FRAUD_REVIEW',
  OUT_OF_STOCK = 'OUT_OF_STOCK',
  OTHER = 'OTHER',
}
registerEnumType(OrderHoldReason, { name: 'OrderHoldReason', description: 'Why an order is ON_HOLD.' })
