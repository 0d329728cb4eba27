import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';
import { Order } from '../orders/order.entity.js';
import { Customer } from '../customers/customer.entity.js';

export enum PromotionKind {
  PERCENT_OFF = 'PERCENT_OFF',
  FIXED_OFF = 'FIXED_OFF',
  BUY_X_GET_Y = 'BUY_X_GET_Y',
  FREE_SHIPPING = 'FREE_SHIPPING',
}
registerEnumType(PromotionKind, {
  name: 'PromotionKind',
  description: 'What a promotion gives.',
  valuesConfig: {
    PERCENT_OFF: { description: '`percent` % off the eligible amount (the order subtotal, or the lines of the target product/category), rounded down to the minor unit.' },
    FIXED_OFF: { description: 'ORDER target: `amount` off the order once. PRODUCT/CATEGORY target: `amount` off each eligible unit. Never more than the eligible amount.' },
    BUY_X_GET_Y: { description: 'Among eligible units, for every `buyQuantity + getQuantity` units the `getQuantity` cheapest are free.' },
    FREE_SHIPPING: { description: 'The shipping charge becomes 0 (saves nothing when the order has no shipping charge).' },
  },
});

export enum PromotionTarget {
  ORDER = 'ORDER',
  PRODUCT = 'PRODUCT',
  CATEGORY = 'CATEGORY',
}
registerEnumType(PromotionTarget, {
  name: 'PromotionTarget',
  description: 'Which lines a promotion looks at: all of them, one product, or one category (with its sub-categories).',
});

export enum PromotionStatus {
  ACTIVE = 'ACTIVE',
  PAUSED = 'PAUSED',
}
registerEnumType(PromotionStatus, { name: 'PromotionStatus', description: 'Only ACTIVE promotions apply to new orders.' });

@Entity({ tableName: 'promotion' })
@Index({ name: 'promotion_status_priority_idx', properties: ['status', 'priority', 'id'] })
@Index({ name: 'promotion_created_at_idx', properties: ['createdAt', 'id'] })
@Index({ name: 'promotion_status_created_at_idx', properties: ['status', 'createdAt', 'id'] })
@Index({ name: 'promotion_campaign_created_at_idx', properties: ['campaignId', 'createdAt', 'id'] })
@ObjectType({ description: 'A promotion that prices orders at placement: automatic, or unlocked by its coupon code.' })
export class Promotion {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Name shown to customers on the order.' })
  name!: string;

  @Enum({ items: () => PromotionKind, nativeEnumName: 'promotion_kind' })
  @Field(() => PromotionKind, { description: 'What the promotion gives.' })
  kind!: PromotionKind;

  @Enum({ items: () => PromotionTarget, nativeEnumName: 'promotion_target' })
  @Field(() => PromotionTarget, { description: 'Which lines it looks at.' })
  target!: PromotionTarget;

