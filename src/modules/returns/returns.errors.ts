import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime, GraphQLSafeInt } from 'graphql-scalars';
import { ErrorResult } from '../../common/errors.js';
import { ReturnResolution, ReturnStatus, returnLifecycle } from './returns.lifecycle.js';

@ObjectType({ implements: ErrorResult, description: 'The return cannot move to that status from its current one. Nothing was changed.' })
export class IllegalReturnTransitionError extends ErrorResult {
  @Field(() => ReturnStatus, { description: 'The current status.' })
  from!: ReturnStatus;

  @Field(() => ReturnStatus, { description: 'The status asked for.' })
  to!: ReturnStatus;

  @Field(() => [ReturnStatus], { description: 'Where the return may go from its current status.' })
  allowed!: ReturnStatus[];

  static create(from: ReturnStatus, to: ReturnStatus): IllegalReturnTransitionError {
    const allowed = returnLifecycle.nextStates(from);
    return Object.assign(new IllegalReturnTransitionError(), {
      errorCode: 'ILLEGAL_TRANSITION',
      message: `A return in ${from} cannot move to ${to}; allowed: ${allowed.join(', ') || 'none (final state)'}`,
      field: 'status',
      from,
      to,
      allowed,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'The order has not been delivered, so nothing on it can be returned yet. Nothing was written.' })
export class OrderNotDeliveredError extends ErrorResult {
  static create(orderNumber: number): OrderNotDeliveredError {
    return Object.assign(new OrderNotDeliveredError(), {
      errorCode: 'ORDER_NOT_DELIVERED',
      message: `Order #${orderNumber} has not been delivered; returns open at delivery`,
      field: 'orderId',
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'The return window of a line has closed. Nothing was written.' })
export class ReturnWindowExpiredError extends ErrorResult {
  @Field(() => ID, { description: 'The order line.' })
  orderLineId!: string;

  @Field(() => Int, { description: 'Window of the policy that applies, in days after delivery.' })
  windowDays!: number;

  @Field(() => GraphQLDateTime, { description: 'When the window closed.' })
  closedAt!: Date;

  static create(field: string, orderLineId: string, windowDays: number, closedAt: Date): ReturnWindowExpiredError {
    return Object.assign(new ReturnWindowExpiredError(), {
      errorCode: 'RETURN_WINDOW_EXPIRED',
      message: `The ${windowDays}-day return window closed at ${closedAt.toISOString()}`,
      field,
      orderLineId,
      windowDays,
      closedAt,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'A line’s category or channel is not returnable. Nothing was written.' })
export class ItemNotReturnableError extends ErrorResult {
  @Field(() => ID, { description: 'The order line.' })
  orderLineId!: string;

  static create(field: string, orderLineId: string, sku: string): ItemNotReturnableError {
    return Object.assign(new ItemNotReturnableError(), {
      errorCode: 'ITEM_NOT_RETURNABLE',
      message: `SKU ${sku} cannot be returned`,
      field,
      orderLineId,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'More units than may still be returned (delivered minus already returned). Nothing was written.' })
export class ReturnQuantityExceededError extends ErrorResult {
  @Field(() => ID, { description: 'The order line.' })
  orderLineId!: string;

  @Field(() => Int, { description: 'Units asked for.' })
  requested!: number;

  @Field(() => Int, { description: 'Units that may still be returned.' })
  returnable!: number;

  static create(field: string, orderLineId: string, requested: number, returnable: number): ReturnQuantityExceededError {
    return Object.assign(new ReturnQuantityExceededError(), {
      errorCode: 'RETURN_QUANTITY_EXCEEDED',
      message: `Asked to return ${requested}; at most ${returnable} can still be returned`,
      field,
      orderLineId,
      requested,
      returnable,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'The operation belongs to the other resolution (refund vs exchange). Nothing was changed.' })
export class WrongReturnResolutionError extends ErrorResult {
  @Field(() => ReturnResolution, { description: 'The resolution the customer chose.' })
  resolution!: ReturnResolution;

  static create(resolution: ReturnResolution): WrongReturnResolutionError {
    return Object.assign(new WrongReturnResolutionError(), {
      errorCode: 'WRONG_RESOLUTION',
      message: `This return is resolved by ${resolution}`,
      field: 'returnId',
      resolution,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'A refund for this return is still PENDING; wait for it to settle. Nothing was written.' })
export class RefundInProgressError extends ErrorResult {
  @Field(() => ID, { description: 'The pending refund.' })
  refundId!: string;

  static create(refundId: string): RefundInProgressError {
    return Object.assign(new RefundInProgressError(), {
      errorCode: 'REFUND_IN_PROGRESS',
      message: 'A refund for this return is already pending',
      field: 'returnId',
      refundId,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'Nothing remains refundable on the order (captured minus refunded is zero). Nothing was written.' })
export class NothingToRefundError extends ErrorResult {
  @Field(() => GraphQLSafeInt, { description: 'Captured minus refunded on the order, minor units.' })
  refundableMinor!: number;

  static create(refundable: number): NothingToRefundError {
    return Object.assign(new NothingToRefundError(), {
      errorCode: 'NOTHING_TO_REFUND',
      message: 'Nothing remains refundable on this order',
      field: 'returnId',
      refundableMinor: refundable,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'This idempotency key was already used on this return for a different request. Nothing was written.' })
export class ReturnIdempotencyKeyReusedError extends ErrorResult {
  static create(): ReturnIdempotencyKeyReusedError {
    return Object.assign(new ReturnIdempotencyKeyReusedError(), {
      errorCode: 'IDEMPOTENCY_KEY_REUSED',
      message: 'idempotencyKey was already used with different input; use a new key for a new refund',
      field: 'idempotencyKey',
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'The order’s shipping charge is already refunded (or pending) through another return. Nothing was written.' })
export class ShippingAlreadyRefundedError extends ErrorResult {
  @Field(() => ID, { description: 'The refund that includes the shipping charge.' })
  refundId!: string;

  static create(refundId: string): ShippingAlreadyRefundedError {
    return Object.assign(new ShippingAlreadyRefundedError(), {
      errorCode: 'SHIPPING_ALREADY_REFUNDED',
      message: 'The shipping charge of this order is already refunded through another return',
      field: 'includeShipping',
      refundId,
    });
  }
}
