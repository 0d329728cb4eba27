import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { persistNew } from '../../common/persist.js';
import type { AppServices, Context } from '../../common/context.js';
import { viewerMay } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { customerIdOf } from '../../common/auth/viewer.js';
import { badInput, check, checkId, forbidden, notFound, type ErrorResult } from '../../common/errors.js';
import { inTransaction, rollbackWith } from '../../common/transaction.js';
import { recordEvent } from '../../common/events/publish.js';
import { paginate, type SortSpec } from '../../common/pagination.js';
import { Customer } from '../customers/customer.entity.js';
import { Order } from '../orders/order.entity.js';
import { Product } from '../catalog/product.entity.js';
import { StaffUser } from '../identity/staff-user.entity.js';
import { Shipment } from '../tracking/tracking.entity.js';
import { ReturnRequest } from '../returns/returns.entity.js';
import { SlaPolicy, Ticket, TicketMessage, TicketProduct, TicketStatusChange } from './ticket.entity.js';
import {
  MessageAuthorKind,
  OPEN_TICKET_STATES,
  SLA_RUNNING_STATES,
  TicketCategory,
  TicketChannel,
  TicketPriority,
  TicketStatus,
  ticketLifecycle,
} from './support.lifecycle.js';
import { IllegalTicketTransitionError, TicketAlreadyRatedError, TicketClosedError, TicketNotResolvedError } from './support.errors.js';
import { TicketByIdLoader } from './support.loaders.js';
import { TICKET_UPDATED, type SlaTargetName, type TicketUpdateKindName, type TicketUpdatedPayload } from './support.topics.js';
import {
  TicketQueue,
  TicketSortField,
  type AddTicketMessageInput,
  type AssignTicketInput,
  type OpenShipmentExceptionTicketInput,
  type OpenTicketInput,
  type ProductQualityArgs,
  type ProductQualityFigure,
  type RateTicketInput,
  type SetSlaPolicyInput,
  type TicketsArgs,
  type TransitionTicketInput,
  type UpdateTicketInput,
} from './support.types.js';

const MINUTE = 60_000;
const MAX_SUBJECT = 200;
const MAX_BODY = 10_000;
const MAX_LINKS = 20;
const TAG_RE = /^[a-z0-9][a-z0-9_-]{0,39}$/;

// ---------------------------------------------------------------------------------------------------------------
// SLA arithmetic

async function policyFor(em: EntityManager, priority: TicketPriority): Promise<SlaPolicy> {
  const policy = await em.findOne(SlaPolicy, { priority });
  // The migration seeds a policy for every priority and policies are only ever updated.
  if (!policy) throw new Error(`no SLA policy for priority ${priority}`);
  return policy;
}

const plusMinutes = (at: Date, minutes: number) => new Date(at.getTime() + minutes * MINUTE);

/** The earliest target still running, which is what the BREACHING_SOON queue orders by. */
function refreshNextDue(t: Ticket): void {
  if (!SLA_RUNNING_STATES.includes(t.status)) {
    t.nextDueAt = null;
    return;
  }
  const due: number[] = [];
  if (!t.firstRespondedAt) due.push(t.firstResponseDueAt.getTime());
  if (!t.resolvedAt) due.push(t.resolutionDueAt.getTime());
  t.nextDueAt = due.length ? new Date(Math.min(...due)) : null;
}

// ---------------------------------------------------------------------------------------------------------------
// Shared pieces

function emit(em: EntityManager, t: Ticket, kind: TicketUpdateKindName, at: Date, extra: { messageId?: string; internal?: boolean; breach?: SlaTargetName } = {}): void {
  recordEvent<TicketUpdatedPayload>(em, TICKET_UPDATED, {
    ticketId: t.id,
    customerId: t.customer.id,
    assigneeId: t.assignee?.id ?? null,
    kind,
    status: t.status,
    messageId: extra.messageId ?? null,
    internal: extra.internal ?? false,
    breach: extra.breach ?? null,
    at: at.toISOString(),
  });
}

