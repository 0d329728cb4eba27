import { ArgsType, Field, ID, InputType, Int, ObjectType, createUnionType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLSafeInt } from 'graphql-scalars';
import { PageArgs } from '../../common/pagination.js';
import { SortDirection } from '../orders/orders.types.js';
import { Ticket } from './ticket.entity.js';
import { TicketCategory, TicketChannel, TicketPriority, TicketStatus } from './support.lifecycle.js';
import { IllegalTicketTransitionError, TicketAlreadyRatedError, TicketClosedError, TicketNotResolvedError } from './support.errors.js';

export enum TicketQueue {
  UNASSIGNED = 'UNASSIGNED',
  MINE = 'MINE',
  BREACHING_SOON = 'BREACHING_SOON',
}
registerEnumType(TicketQueue, {
  name: 'TicketQueue',
  description: 'Agent work queues over open tickets (NEW, OPEN, PENDING_CUSTOMER).',
  valuesConfig: {
    UNASSIGNED: { description: 'Open tickets nobody is assigned to.' },
    MINE: { description: 'Open tickets assigned to the signed-in staff user.' },
    BREACHING_SOON: { description: 'Tickets with a running SLA clock whose next target falls within `breachWithinMinutes` (already breached ones included), most urgent first.' },
  },
});

export enum TicketUpdateKind {
  CREATED = 'CREATED',
  MESSAGE = 'MESSAGE',
  STATUS_CHANGED = 'STATUS_CHANGED',
  ASSIGNED = 'ASSIGNED',
  UPDATED = 'UPDATED',
  SLA_BREACH = 'SLA_BREACH',
  RATED = 'RATED',
}
registerEnumType(TicketUpdateKind, {
  name: 'TicketUpdateKind',
  description: 'What changed on a ticket.',
  valuesConfig: {
    CREATED: { description: 'The ticket was opened.' },
    MESSAGE: { description: 'A message or (staff only) internal note was added; see messageId.' },
    STATUS_CHANGED: { description: 'Someone moved the ticket to another status.' },
    ASSIGNED: { description: 'Assigned or unassigned (staff only).' },
    UPDATED: { description: 'Priority, category, labels or products changed (staff only).' },
    SLA_BREACH: { description: 'An SLA target was missed; see breach (staff only).' },
    RATED: { description: 'The customer rated the ticket.' },
  },
});

export enum SlaTarget {
  FIRST_RESPONSE = 'FIRST_RESPONSE',
  RESOLUTION = 'RESOLUTION',
}
registerEnumType(SlaTarget, { name: 'SlaTarget', description: 'Which SLA target was missed.' });

export enum TicketSortField {
  CREATED_AT = 'CREATED_AT',
  NEXT_DUE_AT = 'NEXT_DUE_AT',
}
registerEnumType(TicketSortField, {
  name: 'TicketSortField',
  description: 'Ticket orderings. NEXT_DUE_AT lists only tickets with a running SLA target.',
});

@InputType({ description: 'Open a ticket. Customers open their own; staff open one on behalf of a customer.' })
export class OpenTicketInput {
  @Field(() => ID, { nullable: true, description: 'Staff: the customer (required). Customers: omit, or their own id.' })
  customerId?: string | null;

  @Field(() => String, { description: 'Summary, 1–200 characters.' })
  subject!: string;

  @Field(() => String, { description: 'First message, 1–10000 characters.' })
  body!: string;

  @Field(() => TicketCategory, { description: 'What it is about.' })
  category!: TicketCategory;

  @Field(() => TicketChannel, { nullable: true, description: 'Where the contact came in. Default IN_APP.' })
  channel?: TicketChannel | null;

  @Field(() => TicketPriority, { nullable: true, description: 'Staff only; customers always open NORMAL tickets. Default NORMAL.' })
  priority?: TicketPriority | null;

  @Field(() => ID, { nullable: true, description: 'Related order; must belong to the customer.' })
  orderId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Related shipment.' })
  shipmentId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Related return (RMA).' })
  returnId?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Products the ticket is about (at most 20).' })
  productIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Staff only: labels, each 1–40 characters, at most 20.' })
  tags?: string[] | null;
}

