import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import type { EventEnvelope } from '../../common/events/envelope.js';
import { Connection } from '../../common/pagination.js';
import { Category } from '../catalog/category.entity.js';
import { CategoryByIdLoader, VariantByIdLoader } from '../catalog/catalog.loaders.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { Channel } from '../channels/channel.entity.js';
import { ChannelByIdLoader } from '../channels/channels.loaders.js';
import { Customer } from '../customers/customer.entity.js';
import { CustomerByIdLoader } from '../customers/customers.loaders.js';
import { Warehouse } from '../inventory/inventory.entity.js';
import { WarehouseByIdLoader } from '../inventory/inventory.loaders.js';
import { Order, OrderLine } from '../orders/order.entity.js';
import { OrderByIdLoader } from '../orders/orders.loaders.js';
import { ReturnLine, ReturnPolicy, ReturnRefund, ReturnRequest, ReturnStatusChange } from './returns.entity.js';
import { OrderLineByIdLoader, RefundsByReturnIdLoader, ReturnByIdLoader, ReturnLinesByReturnIdLoader, ReturnsByOrderIdLoader, StatusChangesByReturnIdLoader } from './returns.loaders.js';
import * as returns from './returns.service.js';
import { subscribeReturnStatusChanged } from './returns.subscriptions.js';
import type { ReturnStatusChangedPayload } from './returns.topics.js';
import {
  ExchangeReturnInput,
  ExchangeReturnResult,
  InspectReturnInput,
  InspectReturnResult,
  RefundReturnInput,
  RefundReturnResult,
  RequestReturnInput,
  RequestReturnResult,
  ReturnPoliciesArgs,
  ReturnRequestsArgs,
  ReturnStatusChangedArgs,
  ReturnStatusChangedEvent,
  SetReturnPolicyInput,
  TransitionReturnInput,
  TransitionReturnResult,
} from './returns.types.js';

export const ReturnRequestConnection = Connection('ReturnRequest', ReturnRequest);
export const ReturnPolicyConnection = Connection('ReturnPolicy', ReturnPolicy);

const RETURN_READERS = [Role.SUPPORT, Role.OPERATIONS, Role.ANALYST, 'CUSTOMER'] as const;
const RETURN_HANDLERS = [Role.SUPPORT, Role.OPERATIONS] as const;

@Resolver(() => ReturnRequest)
export class ReturnResolver {
  @Allow(...RETURN_READERS)
  @Query(() => ReturnRequest, { description: 'One return. Customers may read only their own.' })
  returnRequest(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Return id.' }) id: string) {
    return returns.getReturn(ctx, id);
  }

  @Allow(...RETURN_READERS)
  @Query(() => ReturnRequestConnection, { description: 'Returns, newest first. Customers get only their own.' })
  returnRequests(@Ctx() ctx: Context, @Args(() => ReturnRequestsArgs) args: ReturnRequestsArgs) {
    return returns.listReturns(ctx, args);
  }

  @Allow(...RETURN_HANDLERS, 'CUSTOMER')
  @Mutation(() => RequestReturnResult, {
    description:
      'Ask to return delivered lines of an order (customers: their own orders; support on their behalf). Refused when the order is not delivered, the line is not returnable, its return window (counted from delivery, per category or channel policy, default 30 days) has closed, or more units are asked than delivered minus already returned.',
  })
  requestReturn(@Ctx() ctx: Context, @Arg('input', () => RequestReturnInput) input: RequestReturnInput) {
    return returns.requestReturn(ctx, input);
  }

  @Allow(...RETURN_HANDLERS, 'CUSTOMER')
  @Mutation(() => TransitionReturnResult, {
    description:
      'Move a return along its lifecycle: support approves, rejects (with a reason), receives and closes; customers may mark their approved return IN_TRANSIT or cancel it before it is received. Allowed moves are in ReturnRequest.nextStates.',
  })
  transitionReturn(@Ctx() ctx: Context, @Arg('input', () => TransitionReturnInput) input: TransitionReturnInput) {
    return returns.transitionReturn(ctx, input);
  }

