import { Field, ID, ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';
import { OrderStatus, orderLifecycle } from './order.lifecycle.js';

@ObjectType({ implements: ErrorResult, description: 'The order cannot move to that status from its current one. Nothing was changed.' })
export class IllegalOrderTransitionError extends ErrorResult {
  @Field(() => OrderStatus)
  from!: OrderStatus;

  @Field(() => OrderStatus)
  to!: OrderStatus;

  @Field(() => [OrderStatus], { description: 'Where the order may go from its current status.' })
  allowed!: OrderStatus[];

  static create(from: OrderStatus, to: OrderStatus, allowed: OrderStatus[] = orderLifecycle.nextStates(from)): IllegalOrderTransitionError {
    return Object.assign(new IllegalOrderTransitionError(), {
      errorCode: 'ILLEGAL_TRANSITION',
      message: `An order in ${from} cannot move to ${to}; allowed: ${allowed.join(', ') || 'none (final state)'}`,
      field: 'status',
      from,
      to,
      allowed,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'A variant cannot be sold now (inactive, or its product is not ACTIVE).' })
export class VariantUnavailableError extends ErrorResult {
  @Field(() => ID)
  variantId!: string;

  static create(field: string, variantId: string, sku: string): VariantUnavailableError {
    return Object.assign(new VariantUnavailableError(), {
      errorCode: 'VARIANT_UNAVAILABLE',
      message: `SKU ${sku} is not available for sale`,
      field,
      variantId,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'This idempotency key was already used for a different request.' })
export class IdempotencyKeyReusedError extends ErrorResult {
  static create(): IdempotencyKeyReusedError {
    return Object.assign(new IdempotencyKeyReusedError(), {
      errorCode: 'IDEMPOTENCY_KEY_REUSED',
      message: 'idempotencyKey was already used with different input; use a new key for a new order',
      field: 'idempotencyKey',
    });
  }
}
