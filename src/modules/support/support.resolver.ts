import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import type { EventEnvelope } from '../../common/events/envelope.js';
import { Connection } from '../../common/pagination.js';
import { Customer } from '../customers/customer.entity.js';
import { CustomerByIdLoader } from '../customers/customers.loaders.js';
import { Order } from '../orders/order.entity.js';
import { OrderByIdLoader } from '../orders/orders.loaders.js';
import { Product } from '../catalog/product.entity.js';
import { ProductByIdLoader } from '../catalog/catalog.loaders.js';
import { StaffUser } from '../identity/staff-user.entity.js';
import { Shipment } from '../tracking/tracking.entity.js';
import { ShipmentByIdLoader } from '../tracking/tracking.loaders.js';
import { ReturnRequest } from '../returns/returns.entity.js';
import { ReturnByIdLoader } from '../returns/returns.loaders.js';
import { SlaPolicy, Ticket, TicketMessage, TicketStatusChange } from './ticket.entity.js';
import { MessagesByTicketIdLoader, ProductLinksByTicketIdLoader, StaffUserByIdLoader, StatusChangesByTicketIdLoader, TicketByIdLoader } from './support.loaders.js';
import * as support from './support.service.js';
import { subscribeTicketUpdated, TICKET_WATCHERS } from './support.subscriptions.js';
import type { TicketUpdatedPayload } from './support.topics.js';
import type { TicketStatus } from './support.lifecycle.js';
import {
  AddTicketMessageInput,
  AssignTicketInput,
  OpenShipmentExceptionTicketInput,
  OpenTicketInput,
  OpenTicketResult,
  ProductQualityArgs,
  ProductQualityFigure,
  RateTicketInput,
  RateTicketResult,
  SetSlaPolicyInput,
  SlaTarget,
  TicketMessageResult,
  TicketsArgs,
  TicketUpdateKind,
  TicketUpdatedArgs,
  TicketUpdatedEvent,
  TransitionTicketInput,
  TransitionTicketResult,
  UpdateTicketInput,
  UpdateTicketResult,
} from './support.types.js';

export const TicketConnection = Connection('Ticket', Ticket);

const TICKET_READERS = [Role.SUPPORT, Role.ANALYST, 'CUSTOMER'] as const;
const STAFF_READERS = [Role.SUPPORT, Role.ANALYST] as const;

@Resolver(() => Ticket)
export class TicketResolver {
  @Allow(...TICKET_READERS)
  @Query(() => Ticket, { description: 'One ticket. Customers may read only their own.' })
  ticket(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Ticket id.' }) id: string) {
    return support.getTicket(ctx, id);
  }

  @Allow(...TICKET_READERS)
  @Query(() => TicketConnection, { description: 'Tickets, filtered and ordered; staff work queues via filter.queue. Customers get only their own.' })
  tickets(@Ctx() ctx: Context, @Args(() => TicketsArgs) args: TicketsArgs) {
    return support.listTickets(ctx, args);
  }

  @Allow(...STAFF_READERS)
  @Query(() => [SlaPolicy], { description: 'SLA targets per priority.' })
  slaPolicies(@Ctx() ctx: Context) {
    return support.listSlaPolicies(ctx);
  }

  @Allow(Role.SUPPORT, Role.MERCHANDISING, Role.ANALYST)
  @Query(() => [ProductQualityFigure], { description: 'Products with the most complaints (COMPLAINT and PRODUCT_QUALITY tickets tagged to them) opened in a period.' })
  productQualityFigures(@Ctx() ctx: Context, @Args(() => ProductQualityArgs) args: ProductQualityArgs) {
    return support.productQualityFigures(ctx, args);
  }

  @Allow(Role.SUPPORT, 'CUSTOMER')
  @Mutation(() => OpenTicketResult, { description: 'Open a ticket with its first message. Due times come from the SLA policy of its priority.' })
  openTicket(@Ctx() ctx: Context, @Arg('input', () => OpenTicketInput, { description: 'What to do; see the input type.' }) input: OpenTicketInput) {
    return support.openTicket(ctx, input);
  }