  @Allow(...RETURN_HANDLERS)
  @Mutation(() => InspectReturnResult, { description: 'Inspect every line of a RECEIVED return; restockable units go back into the chosen warehouse through the stock ledger (RETURN_RESTOCK). The return becomes INSPECTED.' })
  inspectReturn(@Ctx() ctx: Context, @Arg('input', () => InspectReturnInput) input: InspectReturnInput) {
    return returns.inspectReturn(ctx, input);
  }

  @Allow(...RETURN_HANDLERS)
  @Mutation(() => RefundReturnResult, {
    description:
      'Request the refund of an INSPECTED REFUND-return: chosen lines at the unit price paid (order discount spread over lines), plus shipping if asked, capped by captured minus refunded. The refund starts PENDING and is booked by the settlement job; the return becomes REFUNDED when it succeeds. Safe to retry with the same idempotencyKey.',
  })
  refundReturn(@Ctx() ctx: Context, @Arg('input', () => RefundReturnInput) input: RefundReturnInput) {
    return returns.refundReturn(ctx, input);
  }

  @Allow(...RETURN_HANDLERS)
  @Mutation(() => ExchangeReturnResult, {
    description:
      'Exchange an INSPECTED EXCHANGE-return: creates a replacement order for the same customer priced at zero (the customer already paid; price differences are neither charged nor refunded), linked to the return and confirmed so that its stock is reserved. Too little stock refuses and writes nothing. A retry with the same input answers with the exchanged return.',
  })
  exchangeReturn(@Ctx() ctx: Context, @Arg('input', () => ExchangeReturnInput) input: ExchangeReturnInput) {
    return returns.exchangeReturn(ctx, input);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => ReturnPolicy, { description: 'Create or replace the return policy of a category and/or a channel.' })
  setReturnPolicy(@Ctx() ctx: Context, @Arg('input', () => SetReturnPolicyInput) input: SetReturnPolicyInput) {
    return returns.setReturnPolicy(ctx, input);
  }

  @Allow(Role.OPERATIONS, Role.SUPPORT, Role.MERCHANDISING, Role.ANALYST)
  @Query(() => ReturnPolicyConnection, { description: 'Return policies, oldest first. Without a matching policy an item has a 30-day window and is returnable.' })
  returnPolicies(@Ctx() ctx: Context, @Args(() => ReturnPoliciesArgs) args: ReturnPoliciesArgs) {
    return returns.listReturnPolicies(ctx, args);
  }

  @Allow(...RETURN_READERS)
  @Subscription(() => ReturnStatusChangedEvent, {
    description: 'Live return status changes (and new requests). Staff may watch any return; customers only their own. Pass afterEventId to replay what was missed first.',
    subscribe: ({ args, context }) => subscribeReturnStatusChanged(context as Context, args as ReturnStatusChangedArgs),
  })
  returnStatusChanged(@Root() event: EventEnvelope<ReturnStatusChangedPayload>, @Args(() => ReturnStatusChangedArgs) _args: ReturnStatusChangedArgs): ReturnStatusChangedEvent {
    const p = event.payload;
    return Object.assign(new ReturnStatusChangedEvent(), {
      eventId: event.id,
      returnId: p.returnId,
      orderId: p.orderId,
      customerId: p.customerId,
      previousStatus: p.previousStatus,
      status: p.status,
      reason: p.reason,
      changedAt: new Date(p.changedAt),
    });
  }

  @FieldResolver(() => Order, { description: 'The order the items come from.' })
  order(@Root() ret: ReturnRequest, @Ctx() ctx: Context) {
    return ctx.loader(OrderByIdLoader).load(ret.order.id);
  }