function text(field: string, value: string | null | undefined, max: number): string {
  const v = (value ?? '').trim();
  check(v.length > 0, field, 'must not be empty');
  check(v.length <= max, field, `must be at most ${max} characters`);
  return v;
}

function normaliseTags(field: string, tags: string[]): string[] {
  check(tags.length <= MAX_LINKS, field, `must have at most ${MAX_LINKS} labels`);
  const out = [...new Set(tags.map((t) => t.trim().toLowerCase()))];
  out.forEach((t, i) => check(TAG_RE.test(t), `${field}[${i}]`, 'must be 1–40 characters: letters, digits, dash, underscore'));
  return out;
}

async function checkProducts(em: EntityManager, field: string, ids: string[]): Promise<string[]> {
  check(ids.length <= MAX_LINKS, field, `must list at most ${MAX_LINKS} products`);
  const unique = [...new Set(ids)];
  unique.forEach((id, i) => checkId(`${field}[${i}]`, id));
  if (unique.length === 0) return [];
  const found = await em.find(Product, { id: { $in: unique } }, { fields: ['id'] });
  const known = new Set(found.map((p) => p.id));
  const missing = unique.findIndex((id) => !known.has(id));
  if (missing >= 0) throw badInput(`${field}[${ids.indexOf(unique[missing]!)}]`, 'does not match any product');
  return unique;
}

async function checkOrderOf(em: EntityManager, field: string, orderId: string, customerId: string): Promise<void> {
  checkId(field, orderId);
  const order = await em.findOne(Order, { id: orderId }, { fields: ['id', 'customer'] });
  if (!order || order.customer.id !== customerId) throw badInput(field, 'does not match any order of this customer');
}

/**
 * A customer may only link their own shipment or return: someone else's answers NOT_FOUND, as if it did not
 * exist for them. Staff opening for a customer get BAD_USER_INPUT for an unknown id or another customer's.
 */
async function checkShipmentOf(ctx: Context, em: EntityManager, shipmentId: string, customerId: string): Promise<void> {
  const shipment = await em.findOne(Shipment, { id: shipmentId }, { populate: ['order'] });
  if (shipment && shipment.order.customer.id === customerId) return;
  if (shipment && customerIdOf(ctx.viewer)) throw notFound('Shipment', shipmentId);
  throw badInput('shipmentId', shipment ? 'does not match any shipment of this customer' : 'does not match any shipment');
}

async function checkReturnOf(ctx: Context, em: EntityManager, returnId: string, customerId: string): Promise<void> {
  const ret = await em.findOne(ReturnRequest, { id: returnId }, { fields: ['id', 'customer'] });
  if (ret && ret.customer.id === customerId) return;
  if (ret && customerIdOf(ctx.viewer)) throw notFound('Return', returnId);
  throw badInput('returnId', ret ? 'does not match any return of this customer' : 'does not match any return');
}

function actorOf(ctx: Context): { kind: string; id: string | null } {
  const v = ctx.viewer;
  switch (v.kind) {
    case 'staff':
      return { kind: 'staff', id: v.userId };
    case 'token':
      return { kind: 'token', id: v.tokenId };
    case 'customer':
      return { kind: 'customer', id: v.customerId };
    default:
      return { kind: 'system', id: null };
  }
}

function authorOf(ctx: Context): { kind: MessageAuthorKind; id: string | null } {
  const v = ctx.viewer;
  if (v.kind === 'customer') return { kind: MessageAuthorKind.CUSTOMER, id: v.customerId };
  if (v.kind === 'staff') return { kind: MessageAuthorKind.AGENT, id: v.userId };
  return { kind: MessageAuthorKind.AGENT, id: null };
}

interface NewTicket {
  customerId: string;
  orderId: string | null;
  shipmentId: string | null;
  returnId: string | null;
  channel: TicketChannel;
  category: TicketCategory;
  priority: TicketPriority;
  subject: string;
  body: string;
  productIds: string[];
  tags: string[];
  author: { kind: MessageAuthorKind; id: string | null };
}