  @Allow(Role.SUPPORT, Role.OPERATIONS)
  @Mutation(() => OpenTicketResult, {
    description: 'Open a LOGISTICS ticket for a shipment exception, with a system message. While such a ticket is open for the shipment, it is returned instead of a new one.',
  })
  openShipmentExceptionTicket(@Ctx() ctx: Context, @Arg('input', () => OpenShipmentExceptionTicketInput, { description: 'What to do; see the input type.' }) input: OpenShipmentExceptionTicketInput) {
    return support.openShipmentExceptionTicket(ctx, input);
  }

  @Allow(Role.SUPPORT, 'CUSTOMER')
  @Mutation(() => TicketMessageResult, {
    description: 'Write on a ticket. An agent’s first public reply meets the first-response target (and opens a NEW ticket); a customer reply reopens a PENDING_CUSTOMER or RESOLVED ticket. Staff may add internal notes.',
  })
  addTicketMessage(@Ctx() ctx: Context, @Arg('input', () => AddTicketMessageInput, { description: 'What to do; see the input type.' }) input: AddTicketMessageInput) {
    return support.addTicketMessage(ctx, input);
  }

  @Allow(Role.SUPPORT, 'CUSTOMER')
  @Mutation(() => TransitionTicketResult, {
    description: 'Move a ticket to another status (Ticket.nextStates). Customers may only reopen or close their own RESOLVED tickets.',
  })
  transitionTicket(@Ctx() ctx: Context, @Arg('input', () => TransitionTicketInput, { description: 'What to do; see the input type.' }) input: TransitionTicketInput) {
    return support.transitionTicket(ctx, input);
  }

  @Allow(Role.SUPPORT)
  @Mutation(() => UpdateTicketResult, { description: 'Assign a ticket to an agent, or unassign it.' })
  assignTicket(@Ctx() ctx: Context, @Arg('input', () => AssignTicketInput, { description: 'What to do; see the input type.' }) input: AssignTicketInput) {
    return support.assignTicket(ctx, input);
  }

  @Allow(Role.SUPPORT)
  @Mutation(() => UpdateTicketResult, { description: 'Change priority, category, labels or products of a ticket.' })
  updateTicket(@Ctx() ctx: Context, @Arg('input', () => UpdateTicketInput, { description: 'What to do; see the input type.' }) input: UpdateTicketInput) {
    return support.updateTicket(ctx, input);
  }

  @Allow('CUSTOMER')
  @Mutation(() => RateTicketResult, { description: 'Rate how a resolved ticket of yours was handled (once).' })
  rateTicket(@Ctx() ctx: Context, @Arg('input', () => RateTicketInput, { description: 'What to do; see the input type.' }) input: RateTicketInput) {
    return support.rateTicket(ctx, input);
  }

  @Allow(Role.ADMIN)
  @Mutation(() => SlaPolicy, { description: 'Set the SLA targets of a priority. Tickets already open keep their due times.' })
  setSlaPolicy(@Ctx() ctx: Context, @Arg('input', () => SetSlaPolicyInput, { description: 'What to do; see the input type.' }) input: SetSlaPolicyInput) {
    return support.setSlaPolicy(ctx, input);
  }

  @Allow(...TICKET_WATCHERS)
  @Subscription(() => TicketUpdatedEvent, {
    description:
      'Live ticket changes: new tickets, messages, status changes and SLA breaches. Staff see all tickets; customers only their own and never internal events. Pass afterEventId to replay what was missed first.',
    subscribe: ({ args, context }) => subscribeTicketUpdated(context as Context, args as TicketUpdatedArgs),
  })
  ticketUpdated(@Root() event: EventEnvelope<TicketUpdatedPayload>, @Args(() => TicketUpdatedArgs) _args: TicketUpdatedArgs): TicketUpdatedEvent {
    const p = event.payload;
    return Object.assign(new TicketUpdatedEvent(), {
      eventId: event.id,
      ticketId: p.ticketId,
      kind: p.kind as TicketUpdateKind,
      status: p.status as TicketStatus,
      messageId: p.messageId,
      breach: p.breach as SlaTarget | null,
      at: new Date(p.at),
    });
  }

  @FieldResolver(() => Customer, { description: 'Who the ticket is for.' })
  customer(@Root() t: Ticket, @Ctx() ctx: Context) {
    return ctx.loader(CustomerByIdLoader).load(t.customer.id);
  }

