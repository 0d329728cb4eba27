import { createHash } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { persistNew } from '../../common/persist.js';
import type { Context } from '../../common/context.js';
import { viewerMay } from '../../common/auth/access.js';
import { customerIdOf } from '../../common/auth/viewer.js';
import { badInput, check, checkId, forbidden, notFound, type ErrorResult } from '../../common/errors.js';
import { inTransaction, rollbackWith } from '../../common/transaction.js';
import { orderHooks, type PlacementDraft } from './orders.hooks.js';
import { recordEvent } from '../../common/events/publish.js';
import { paginate, type SortSpec } from '../../common/pagination.js';
import { Customer } from '../customers/customer.entity.js';
import { Channel, ChannelStatus } from '../channels/channel.entity.js';
import { Product, ProductStatus } from '../catalog/product.entity.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { ShippingService } from '../shipping/shipping.entity.js';
import { Order, OrderLine, OrderNote, OrderStatusChange } from './order.entity.js';
import { OrderHoldReason, OrderStatus, orderLifecycle } from './order.lifecycle.js';
import { IdempotencyKeyReusedError, IllegalOrderTransitionError, VariantUnavailableError } from './orders.errors.js';
import { OrderByIdLoader } from './orders.loaders.js';
import { ORDER_STATUS_CHANGED, type OrderStatusChangedPayload } from './orders.topics.js';
import { OrderSortField, type AddOrderNoteInput, type OrdersArgs, type PlaceOrderInput, type TransitionOrderInput } from './orders.types.js';

export const MAX_LINES = 100;
export const MAX_QUANTITY = 10_000;
export const MAX_ORDER_AMOUNT = 2_000_000_000;