/** Writes a ticket with its first message, due times from the clock now, and the CREATED event. */
async function createTicket(ctx: Context, em: EntityManager, d: NewTicket): Promise<Ticket> {
  const now = ctx.now();
  const policy = await policyFor(em, d.priority);
  const [{ n }] = await em.execute(`SELECT nextval('support_ticket_number_seq')::int AS n`);
  const ticket = persistNew(em, Ticket, {
    number: n,
    customer: em.getReference(Customer, d.customerId),
    order: d.orderId ? em.getReference(Order, d.orderId) : null,
    shipment: d.shipmentId ? em.getReference(Shipment, d.shipmentId) : null,
    returnRequest: d.returnId ? em.getReference(ReturnRequest, d.returnId) : null,
    channel: d.channel,
    category: d.category,
    priority: d.priority,
    status: TicketStatus.NEW,
    subject: d.subject,
    tags: d.tags,
    createdAt: now,
    updatedAt: now,
    firstResponseDueAt: plusMinutes(now, policy.firstResponseMinutes),
    resolutionDueAt: plusMinutes(now, policy.resolutionMinutes),
  });
  refreshNextDue(ticket);
  persistNew(em, TicketMessage, { ticket, authorKind: d.author.kind, authorId: d.author.id, body: d.body, internal: false, createdAt: now });
  const actor = d.author.kind === MessageAuthorKind.SYSTEM ? { kind: 'system', id: null } : actorOf(ctx);
  persistNew(em, TicketStatusChange, { ticket, fromStatus: null, toStatus: TicketStatus.NEW, reason: null, actorKind: actor.kind, actorId: actor.id, at: now });
  for (const productId of d.productIds) persistNew(em, TicketProduct, { ticket, product: em.getReference(Product, productId) });
  emit(em, ticket, 'CREATED', now);
  return ticket;
}