  @FieldResolver(() => Customer, { description: 'The customer returning.' })
  customer(@Root() ret: ReturnRequest, @Ctx() ctx: Context) {
    return ctx.loader(CustomerByIdLoader).load(ret.customer.id);
  }

  @FieldResolver(() => [ReturnLine], { description: 'Returned lines, as requested.' })
  lines(@Root() ret: ReturnRequest, @Ctx() ctx: Context) {
    return ctx.loader(ReturnLinesByReturnIdLoader).load(ret.id);
  }

  @FieldResolver(() => [ReturnStatusChange], { description: 'Every status change, oldest first, starting with the request.' })
  statusHistory(@Root() ret: ReturnRequest, @Ctx() ctx: Context) {
    return ctx.loader(StatusChangesByReturnIdLoader).load(ret.id);
  }

  @FieldResolver(() => [ReturnRefund], { description: 'Refunds of this return, oldest first.' })
  refunds(@Root() ret: ReturnRequest, @Ctx() ctx: Context) {
    return ctx.loader(RefundsByReturnIdLoader).load(ret.id);
  }

  @FieldResolver(() => Order, { nullable: true, description: 'The replacement order of an exchange; null until exchanged.' })
  replacementOrder(@Root() ret: ReturnRequest, @Ctx() ctx: Context) {
    return ret.replacementOrder ? ctx.loader(OrderByIdLoader).load(ret.replacementOrder.id) : null;
  }
}

@Resolver(() => ReturnLine)
export class ReturnLineResolver {
  @FieldResolver(() => OrderLine, { description: 'The order line returned (with the unit price paid).' })
  orderLine(@Root() line: ReturnLine, @Ctx() ctx: Context) {
    return ctx.loader(OrderLineByIdLoader).load(line.orderLine.id);
  }

  @FieldResolver(() => Warehouse, { nullable: true, description: 'Where restockable units were booked back in; null otherwise.' })
  restockWarehouse(@Root() line: ReturnLine, @Ctx() ctx: Context) {
    return line.restockWarehouse ? ctx.loader(WarehouseByIdLoader).load(line.restockWarehouse.id) : null;
  }

  @FieldResolver(() => ProductVariant, { nullable: true, description: 'Exchanges: the variant sent instead; null otherwise.' })
  replacementVariant(@Root() line: ReturnLine, @Ctx() ctx: Context) {
    return line.replacementVariantId ? ctx.loader(VariantByIdLoader).load(line.replacementVariantId) : null;
  }
}

@Resolver(() => ReturnPolicy)
export class ReturnPolicyResolver {
  @FieldResolver(() => Category, { nullable: true, description: 'Category it applies to (and its subcategories without a deeper policy).' })
  category(@Root() policy: ReturnPolicy, @Ctx() ctx: Context) {
    return policy.category ? ctx.loader(CategoryByIdLoader).load(policy.category.id) : null;
  }

  @FieldResolver(() => Channel, { nullable: true, description: 'Channel it applies to.' })
  channel(@Root() policy: ReturnPolicy, @Ctx() ctx: Context) {
    return policy.channel ? ctx.loader(ChannelByIdLoader).load(policy.channel.id) : null;
  }
}

@Resolver(() => Order)
export class OrderReturnsResolver {
  @FieldResolver(() => [ReturnRequest], { description: 'Returns requested for this order, oldest first.' })
  returns(@Root() order: Order, @Ctx() ctx: Context) {
    return ctx.loader(ReturnsByOrderIdLoader).load(order.id);
  }
}

@Resolver(() => ReturnStatusChangedEvent)
export class ReturnStatusChangedEventResolver {
  @FieldResolver(() => ReturnRequest, { description: 'The return as it is now (read when the event is delivered).' })
  returnRequest(@Root() event: ReturnStatusChangedEvent, @Ctx() ctx: Context) {
    return ctx.loader(ReturnByIdLoader).load(event.returnId);
  }
}