@InputType({ description: 'A carrier or warehouse reported an exception on a shipment; opens a LOGISTICS ticket with a system message.' })
export class OpenShipmentExceptionTicketInput {
  @Field(() => ID, { description: 'The customer the shipment goes to.' })
  customerId!: string;

  @Field(() => ID, { description: 'The shipment with the exception. One open LOGISTICS ticket per shipment: repeats return it.' })
  shipmentId!: string;

  @Field(() => ID, { nullable: true, description: 'The order shipped; must belong to the customer.' })
  orderId?: string | null;

  @Field(() => TicketPriority, { nullable: true, description: 'Default HIGH.' })
  priority?: TicketPriority | null;

  @Field(() => String, { description: 'Summary, 1–200 characters.' })
  subject!: string;

  @Field(() => String, { description: 'What happened (the system message), 1–10000 characters.' })
  body!: string;
}

@InputType({ description: 'A message on a ticket.' })
export class AddTicketMessageInput {
  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;

  @Field(() => String, { description: '1–10000 characters.' })
  body!: string;

  @Field(() => Boolean, { nullable: true, description: 'Staff only: an internal note, never shown to the customer and no SLA effect. Default false.' })
  internal?: boolean | null;
}

@InputType({ description: 'Move a ticket along its lifecycle.' })
export class TransitionTicketInput {
  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;

  @Field(() => TicketStatus, { description: 'Target status; see Ticket.nextStates.' })
  to!: TicketStatus;

  @Field(() => String, { nullable: true, description: 'Why; required to close a NEW ticket. At most 1000 characters; kept in the status history.' })
  reason?: string | null;
}

@InputType({ description: 'Assign a ticket to a support agent, or unassign it.' })
export class AssignTicketInput {
  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;

  @Field(() => ID, { nullable: true, description: 'An active staff user with the SUPPORT (or ADMIN) role; null unassigns.' })
  assigneeId?: string | null;
}

@InputType({ description: 'Change how a ticket is classified. Omitted fields stay as they are.' })
export class UpdateTicketInput {
  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;

  @Field(() => TicketPriority, { nullable: true, description: 'New priority; due times not yet met are recomputed from the new policy.' })
  priority?: TicketPriority | null;

  @Field(() => TicketCategory, { nullable: true, description: 'New category.' })
  category?: TicketCategory | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the labels (each 1–40 characters, at most 20).' })
  tags?: string[] | null;

  @Field(() => [ID], { nullable: true, description: 'Replaces the products the ticket is about (at most 20).' })
  productIds?: string[] | null;
}

@InputType({ description: 'The customer rates how their ticket was handled.' })
export class RateTicketInput {
  @Field(() => ID, { description: 'The ticket (RESOLVED or CLOSED, not yet rated).' })
  ticketId!: string;

  @Field(() => Int, { description: '1 (very unhappy) to 5 (very happy).' })
  rating!: number;

  @Field(() => String, { nullable: true, description: 'At most 2000 characters.' })
  comment?: string | null;
}

@InputType({ description: 'SLA targets for one priority. Applies to tickets opened (or reprioritised, or reopened) afterwards.' })
export class SetSlaPolicyInput {
  @Field(() => TicketPriority, { description: 'The priority.' })
  priority!: TicketPriority;

  @Field(() => Int, { description: 'Minutes to the first public reply, 1–525600.' })
  firstResponseMinutes!: number;

  @Field(() => Int, { description: 'Minutes to resolution, 1–525600, not less than firstResponseMinutes.' })
  resolutionMinutes!: number;
}

export const OpenTicketResult = createUnionType({
  name: 'OpenTicketResult',
  description: 'The ticket opened.',
  types: () => [Ticket] as const,
});

export const TicketMessageResult = createUnionType({
  name: 'TicketMessageResult',
  description: 'The ticket after the message, or why it was refused (nothing was written then).',
  types: () => [Ticket, TicketClosedError] as const,
});

export const TransitionTicketResult = createUnionType({
  name: 'TransitionTicketResult',
  description: 'The ticket after the move, or why it was refused (nothing was changed then).',
  types: () => [Ticket, IllegalTicketTransitionError] as const,
});

export const UpdateTicketResult = createUnionType({
  name: 'UpdateTicketResult',
  description: 'The ticket after the change, or why it was refused (nothing was changed then).',
  types: () => [Ticket, TicketClosedError] as const,
});

