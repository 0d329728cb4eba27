import { ArrayType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Customer } from '../customers/customer.entity.js';
import { Order } from '../orders/order.entity.js';
import { Product } from '../catalog/product.entity.js';
import { StaffUser } from '../identity/staff-user.entity.js';
import { Shipment } from '../tracking/tracking.entity.js';
import { ReturnRequest } from '../returns/returns.entity.js';
import { MessageAuthorKind, TicketCategory, TicketChannel, TicketPriority, TicketStatus, ticketLifecycle } from './support.lifecycle.js';

@Entity({ tableName: 'support_ticket' })
@Index({ name: 'support_ticket_created_idx', properties: ['createdAt', 'id'] })
@Index({ name: 'support_ticket_status_created_idx', properties: ['status', 'createdAt', 'id'] })
@Index({ name: 'support_ticket_customer_created_idx', properties: ['customer', 'createdAt', 'id'] })
@Index({ name: 'support_ticket_assignee_status_idx', properties: ['assignee', 'status', 'createdAt'] })
@Index({ name: 'support_ticket_category_created_idx', properties: ['category', 'createdAt'] })
@Index({ name: 'support_ticket_priority_created_idx', properties: ['priority', 'createdAt'] })
@Index({ name: 'support_ticket_next_due_idx', properties: ['nextDueAt', 'id'] })
@Index({ name: 'support_ticket_order_idx', properties: ['order'] })
@Index({ name: 'support_ticket_shipment_idx', properties: ['shipment', 'category'] })
@Index({ name: 'support_ticket_tags_gin_idx', expression: 'create index "support_ticket_tags_gin_idx" on "support_ticket" using gin ("tags")' })
@ObjectType({ description: 'A customer inquiry or complaint, worked by support against the SLA of its priority.' })
export class Ticket {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id (UUID).' })
  id: string = uuidv7();

  @Property({ type: 'integer', unique: 'support_ticket_number_unique' })
  @Field(() => Int, { description: 'Sequential ticket number.' })
  number!: number;

  @ManyToOne({ entity: () => Customer })
  customer!: Customer;

  @ManyToOne({ entity: () => Order, nullable: true })
  order?: Order | null;

  @ManyToOne({ entity: () => Shipment, nullable: true, fieldName: 'shipment_id' })
  shipment?: Shipment | null;

  /** Index on return_id is for the foreign key: deleting or locking a return must not scan tickets. */
  @ManyToOne({ entity: () => ReturnRequest, nullable: true, fieldName: 'return_id', index: 'support_ticket_return_idx' })
  returnRequest?: ReturnRequest | null;

  @Field(() => ID, { nullable: true, description: 'Shipment the ticket is about, if any.' })
  get shipmentId(): string | null {
    return this.shipment?.id ?? null;
  }

  @Field(() => ID, { nullable: true, description: 'Return (RMA) the ticket is about, if any.' })
  get returnId(): string | null {
    return this.returnRequest?.id ?? null;
  }

  @Enum({ items: () => TicketChannel, nativeEnumName: 'ticket_channel' })
  @Field(() => TicketChannel, { description: 'Where the customer contacted us.' })
  channel!: TicketChannel;

  @Enum({ items: () => TicketCategory, nativeEnumName: 'ticket_category' })
  @Field(() => TicketCategory, { description: 'What the ticket is about.' })
  category!: TicketCategory;

  @Enum({ items: () => TicketPriority, nativeEnumName: 'ticket_priority' })
  @Field(() => TicketPriority, { description: 'Urgency; selects the SLA policy.' })
  priority!: TicketPriority;

  @Enum({ items: () => TicketStatus, nativeEnumName: 'ticket_status' })
  @Field(() => TicketStatus, { description: 'Current lifecycle state.' })
  status: TicketStatus = TicketStatus.NEW;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Short summary.' })
  subject!: string;

  @ManyToOne({ entity: () => StaffUser, nullable: true })
  assignee?: StaffUser | null;

