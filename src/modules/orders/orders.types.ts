import { ArgsType, Field, ID, InputType, Int, ObjectType, createUnionType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLSafeInt } from 'graphql-scalars';
import { PageArgs } from '../../common/pagination.js';
import { Order } from './order.entity.js';
import { OrderHoldReason, OrderStatus } from './order.lifecycle.js';
import { placeOrderErrorTypes, transitionOrderErrorTypes } from './orders.hooks.js';
import { IdempotencyKeyReusedError, IllegalOrderTransitionError, VariantUnavailableError } from './orders.errors.js';

@InputType()
export class OrderLineInput {
  @Field(() => ID)
  variantId!: string;

  @Field(() => Int, { description: '1 to 10000.' })
  quantity!: number;
}

@InputType({ description: 'Where an order ships to.' })
export class ShippingAddressInput {
  @Field(() => String, { description: 'Recipient name, 1 to 200 characters.' })
  name!: string;
  @Field(() => String, { description: 'Street and number, 1 to 200 characters.' })
  line1!: string;
  @Field(() => String, { nullable: true, description: 'Apartment, floor, building; at most 200 characters.' })
  line2?: string | null;
  @Field(() => String, { description: 'City, 1 to 200 characters.' })
  city!: string;
  @Field(() => String, { description: 'Postal code, 1 to 200 characters.' })
  postalCode!: string;
  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code in upper case, e.g. DE.' })
  country!: string;
  @Field(() => String, { nullable: true, description: 'Phone for the carrier; at most 40 characters.' })
  phone?: string | null;
}

@InputType()
export class PlaceOrderInput {
  @Field(() => ID, { nullable: true, description: 'Staff: the customer to order for (required). Customers: omit, or their own id.' })
  customerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Sales channel the order comes from; must be ACTIVE and in the order currency.' })
  channelId?: string | null;

  @Field(() => [OrderLineInput], { description: '1 to 100 lines, each variant at most once.' })
  lines!: OrderLineInput[];

  @Field(() => String, { nullable: true, description: 'Note from the customer, at most 1000 characters.' })
  note?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'Makes retries safe: the same key with the same input returns the order already placed; with other input it is refused.',
  })
  idempotencyKey?: string | null;

  @Field(() => [String], {
    nullable: true,
    description: 'Coupon codes (case-insensitive, at most 5). Each must apply to this order, or the order is refused with CouponNotApplicableError / PromotionLimitReachedError.',
  })
  couponCodes?: string[] | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Loyalty points to redeem as a discount: 1 point takes 1 minor unit off. At most the balance and the amount left to pay.',
  })
  redeemPoints?: number | null;

  @Field(() => String, { nullable: true, description: 'Tracker id of the visit the order is placed in (TrafficEventInput.sessionId), for attribution to its source and campaign.' })
  sessionId?: string | null;

  @Field(() => ShippingAddressInput, { nullable: true, description: 'Where to ship; required with shippingServiceId, and used to allocate stock to the nearest warehouse.' })
  shippingAddress?: ShippingAddressInput | null;

  @Field(() => ID, {
    nullable: true,
    description: 'Shipping service chosen from shippingQuotes; its rate becomes the order shipping total and shipments use it.',
  })
  shippingServiceId?: string | null;
}

export const PlaceOrderResult = createUnionType({
  name: 'PlaceOrderResult',
  description: 'The order placed, or why it was refused (nothing was written then).',
  types: () => [Order, VariantUnavailableError, IdempotencyKeyReusedError, ...placeOrderErrorTypes] as const,
});

@InputType()
export class TransitionOrderInput {
  @Field(() => ID)
  orderId!: string;

  @Field(() => OrderStatus)
  to!: OrderStatus;

  @Field(() => String, { nullable: true, description: 'Why; required for cancellation and holds. At most 1000 characters.' })
  reason?: string | null;

  @Field(() => OrderHoldReason, { nullable: true, description: 'Required when moving to ON_HOLD.' })
  holdReason?: OrderHoldReason | null;
}

@InputType()
export class AddOrderNoteInput {
  @Field(() => ID, { description: 'The order to annotate.' })
  orderId!: string;

  @Field(() => String, { description: 'The note, 1 to 2000 characters; it joins the order timeline.' })
  note!: string;
}

@ObjectType({ description: 'One entry of an order timeline: a status change or a note, oldest first.' })
export class OrderTimelineEntry {
  @Field(() => String, { description: 'STATUS_CHANGE or NOTE.' })
  kind!: string;

  @Field(() => GraphQLDateTime, { description: 'When it happened.' })
  at!: Date;

  @Field(() => OrderStatus, { nullable: true, description: 'For status changes: the previous status (null at placement).' })
  fromStatus?: OrderStatus | null;

  @Field(() => OrderStatus, { nullable: true, description: 'For status changes: the new status.' })
  toStatus?: OrderStatus | null;

  @Field(() => String, { nullable: true, description: 'The reason of a status change, or the text of a note.' })
  text?: string | null;

  @Field(() => String, { description: 'Who: staff, token, customer or system.' })
  actorKind!: string;
}

export const TransitionOrderResult = createUnionType({
  name: 'TransitionOrderResult',
  description: 'The order after the move, or why it was refused (nothing was changed then).',
  types: () => [Order, IllegalOrderTransitionError, ...transitionOrderErrorTypes] as const,
});

export enum OrderSortField {
  PLACED_AT = 'PLACED_AT',
  TOTAL = 'TOTAL',
  NUMBER = 'NUMBER',
}
registerEnumType(OrderSortField, { name: 'OrderSortField' });

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

@InputType()
export class OrderFilter {
  @Field(() => [OrderStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: OrderStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Staff only; a customer always gets their own orders.' })
  customerId?: string | null;

  @Field(() => ID, { nullable: true })
  channelId?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Placed at or after.' })
  placedFrom?: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Placed strictly before.' })
  placedTo?: Date | null;
}

@InputType()
export class OrderOrder {
  @Field(() => OrderSortField, { defaultValue: OrderSortField.PLACED_AT })
  field!: OrderSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  direction!: SortDirection;
}

@ArgsType()
export class OrdersArgs extends PageArgs {
  @Field(() => OrderFilter, { nullable: true })
  filter?: OrderFilter | null;

  @Field(() => OrderOrder, { nullable: true, description: 'Default: newest first. Ties are broken by id.' })
  orderBy?: OrderOrder | null;
}

@ArgsType()
export class OrderStatusChangedArgs {
  @Field(() => ID, { nullable: true, description: 'Only this order.' })
  orderId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only this customer’s orders (customers: implied).' })
  customerId?: string | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'Resume: first replay, in order and once, every matching event with a greater eventId, then go live.',
  })
  afterEventId?: number | null;
}

@ObjectType({ description: 'An order changed status (or was placed: previousStatus is null).' })
export class OrderStatusChangedEvent {
  @Field(() => GraphQLSafeInt, { description: 'Delivery order of this event; pass the last one seen as afterEventId to resume.' })
  eventId!: number;

  @Field(() => ID)
  orderId!: string;

  @Field(() => ID)
  customerId!: string;

  @Field(() => OrderStatus, { nullable: true })
  previousStatus!: OrderStatus | null;

  @Field(() => OrderStatus)
  status!: OrderStatus;

  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Field(() => GraphQLDateTime)
  changedAt!: Date;
}
