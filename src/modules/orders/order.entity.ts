import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';
import { Customer } from '../customers/customer.entity.js';
import { Channel } from '../channels/channel.entity.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { ShippingService } from '../shipping/shipping.entity.js';
import { OrderHoldReason, OrderStatus, orderLifecycle } from './order.lifecycle.js';

/** Where an order ships to, as stored on the order (jsonb). */
@ObjectType({ description: 'Delivery address of an order.' })
export class ShippingAddress {
  @Field(() => String, { description: 'Recipient name.' })
  name!: string;
  @Field(() => String, { description: 'Street and number.' })
  line1!: string;
  @Field(() => String, { nullable: true, description: 'Apartment, floor, building.' })
  line2?: string | null;
  @Field(() => String, { description: 'City; same-city delivery and warehouse allocation compare it case-insensitively.' })
  city!: string;
  @Field(() => String, { description: 'Postal code.' })
  postalCode!: string;
  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code, e.g. DE.' })
  country!: string;
  @Field(() => String, { nullable: true, description: 'Phone number for the carrier.' })
  phone?: string | null;
}

@Entity({ tableName: 'sales_order' })
@Index({ name: 'order_placed_at_idx', properties: ['placedAt', 'id'] })
@Index({ name: 'order_total_idx', properties: ['totalAmount', 'id'] })
@Index({ name: 'order_status_placed_at_idx', properties: ['status', 'placedAt', 'id'] })
@Index({ name: 'order_customer_placed_at_idx', properties: ['customer', 'placedAt', 'id'] })
@Index({ name: 'order_channel_placed_at_idx', properties: ['channel', 'placedAt', 'id'] })
@Index({ name: 'order_updated_at_idx', properties: ['updatedAt', 'id'] })
// Analytics cohorts: a customer's counted orders by placement, read from the index alone.
@Index({ name: 'order_customer_active_placed_at_idx', expression: `create index "order_customer_active_placed_at_idx" on "sales_order" ("customer_id", "placed_at") where status <> 'CANCELLED'` })
// Analytics: orders of one 15-minute slot (sales KPIs read marked slots raw; see analytics/rollups.ts).
@Index({ name: 'order_placed_slot_idx', expression: 'create index "order_placed_slot_idx" on "sales_order" (analytics_slot("placed_at"))' })
@Unique({ name: 'order_customer_idempotency_unique', properties: ['customer', 'idempotencyKey'] })
@ObjectType({ description: 'A customer order. Amounts are integer minor units in the order currency.' })
export class Order {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID)
  id: string = uuidv7();

  @Property({ type: 'integer', unique: 'order_number_unique' })
  number!: number;

  @ManyToOne({ entity: () => Customer })
  customer!: Customer;

  /** Where the order came from; null for orders entered without a channel. */
  @ManyToOne({ entity: () => Channel, nullable: true })
  channel?: Channel | null;

  @Enum({ items: () => OrderStatus, nativeEnumName: 'order_status' })
  @Field(() => OrderStatus)
  status: OrderStatus = OrderStatus.PENDING_PAYMENT;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  @Field(() => String, { description: 'ISO 4217 currency of every amount on the order.' })
  currency!: string;

  @Property({ type: 'integer' })
  subtotalAmount!: number;

  @Property({ type: 'integer', default: 0 })
  discountAmount: number = 0;

  @Property({ type: 'integer', default: 0 })
  shippingAmount: number = 0;

  @Property({ type: 'integer', default: 0 })
  taxAmount: number = 0;

  /** subtotal − discount + shipping + tax */
  @Property({ type: 'integer' })
  totalAmount!: number;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Note from the customer at checkout.' })
  note?: string | null;

  @Property({ type: 'json', nullable: true })
  @Field(() => ShippingAddress, { nullable: true, description: 'Where the order ships to; null for orders placed without one.' })
  shippingAddress?: ShippingAddress | null;

  /** The shipping service the customer chose; its rate is in shippingAmount and shipments use it. */
  @ManyToOne({ entity: () => ShippingService, nullable: true })
  shippingService?: ShippingService | null;

  /** While ON_HOLD: the status the order returns to when the hold is released. */
  @Enum({ items: () => OrderStatus, nativeEnumName: 'order_status', nullable: true })
  @Field(() => OrderStatus, { nullable: true, description: 'While ON_HOLD: the status the order resumes to when released.' })
  heldFromStatus?: OrderStatus | null;

  @Enum({ items: () => OrderHoldReason, nativeEnumName: 'order_hold_reason', nullable: true })
  @Field(() => OrderHoldReason, { nullable: true, description: 'While ON_HOLD: why.' })
  holdReason?: OrderHoldReason | null;

  /** Sum of captured payments, minor units. */
  @Property({ type: 'integer', default: 0 })
  capturedAmount: number = 0;

  /** Sum of refunds, minor units; never above capturedAmount. */
  @Property({ type: 'integer', default: 0 })
  refundedAmount: number = 0;

  @Property({ type: 'text', nullable: true })
  idempotencyKey?: string | null;

  /** Fingerprint of the placing request, so a reused idempotency key with other input is refused. */
  @Property({ type: 'text', nullable: true })
  requestHash?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime)
  placedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Last change of any kind.' })
  updatedAt: Date = new Date();

  @Field(() => String, { description: 'Human-facing order number, e.g. "#1001".' })
  get displayNumber(): string {
    return `#${this.number}`;
  }

  @Field(() => Money)
  get subtotal(): Money {
    return Money.of(this.subtotalAmount, this.currency);
  }

  @Field(() => Money)
  get discountTotal(): Money {
    return Money.of(this.discountAmount, this.currency);
  }

  @Field(() => Money)
  get shippingTotal(): Money {
    return Money.of(this.shippingAmount, this.currency);
  }

  @Field(() => Money)
  get taxTotal(): Money {
    return Money.of(this.taxAmount, this.currency);
  }

  @Field(() => Money, { description: 'subtotal − discountTotal + shippingTotal + taxTotal.' })
  get total(): Money {
    return Money.of(this.totalAmount, this.currency);
  }

  @Field(() => Money, { description: 'Payments captured so far.' })
  get captured(): Money {
    return Money.of(this.capturedAmount, this.currency);
  }

  @Field(() => Money, { description: 'Refunded so far; never more than captured.' })
  get refunded(): Money {
    return Money.of(this.refundedAmount, this.currency);
  }

  @Field(() => [OrderStatus], { description: 'States this order may move to now (before role checks). A held order may only resume to the status it was held from, or be cancelled.' })
  get nextStates(): OrderStatus[] {
    const next = orderLifecycle.nextStates(this.status);
    if (this.status === OrderStatus.ON_HOLD && this.heldFromStatus) return next.filter((s) => s === this.heldFromStatus || s === OrderStatus.CANCELLED);
    return next;
  }
}