  @FieldResolver(() => Order, { nullable: true, description: 'Related order.' })
  order(@Root() t: Ticket, @Ctx() ctx: Context) {
    return t.order ? ctx.loader(OrderByIdLoader).load(t.order.id) : null;
  }

  @FieldResolver(() => Shipment, { nullable: true, description: 'The shipment the ticket is about, if any.' })
  shipment(@Root() t: Ticket, @Ctx() ctx: Context) {
    return t.shipment ? ctx.loader(ShipmentByIdLoader).load(t.shipment.id) : null;
  }

  @FieldResolver(() => ReturnRequest, { nullable: true, description: 'The return (RMA) the ticket is about, if any.' })
  returnRequest(@Root() t: Ticket, @Ctx() ctx: Context) {
    return t.returnRequest ? ctx.loader(ReturnByIdLoader).load(t.returnRequest.id) : null;
  }

  @Allow(Role.SUPPORT, Role.ANALYST)
  @FieldResolver(() => StaffUser, { nullable: true, description: 'The agent working the ticket. Staff only.' })
  assignee(@Root() t: Ticket, @Ctx() ctx: Context) {
    return t.assignee ? ctx.loader(StaffUserByIdLoader).load(t.assignee.id) : null;
  }

  @FieldResolver(() => [TicketMessage], { description: 'Messages, oldest first. Customers do not see internal notes.' })
  async messages(@Root() t: Ticket, @Ctx() ctx: Context) {
    return support.visibleMessages(ctx, await ctx.loader(MessagesByTicketIdLoader).load(t.id));
  }

  @FieldResolver(() => [TicketStatusChange], { description: 'Every status change, oldest first, starting with opening.' })
  statusHistory(@Root() t: Ticket, @Ctx() ctx: Context) {
    return ctx.loader(StatusChangesByTicketIdLoader).load(t.id);
  }

  @FieldResolver(() => [Product], { description: 'Products the ticket is about.' })
  async products(@Root() t: Ticket, @Ctx() ctx: Context) {
    const links = await ctx.loader(ProductLinksByTicketIdLoader).load(t.id);
    const products = await ctx.loader(ProductByIdLoader).loadMany(links.map((l) => l.product.id));
    return products.filter((p): p is Product => p instanceof Product);
  }

  @Allow(Role.SUPPORT, Role.ANALYST)
  @FieldResolver(() => Boolean, { description: 'The first-response target was missed. Staff only.' })
  firstResponseBreached(@Root() t: Ticket) {
    return t.firstResponseBreachedAt != null;
  }

  @Allow(Role.SUPPORT, Role.ANALYST)
  @FieldResolver(() => Boolean, { description: 'The current resolution target was missed. Staff only.' })
  resolutionBreached(@Root() t: Ticket) {
    return t.resolutionBreachedAt != null;
  }

  @Allow(Role.SUPPORT, Role.ANALYST)
  @FieldResolver(() => GraphQLDateTime, { nullable: true, description: 'When the breach detector found the first-response target missed. Staff only.' })
  firstResponseBreachedAt(@Root() t: Ticket) {
    return t.firstResponseBreachedAt ?? null;
  }

  @Allow(Role.SUPPORT, Role.ANALYST)
  @FieldResolver(() => GraphQLDateTime, { nullable: true, description: 'When the breach detector found the current resolution target missed. Staff only.' })
  resolutionBreachedAt(@Root() t: Ticket) {
    return t.resolutionBreachedAt ?? null;
  }
}

@Resolver(() => TicketUpdatedEvent)
export class TicketUpdatedEventResolver {
  @FieldResolver(() => Ticket, { description: 'The ticket as it is now (read when the event is delivered).' })
  ticket(@Root() event: TicketUpdatedEvent, @Ctx() ctx: Context) {
    return ctx.loader(TicketByIdLoader).load(event.ticketId);
  }
}

@Resolver(() => ProductQualityFigure)
export class ProductQualityFigureResolver {
  @FieldResolver(() => Product, { description: 'The product.' })
  product(@Root() f: ProductQualityFigure, @Ctx() ctx: Context) {
    return ctx.loader(ProductByIdLoader).load(f.productId);
  }
}
