import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';
import { Order } from '../orders/order.entity.js';

export enum PaymentKind {
  CAPTURE = 'CAPTURE',
  REFUND = 'REFUND',
}
registerEnumType(PaymentKind, { name: 'PaymentKind', description: 'CAPTURE takes money from the customer; REFUND gives it back.' });

@Entity({ tableName: 'payment_transaction' })
@Index({ name: 'payment_transaction_order_at_idx', properties: ['order', 'at', 'id'] })
@Index({ name: 'payment_transaction_kind_at_idx', properties: ['kind', 'at'] })
// Analytics: refunds of one 15-minute slot (sales KPIs read marked slots raw; see analytics/rollups.ts).
@Index({ name: 'payment_transaction_refund_slot_idx', expression: `create index "payment_transaction_refund_slot_idx" on "payment_transaction" (analytics_slot("at")) where "kind" = 'REFUND'` })
@Unique({ name: 'payment_transaction_kind_key_unique', properties: ['kind', 'idempotencyKey'] })
@ObjectType({ description: 'A captured payment or a refund of an order.' })
export class PaymentTransaction {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Order })
  order!: Order;

  @Enum({ items: () => PaymentKind, nativeEnumName: 'payment_kind' })
  @Field(() => PaymentKind, { description: 'CAPTURE or REFUND.' })
  kind!: PaymentKind;

  @Property({ type: 'integer' })
  amountMinor!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Why (refunds).' })
  reason?: string | null;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'What caused it: manual, cancellation, return…' })
  source!: string;

  /** Retries with the same key are answered with this transaction; unique per kind. */
  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Property({ type: 'text' })
  requestHash!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Who: staff, token, customer or system.' })
  actorKind!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was recorded.' })
  at: Date = new Date();

  @Field(() => Money, { description: 'Amount captured or refunded.' })
  get amount(): Money {
    return Money.of(this.amountMinor, this.currency);
  }
}