export function actorOf(ctx: Context): { kind: string; id: string | null } {
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

function statusEvent(order: Order, previous: OrderStatus | null, reason: string | null, actorKind: string, at: Date): OrderStatusChangedPayload {
  return {
    orderId: order.id,
    customerId: order.customer.id,
    orderNumber: order.number,
    previousStatus: previous,
    status: order.status,
    reason,
    actorKind,
    changedAt: at.toISOString(),
  };
}

function resolveCustomerId(ctx: Context, requested: string | null | undefined): string {
  const own = customerIdOf(ctx.viewer);
  if (own) {
    if (requested && requested !== own) throw forbidden('Customers can place orders only for themselves');
    return own;
  }
  check(requested, 'customerId', 'is required when staff place an order');
  checkId('customerId', requested);
  return requested;
}

function checkPlaceOrderInput(input: PlaceOrderInput): void {
  check(input.lines.length > 0, 'lines', 'must contain at least one line');
  check(input.lines.length <= MAX_LINES, 'lines', `must contain at most ${MAX_LINES} lines`);
  const seen = new Set<string>();
  input.lines.forEach((line, i) => {
    checkId(`lines[${i}].variantId`, line.variantId);
    check(!seen.has(line.variantId), `lines[${i}].variantId`, 'appears on more than one line; put the whole quantity on one line');
    seen.add(line.variantId);
    check(Number.isInteger(line.quantity) && line.quantity >= 1 && line.quantity <= MAX_QUANTITY, `lines[${i}].quantity`, `must be an integer from 1 to ${MAX_QUANTITY}`);
  });
  if (input.note != null) check(input.note.length <= 1000, 'note', 'must be at most 1000 characters');
  if (input.idempotencyKey != null) {
    check(/^[\x21-\x7e]{8,128}$/.test(input.idempotencyKey), 'idempotencyKey', 'must be 8 to 128 printable ASCII characters');
  }
  const a = input.shippingAddress;
  if (a) {
    for (const f of ['name', 'line1', 'city', 'postalCode'] as const) {
      check(a[f].trim().length >= 1 && a[f].length <= 200, `shippingAddress.${f}`, 'must be 1 to 200 characters');
    }
    check(/^[A-Z]{2}$/.test(a.country), 'shippingAddress.country', 'must be an ISO 3166-1 alpha-2 code in upper case, e.g. DE');
    if (a.line2 != null) check(a.line2.length <= 200, 'shippingAddress.line2', 'must be at most 200 characters');
    if (a.phone != null) check(a.phone.length <= 40, 'shippingAddress.phone', 'must be at most 40 characters');
  }
  if (input.shippingServiceId != null) {
    checkId('shippingServiceId', input.shippingServiceId);
    check(a, 'shippingAddress', 'is required when a shipping service is chosen');
  }
}

/** Identifies a placement request: the same key with a different fingerprint is refused. */
function fingerprint(customerId: string, input: PlaceOrderInput): string {
  const lines = [...input.lines].sort((a, b) => a.variantId.localeCompare(b.variantId)).map((l) => [l.variantId, l.quantity]);
  const { lines: _l, idempotencyKey: _k, customerId: _c, ...rest } = input as unknown as Record<string, unknown>;
  const sorted = Object.fromEntries(Object.entries(rest).filter(([, v]) => v != null).sort(([a], [b]) => a.localeCompare(b)));
  return createHash('sha256').update(JSON.stringify([customerId, lines, sorted])).digest('hex');
}

/** Returns the order already placed with this key, an error if the key was used for other input, or null. */
async function replayed(ctx: Context, customerId: string, key: string, hash: string): Promise<Order | IdempotencyKeyReusedError | null> {
  const existing = await ctx.em.findOne(Order, { customer: customerId, idempotencyKey: key });
  if (!existing) return null;
  return existing.requestHash === hash ? existing : IdempotencyKeyReusedError.create();
}

/**
 * Places an order in PENDING_PAYMENT at current prices. One transaction writes the order, its lines,
 * the first status-history entry and the event.
 */
export async function placeOrder(ctx: Context, input: PlaceOrderInput): Promise<Order | ErrorResult> {
  checkPlaceOrderInput(input);
  const customerId = resolveCustomerId(ctx, input.customerId);
  const hash = fingerprint(customerId, input);
  if (input.idempotencyKey) {
    const prior = await replayed(ctx, customerId, input.idempotencyKey, hash);
    if (prior) return prior;
  }

  if (!(await ctx.em.count(Customer, { id: customerId }))) throw badInput('customerId', 'does not match any customer');

  const ids = input.lines.map((l) => l.variantId);
  const variants = await ctx.em.find(ProductVariant, { id: { $in: ids } });
  const byId = new Map(variants.map((v) => [v.id, v]));
  const products = await ctx.em.find(Product, { id: { $in: [...new Set(variants.map((v) => v.product.id))] } });
  const productById = new Map(products.map((p) => [p.id, p]));
  let currency: string | undefined;
  for (const [i, line] of input.lines.entries()) {
    const v = byId.get(line.variantId);
    if (!v) throw badInput(`lines[${i}].variantId`, 'does not match any product variant');
    const product = productById.get(v.product.id)!;
    if (!v.active || product.status !== ProductStatus.ACTIVE) return VariantUnavailableError.create(`lines[${i}].variantId`, v.id, v.sku);
    currency ??= v.currency;
    if (v.currency !== currency) throw badInput(`lines[${i}].variantId`, `is priced in ${v.currency}, but the order is in ${currency}; one order has one currency`);
  }

  let channelId: string | null = null;
  if (input.channelId) {
    checkId('channelId', input.channelId);
    const channel = await ctx.em.findOne(Channel, { id: input.channelId });
    if (!channel) throw badInput('channelId', 'does not match any channel');
    if (channel.status !== ChannelStatus.ACTIVE) throw badInput('channelId', 'is not an ACTIVE channel');
    if (channel.currency !== currency) throw badInput('channelId', `sells in ${channel.currency}, but the lines are priced in ${currency}`);
    channelId = channel.id;
  }

  const draft: PlacementDraft = {
    customerId,
    channelId,
    currency: currency!,
    input,
    lines: input.lines.map((line) => {
      const v = byId.get(line.variantId)!;
      return {
        variantId: v.id,
        productId: v.product.id,
        sku: v.sku,
        quantity: line.quantity,
        unitPriceAmount: v.priceAmount,
        lineTotalAmount: v.priceAmount * line.quantity,
      };
    }),
    subtotalAmount: 0,
    discountAmount: 0,
    shippingAmount: 0,
    taxAmount: 0,
  };
  draft.subtotalAmount = draft.lines.reduce((sum, l) => sum + l.lineTotalAmount, 0);
  check(draft.subtotalAmount <= MAX_ORDER_AMOUNT, 'lines', 'order total is too large');

  try {
    return await inTransaction(ctx.em, async (em) => {
      for (const step of orderHooks.pricingSteps()) await step.apply(ctx, em, draft);
      const total = draft.subtotalAmount - draft.discountAmount + draft.shippingAmount + draft.taxAmount;
      if (total < 0 || draft.discountAmount > draft.subtotalAmount + draft.shippingAmount) {
        throw new Error(`pricing produced a negative total (${JSON.stringify(draft)})`);
      }
      const [{ n }] = await em.execute(`SELECT nextval('order_number_seq')::int AS n`);
      const now = new Date();
      const order = persistNew(em, Order, {
        number: n,
        customer: em.getReference(Customer, customerId),
        channel: channelId ? em.getReference(Channel, channelId) : null,
        currency: draft.currency,
        status: OrderStatus.PENDING_PAYMENT,
        subtotalAmount: draft.subtotalAmount,
        discountAmount: draft.discountAmount,
        shippingAmount: draft.shippingAmount,
        taxAmount: draft.taxAmount,
        totalAmount: total,
        note: input.note ?? null,
        shippingAddress: input.shippingAddress
          ? {
              name: input.shippingAddress.name.trim(),
              line1: input.shippingAddress.line1.trim(),
              line2: input.shippingAddress.line2 ?? null,
              city: input.shippingAddress.city.trim(),
              postalCode: input.shippingAddress.postalCode.trim(),
              country: input.shippingAddress.country,
              phone: input.shippingAddress.phone ?? null,
            }
          : null,
        shippingService: input.shippingServiceId ? em.getReference(ShippingService, input.shippingServiceId) : null,
        idempotencyKey: input.idempotencyKey ?? null,
        requestHash: hash,
        placedAt: now,
        updatedAt: now,
      });
      for (const [position, line] of draft.lines.entries()) {
        const v = byId.get(line.variantId)!;
        const product = productById.get(v.product.id)!;
        persistNew(em, OrderLine, {
          order,
          variant: em.getReference(ProductVariant, v.id),
          position,
          sku: v.sku,
          title: `${product.name} — ${v.name}`,
          quantity: line.quantity,
          unitPriceAmount: line.unitPriceAmount,
          lineTotalAmount: line.lineTotalAmount,
          currency: v.currency,
        });
      }
      const actor = actorOf(ctx);
      persistNew(em, OrderStatusChange, { order, fromStatus: null, toStatus: order.status, reason: null, actorKind: actor.kind, actorId: actor.id, at: now });
      recordEvent(em, ORDER_STATUS_CHANGED, statusEvent(order, null, null, actor.kind, now));
      for (const hook of orderHooks.placedHooks()) await hook(ctx, em, order, draft);
      return order;
    });
  } catch (err) {
    // A concurrent retry with the same key won the race: answer like a retry.
    if (err instanceof UniqueConstraintViolationException && input.idempotencyKey && String(err.message).includes('order_customer_idempotency_unique')) {
      ctx.em.clear();
      const prior = await replayed(ctx, customerId, input.idempotencyKey, hash);
      if (prior) return prior;
    }
    throw err;
  }
}

/**
 * Moves an order along its lifecycle. The row is locked for the transaction, so of two concurrent moves
 * from the same state exactly one applies; the other sees the new state and gets ILLEGAL_TRANSITION.
 */
export async function transitionOrder(ctx: Context, input: TransitionOrderInput): Promise<Order | ErrorResult> {
  checkId('orderId', input.orderId);
  const reason = input.reason?.trim() || null;
  if (reason) check(reason.length <= 1000, 'reason', 'must be at most 1000 characters');
  if (input.to === OrderStatus.ON_HOLD) check(input.holdReason, 'holdReason', 'is required to put an order ON_HOLD');
  return inTransaction(ctx.em, async (em) => {
    const order = await em.findOne(Order, { id: input.orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const own = customerIdOf(ctx.viewer);
    if (!order || (own && order.customer.id !== own)) throw notFound('Order', input.orderId);
    return applyOrderTransition(ctx, em, order, input.to, reason, { holdReason: input.holdReason ?? null });
  });
}

/**
 * The one place an order changes status, for the transitionOrder mutation and for other modules (payment
 * capture, shipments, deliveries) inside their own transaction. The caller has locked the order row.
 * `system: true` skips the role check: the move follows from a fact (a captured payment, a delivery scan),
 * not from the viewer's decision, and is recorded with actor kind "system".
 */
export async function applyOrderTransition(
  ctx: Context,
  em: EntityManager,
  order: Order,
  to: OrderStatus,
  reason: string | null,
  opts: { system?: boolean; holdReason?: OrderHoldReason | null } = {},
): Promise<Order> {
  const from = order.status;
  const rule = orderLifecycle.rule(from, to);
  if (!rule || !order.nextStates.includes(to)) rollbackWith(IllegalOrderTransitionError.create(from, to, order.nextStates));
  if (!opts.system && !viewerMay(ctx.viewer, rule.by)) throw forbidden(`Moving an order from ${from} to ${to} requires one of: ${rule.by.join(', ')}`);
  if (rule.requiresReason && !reason) throw badInput('reason', `is required to move an order to ${to}`);
  const now = ctx.now();
  order.status = to;
  order.updatedAt = now;
  if (to === OrderStatus.ON_HOLD) {
    order.heldFromStatus = from;
    order.holdReason = opts.holdReason ?? OrderHoldReason.OTHER;
  } else if (from === OrderStatus.ON_HOLD) {
    order.heldFromStatus = null;
    order.holdReason = null;
  }
  const actor = opts.system ? { kind: 'system', id: null } : actorOf(ctx);
  persistNew(em, OrderStatusChange, { order, fromStatus: from, toStatus: to, reason, actorKind: actor.kind, actorId: actor.id, at: now });
  recordEvent(em, ORDER_STATUS_CHANGED, statusEvent(order, from, reason, actor.kind, now));
  for (const hook of orderHooks.transitionHooks(to)) await hook(ctx, em, order, from, to, reason);
  return order;
}

/** Appends a note to the order timeline without changing its status (visible to staff only). */
export async function addOrderNote(ctx: Context, input: AddOrderNoteInput): Promise<Order> {
  checkId('orderId', input.orderId);
  const note = input.note.trim();
  check(note.length >= 1 && note.length <= 2000, 'note', 'must be 1 to 2000 characters');
  const result = await inTransaction(ctx.em, async (em) => {
    const order = await em.findOne(Order, { id: input.orderId });
    if (!order) throw notFound('Order', input.orderId);
    const actor = actorOf(ctx);
    persistNew(em, OrderNote, { order, body: note, actorKind: actor.kind, actorId: actor.id, at: ctx.now() });
    return order;
  });
  return result as Order;
}

/** Staff see any order; a customer only their own (others answer NOT_FOUND, not FORBIDDEN, to hide existence). */
export async function getOrder(ctx: Context, id: string): Promise<Order> {
  checkId('id', id);
  const order = await ctx.loader(OrderByIdLoader).load(id);
  const own = customerIdOf(ctx.viewer);
  if (!order || (own && order.customer.id !== own)) throw notFound('Order', id);
  return order;
}

const SORTS: Record<OrderSortField, Omit<SortSpec, 'direction'>> = {
  PLACED_AT: { name: 'PLACED_AT', property: 'placedAt', kind: 'date' },
  TOTAL: { name: 'TOTAL', property: 'totalAmount', kind: 'number' },
  NUMBER: { name: 'NUMBER', property: 'number', kind: 'number' },
};

export function listOrders(ctx: Context, args: OrdersArgs, opts: { withCount?: boolean } = {}) {
  const f = args.filter ?? {};
  const where: FilterQuery<Order> = {};
  const own = customerIdOf(ctx.viewer);
  if (own) {
    if (f.customerId && f.customerId !== own) throw forbidden('Customers can list only their own orders');
    where.customer = own;
  } else if (f.customerId) {
    checkId('filter.customerId', f.customerId);
    where.customer = f.customerId;
  }
  if (f.channelId) {
    checkId('filter.channelId', f.channelId);
    where.channel = f.channelId;
  }
  if (f.status) {
    check(f.status.length > 0, 'filter.status', 'must list at least one status when given');
    where.status = { $in: f.status };
  }
  if (f.placedFrom && f.placedTo) check(f.placedFrom < f.placedTo, 'filter.placedTo', 'must be after filter.placedFrom');
  if (f.placedFrom || f.placedTo) {
    where.placedAt = {};
    if (f.placedFrom) where.placedAt.$gte = f.placedFrom;
    if (f.placedTo) where.placedAt.$lt = f.placedTo;
  }
  const sort = SORTS[args.orderBy?.field ?? OrderSortField.PLACED_AT];
  return paginate(ctx, Order, where, { ...sort, direction: args.orderBy?.direction ?? 'DESC' }, args, { rows: true, withCount: opts.withCount });
}