@Entity({ tableName: 'order_line' })
@Index({ name: 'order_line_order_idx', properties: ['order', 'position'] })
@Index({ name: 'order_line_variant_idx', properties: ['variant'] })
@ObjectType({ description: 'One line of an order: a variant, a quantity and the price it was sold at.' })
export class OrderLine {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID)
  id: string = uuidv7();

  @ManyToOne({ entity: () => Order, deleteRule: 'cascade' })
  order!: Order;

  @ManyToOne({ entity: () => ProductVariant })
  variant!: ProductVariant;

  /** 0-based position on the order, as placed. */
  @Property({ type: 'smallint' })
  position!: number;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'SKU at the time of sale.' })
  sku!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Product and variant name at the time of sale.' })
  title!: string;

  @Property({ type: 'integer' })
  @Field(() => Int)
  quantity!: number;

  @Property({ type: 'integer' })
  unitPriceAmount!: number;

  @Property({ type: 'integer' })
  lineTotalAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Field(() => Money)
  get unitPrice(): Money {
    return Money.of(this.unitPriceAmount, this.currency);
  }

  @Field(() => Money, { description: 'unitPrice × quantity.' })
  get lineTotal(): Money {
    return Money.of(this.lineTotalAmount, this.currency);
  }
}

@Entity({ tableName: 'order_status_change' })
@Index({ name: 'order_status_change_order_idx', properties: ['order', 'at'] })
@ObjectType({ description: 'One entry of an order’s status history.' })
export class OrderStatusChange {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID)
  id: string = uuidv7();

  @ManyToOne({ entity: () => Order, deleteRule: 'cascade' })
  order!: Order;

  @Enum({ items: () => OrderStatus, nativeEnumName: 'order_status', nullable: true })
  @Field(() => OrderStatus, { nullable: true, description: 'Null for the entry that records placement.' })
  fromStatus?: OrderStatus | null;

  @Enum({ items: () => OrderStatus, nativeEnumName: 'order_status' })
  @Field(() => OrderStatus)
  toStatus!: OrderStatus;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true })
  reason?: string | null;

  /** staff | token | customer | system */
  @Property({ type: 'text' })
  @Field(() => String, { description: 'Who made the change: staff, token, customer or system.' })
  actorKind!: string;

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime)
  at: Date = new Date();
}

@Entity({ tableName: 'order_note' })
@Index({ name: 'order_note_order_idx', properties: ['order', 'at'] })
export class OrderNote {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Order, deleteRule: 'cascade' })
  order!: Order;

  @Property({ type: 'text' })
  body!: string;

  @Property({ type: 'text' })
  actorKind!: string;

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  at: Date = new Date();
}
