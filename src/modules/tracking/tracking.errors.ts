import { Field, ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';
import { OrderStatus } from '../orders/order.lifecycle.js';

@ObjectType({ implements: ErrorResult, description: 'Shipments can be created only for orders in PROCESSING or PARTIALLY_SHIPPED. Nothing was written.' })
export class ShipmentNotAllowedError extends ErrorResult {
  @Field(() => OrderStatus, { description: 'The order status now.' })
  orderStatus!: OrderStatus;

  static create(status: OrderStatus): ShipmentNotAllowedError {
    return Object.assign(new ShipmentNotAllowedError(), {
      errorCode: 'SHIPMENT_NOT_ALLOWED',
      message: `An order in ${status} cannot ship; move it to PROCESSING first`,
      field: 'orderId',
      orderStatus: status,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'This idempotency key was already used for a different shipment. Nothing was written.' })
export class ShipmentIdempotencyKeyReusedError extends ErrorResult {
  static create(): ShipmentIdempotencyKeyReusedError {
    return Object.assign(new ShipmentIdempotencyKeyReusedError(), {
      errorCode: 'IDEMPOTENCY_KEY_REUSED',
      message: 'idempotencyKey was already used with different input; use a new key for a new shipment',
      field: 'idempotencyKey',
    });
  }
}