export const RateTicketResult = createUnionType({
  name: 'RateTicketResult',
  description: 'The rated ticket, or why the rating was refused.',
  types: () => [Ticket, TicketNotResolvedError, TicketAlreadyRatedError] as const,
});

@InputType({ description: 'Ticket filters; all given conditions must hold.' })
export class TicketFilter {
  @Field(() => TicketQueue, { nullable: true, description: 'Staff only: one of the agent queues.' })
  queue?: TicketQueue | null;

  @Field(() => Int, { nullable: true, description: 'For BREACHING_SOON: the window in minutes, 1–10080. Default 60.' })
  breachWithinMinutes?: number | null;

  @Field(() => [TicketStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: TicketStatus[] | null;

  @Field(() => TicketCategory, { nullable: true, description: 'Only this category.' })
  category?: TicketCategory | null;

  @Field(() => TicketPriority, { nullable: true, description: 'Only this priority.' })
  priority?: TicketPriority | null;

  @Field(() => ID, { nullable: true, description: 'Staff only; a customer always gets their own tickets.' })
  customerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Staff only: tickets assigned to this staff user.' })
  assigneeId?: string | null;

  @Field(() => String, { nullable: true, description: 'Tickets carrying this label.' })
  tag?: string | null;
}

@InputType({ description: 'Ticket ordering.' })
export class TicketOrder {
  @Field(() => TicketSortField, { defaultValue: TicketSortField.CREATED_AT, description: 'Sort key; ties are broken by id.' })
  field!: TicketSortField;

  @Field(() => SortDirection, { nullable: true, description: 'Default: DESC for CREATED_AT, ASC for NEXT_DUE_AT.' })
  direction?: SortDirection | null;
}

@ArgsType()
export class TicketsArgs extends PageArgs {
  @Field(() => TicketFilter, { nullable: true, description: 'Which tickets.' })
  filter?: TicketFilter | null;

  @Field(() => TicketOrder, { nullable: true, description: 'Default: newest first; the BREACHING_SOON queue defaults to most urgent first.' })
  orderBy?: TicketOrder | null;
}

@ArgsType()
export class ProductQualityArgs {
  @Field(() => GraphQLDateTime, { description: 'Tickets opened at or after.' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'Tickets opened strictly before.' })
  to!: Date;

  @Field(() => Int, { nullable: true, description: 'At most this many products, 1–100, most complained about first. Default 20.' })
  first?: number | null;
}

@ObjectType({ description: 'Complaints about one product over a period, counted from tickets.' })
export class ProductQualityFigure {
  @Field(() => ID, { description: 'The product.' })
  productId!: string;

  @Field(() => Int, { description: 'COMPLAINT and PRODUCT_QUALITY tickets tagged to the product, opened in the period.' })
  complaintCount!: number;

  @Field(() => Int, { description: 'Of those, the ones still open (NEW, OPEN, PENDING_CUSTOMER).' })
  openComplaintCount!: number;
}

@ArgsType()
export class TicketUpdatedArgs {
  @Field(() => ID, { nullable: true, description: 'Only this ticket.' })
  ticketId?: string | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'Resume: first replay, in order and once, every matching event with a greater eventId, then go live.',
  })
  afterEventId?: number | null;
}

@ObjectType({ description: 'Something happened on a ticket: opened, new message, status change, assignment, SLA breach, rating.' })
export class TicketUpdatedEvent {
  @Field(() => GraphQLSafeInt, { description: 'Delivery order of this event; pass the last one seen as afterEventId to resume.' })
  eventId!: number;

  @Field(() => ID, { description: 'The ticket.' })
  ticketId!: string;

  @Field(() => TicketUpdateKind, { description: 'What happened.' })
  kind!: TicketUpdateKind;

  @Field(() => TicketStatus, { description: 'Ticket status right after the change.' })
  status!: TicketStatus;

  @Field(() => ID, { nullable: true, description: 'For MESSAGE: the new message.' })
  messageId!: string | null;

  @Field(() => SlaTarget, { nullable: true, description: 'For SLA_BREACH: the target missed.' })
  breach!: SlaTarget | null;

  @Field(() => GraphQLDateTime, { description: 'When it happened (application clock).' })
  at!: Date;
}
