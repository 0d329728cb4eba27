import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';
import { InventoryAlertStatus } from './inventory.entity.js';

@ObjectType({ implements: ErrorResult, description: 'Not enough available stock. Nothing was changed; `available` is what could be had.' })
export class InsufficientStockError extends ErrorResult {
  @Field(() => ID, { description: 'The variant that is short.' })
  variantId!: string;

  @Field(() => String, { description: 'Its SKU.' })
  sku!: string;

  @Field(() => Int, { description: 'Units asked for.' })
  requested!: number;

  @Field(() => Int, { description: 'Units available (over the warehouses considered).' })
  available!: number;

  static create(field: string | null, variantId: string, sku: string, requested: number, available: number): InsufficientStockError {
    return Object.assign(new InsufficientStockError(), {
      errorCode: 'INSUFFICIENT_STOCK',
      message: `Only ${Math.max(0, available)} unit(s) of ${sku} available; ${requested} requested`,
      field,
      variantId,
      sku,
      requested,
      available: Math.max(0, available),
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'On hand is not what the caller expected (someone changed it meanwhile). Nothing was changed; re-read and retry.' })
export class StockChangedError extends ErrorResult {
  @Field(() => Int, { description: 'The on-hand quantity the caller expected.' })
  expectedOnHand!: number;

  @Field(() => Int, { description: 'The on-hand quantity now.' })
  actualOnHand!: number;

  static create(expected: number, actual: number): StockChangedError {
    return Object.assign(new StockChangedError(), {
      errorCode: 'STOCK_CHANGED',
      message: `Expected ${expected} on hand but there are ${actual}; nothing was changed`,
      field: 'expectedOnHand',
      expectedOnHand: expected,
      actualOnHand: actual,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'This idempotency key was already used for a different stock operation. Nothing was changed.' })
export class StockIdempotencyKeyReusedError extends ErrorResult {
  static create(): StockIdempotencyKeyReusedError {
    return Object.assign(new StockIdempotencyKeyReusedError(), {
      errorCode: 'IDEMPOTENCY_KEY_REUSED',
      message: 'idempotencyKey was already used with different input; use a new key for a new operation',
      field: 'idempotencyKey',
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'The alert cannot move to that status from its current one. Nothing was changed.' })
export class IllegalAlertTransitionError extends ErrorResult {
  @Field(() => InventoryAlertStatus, { description: 'Current status.' })
  from!: InventoryAlertStatus;

  @Field(() => InventoryAlertStatus, { description: 'Requested status.' })
  to!: InventoryAlertStatus;

  static create(from: InventoryAlertStatus, to: InventoryAlertStatus): IllegalAlertTransitionError {
    return Object.assign(new IllegalAlertTransitionError(), {
      errorCode: 'ILLEGAL_TRANSITION',
      message: `An alert in ${from} cannot move to ${to}`,
      field: 'to',
      from,
      to,
    });
  }
}
