import { ArgsType, Field, ID, InputType, Int, ObjectType, createUnionType } from 'type-graphql';
import { GraphQLDateTime, GraphQLSafeInt } from 'graphql-scalars';
import { PageArgs } from '../../common/pagination.js';
import { InsufficientStockError } from '../inventory/inventory.errors.js';
import { VariantUnavailableError } from '../orders/orders.errors.js';
import { ReturnRefund, ReturnRequest } from './returns.entity.js';
import {
  IllegalReturnTransitionError,
  ItemNotReturnableError,
  NothingToRefundError,
  OrderNotDeliveredError,
  RefundInProgressError,
  ReturnIdempotencyKeyReusedError,
  ReturnQuantityExceededError,
  ReturnWindowExpiredError,
  ShippingAlreadyRefundedError,
  WrongReturnResolutionError,
} from './returns.errors.js';
import { ItemCondition, ReturnReasonCode, ReturnResolution, ReturnStatus } from './returns.lifecycle.js';

@InputType({ description: 'One order line to return.' })
export class ReturnLineInput {
  @Field(() => ID, { description: 'The order line; each at most once per request.' })
  orderLineId!: string;

  @Field(() => Int, { description: 'Units, at least 1 and at most delivered minus already returned.' })
  quantity!: number;

  @Field(() => ReturnReasonCode, { description: 'Why.' })
  reasonCode!: ReturnReasonCode;

  @Field(() => String, { nullable: true, description: 'Comment on this line, at most 1000 characters.' })
  note?: string | null;
}

@InputType({ description: 'Ask to return delivered lines of an order.' })
export class RequestReturnInput {
  @Field(() => ID, { description: 'The order; customers may only return their own.' })
  orderId!: string;

  @Field(() => ReturnResolution, { description: 'REFUND or EXCHANGE.' })
  resolution!: ReturnResolution;

  @Field(() => [ReturnLineInput], { description: '1 to 100 lines.' })
  lines!: ReturnLineInput[];

  @Field(() => String, { nullable: true, description: 'Customer note, at most 2000 characters.' })
  customerNote?: string | null;

  @Field(() => [String], { nullable: true, description: 'Up to 10 https photo URLs, each at most 2000 characters.' })
  photoUrls?: string[] | null;
}

@InputType({ description: 'Move a return along its lifecycle (approve, reject, in transit, received, close, cancel).' })
export class TransitionReturnInput {
  @Field(() => ID, { description: 'The return.' })
  returnId!: string;

  @Field(() => ReturnStatus, { description: 'Target status; INSPECTED, REFUNDED and EXCHANGED have their own mutations.' })
  to!: ReturnStatus;

  @Field(() => String, { nullable: true, description: 'Why; required to reject. At most 1000 characters.' })
  reason?: string | null;
}

@InputType({ description: 'What inspection found on one return line.' })
export class InspectReturnLineInput {
  @Field(() => ID, { description: 'The return line.' })
  returnLineId!: string;

  @Field(() => ItemCondition, { description: 'Condition found.' })
  condition!: ItemCondition;

  @Field(() => Boolean, { description: 'True books the units back into stock (RETURN_RESTOCK) in the chosen warehouse.' })
  restockable!: boolean;
}

@InputType({ description: 'Record the inspection of every line of a RECEIVED return.' })
export class InspectReturnInput {
  @Field(() => ID, { description: 'The return.' })
  returnId!: string;

  @Field(() => ID, { nullable: true, description: 'Active warehouse restockable units go to; required when any line is restockable.' })
  warehouseId?: string | null;

  @Field(() => [InspectReturnLineInput], { description: 'Every line of the return, once each.' })
  lines!: InspectReturnLineInput[];
}

@InputType({ description: 'Refund an INSPECTED REFUND-return.' })
export class RefundReturnInput {
  @Field(() => ID, { description: 'The return.' })
  returnId!: string;

  @Field(() => [ID], { nullable: true, description: 'Return lines to refund; default every line.' })
  returnLineIds?: string[] | null;

  @Field(() => Boolean, { defaultValue: false, description: 'Also refund the order’s shipping charge; only one return of an order may include it.' })
  includeShipping!: boolean;

  @Field(() => String, { description: 'Why, 1 to 1000 characters.' })
  reason!: string;

  @Field(() => String, {
    description: 'Makes retries safe: the same key with the same input answers with the first refund and never refunds twice; with other input it is refused. 8 to 128 printable ASCII characters.',
  })
  idempotencyKey!: string;
}

@InputType({ description: 'What one returned line is exchanged for.' })
export class ExchangeLineInput {
  @Field(() => ID, { description: 'The return line.' })
  returnLineId!: string;

