import { Field, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { ErrorResult } from '../../common/errors.js';

@ObjectType({ implements: ErrorResult, description: 'The amount is more than may be captured or refunded now. Nothing was changed.' })
export class PaymentAmountExceededError extends ErrorResult {
  @Field(() => GraphQLSafeInt, { description: 'The most that could be captured (or refunded) now, minor units.' })
  maximumMinor!: number;

  static create(kind: 'capture' | 'refund', requested: number, maximum: number): PaymentAmountExceededError {
    return Object.assign(new PaymentAmountExceededError(), {
      errorCode: kind === 'refund' ? 'REFUND_EXCEEDS_CAPTURED' : 'CAPTURE_EXCEEDS_TOTAL',
      message: `Cannot ${kind} ${requested}; at most ${maximum} can be ${kind === 'refund' ? 'refunded' : 'captured'} now`,
      field: 'amountMinor',
      maximumMinor: maximum,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'Payments can be captured only while the order is PENDING_PAYMENT. Nothing was changed.' })
export class PaymentNotCapturableError extends ErrorResult {
  static create(status: string): PaymentNotCapturableError {
    return Object.assign(new PaymentNotCapturableError(), {
      errorCode: 'PAYMENT_NOT_CAPTURABLE',
      message: `An order in ${status} takes no payment`,
      field: 'orderId',
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'This idempotency key was already used for a different payment operation. Nothing was changed.' })
export class PaymentIdempotencyKeyReusedError extends ErrorResult {
  static create(): PaymentIdempotencyKeyReusedError {
    return Object.assign(new PaymentIdempotencyKeyReusedError(), {
      errorCode: 'IDEMPOTENCY_KEY_REUSED',
      message: 'idempotencyKey was already used with different input; use a new key for a new payment operation',
      field: 'idempotencyKey',
    });
  }
}