/** Locks the ticket for the rest of the transaction; a customer reaches only their own (others: NOT_FOUND). */
async function lockTicket(ctx: Context, em: EntityManager, ticketId: string): Promise<Ticket> {
  const ticket = await em.findOne(Ticket, { id: ticketId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const own = customerIdOf(ctx.viewer);
  if (!ticket || (own && ticket.customer.id !== own)) throw notFound('Ticket', ticketId);
  return ticket;
}

/**
 * Applies a lifecycle move with its side effects. Moves asked for by a person are checked against the
 * roles in the table; moves caused by a message (`automatic`) only against the table itself.
 */
async function moveTicket(ctx: Context, em: EntityManager, t: Ticket, to: TicketStatus, now: Date, automatic: boolean, reason: string | null = null): Promise<void> {
  const from = t.status;
  const rule = ticketLifecycle.rule(from, to);
  if (!rule) rollbackWith(IllegalTicketTransitionError.create(from, to));
  if (!automatic && !viewerMay(ctx.viewer, rule.by)) throw forbidden(`Moving a ticket from ${from} to ${to} requires one of: ${rule.by.join(', ')}`);
  if (from === TicketStatus.RESOLVED && to === TicketStatus.OPEN) {
    // A reopened ticket gets a fresh resolution target; the earlier one was met when it was resolved.
    const policy = await policyFor(em, t.priority);
    t.resolvedAt = null;
    t.resolutionDueAt = plusMinutes(now, policy.resolutionMinutes);
    t.resolutionBreachedAt = null;
  }
  if (from === TicketStatus.PENDING_CUSTOMER && t.slaPausedAt) {
    // Waiting for the customer does not count against support: running targets move out by the pause.
    const paused = now.getTime() - t.slaPausedAt.getTime();
    if (!t.firstRespondedAt) t.firstResponseDueAt = new Date(t.firstResponseDueAt.getTime() + paused);
    if (!t.resolvedAt && to !== TicketStatus.RESOLVED) t.resolutionDueAt = new Date(t.resolutionDueAt.getTime() + paused);
    t.slaPausedAt = null;
  }
  if (to === TicketStatus.PENDING_CUSTOMER) t.slaPausedAt = now;
  if (to === TicketStatus.RESOLVED) t.resolvedAt = now;
  if (to === TicketStatus.CLOSED) t.closedAt = now;
  t.status = to;
  t.updatedAt = now;
  refreshNextDue(t);
  const actor = actorOf(ctx);
  persistNew(em, TicketStatusChange, { ticket: t, fromStatus: from, toStatus: to, reason, actorKind: actor.kind, actorId: actor.id, at: now });
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations

/** Customers open their own tickets (always NORMAL, no labels); staff open tickets for a customer. */
export async function openTicket(ctx: Context, input: OpenTicketInput): Promise<Ticket | ErrorResult> {
  const own = customerIdOf(ctx.viewer);
  if (own && input.customerId && input.customerId !== own) throw forbidden('Customers can open tickets only for themselves');
  if (own) {
    check(input.priority == null, 'priority', 'is set by support; omit it');
    check(input.tags == null, 'tags', 'are set by support; omit them');
  }
  const customerId = own ?? input.customerId;
  check(customerId, 'customerId', 'is required when staff open a ticket');
  checkId('customerId', customerId);
  const subject = text('subject', input.subject, MAX_SUBJECT);
  const body = text('body', input.body, MAX_BODY);
  if (input.shipmentId) checkId('shipmentId', input.shipmentId);
  if (input.returnId) checkId('returnId', input.returnId);
  const tags = normaliseTags('tags', input.tags ?? []);
  return inTransaction(ctx.em, async (em) => {
    if (!own && !(await em.findOne(Customer, { id: customerId }, { fields: ['id'] }))) throw badInput('customerId', 'does not match any customer');
    if (input.orderId) await checkOrderOf(em, 'orderId', input.orderId, customerId);
    if (input.shipmentId) await checkShipmentOf(ctx, em, input.shipmentId, customerId);
    if (input.returnId) await checkReturnOf(ctx, em, input.returnId, customerId);
    const productIds = await checkProducts(em, 'productIds', input.productIds ?? []);
    return createTicket(ctx, em, {
      customerId,
      orderId: input.orderId ?? null,
      shipmentId: input.shipmentId ?? null,
      returnId: input.returnId ?? null,
      channel: input.channel ?? TicketChannel.IN_APP,
      category: input.category,
      priority: input.priority ?? TicketPriority.NORMAL,
      subject,
      body,
      productIds,
      tags,
      author: authorOf(ctx),
    });
  });
}

export interface SystemTicketData {
  customerId: string;
  orderId?: string | null;
  shipmentId?: string | null;
  category: TicketCategory;
  priority: TicketPriority;
  subject: string;
  body: string;
}

/**
 * Opens a ticket on behalf of the system (e.g. a shipment exception) inside the caller's transaction, with
 * `body` as a SYSTEM message. With a shipment it is idempotent per (shipment, category) while such a ticket
 * is open: a repeat returns the open ticket and writes nothing. A transaction-scoped advisory lock makes two
 * concurrent callers agree on one ticket.
 */
export async function openSystemTicket(ctx: Context, em: EntityManager, d: SystemTicketData): Promise<Ticket> {
  if (d.shipmentId) {
    await em.execute('SELECT pg_advisory_xact_lock(hashtext(?))', [`support.system-ticket:${d.shipmentId}:${d.category}`]);
    const existing = await em.findOne(Ticket, { shipment: d.shipmentId, category: d.category, status: { $in: [...OPEN_TICKET_STATES] } });
    if (existing) return existing;
  }
  return createTicket(ctx, em, {
    customerId: d.customerId,
    orderId: d.orderId ?? null,
    shipmentId: d.shipmentId ?? null,
    returnId: null,
    channel: TicketChannel.IN_APP,
    category: d.category,
    priority: d.priority,
    subject: d.subject,
    body: d.body,
    productIds: [],
    tags: [],
    author: { kind: MessageAuthorKind.SYSTEM, id: null },
  });
}

/** Staff entry point for shipment exceptions reported outside the tracking feed; the same path the tracking module uses. */
export async function openShipmentExceptionTicket(ctx: Context, input: OpenShipmentExceptionTicketInput): Promise<Ticket | ErrorResult> {
  checkId('customerId', input.customerId);
  checkId('shipmentId', input.shipmentId);
  const subject = text('subject', input.subject, MAX_SUBJECT);
  const body = text('body', input.body, MAX_BODY);
  return inTransaction(ctx.em, async (em) => {
    if (!(await em.findOne(Customer, { id: input.customerId }, { fields: ['id'] }))) throw badInput('customerId', 'does not match any customer');
    if (input.orderId) await checkOrderOf(em, 'orderId', input.orderId, input.customerId);
    await checkShipmentOf(ctx, em, input.shipmentId, input.customerId);
    return openSystemTicket(ctx, em, {
      customerId: input.customerId,
      orderId: input.orderId ?? null,
      shipmentId: input.shipmentId,
      category: TicketCategory.LOGISTICS,
      priority: input.priority ?? TicketPriority.HIGH,
      subject,
      body,
    });
  });
}

/**
 * Adds a message. An agent's first public reply meets the first-response target and opens a NEW ticket;
 * a customer reply brings a PENDING_CUSTOMER or RESOLVED ticket back to OPEN. Internal notes change nothing else.
 */
export async function addTicketMessage(ctx: Context, input: AddTicketMessageInput): Promise<Ticket | ErrorResult> {
  checkId('ticketId', input.ticketId);
  const body = text('body', input.body, MAX_BODY);
  const internal = input.internal ?? false;
  const author = authorOf(ctx);
  if (internal) check(author.kind === MessageAuthorKind.AGENT, 'internal', 'internal notes are for staff only');
  return inTransaction(ctx.em, async (em) => {
    const t = await lockTicket(ctx, em, input.ticketId);
    if (t.status === TicketStatus.CLOSED) rollbackWith(TicketClosedError.create());
    const now = ctx.now();
    if (!internal && author.kind === MessageAuthorKind.AGENT) {
      if (!t.firstRespondedAt) t.firstRespondedAt = now;
      if (t.status === TicketStatus.NEW) await moveTicket(ctx, em, t, TicketStatus.OPEN, now, true);
    }
    if (author.kind === MessageAuthorKind.CUSTOMER && (t.status === TicketStatus.PENDING_CUSTOMER || t.status === TicketStatus.RESOLVED)) {
      await moveTicket(ctx, em, t, TicketStatus.OPEN, now, true);
    }
    t.updatedAt = now;
    refreshNextDue(t);
    const message = persistNew(em, TicketMessage, { ticket: t, authorKind: author.kind, authorId: author.id, body, internal, createdAt: now });
    emit(em, t, 'MESSAGE', now, { messageId: message.id, internal });
    return t;
  });
}

export async function transitionTicket(ctx: Context, input: TransitionTicketInput): Promise<Ticket | ErrorResult> {
  checkId('ticketId', input.ticketId);
  const reason = input.reason?.trim() || null;
  if (reason) check(reason.length <= 1000, 'reason', 'must be at most 1000 characters');
  return inTransaction(ctx.em, async (em) => {
    const t = await lockTicket(ctx, em, input.ticketId);
    const rule = ticketLifecycle.rule(t.status, input.to);
    if (rule?.requiresReason && !reason) throw badInput('reason', `is required to move a ${t.status} ticket to ${input.to}`);
    const now = ctx.now();
    await moveTicket(ctx, em, t, input.to, now, false, reason);
    emit(em, t, 'STATUS_CHANGED', now);
    return t;
  });
}

export async function assignTicket(ctx: Context, input: AssignTicketInput): Promise<Ticket | ErrorResult> {
  checkId('ticketId', input.ticketId);
  if (input.assigneeId) checkId('assigneeId', input.assigneeId);
  return inTransaction(ctx.em, async (em) => {
    const t = await lockTicket(ctx, em, input.ticketId);
    if (t.status === TicketStatus.CLOSED) rollbackWith(TicketClosedError.create());
    let assignee: StaffUser | null = null;
    if (input.assigneeId) {
      assignee = await em.findOne(StaffUser, { id: input.assigneeId });
      const agent = assignee && assignee.active && (assignee.roles.includes(Role.SUPPORT) || assignee.roles.includes(Role.ADMIN));
      if (!agent) throw badInput('assigneeId', 'must be an active staff user with the SUPPORT role');
    }
    const now = ctx.now();
    t.assignee = assignee;
    t.updatedAt = now;
    emit(em, t, 'ASSIGNED', now, { internal: true });
    return t;
  });
}

export async function updateTicket(ctx: Context, input: UpdateTicketInput): Promise<Ticket | ErrorResult> {
  checkId('ticketId', input.ticketId);
  const tags = input.tags ? normaliseTags('tags', input.tags) : null;
  return inTransaction(ctx.em, async (em) => {
    const t = await lockTicket(ctx, em, input.ticketId);
    if (t.status === TicketStatus.CLOSED) rollbackWith(TicketClosedError.create());
    const now = ctx.now();
    if (input.priority && input.priority !== t.priority) {
      // Targets already met keep their history; running ones move by the difference between the policies,
      // which keeps their anchor (opening or reopening) and any pauses.
      const [was, next] = [await policyFor(em, t.priority), await policyFor(em, input.priority)];
      t.priority = input.priority;
      if (!t.firstRespondedAt) {
        t.firstResponseDueAt = plusMinutes(t.firstResponseDueAt, next.firstResponseMinutes - was.firstResponseMinutes);
        t.firstResponseBreachedAt = null;
      }
      if (!t.resolvedAt) {
        t.resolutionDueAt = plusMinutes(t.resolutionDueAt, next.resolutionMinutes - was.resolutionMinutes);
        t.resolutionBreachedAt = null;
      }
      refreshNextDue(t);
    }
    if (input.category) t.category = input.category;
    if (tags) t.tags = tags;
    if (input.productIds) {
      const productIds = await checkProducts(em, 'productIds', input.productIds);
      await em.nativeDelete(TicketProduct, { ticket: t.id });
      for (const productId of productIds) persistNew(em, TicketProduct, { ticket: t, product: em.getReference(Product, productId) });
    }
    t.updatedAt = now;
    emit(em, t, 'UPDATED', now, { internal: true });
    return t;
  });
}

/** The customer rates a resolved (or closed) ticket of theirs, once. */
export async function rateTicket(ctx: Context, input: RateTicketInput): Promise<Ticket | ErrorResult> {
  checkId('ticketId', input.ticketId);
  check(Number.isInteger(input.rating) && input.rating >= 1 && input.rating <= 5, 'rating', 'must be an integer from 1 to 5');
  const comment = input.comment?.trim() || null;
  if (comment) check(comment.length <= 2000, 'comment', 'must be at most 2000 characters');
  return inTransaction(ctx.em, async (em) => {
    const t = await lockTicket(ctx, em, input.ticketId);
    if (t.status !== TicketStatus.RESOLVED && t.status !== TicketStatus.CLOSED) rollbackWith(TicketNotResolvedError.create(t.status));
    if (t.satisfactionRating != null) rollbackWith(TicketAlreadyRatedError.create());
    const now = ctx.now();
    t.satisfactionRating = input.rating;
    t.satisfactionComment = comment;
    t.ratedAt = now;
    t.updatedAt = now;
    emit(em, t, 'RATED', now);
    return t;
  });
}

export async function setSlaPolicy(ctx: Context, input: SetSlaPolicyInput): Promise<SlaPolicy> {
  const MAX = 525_600;
  check(Number.isInteger(input.firstResponseMinutes) && input.firstResponseMinutes >= 1 && input.firstResponseMinutes <= MAX, 'firstResponseMinutes', `must be an integer from 1 to ${MAX}`);
  check(Number.isInteger(input.resolutionMinutes) && input.resolutionMinutes >= 1 && input.resolutionMinutes <= MAX, 'resolutionMinutes', `must be an integer from 1 to ${MAX}`);
  check(input.resolutionMinutes >= input.firstResponseMinutes, 'resolutionMinutes', 'must not be less than firstResponseMinutes');
  return ctx.em.transactional(async (em) => {
    const policy = await em.findOne(SlaPolicy, { priority: input.priority }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!policy) throw new Error(`no SLA policy for priority ${input.priority}`);
    policy.firstResponseMinutes = input.firstResponseMinutes;
    policy.resolutionMinutes = input.resolutionMinutes;
    policy.updatedAt = ctx.now();
    return policy;
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Queries

export async function getTicket(ctx: Context, id: string): Promise<Ticket> {
  checkId('id', id);
  const t = await ctx.loader(TicketByIdLoader).load(id);
  const own = customerIdOf(ctx.viewer);
  if (!t || (own && t.customer.id !== own)) throw notFound('Ticket', id);
  return t;
}

/** Customers never see internal notes. */
export function visibleMessages(ctx: Context, messages: TicketMessage[]): TicketMessage[] {
  return ctx.viewer.kind === 'customer' ? messages.filter((m) => !m.internal) : messages;
}

export function listSlaPolicies(ctx: Context): Promise<SlaPolicy[]> {
  return ctx.em.find(SlaPolicy, {}, { orderBy: { firstResponseMinutes: 'ASC', priority: 'ASC' } });
}

const SORTS: Record<TicketSortField, Omit<SortSpec, 'direction'> & { direction: 'ASC' | 'DESC' }> = {
  CREATED_AT: { name: 'CREATED_AT', property: 'createdAt', kind: 'date', direction: 'DESC' },
  NEXT_DUE_AT: { name: 'NEXT_DUE_AT', property: 'nextDueAt', kind: 'date', direction: 'ASC' },
};

export function listTickets(ctx: Context, args: TicketsArgs) {
  const f = args.filter ?? {};
  const conds: FilterQuery<Ticket>[] = [];
  const own = customerIdOf(ctx.viewer);
  if (own) {
    check(f.queue == null, 'filter.queue', 'queues are for staff');
    check(f.assigneeId == null, 'filter.assigneeId', 'is for staff');
    if (f.customerId && f.customerId !== own) throw forbidden('Customers can list only their own tickets');
    conds.push({ customer: own });
  } else if (f.customerId) {
    checkId('filter.customerId', f.customerId);
    conds.push({ customer: f.customerId });
  }
  if (f.breachWithinMinutes != null) {
    check(f.queue === TicketQueue.BREACHING_SOON, 'filter.breachWithinMinutes', 'applies only to the BREACHING_SOON queue');
    check(Number.isInteger(f.breachWithinMinutes) && f.breachWithinMinutes >= 1 && f.breachWithinMinutes <= 10_080, 'filter.breachWithinMinutes', 'must be an integer from 1 to 10080');
  }
  if (f.queue) conds.push({ status: { $in: [...OPEN_TICKET_STATES] } });
  if (f.queue === TicketQueue.UNASSIGNED) conds.push({ assignee: null });
  if (f.queue === TicketQueue.MINE) {
    if (ctx.viewer.kind !== 'staff') throw badInput('filter.queue', 'MINE needs a signed-in staff user (not an API token)');
    conds.push({ assignee: ctx.viewer.userId });
  }
  if (f.queue === TicketQueue.BREACHING_SOON) {
    conds.push({ nextDueAt: { $ne: null, $lte: plusMinutes(ctx.now(), f.breachWithinMinutes ?? 60) } });
  }
  if (f.status) {
    check(f.status.length > 0, 'filter.status', 'must list at least one status when given');
    conds.push({ status: { $in: f.status } });
  }
  if (f.category) conds.push({ category: f.category });
  if (f.priority) conds.push({ priority: f.priority });
  if (f.assigneeId) {
    checkId('filter.assigneeId', f.assigneeId);
    conds.push({ assignee: f.assigneeId });
  }
  if (f.tag) conds.push({ tags: { $contains: [f.tag.trim().toLowerCase()] } } as FilterQuery<Ticket>);
  const field = args.orderBy?.field ?? (f.queue === TicketQueue.BREACHING_SOON ? TicketSortField.NEXT_DUE_AT : TicketSortField.CREATED_AT);
  const sort = SORTS[field];
  if (field === TicketSortField.NEXT_DUE_AT) conds.push({ nextDueAt: { $ne: null } });
  return paginate(ctx.em, Ticket, conds.length ? { $and: conds } : {}, { ...sort, direction: args.orderBy?.direction ?? sort.direction }, args);
}

/** Complaints per product over a period, counted in SQL from the tickets tagged to each product. */
export async function productQualityFigures(ctx: Context, args: ProductQualityArgs): Promise<ProductQualityFigure[]> {
  check(args.from < args.to, 'to', 'must be after from');
  const first = args.first ?? 20;
  check(Number.isInteger(first) && first >= 1 && first <= 100, 'first', 'must be between 1 and 100');
  const rows = await ctx.em.execute(
    `SELECT tp.product_id,
            count(*)::int AS complaints,
            count(*) FILTER (WHERE t.status IN ('NEW', 'OPEN', 'PENDING_CUSTOMER'))::int AS open_complaints
       FROM support_ticket_product tp
       JOIN support_ticket t ON t.id = tp.ticket_id
      WHERE t.category IN ('COMPLAINT', 'PRODUCT_QUALITY') AND t.created_at >= ? AND t.created_at < ?
      GROUP BY tp.product_id
      ORDER BY complaints DESC, tp.product_id
      LIMIT ?`,
    [args.from, args.to, first],
  );
  return rows.map((r: any) => ({ productId: r.product_id, complaintCount: r.complaints, openComplaintCount: r.open_complaints }));
}

// ---------------------------------------------------------------------------------------------------------------
// Background job

const BREACH_BATCH = 500;

/**
 * Marks tickets whose SLA target passed while the clock runs (not while PENDING_CUSTOMER), once each, and records a ticketUpdated event per breach. The conditional
 * UPDATE (breached_at IS NULL) and SKIP LOCKED let several instances run it at once without double marks.
 */
export async function detectSlaBreaches(services: AppServices): Promise<number> {
  const now = services.clock.now();
  let total = 0;
  for (const target of ['FIRST_RESPONSE', 'RESOLUTION'] as const) {
    const [metCol, dueCol, breachCol] =
      target === 'FIRST_RESPONSE'
        ? ['first_responded_at', 'first_response_due_at', 'first_response_breached_at']
        : ['resolved_at', 'resolution_due_at', 'resolution_breached_at'];
    for (;;) {
      const em = services.orm.em.fork() as EntityManager;
      const marked = await em.transactional(async (tx) => {
        const rows = await tx.execute(
          `WITH due AS (
             SELECT id FROM support_ticket
              WHERE status IN ('NEW', 'OPEN') AND ${metCol} IS NULL AND ${breachCol} IS NULL AND ${dueCol} <= ?
              ORDER BY ${dueCol}, id
              LIMIT ${BREACH_BATCH}
              FOR UPDATE SKIP LOCKED
           )
           UPDATE support_ticket t SET ${breachCol} = ?, updated_at = ?
             FROM due WHERE t.id = due.id AND t.${breachCol} IS NULL
           RETURNING t.id, t.customer_id, t.assignee_id, t.status`,
          [now, now, now],
        );
        for (const r of rows) {
          recordEvent<TicketUpdatedPayload>(tx, TICKET_UPDATED, {
            ticketId: r.id,
            customerId: r.customer_id,
            assigneeId: r.assignee_id ?? null,
            kind: 'SLA_BREACH',
            status: r.status,
            messageId: null,
            internal: true,
            breach: target,
            at: now.toISOString(),
          });
        }
        return rows.length as number;
      });
      total += marked;
      if (marked < BREACH_BATCH) break;
    }
  }
  return total;
}

