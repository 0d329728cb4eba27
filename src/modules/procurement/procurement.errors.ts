import { Field, ID, Int, ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';
import { PurchaseOrderStatus, SupplierStatus, purchaseOrderLifecycle, supplierLifecycle } from './procurement.lifecycle.js';

@ObjectType({ implements: ErrorResult, description: 'The supplier cannot move to that status from its current one. Nothing was changed.' })
export class IllegalSupplierTransitionError extends ErrorResult {
  @Field(() => SupplierStatus, { description: 'Current status.' })
  from!: SupplierStatus;

  @Field(() => SupplierStatus, { description: 'Requested status.' })
  to!: SupplierStatus;

  @Field(() => [SupplierStatus], { description: 'Where the supplier may go from its current status.' })
  allowed!: SupplierStatus[];

  static create(from: SupplierStatus, to: SupplierStatus): IllegalSupplierTransitionError {
    const allowed = supplierLifecycle.nextStates(from);
    return Object.assign(new IllegalSupplierTransitionError(), {
      errorCode: 'ILLEGAL_TRANSITION',
      message: `A supplier in ${from} cannot move to ${to}; allowed: ${allowed.join(', ') || 'none'}`,
      field: 'to',
      from,
      to,
      allowed,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'The purchase order cannot move to that status (or be received) from its current one. Nothing was changed.' })
export class IllegalPurchaseOrderTransitionError extends ErrorResult {
  @Field(() => PurchaseOrderStatus, { description: 'Current status.' })
  from!: PurchaseOrderStatus;

  @Field(() => PurchaseOrderStatus, { description: 'Requested status.' })
  to!: PurchaseOrderStatus;

  @Field(() => [PurchaseOrderStatus], { description: 'Where the order may go from its current status.' })
  allowed!: PurchaseOrderStatus[];

  static create(from: PurchaseOrderStatus, to: PurchaseOrderStatus, field = 'to'): IllegalPurchaseOrderTransitionError {
    const allowed = purchaseOrderLifecycle.nextStates(from);
    return Object.assign(new IllegalPurchaseOrderTransitionError(), {
      errorCode: 'ILLEGAL_TRANSITION',
      message: `A purchase order in ${from} cannot move to ${to}; allowed: ${allowed.join(', ') || 'none (final state)'}`,
      field,
      from,
      to,
      allowed,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'Only APPROVED suppliers get purchase orders; this one is a prospect, suspended or blocked. Nothing was written.' })
export class SupplierNotApprovedError extends ErrorResult {
  @Field(() => ID, { description: 'The supplier.' })
  supplierId!: string;

  @Field(() => SupplierStatus, { description: 'Its current status.' })
  status!: SupplierStatus;

  static create(field: string, supplierId: string, status: SupplierStatus): SupplierNotApprovedError {
    return Object.assign(new SupplierNotApprovedError(), {
      errorCode: 'SUPPLIER_NOT_APPROVED',
      message: `The supplier is ${status}; only APPROVED suppliers get purchase orders`,
      field,
      supplierId,
      status,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'More units were reported received than are still open on the line. Nothing was received.' })
export class ReceivingExceedsOrderedError extends ErrorResult {
  @Field(() => ID, { description: 'The purchase order line.' })
  lineId!: string;

  @Field(() => Int, { description: 'Units still open on the line.' })
  openQuantity!: number;

  @Field(() => Int, { description: 'Units reported (accepted + rejected).' })
  requestedQuantity!: number;

  static create(field: string, lineId: string, openQuantity: number, requestedQuantity: number): ReceivingExceedsOrderedError {
    return Object.assign(new ReceivingExceedsOrderedError(), {
      errorCode: 'RECEIVING_EXCEEDS_ORDERED',
      message: `${requestedQuantity} units reported but only ${openQuantity} are open on this line`,
      field,
      lineId,
      openQuantity,
      requestedQuantity,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'This idempotency key was already used for a different receipt on this purchase order.' })
export class ReceiptIdempotencyKeyReusedError extends ErrorResult {
  static create(): ReceiptIdempotencyKeyReusedError {
    return Object.assign(new ReceiptIdempotencyKeyReusedError(), {
      errorCode: 'IDEMPOTENCY_KEY_REUSED',
      message: 'idempotencyKey was already used for a different receipt; use a new key for a new delivery',
      field: 'idempotencyKey',
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'This idempotency key was already used to draft purchase orders from different input. Nothing was written.' })
export class ReplenishmentIdempotencyKeyReusedError extends ErrorResult {
  static create(): ReplenishmentIdempotencyKeyReusedError {
    return Object.assign(new ReplenishmentIdempotencyKeyReusedError(), {
      errorCode: 'IDEMPOTENCY_KEY_REUSED',
      message: 'idempotencyKey was already used with different input; use a new key for a new replenishment run',
      field: 'idempotencyKey',
    });
  }
}
