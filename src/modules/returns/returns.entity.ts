import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';
import { Category } from '../catalog/category.entity.js';
import { Channel } from '../channels/channel.entity.js';
import { Customer } from '../customers/customer.entity.js';
import { Warehouse } from '../inventory/inventory.entity.js';
import { Order, OrderLine } from '../orders/order.entity.js';
import { PaymentTransaction } from '../payments/payment.entity.js';
import { ItemCondition, ReturnReasonCode, ReturnRefundStatus, ReturnResolution, ReturnStatus, returnLifecycle, returnRefundLifecycle } from './returns.lifecycle.js';

@Entity({ tableName: 'return_policy' })
@Index({ name: 'return_policy_scope_idx', properties: ['category', 'channel'] })
@Index({ name: 'return_policy_created_idx', properties: ['createdAt', 'id'] })
@ObjectType({
  description:
    'A return rule for a category and/or a channel. The most specific policy wins: category (the deepest one on the product’s category path) over channel over the default (30 days, returnable); a policy with both category and channel beats one with the category alone.',
})
export class ReturnPolicy {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Policy id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Category, nullable: true, deleteRule: 'cascade' })
  category?: Category | null;

  @ManyToOne({ entity: () => Channel, nullable: true, deleteRule: 'cascade' })
  channel?: Channel | null;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Days after delivery during which a return may be requested.' })
  windowDays!: number;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'False: items under this policy cannot be returned at all.' })
  returnable!: boolean;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When the policy was created.' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Last change.' })
  updatedAt: Date = new Date();
}

@Entity({ tableName: 'return_request' })
@Index({ name: 'return_request_requested_idx', properties: ['requestedAt', 'id'] })
@Index({ name: 'return_request_status_requested_idx', properties: ['status', 'requestedAt', 'id'] })
@Index({ name: 'return_request_customer_requested_idx', properties: ['customer', 'requestedAt', 'id'] })
@Index({ name: 'return_request_order_requested_idx', properties: ['order', 'requestedAt', 'id'] })
@Index({ name: 'return_request_replacement_order_idx', properties: ['replacementOrder'] })
@ObjectType({ description: 'A return request (RMA) for lines of one order, resolved by a refund or an exchange.' })
export class ReturnRequest {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Return id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Order })
  order!: Order;

  @ManyToOne({ entity: () => Customer })
  customer!: Customer;

  @Enum({ items: () => ReturnStatus, nativeEnumName: 'return_status' })
  @Field(() => ReturnStatus, { description: 'Current status.' })
  status: ReturnStatus = ReturnStatus.REQUESTED;

  @Enum({ items: () => ReturnResolution, nativeEnumName: 'return_resolution' })
  @Field(() => ReturnResolution, { description: 'REFUND or EXCHANGE, chosen when requesting.' })
  resolution!: ReturnResolution;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'What the customer wrote.' })
  customerNote?: string | null;

  @Property({ type: 'json' })
  @Field(() => [String], { description: 'Photo URLs the customer attached (https).' })
  photoUrls: string[] = [];

  /** The replacement order of an exchange. */
  @ManyToOne({ entity: () => Order, nullable: true })
  replacementOrder?: Order | null;

  /** Fingerprint of the exchange request, so a retried exchange answers with the same result. */
  @Property({ type: 'text', nullable: true })
  exchangeRequestHash?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was requested.' })
  requestedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Last change of any kind.' })
  updatedAt: Date = new Date();

  @Field(() => [ReturnStatus], { description: 'States this return may move to now (before role checks).' })
  get nextStates(): ReturnStatus[] {
    return returnLifecycle.nextStates(this.status);
  }
}

