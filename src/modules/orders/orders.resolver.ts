import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import type { EventEnvelope } from '../../common/events/envelope.js';
import { Connection, selectsTotalCount } from '../../common/pagination.js';
import { Customer } from '../customers/customer.entity.js';
import { Channel } from '../channels/channel.entity.js';
import { ChannelByIdLoader } from '../channels/channels.loaders.js';
import { CustomerRowByIdLoader } from '../customers/customers.loaders.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { VariantRowByIdLoader } from '../catalog/catalog.loaders.js';
import { Order, OrderLine, OrderStatusChange } from './order.entity.js';
import { LineRowsByOrderIdLoader, NotesByOrderIdLoader, OrderByIdLoader, StatusChangesByOrderIdLoader } from './orders.loaders.js';
import * as orders from './orders.service.js';
import { subscribeOrderStatusChanged } from './orders.subscriptions.js';
import type { OrderStatusChangedPayload } from './orders.topics.js';
import {
  AddOrderNoteInput,
  OrderTimelineEntry,
  OrdersArgs,
  OrderStatusChangedArgs,
  OrderStatusChangedEvent,
  PlaceOrderInput,
  PlaceOrderResult,
  TransitionOrderInput,
  TransitionOrderResult,
} from './orders.types.js';

export const OrderConnection = Connection('Order', Order);

/** Staff roles that work with orders; ANALYST reads only. */
const ORDER_READERS = [Role.OPERATIONS, Role.SUPPORT, Role.ANALYST, 'CUSTOMER'] as const;

@Resolver(() => Order)
export class OrderResolver {
  @Allow(...ORDER_READERS)
  @Query(() => Order, { description: 'One order. Customers may read only their own.' })
  order(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return orders.getOrder(ctx, id);
  }

  @Allow(...ORDER_READERS)
  @Query(() => OrderConnection, { description: 'Orders, filtered and ordered. Customers get only their own.' })
  orders(@Ctx() ctx: Context, @Args(() => OrdersArgs) args: OrdersArgs, @Info() info: GraphQLResolveInfo) {
    return orders.listOrders(ctx, args, { withCount: selectsTotalCount(info) });
  }

  @Allow(Role.OPERATIONS, 'CUSTOMER')
  @Mutation(() => PlaceOrderResult, { description: 'Place an order at current prices; it starts in PENDING_PAYMENT.' })
  placeOrder(@Ctx() ctx: Context, @Arg('input', () => PlaceOrderInput) input: PlaceOrderInput) {
    return orders.placeOrder(ctx, input);
  }

  @Allow(Role.OPERATIONS, Role.SUPPORT, 'CUSTOMER')
  @Mutation(() => TransitionOrderResult, {
    description:
      'Move an order to another status. Allowed moves are in Order.nextStates; each move also has roles (customers may only cancel their own unconfirmed orders). Cancelling needs a reason.',
  })
  transitionOrder(@Ctx() ctx: Context, @Arg('input', () => TransitionOrderInput) input: TransitionOrderInput) {
    return orders.transitionOrder(ctx, input);
  }

  @Allow(Role.OPERATIONS, Role.SUPPORT, Role.ANALYST, 'CUSTOMER')
  @Subscription(() => OrderStatusChangedEvent, {
    description:
      'Live order status changes (and placements). Staff may watch any order; customers only their own. Pass afterEventId to replay what was missed first.',
    subscribe: ({ args, context }) => subscribeOrderStatusChanged(context as Context, args as OrderStatusChangedArgs),
  })
  orderStatusChanged(@Root() event: EventEnvelope<OrderStatusChangedPayload>, @Args(() => OrderStatusChangedArgs) _args: OrderStatusChangedArgs): OrderStatusChangedEvent {
    const p = event.payload;
    return Object.assign(new OrderStatusChangedEvent(), {
      eventId: event.id,
      orderId: p.orderId,
      customerId: p.customerId,
      previousStatus: p.previousStatus,
      status: p.status,
      reason: p.reason,
      changedAt: new Date(p.changedAt),
    });
  }

  @Allow(Role.OPERATIONS, Role.SUPPORT)
  @Mutation(() => Order, { description: 'Add a note to the order timeline (staff only; customers do not see notes).' })
  addOrderNote(@Ctx() ctx: Context, @Arg('input', () => AddOrderNoteInput) input: AddOrderNoteInput) {
    return orders.addOrderNote(ctx, input);
  }

  @Allow(Role.OPERATIONS, Role.SUPPORT, Role.ANALYST)
  @FieldResolver(() => [OrderTimelineEntry], { description: 'Status changes and staff notes merged, oldest first (staff only).' })
  async timeline(@Root() order: Order, @Ctx() ctx: Context): Promise<OrderTimelineEntry[]> {
    const [changes, notes] = await Promise.all([ctx.loader(StatusChangesByOrderIdLoader).load(order.id), ctx.loader(NotesByOrderIdLoader).load(order.id)]);
    const entries: OrderTimelineEntry[] = [
      ...changes.map((c) => Object.assign(new OrderTimelineEntry(), { kind: 'STATUS_CHANGE', at: c.at, fromStatus: c.fromStatus ?? null, toStatus: c.toStatus, text: c.reason ?? null, actorKind: c.actorKind })),
      ...notes.map((n) => Object.assign(new OrderTimelineEntry(), { kind: 'NOTE', at: n.at, fromStatus: null, toStatus: null, text: n.body, actorKind: n.actorKind })),
    ];
    return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  @FieldResolver(() => Customer)
  customer(@Root() order: Order, @Ctx() ctx: Context) {
    return ctx.loader(CustomerRowByIdLoader).load(order.customer.id);
  }

  @FieldResolver(() => Channel, { nullable: true })
  channel(@Root() order: Order, @Ctx() ctx: Context) {
    return order.channel ? ctx.loader(ChannelByIdLoader).load(order.channel.id) : null;
  }

  @FieldResolver(() => [OrderLine])
  lines(@Root() order: Order, @Ctx() ctx: Context) {
    return ctx.loader(LineRowsByOrderIdLoader).load(order.id);
  }

  @FieldResolver(() => [OrderStatusChange], { description: 'Every status change, oldest first, starting with placement.' })
  statusHistory(@Root() order: Order, @Ctx() ctx: Context) {
    return ctx.loader(StatusChangesByOrderIdLoader).load(order.id);
  }
}

@Resolver(() => OrderLine)
export class OrderLineResolver {
  @FieldResolver(() => ProductVariant)
  variant(@Root() line: OrderLine, @Ctx() ctx: Context) {
    return ctx.loader(VariantRowByIdLoader).load(line.variant.id);
  }
}

@Resolver(() => OrderStatusChangedEvent)
export class OrderStatusChangedEventResolver {
  @FieldResolver(() => Order, { description: 'The order as it is now (read when the event is delivered).' })
  order(@Root() event: OrderStatusChangedEvent, @Ctx() ctx: Context) {
    return ctx.loader(OrderByIdLoader).load(event.orderId);
  }
}

