import { registerEnumType } from 'type-graphql';
import { Role } from '../../common/auth/roles.js';
import { Lifecycle } from '../../common/lifecycle.js';

export enum ReturnStatus {
  REQUESTED = 'REQUESTED',
  APPROVED = 'APPROVED',
  REJECTED = 'REJECTED',
  IN_TRANSIT = 'IN_TRANSIT',
  RECEIVED = 'RECEIVED',
  INSPECTED = 'INSPECTED',
  REFUNDED = 'REFUNDED',
  EXCHANGED = 'EXCHANGED',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(ReturnStatus, {
  name: 'ReturnStatus',
  description: 'Where a return (RMA) is in its lifecycle. `ReturnRequest.nextStates` lists the moves allowed from the current one.',
  valuesConfig: {
    REQUESTED: { description: 'Asked for by the customer (or by support on their behalf); waiting for a decision.' },
    APPROVED: { description: 'Accepted; the customer may send the items back.' },
    REJECTED: { description: 'Refused by support (a reason is recorded); terminal.' },
    IN_TRANSIT: { description: 'The customer has sent the items.' },
    RECEIVED: { description: 'The items arrived at the shop.' },
    INSPECTED: { description: 'Every line was inspected; restockable items are back in stock.' },
    REFUNDED: { description: 'The refund succeeded.' },
    EXCHANGED: { description: 'A replacement order was created and confirmed (stock reserved).' },
    CLOSED: { description: 'Done; terminal.' },
    CANCELLED: { description: 'Withdrawn before the items were received; terminal.' },
  },
});

export enum ReturnResolution {
  REFUND = 'REFUND',
  EXCHANGE = 'EXCHANGE',
}
registerEnumType(ReturnResolution, { name: 'ReturnResolution', description: 'What the customer wants instead of the returned items: their money back, or replacement items.' });

export enum ReturnReasonCode {
  DAMAGED = 'DAMAGED',
  DEFECTIVE = 'DEFECTIVE',
  WRONG_ITEM = 'WRONG_ITEM',
  NOT_AS_DESCRIBED = 'NOT_AS_DESCRIBED',
  WRONG_SIZE = 'WRONG_SIZE',
  NO_LONGER_NEEDED = 'NO_LONGER_NEEDED',
  OTHER = 'OTHER',
}
registerEnumType(ReturnReasonCode, { name: 'ReturnReasonCode', description: 'Why the customer returns a line.' });

export enum ItemCondition {
  NEW = 'NEW',
  OPENED = 'OPENED',
  USED = 'USED',
  DAMAGED = 'DAMAGED',
  DEFECTIVE = 'DEFECTIVE',
}
registerEnumType(ItemCondition, { name: 'ItemCondition', description: 'Condition of a returned line found at inspection.' });

export enum ReturnRefundStatus {
  PENDING = 'PENDING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(ReturnRefundStatus, {
  name: 'ReturnRefundStatus',
  description: 'State of a return refund. Refunds are requested as PENDING and settled against the payment ledger by the `returns.settle-refunds` job.',
  valuesConfig: {
    PENDING: { description: 'Requested; not yet booked against the payment ledger.' },
    SUCCEEDED: { description: 'Booked: the order’s refunded amount includes it.' },
    FAILED: { description: 'Nothing was left to refund when it was settled (see failureReason); the return stays INSPECTED so a new refund can be requested.' },
  },
});

const STAFF = [Role.SUPPORT, Role.OPERATIONS] as const;

/**
 * The return lifecycle as data. INSPECTED, REFUNDED and EXCHANGED are reached only through their own
 * mutations (inspectReturn, refundReturn settlement, exchangeReturn), which carry the work those moves need.
 */
export const returnLifecycle = new Lifecycle<ReturnStatus>('Return', {
  REQUESTED: {
    APPROVED: { by: STAFF },
    REJECTED: { by: STAFF, requiresReason: true },
    CANCELLED: { by: [...STAFF, 'CUSTOMER'] },
  },
  APPROVED: {
    IN_TRANSIT: { by: [...STAFF, 'CUSTOMER'] },
    RECEIVED: { by: STAFF },
    CANCELLED: { by: [...STAFF, 'CUSTOMER'] },
  },
  IN_TRANSIT: { RECEIVED: { by: STAFF } },
  RECEIVED: { INSPECTED: { by: STAFF } },
  INSPECTED: { REFUNDED: { by: STAFF }, EXCHANGED: { by: STAFF } },
  REFUNDED: { CLOSED: { by: STAFF } },
  EXCHANGED: { CLOSED: { by: STAFF } },
  REJECTED: {},
  CLOSED: {},
  CANCELLED: {},
});

/** Targets that need their own mutation because the move does work (inspection, refund, exchange). */
export const ACTION_TARGETS: ReadonlySet<ReturnStatus> = new Set([ReturnStatus.INSPECTED, ReturnStatus.REFUNDED, ReturnStatus.EXCHANGED]);

/** Refund settlement as data: only a PENDING refund is ever settled, by the system. */
export const returnRefundLifecycle = new Lifecycle<ReturnRefundStatus>('ReturnRefund', {
  PENDING: { SUCCEEDED: { by: STAFF }, FAILED: { by: STAFF } },
  SUCCEEDED: {},
  FAILED: {},
});

/** Returns in these states no longer hold their quantities against the order. */
export const RELEASED_STATES: readonly ReturnStatus[] = [ReturnStatus.REJECTED, ReturnStatus.CANCELLED];