  /** Product id or category id when target is PRODUCT or CATEGORY. */
  @Property({ type: 'uuid', nullable: true })
  @Field(() => ID, { nullable: true, description: 'The product (target PRODUCT) or category (target CATEGORY).' })
  targetId?: string | null;

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: 'PERCENT_OFF: 1 to 100.' })
  percent?: number | null;

  @Property({ type: 'integer', nullable: true })
  amountOff?: number | null;

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: 'BUY_X_GET_Y: units to buy.' })
  buyQuantity?: number | null;

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: 'BUY_X_GET_Y: units given free.' })
  getQuantity?: number | null;

  @Property({ type: 'integer', default: 0 })
  minSubtotalAmount: number = 0;

  /** Currency of amountOff and minSubtotalAmount; orders in other currencies do not qualify. */
  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  @Field(() => String, { description: 'ISO 4217 currency; only orders in this currency qualify.' })
  currency!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Applies to orders placed at or after this instant.' })
  startsAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Applies to orders placed strictly before this instant.' })
  endsAt?: Date | null;

  /** Stored upper-cased. */
  @Property({ type: 'text', nullable: true, unique: 'promotion_coupon_code_unique' })
  @Field(() => String, { nullable: true, description: 'Coupon code that unlocks it (case-insensitive); null for an automatic promotion.' })
  couponCode?: string | null;

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: 'At most this many orders in total may use it; null for no limit.' })
  usageLimit?: number | null;

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: 'At most this many orders per customer; null for no limit.' })
  perCustomerLimit?: number | null;

  /** Orders that use it now (cancellations give the use back); guarded by a conditional UPDATE. */
  @Property({ type: 'integer', default: 0 })
  @Field(() => Int, { description: 'Orders currently using it (cancelled orders give their use back).' })
  usedCount: number = 0;

  @Property({ type: 'boolean', default: true })
  @Field(() => Boolean, {
    description: 'Stacking rule: a stackable promotion combines with other stackable ones; a non-stackable one applies only to an order no other promotion applies to, and then no other does.',
  })
  stackable: boolean = true;

  @Property({ type: 'integer', default: 0 })
  @Field(() => Int, { description: 'Promotions are considered from the highest priority down (ties: oldest first).' })
  priority: number = 0;

  @Enum({ items: () => PromotionStatus, nativeEnumName: 'promotion_status' })
  @Field(() => PromotionStatus, { description: 'Current status.' })
  status: PromotionStatus = PromotionStatus.ACTIVE;

  /** Campaign it belongs to, when there is one (owned by the marketing module; kept as a plain id). */
  @Property({ type: 'uuid', nullable: true })
  @Field(() => ID, { nullable: true, description: 'Campaign this promotion belongs to.' })
  campaignId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was created.' })
  createdAt: Date = new Date();

  @Field(() => Money, { nullable: true, description: 'FIXED_OFF: the amount off (per unit for PRODUCT/CATEGORY targets).' })
  get amount(): Money | null {
    return this.amountOff == null ? null : Money.of(this.amountOff, this.currency);
  }

  @Field(() => Money, { description: 'Minimum order subtotal (minimum spend) to qualify; 0 for none.' })
  get minSubtotal(): Money {
    return Money.of(this.minSubtotalAmount, this.currency);
  }
}

/** One promotion applied to one order, with the amount it took off. */
@Entity({ tableName: 'promotion_usage' })
@Index({ name: 'promotion_usage_order_idx', properties: ['order', 'position'] })
@Index({ name: 'promotion_usage_promotion_customer_idx', properties: ['promotion', 'customer'] })
@Index({ name: 'promotion_usage_coupon_code_idx', properties: ['couponCode'] })
@ObjectType({ description: 'A promotion applied to an order and how much it saved.' })
export class PromotionUsage {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Promotion })
  promotion!: Promotion;

  @ManyToOne({ entity: () => Order, deleteRule: 'cascade' })
  order!: Order;

  @ManyToOne({ entity: () => Customer })
  customer!: Customer;

  /** Order in which the promotions were applied. */
  @Property({ type: 'smallint' })
  position!: number;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Promotion name at the time of the order.' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'The coupon code used, if the promotion needed one.' })
  couponCode?: string | null;

  /** Discount taken off the goods (0 for free shipping). */
  @Property({ type: 'integer' })
  discountAmount!: number;

  /** Shipping charge waived. */
  @Property({ type: 'integer', default: 0 })
  shippingDiscountAmount: number = 0;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  /** Set when the order was cancelled and the use given back. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the use was given back because the order was cancelled.' })
  releasedAt?: Date | null;

  @Field(() => Money, { description: 'Amount this promotion took off the goods.' })
  get discount(): Money {
    return Money.of(this.discountAmount, this.currency);
  }

  @Field(() => Money, { description: 'Shipping charge this promotion waived.' })
  get shippingDiscount(): Money {
    return Money.of(this.shippingDiscountAmount, this.currency);
  }

  @Field(() => ID, { description: 'The promotion.' })
  get promotionId(): string {
    return this.promotion.id;
  }
}