@Entity({ tableName: 'return_line' })
@Index({ name: 'return_line_return_idx', properties: ['returnRequest', 'position'] })
@Index({ name: 'return_line_order_line_idx', properties: ['orderLine'] })
@ObjectType({ description: 'One returned order line: how many units, why, and what inspection found.' })
export class ReturnLine {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Return line id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => ReturnRequest, deleteRule: 'cascade' })
  returnRequest!: ReturnRequest;

  @ManyToOne({ entity: () => OrderLine })
  orderLine!: OrderLine;

  /** 0-based position, as requested. */
  @Property({ type: 'smallint' })
  position!: number;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Units returned.' })
  quantity!: number;

  @Enum({ items: () => ReturnReasonCode, nativeEnumName: 'return_reason_code' })
  @Field(() => ReturnReasonCode, { description: 'Why the customer returns it.' })
  reasonCode!: ReturnReasonCode;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Customer comment on this line.' })
  note?: string | null;

  @Enum({ items: () => ItemCondition, nativeEnumName: 'return_item_condition', nullable: true })
  @Field(() => ItemCondition, { nullable: true, description: 'Condition found at inspection; null until inspected.' })
  condition?: ItemCondition | null;

  @Property({ type: 'boolean', nullable: true })
  @Field(() => Boolean, { nullable: true, description: 'Whether inspection put the units back into stock; null until inspected.' })
  restockable?: boolean | null;

  /** Where restockable units were booked back in. */
  @ManyToOne({ entity: () => Warehouse, nullable: true })
  restockWarehouse?: Warehouse | null;

  /** Variant the customer gets instead, for exchanges. */
  @Property({ type: 'uuid', nullable: true })
  replacementVariantId?: string | null;
}

@Entity({ tableName: 'return_status_change' })
@Index({ name: 'return_status_change_return_idx', properties: ['returnRequest', 'at'] })
@ObjectType({ description: 'One entry of a return’s status history.' })
export class ReturnStatusChange {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Entry id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => ReturnRequest, deleteRule: 'cascade' })
  returnRequest!: ReturnRequest;

  @Enum({ items: () => ReturnStatus, nativeEnumName: 'return_status', nullable: true })
  @Field(() => ReturnStatus, { nullable: true, description: 'Null for the entry that records the request.' })
  fromStatus?: ReturnStatus | null;

  @Enum({ items: () => ReturnStatus, nativeEnumName: 'return_status' })
  @Field(() => ReturnStatus, { description: 'The new status.' })
  toStatus!: ReturnStatus;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Why, when a reason was given.' })
  reason?: string | null;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Who made the change: staff, token, customer or system.' })
  actorKind!: string;

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When.' })
  at: Date = new Date();
}

@Entity({ tableName: 'return_refund' })
@Index({ name: 'return_refund_return_idx', properties: ['returnRequest', 'createdAt', 'id'] })
@Index({ name: 'return_refund_status_created_idx', properties: ['status', 'createdAt', 'id'] })
@Unique({ name: 'return_refund_key_unique', properties: ['returnRequest', 'idempotencyKey'] })
@ObjectType({ description: 'A refund for a return: chosen lines at the unit price paid, plus shipping when asked, capped by what remains refundable on the order.' })
export class ReturnRefund {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Refund id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => ReturnRequest, deleteRule: 'cascade' })
  returnRequest!: ReturnRequest;

  @Enum({ items: () => ReturnRefundStatus, nativeEnumName: 'return_refund_status' })
  @Field(() => ReturnRefundStatus, { description: 'PENDING until settled, then SUCCEEDED or FAILED.' })
  status: ReturnRefundStatus = ReturnRefundStatus.PENDING;

  /** What was asked for: chosen lines + shipping. */
  @Property({ type: 'integer' })
  requestedAmountMinor!: number;

  /** What is (or was) refunded: the request capped by what remained refundable. */
  @Property({ type: 'integer' })
  amountMinor!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Property({ type: 'json' })
  @Field(() => [ID], { description: 'Return lines refunded.' })
  returnLineIds: string[] = [];

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'Whether the order’s shipping charge is included.' })
  includesShipping!: boolean;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Why (shown on the payment record).' })
  reason!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Why settlement failed (FAILED only).' })
  failureReason?: string | null;

  /** The client's key; the payment ledger key is derived from it and the return id. */
  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Property({ type: 'text' })
  requestHash!: string;

  /** The payment ledger entry, once SUCCEEDED. */
  @ManyToOne({ entity: () => PaymentTransaction, nullable: true })
  paymentTransaction?: PaymentTransaction | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was requested.' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was settled (SUCCEEDED or FAILED).' })
  settledAt?: Date | null;

  @Field(() => Money, { description: 'Amount refunded (or to be refunded): requested, capped by what remained refundable.' })
  get amount(): Money {
    return Money.of(this.amountMinor, this.currency);
  }

  @Field(() => Money, { description: 'Chosen lines at the unit price paid, plus shipping when included, before the cap.' })
  get requestedAmount(): Money {
    return Money.of(this.requestedAmountMinor, this.currency);
  }

  @Field(() => [ReturnRefundStatus], { description: 'States this refund may still move to.' })
  get nextStates(): ReturnRefundStatus[] {
    return returnRefundLifecycle.nextStates(this.status);
  }
}