  @Field(() => ID, { nullable: true, description: 'Replacement variant (another size or colour); default the same variant. Must be sold in the order currency.' })
  variantId?: string | null;
}

@InputType({
  description:
    'Exchange an INSPECTED EXCHANGE-return: creates a replacement order for the same customer, priced at zero (the customer already paid; price differences between variants are neither charged nor refunded), confirmed at once so that its stock is reserved.',
})
export class ExchangeReturnInput {
  @Field(() => ID, { description: 'The return.' })
  returnId!: string;

  @Field(() => [ExchangeLineInput], { nullable: true, description: 'Replacement per return line; lines left out are replaced by the same variant. Each line keeps its returned quantity.' })
  lines?: ExchangeLineInput[] | null;
}

@InputType({ description: 'Create or replace the return policy of a category and/or channel (at least one of them).' })
export class SetReturnPolicyInput {
  @Field(() => ID, { nullable: true, description: 'Category (and its subcategories, unless a deeper policy exists).' })
  categoryId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Sales channel.' })
  channelId?: string | null;

  @Field(() => Int, { description: 'Return window in days after delivery, 0 to 365.' })
  windowDays!: number;

  @Field(() => Boolean, { description: 'False forbids returns of items under this policy.' })
  returnable!: boolean;
}

export const RequestReturnResult = createUnionType({
  name: 'RequestReturnResult',
  description: 'The return requested, or why it was refused (nothing was written then).',
  types: () => [ReturnRequest, OrderNotDeliveredError, ReturnWindowExpiredError, ItemNotReturnableError, ReturnQuantityExceededError] as const,
});

export const TransitionReturnResult = createUnionType({
  name: 'TransitionReturnResult',
  description: 'The return after the move, or why it was refused (nothing was changed then).',
  types: () => [ReturnRequest, IllegalReturnTransitionError] as const,
});

export const InspectReturnResult = createUnionType({
  name: 'InspectReturnResult',
  description: 'The inspected return (restockable units are back in stock), or why nothing was changed.',
  types: () => [ReturnRequest, IllegalReturnTransitionError] as const,
});

export const RefundReturnResult = createUnionType({
  name: 'RefundReturnResult',
  description: 'The refund (PENDING until settled), or why nothing was written.',
  types: () => [ReturnRefund, IllegalReturnTransitionError, WrongReturnResolutionError, RefundInProgressError, NothingToRefundError, ShippingAlreadyRefundedError, ReturnIdempotencyKeyReusedError] as const,
});

export const ExchangeReturnResult = createUnionType({
  name: 'ExchangeReturnResult',
  description: 'The exchanged return with its replacement order, or why nothing was written (e.g. too little stock for the replacement).',
  types: () => [ReturnRequest, IllegalReturnTransitionError, WrongReturnResolutionError, InsufficientStockError, VariantUnavailableError] as const,
});

@InputType({ description: 'Which returns to list.' })
export class ReturnFilter {
  @Field(() => [ReturnStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: ReturnStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Returns of this order.' })
  orderId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Staff only; a customer always gets their own returns.' })
  customerId?: string | null;
}

@ArgsType()
export class ReturnRequestsArgs extends PageArgs {
  @Field(() => ReturnFilter, { nullable: true, description: 'Filter; newest first, ties broken by id.' })
  filter?: ReturnFilter | null;
}

@ArgsType()
export class ReturnPoliciesArgs extends PageArgs {}

@ArgsType()
export class ReturnStatusChangedArgs {
  @Field(() => ID, { nullable: true, description: 'Only this return.' })
  returnId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only returns of this order.' })
  orderId?: string | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'Resume: first replay, in order and once, every matching event with a greater eventId, then go live.',
  })
  afterEventId?: number | null;
}

@ObjectType({ description: 'A return changed status (or was requested: previousStatus is null).' })
export class ReturnStatusChangedEvent {
  @Field(() => GraphQLSafeInt, { description: 'Delivery order of this event; pass the last one seen as afterEventId to resume.' })
  eventId!: number;

  @Field(() => ID, { description: 'The return.' })
  returnId!: string;

  @Field(() => ID, { description: 'Its order.' })
  orderId!: string;

  @Field(() => ID, { description: 'The customer.' })
  customerId!: string;

  @Field(() => ReturnStatus, { nullable: true, description: 'Status before; null when just requested.' })
  previousStatus!: ReturnStatus | null;

  @Field(() => ReturnStatus, { description: 'Status after.' })
  status!: ReturnStatus;

  @Field(() => String, { nullable: true, description: 'Reason given, if any.' })
  reason!: string | null;

  @Field(() => GraphQLDateTime, { description: 'When.' })
  changedAt!: Date;
}