  @Property({ type: ArrayType, columnType: 'text[]' })
  @Field(() => [String], { description: 'Free-form labels, lower-case.' })
  tags: string[] = [];

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When the ticket was opened (application clock).' })
  createdAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Last change of any kind.' })
  updatedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'An agent must answer publicly by then (SLA of the priority, from opening).' })
  firstResponseDueAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'The ticket must be resolved by then (from opening, or from the last reopening).' })
  resolutionDueAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'First public agent reply.' })
  firstRespondedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was last resolved; null while unresolved.' })
  resolvedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was closed.' })
  closedAt?: Date | null;

  /** When the breach detector found the first-response target missed (staff-only field resolver). */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  firstResponseBreachedAt?: Date | null;

  /** When the breach detector found the current resolution target missed (staff-only field resolver). */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  resolutionBreachedAt?: Date | null;

  /** Set while PENDING_CUSTOMER: the SLA clocks stop, and the targets move out by the pause when work resumes. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Since when the SLA clocks are paused (waiting for the customer); null while they run.' })
  slaPausedAt?: Date | null;

  /** Earliest target still to be met (null when none runs): what the "breaching soon" queue sorts on. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Earliest SLA target still to be met; null when the ticket is resolved, closed or waiting for the customer.' })
  nextDueAt?: Date | null;

  @Property({ type: 'smallint', nullable: true })
  @Field(() => Int, { nullable: true, description: 'Customer satisfaction 1–5, given after resolution.' })
  satisfactionRating?: number | null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Customer comment given with the rating.' })
  satisfactionComment?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the customer rated.' })
  ratedAt?: Date | null;

  @Field(() => String, { description: 'Human-facing number, e.g. "T-1001".' })
  get displayNumber(): string {
    return `T-${this.number}`;
  }

  @Field(() => [TicketStatus], { description: 'States this ticket may move to now (before role checks).' })
  get nextStates(): TicketStatus[] {
    return ticketLifecycle.nextStates(this.status);
  }
}

@Entity({ tableName: 'support_ticket_message' })
@Index({ name: 'support_ticket_message_ticket_idx', properties: ['ticket', 'createdAt', 'id'] })
@ObjectType({ description: 'A message on a ticket: from the customer, an agent or the system; agents may add internal notes.' })
export class TicketMessage {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id (UUID).' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Ticket, deleteRule: 'cascade' })
  ticket!: Ticket;

  @Enum({ items: () => MessageAuthorKind, nativeEnumName: 'ticket_message_author_kind' })
  @Field(() => MessageAuthorKind, { description: 'Who wrote it.' })
  authorKind!: MessageAuthorKind;

  /** Customer or staff user id; null for system messages. */
  @Property({ type: 'uuid', nullable: true })
  @Field(() => ID, { nullable: true, description: 'Customer or staff user who wrote it; null for system messages.' })
  authorId?: string | null;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Message text.' })
  body!: string;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'Internal note: visible to staff only.' })
  internal: boolean = false;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was written (application clock).' })
  createdAt!: Date;
}

/** A product a ticket is about; COMPLAINT and PRODUCT_QUALITY tickets count toward that product's quality figures. */
@Entity({ tableName: 'support_ticket_product' })
@Unique({ name: 'support_ticket_product_unique', properties: ['ticket', 'product'] })
@Index({ name: 'support_ticket_product_product_idx', properties: ['product', 'ticket'] })
export class TicketProduct {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Ticket, deleteRule: 'cascade' })
  ticket!: Ticket;

  @ManyToOne({ entity: () => Product })
  product!: Product;
}

@Entity({ tableName: 'support_sla_policy' })
@Unique({ name: 'support_sla_policy_priority_unique', properties: ['priority'] })
@ObjectType({ description: 'Service-level targets for tickets of one priority.' })
export class SlaPolicy {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Enum({ items: () => TicketPriority, nativeEnumName: 'ticket_priority' })
  @Field(() => TicketPriority, { description: 'The priority this policy applies to.' })
  priority!: TicketPriority;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Minutes from opening to the first public agent reply.' })
  firstResponseMinutes!: number;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Minutes from opening (or reopening) to resolution.' })
  resolutionMinutes!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Last change.' })
  updatedAt: Date = new Date();
}

@Entity({ tableName: 'support_ticket_status_change' })
@Index({ name: 'support_ticket_status_change_ticket_idx', properties: ['ticket', 'at', 'id'] })
@ObjectType({ description: 'One entry of a ticket’s status history.' })
export class TicketStatusChange {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id (UUID).' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Ticket, deleteRule: 'cascade' })
  ticket!: Ticket;

  @Enum({ items: () => TicketStatus, nativeEnumName: 'ticket_status', nullable: true })
  @Field(() => TicketStatus, { nullable: true, description: 'Null for the entry that records opening.' })
  fromStatus?: TicketStatus | null;

  @Enum({ items: () => TicketStatus, nativeEnumName: 'ticket_status' })
  @Field(() => TicketStatus, { description: 'Status entered.' })
  toStatus!: TicketStatus;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Why, when a reason was given.' })
  reason?: string | null;

  /** staff | token | customer | system */
  @Property({ type: 'text' })
  @Field(() => String, { description: 'Who made the change: staff, token, customer or system (a reply that moved the ticket counts as its author).' })
  actorKind!: string;

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When (application clock).' })
  at!: Date;
}
