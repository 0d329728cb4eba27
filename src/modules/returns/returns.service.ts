import { createHash } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { Context, type AppServices } from '../../common/context.js';
import { viewerMay } from '../../common/auth/access.js';
import { ANONYMOUS, customerIdOf } from '../../common/auth/viewer.js';
import { badInput, check, checkId, forbidden, notFound, type ErrorResult } from '../../common/errors.js';
import { recordEvent } from '../../common/events/publish.js';
import { paginate } from '../../common/pagination.js';
import { persistNew } from '../../common/persist.js';
import { inTransaction, rollbackWith } from '../../common/transaction.js';
import { Category } from '../catalog/category.entity.js';
import { Product, ProductStatus } from '../catalog/product.entity.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { Channel } from '../channels/channel.entity.js';
import { Warehouse } from '../inventory/inventory.entity.js';
import { recordStockMovement } from '../inventory/inventory.service.js';
import { Order, OrderLine, OrderStatusChange } from '../orders/order.entity.js';
import { OrderStatus } from '../orders/order.lifecycle.js';
import { VariantUnavailableError } from '../orders/orders.errors.js';
import { actorOf, applyOrderTransition } from '../orders/orders.service.js';
import { refundPayment } from '../payments/payments.service.js';
import { ReturnLine, ReturnPolicy, ReturnRefund, ReturnRequest, ReturnStatusChange } from './returns.entity.js';
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
import { ACTION_TARGETS, RELEASED_STATES, ReturnRefundStatus, ReturnResolution, ReturnStatus, returnLifecycle, returnRefundLifecycle } from './returns.lifecycle.js';
import { ReturnByIdLoader } from './returns.loaders.js';
import { RETURN_STATUS_CHANGED, type ReturnStatusChangedPayload } from './returns.topics.js';
import type {
  ExchangeReturnInput,
  InspectReturnInput,
  RefundReturnInput,
  RequestReturnInput,
  ReturnPoliciesArgs,
  ReturnRequestsArgs,
  SetReturnPolicyInput,
  TransitionReturnInput,
} from './returns.types.js';

export const DEFAULT_WINDOW_DAYS = 30;
export const MAX_RETURN_LINES = 100;
const DAY_MS = 86_400_000;

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

// ───────────────────────────── policy rules ─────────────────────────────

/**
 * THE rule for what an order delivered: an order that reached DELIVERED (COMPLETED follows it) delivered
 * every unit of every line; otherwise nothing. Returns the delivery time (first DELIVERED in the history,
 * or null) and the delivered units per order line.
 */
export async function deliveredQuantities(em: EntityManager, orderId: string): Promise<{ deliveredAt: Date | null; byLine: Map<string, number> }> {
  const [row] = await em.execute(
    `SELECT min(at) FILTER (WHERE to_status = 'DELIVERED') AS delivered_at,
            bool_or(to_status IN ('DELIVERED', 'COMPLETED')) AS delivered
     FROM order_status_change WHERE order_id = ?`,
    [orderId],
  );
  const byLine = new Map<string, number>();
  if (!row?.delivered) return { deliveredAt: null, byLine };
  const lines = await em.execute(`SELECT id, quantity FROM order_line WHERE order_id = ?`, [orderId]);
  for (const l of lines) byLine.set(l.id, Number(l.quantity));
  return { deliveredAt: row.delivered_at ? new Date(row.delivered_at) : null, byLine };
}

/** Units per order line held by returns that are not rejected or cancelled. */
async function alreadyReturned(em: EntityManager, orderId: string): Promise<Map<string, number>> {
  const rows = await em.execute(
    `SELECT rl.order_line_id, sum(rl.quantity)::int AS q
     FROM return_line rl JOIN return_request r ON r.id = rl.return_request_id
     WHERE r.order_id = ? AND r.status NOT IN (?) GROUP BY rl.order_line_id`,
    [orderId, [...RELEASED_STATES]],
  );
  return new Map(rows.map((r: any) => [r.order_line_id, Number(r.q)]));
}

export interface EffectivePolicy {
  windowDays: number;
  returnable: boolean;
  policyId: string | null;
}

/**
 * The policy for each order line: among policies whose category is on the product's category path (or
 * unset) and whose channel is the order's (or unset), the deepest category wins, then a set channel;
 * without any, the default window.
 */
async function policiesFor(em: EntityManager, order: Order, lineIds: string[]): Promise<Map<string, EffectivePolicy>> {
  const lines = await em.execute(
    `SELECT ol.id, coalesce(c.path, '{}') AS path
     FROM order_line ol JOIN product_variant v ON v.id = ol.variant_id JOIN product p ON p.id = v.product_id
     LEFT JOIN category c ON c.id = p.category_id
     WHERE ol.id IN (?)`,
    [lineIds],
  );
  const channelId = order.channel?.id ?? null;
  const categoryIds = [...new Set(lines.flatMap((l: any) => l.path as string[]))];
  const policies = await em.execute(
    `SELECT id, category_id, channel_id, window_days, returnable FROM return_policy
     WHERE (category_id IS NULL OR category_id = ANY(?::uuid[])) AND (channel_id IS NULL OR channel_id = ?::uuid)
       AND (category_id IS NOT NULL OR channel_id IS NOT NULL)`,
    [`{${categoryIds.join(',')}}`, channelId],
  );
  const result = new Map<string, EffectivePolicy>();
  for (const l of lines) {
    const path = l.path as string[];
    let best: { score: number; p: any } | null = null;
    for (const p of policies) {
      const depth = p.category_id ? path.indexOf(p.category_id) : -1;
      if (p.category_id && depth < 0) continue;
      // Category depth dominates; a channel only breaks ties (category+channel > category > channel).
      const score = (depth + 1) * 2 + (p.channel_id ? 1 : 0);
      if (!best || score > best.score) best = { score, p };
    }
    result.set(
      l.id,
      best ? { windowDays: Number(best.p.window_days), returnable: best.p.returnable, policyId: best.p.id } : { windowDays: DEFAULT_WINDOW_DAYS, returnable: true, policyId: null },
    );
  }
  return result;
}

// ───────────────────────────── history ─────────────────────────────

function record(ctx: Context, em: EntityManager, ret: ReturnRequest, from: ReturnStatus | null, reason: string | null, system = false): void {
  const actor = system ? { kind: 'system', id: null } : actorOf(ctx);
  const now = ctx.now();
  persistNew(em, ReturnStatusChange, { returnRequest: ret, fromStatus: from, toStatus: ret.status, reason, actorKind: actor.kind, actorId: actor.id, at: now });
  recordEvent<ReturnStatusChangedPayload>(em, RETURN_STATUS_CHANGED, {
    returnId: ret.id,
    orderId: ret.order.id,
    customerId: ret.customer.id,
    previousStatus: from,
    status: ret.status,
    reason,
    actorKind: actor.kind,
    changedAt: now.toISOString(),
  });
}

/**
 * The one place a return changes status. The caller holds the row lock. An illegal move rolls the whole
 * mutation back with IllegalReturnTransitionError; `system` moves follow from a fact (a settled refund).
 */
function moveReturn(ctx: Context, em: EntityManager, ret: ReturnRequest, to: ReturnStatus, reason: string | null, system = false): void {
  const from = ret.status;
  const rule = returnLifecycle.rule(from, to);
  if (!rule) rollbackWith(IllegalReturnTransitionError.create(from, to));
  if (!system && !viewerMay(ctx.viewer, rule.by)) throw forbidden(`Moving a return from ${from} to ${to} requires one of: ${rule.by.join(', ')}`);
  if (rule.requiresReason && !reason) throw badInput('reason', `is required to move a return to ${to}`);
  ret.status = to;
  ret.updatedAt = ctx.now();
  record(ctx, em, ret, from, reason, system);
}

/** Locks the return for the transaction; customers reach only their own (others answer NOT_FOUND). */
async function lockReturn(ctx: Context, em: EntityManager, id: string): Promise<ReturnRequest> {
  const ret = await em.findOne(ReturnRequest, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const own = customerIdOf(ctx.viewer);
  if (!ret || (own && ret.customer.id !== own)) throw notFound('Return', id);
  return ret;
}

// ───────────────────────────── requests ─────────────────────────────

const URL_RE = /^https:\/\/[^\s]+$/;

function checkRequestInput(input: RequestReturnInput): void {
  checkId('orderId', input.orderId);
  check(input.lines.length >= 1, 'lines', 'must contain at least one line');
  check(input.lines.length <= MAX_RETURN_LINES, 'lines', `must contain at most ${MAX_RETURN_LINES} lines`);
  const seen = new Set<string>();
  input.lines.forEach((l, i) => {
    checkId(`lines[${i}].orderLineId`, l.orderLineId);
    check(!seen.has(l.orderLineId), `lines[${i}].orderLineId`, 'appears on more than one line; put the whole quantity on one line');
    seen.add(l.orderLineId);
    check(Number.isInteger(l.quantity) && l.quantity >= 1, `lines[${i}].quantity`, 'must be a positive integer');
    if (l.note != null) check(l.note.length <= 1000, `lines[${i}].note`, 'must be at most 1000 characters');
  });
  if (input.customerNote != null) check(input.customerNote.length <= 2000, 'customerNote', 'must be at most 2000 characters');
  const photos = input.photoUrls ?? [];
  check(photos.length <= 10, 'photoUrls', 'must contain at most 10 URLs');
  photos.forEach((u, i) => check(URL_RE.test(u) && u.length <= 2000, `photoUrls[${i}]`, 'must be an https URL of at most 2000 characters'));
}

/**
 * Opens a return for delivered lines of an order. The order row is locked so that concurrent requests for
 * the same order see each other's quantities: together they never exceed what was delivered.
 */
export async function requestReturn(ctx: Context, input: RequestReturnInput): Promise<ReturnRequest | ErrorResult> {
  checkRequestInput(input);
  return inTransaction(ctx.em, async (em) => {
    const order = await em.findOne(Order, { id: input.orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const own = customerIdOf(ctx.viewer);
    if (!order || (own && order.customer.id !== own)) throw notFound('Order', input.orderId);
    const orderLines = await em.find(OrderLine, { order: order.id });
    const lineById = new Map(orderLines.map((l) => [l.id, l]));
    input.lines.forEach((l, i) => {
      if (!lineById.has(l.orderLineId)) throw badInput(`lines[${i}].orderLineId`, 'is not a line of this order');
    });
    const { deliveredAt, byLine } = await deliveredQuantities(em, order.id);
    if (!deliveredAt) rollbackWith(OrderNotDeliveredError.create(order.number));
    const returned = await alreadyReturned(em, order.id);
    const policies = await policiesFor(em, order, input.lines.map((l) => l.orderLineId));
    const now = ctx.now();
    for (const [i, l] of input.lines.entries()) {
      const policy = policies.get(l.orderLineId)!;
      const line = lineById.get(l.orderLineId)!;
      if (!policy.returnable) rollbackWith(ItemNotReturnableError.create(`lines[${i}].orderLineId`, line.id, line.sku));
      const closesAt = new Date(deliveredAt.getTime() + policy.windowDays * DAY_MS);
      if (now.getTime() > closesAt.getTime()) rollbackWith(ReturnWindowExpiredError.create(`lines[${i}].orderLineId`, line.id, policy.windowDays, closesAt));
      const left = (byLine.get(line.id) ?? 0) - (returned.get(line.id) ?? 0);
      if (l.quantity > left) rollbackWith(ReturnQuantityExceededError.create(`lines[${i}].quantity`, line.id, l.quantity, Math.max(0, left)));
    }
    const ret = persistNew(em, ReturnRequest, {
      order,
      customer: order.customer,
      status: ReturnStatus.REQUESTED,
      resolution: input.resolution,
      customerNote: input.customerNote?.trim() || null,
      photoUrls: input.photoUrls ?? [],
      requestedAt: now,
      updatedAt: now,
    });
    input.lines.forEach((l, position) =>
      persistNew(em, ReturnLine, {
        returnRequest: ret,
        orderLine: lineById.get(l.orderLineId)!,
        position,
        quantity: l.quantity,
        reasonCode: l.reasonCode,
        note: l.note?.trim() || null,
      }),
    );
    record(ctx, em, ret, null, null);
    return ret;
  });
}

/** Approve, reject, mark in transit / received, close or cancel. */
export async function transitionReturn(ctx: Context, input: TransitionReturnInput): Promise<ReturnRequest | ErrorResult> {
  checkId('returnId', input.returnId);
  const reason = input.reason?.trim() || null;
  if (reason) check(reason.length <= 1000, 'reason', 'must be at most 1000 characters');
  if (ACTION_TARGETS.has(input.to)) {
    throw badInput('to', `${input.to} is reached through ${input.to === ReturnStatus.INSPECTED ? 'inspectReturn' : input.to === ReturnStatus.REFUNDED ? 'refundReturn' : 'exchangeReturn'}`);
  }
  return inTransaction(ctx.em, async (em) => {
    const ret = await lockReturn(ctx, em, input.returnId);
    moveReturn(ctx, em, ret, input.to, reason);
    return ret;
  });
}

/**
 * Records the inspection of every line and books restockable units back into the chosen warehouse through
 * the inventory ledger (RETURN_RESTOCK, referenced by the return id), in one transaction.
 */
export async function inspectReturn(ctx: Context, input: InspectReturnInput): Promise<ReturnRequest | ErrorResult> {
  checkId('returnId', input.returnId);
  check(input.lines.length >= 1, 'lines', 'must list every line of the return');
  input.lines.forEach((l, i) => checkId(`lines[${i}].returnLineId`, l.returnLineId));
  const restocking = input.lines.some((l) => l.restockable);
  if (input.warehouseId != null) checkId('warehouseId', input.warehouseId);
  if (restocking) check(input.warehouseId, 'warehouseId', 'is required when a line is restockable');
  return inTransaction(ctx.em, async (em) => {
    const ret = await lockReturn(ctx, em, input.returnId);
    if (ret.status !== ReturnStatus.RECEIVED) rollbackWith(IllegalReturnTransitionError.create(ret.status, ReturnStatus.INSPECTED));
    const lines = await em.find(ReturnLine, { returnRequest: ret.id }, { orderBy: { position: 'ASC' }, populate: ['orderLine'] });
    const byId = new Map(lines.map((l) => [l.id, l]));
    const seen = new Set<string>();
    input.lines.forEach((l, i) => {
      if (!byId.has(l.returnLineId)) throw badInput(`lines[${i}].returnLineId`, 'is not a line of this return');
      check(!seen.has(l.returnLineId), `lines[${i}].returnLineId`, 'appears more than once');
      seen.add(l.returnLineId);
    });
    check(seen.size === lines.length, 'lines', `must list every line of the return (${lines.length})`);
    let warehouse: Warehouse | null = null;
    if (input.warehouseId) {
      warehouse = await em.findOne(Warehouse, { id: input.warehouseId });
      if (!warehouse) throw badInput('warehouseId', 'does not match any warehouse');
      check(warehouse.active, 'warehouseId', 'is not an active warehouse');
    }
    for (const l of input.lines) {
      const line = byId.get(l.returnLineId)!;
      line.condition = l.condition;
      line.restockable = l.restockable;
      if (l.restockable) {
        line.restockWarehouse = warehouse;
        await recordStockMovement(ctx, em, {
          variantId: line.orderLine.variant.id,
          warehouseId: warehouse!.id,
          quantity: line.quantity,
          kind: 'RETURN_RESTOCK',
          reference: `return:${ret.id}`,
          reason: `${line.reasonCode}, inspected ${l.condition}`,
        });
      }
    }
    moveReturn(ctx, em, ret, ReturnStatus.INSPECTED, null);
    return ret;
  });
}

// ───────────────────────────── refunds ─────────────────────────────

const checkKey = (key: string) => check(/^[\x21-\x7e]{8,128}$/.test(key), 'idempotencyKey', 'must be 8 to 128 printable ASCII characters');

/**
 * What a set of return lines is worth: units × unit price paid, where the order discount is spread over its
 * lines in proportion to their price (rounded down, so a refund never pays back more than was paid).
 */
function linesValue(order: Order, lines: ReturnLine[]): number {
  const paidShare = order.subtotalAmount > 0 ? (order.subtotalAmount - order.discountAmount) / order.subtotalAmount : 0;
  return lines.reduce((sum, l) => sum + Math.floor(l.quantity * l.orderLine.unitPriceAmount * paidShare), 0);
}

/**
 * Requests a refund of an INSPECTED REFUND-return. The refund is written PENDING with its amount capped by what
 * the order still has refundable; `settleReturnRefunds` books it against the payment ledger. The same key with
 * the same input answers with that refund (whatever its state) and never writes a second one.
 */
export async function refundReturn(ctx: Context, input: RefundReturnInput): Promise<ReturnRefund | ErrorResult> {
  checkId('returnId', input.returnId);
  checkKey(input.idempotencyKey);
  const reason = input.reason.trim();
  check(reason.length >= 1 && reason.length <= 1000, 'reason', 'must be 1 to 1000 characters');
  const lineIds = input.returnLineIds ?? null;
  if (lineIds) {
    check(lineIds.length >= 1 || input.includeShipping, 'returnLineIds', 'must name at least one line unless shipping is refunded');
    lineIds.forEach((id, i) => checkId(`returnLineIds[${i}]`, id));
    check(new Set(lineIds).size === lineIds.length, 'returnLineIds', 'must not repeat a line');
  }
  const hash = hashOf([input.returnId, lineIds ? [...lineIds].sort() : null, input.includeShipping, reason]);
  const attempt = () =>
    inTransaction(ctx.em, async (em) => {
      const ret = await lockReturn(ctx, em, input.returnId);
      const prior = await em.findOne(ReturnRefund, { returnRequest: ret.id, idempotencyKey: input.idempotencyKey });
      if (prior) {
        if (prior.requestHash !== hash) rollbackWith(ReturnIdempotencyKeyReusedError.create());
        return prior;
      }
      if (ret.resolution !== ReturnResolution.REFUND) rollbackWith(WrongReturnResolutionError.create(ret.resolution));
      if (ret.status !== ReturnStatus.INSPECTED) rollbackWith(IllegalReturnTransitionError.create(ret.status, ReturnStatus.REFUNDED));
      const pending = await em.findOne(ReturnRefund, { returnRequest: ret.id, status: ReturnRefundStatus.PENDING });
      if (pending) rollbackWith(RefundInProgressError.create(pending.id));
      const lines = await em.find(ReturnLine, { returnRequest: ret.id }, { orderBy: { position: 'ASC' }, populate: ['orderLine'] });
      const chosen = lineIds
        ? lineIds.map((id, i) => {
            const line = lines.find((l) => l.id === id);
            if (!line) throw badInput(`returnLineIds[${i}]`, 'is not a line of this return');
            return line;
          })
        : lines;
      // The order row is locked so that two returns of one order cannot both claim its shipping charge.
      const order = await em.findOneOrFail(Order, { id: ret.order.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (input.includeShipping) {
        const [shipped] = await em.execute(
          `SELECT rf.id FROM return_refund rf JOIN return_request r ON r.id = rf.return_request_id
           WHERE r.order_id = ? AND rf.includes_shipping AND rf.status IN ('PENDING', 'SUCCEEDED') LIMIT 1`,
          [order.id],
        );
        if (shipped) rollbackWith(ShippingAlreadyRefundedError.create(shipped.id));
      }
      const requested = linesValue(order, chosen) + (input.includeShipping ? order.shippingAmount : 0);
      const refundable = order.capturedAmount - order.refundedAmount;
      if (requested <= 0 || refundable <= 0) rollbackWith(NothingToRefundError.create(Math.max(0, refundable)));
      return persistNew(em, ReturnRefund, {
        returnRequest: ret,
        status: ReturnRefundStatus.PENDING,
        requestedAmountMinor: requested,
        amountMinor: Math.min(requested, refundable),
        currency: order.currency,
        returnLineIds: chosen.map((l) => l.id),
        includesShipping: input.includeShipping,
        reason,
        idempotencyKey: input.idempotencyKey,
        requestHash: hash,
        createdAt: ctx.now(),
      });
    });
  try {
    return await attempt();
  } catch (err) {
    // A concurrent retry with the same key committed first: answer like a retry.
    if (err instanceof UniqueConstraintViolationException && String(err.message).includes('return_refund_key_unique')) {
      ctx.em.clear();
      return attempt();
    }
    throw err;
  }
}

/**
 * Settles one PENDING refund inside the caller's transaction (row already locked): books it through the payment
 * ledger with a key derived from the return and the client key, so a refund is never booked twice even if a
 * settlement is retried after a crash. Capped again by what is refundable now (manual refunds or other returns
 * may have used some since); FAILED when nothing is left.
 */
async function settleRefund(ctx: Context, em: EntityManager, refund: ReturnRefund): Promise<void> {
  const ret = await em.findOneOrFail(ReturnRequest, { id: refund.returnRequest.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  const order = await em.findOneOrFail(Order, { id: ret.order.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  const refundable = order.capturedAmount - order.refundedAmount;
  const now = ctx.now();
  const to = refundable > 0 ? ReturnRefundStatus.SUCCEEDED : ReturnRefundStatus.FAILED;
  if (!returnRefundLifecycle.rule(refund.status, to)) return;
  if (to === ReturnRefundStatus.FAILED) {
    refund.status = to;
    refund.failureReason = `Nothing left to refund: captured ${order.capturedAmount}, refunded ${order.refundedAmount}`;
    refund.settledAt = now;
    return;
  }
  refund.amountMinor = Math.min(refund.amountMinor, refundable);
  refund.paymentTransaction = await refundPayment(ctx, em, {
    orderId: order.id,
    amountMinor: refund.amountMinor,
    reason: refund.reason,
    idempotencyKey: `return:${ret.id}:${refund.idempotencyKey}`,
    source: 'return',
  });
  refund.status = to;
  refund.settledAt = now;
  if (ret.status === ReturnStatus.INSPECTED) moveReturn(ctx, em, ret, ReturnStatus.REFUNDED, refund.reason, true);
}

/**
 * Job: settles PENDING refunds, one transaction each. Rows are claimed with FOR UPDATE SKIP LOCKED, so any
 * number of instances can run it at once and each refund is settled exactly once.
 */
export async function settleReturnRefunds(services: AppServices, limit = 100): Promise<number> {
  let settled = 0;
  for (; settled < limit; settled++) {
    const ctx = new Context(services, ANONYMOUS, `job:returns.settle-refunds`);
    const done = await ctx.em.transactional(async (em) => {
      const [row] = await em.execute(
        `SELECT id FROM return_refund WHERE status = 'PENDING' ORDER BY created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
      );
      if (!row) return false;
      const refund = await em.findOneOrFail(ReturnRefund, { id: row.id });
      await settleRefund(ctx, em, refund);
      return true;
    });
    if (!done) break;
  }
  return settled;
}

// ───────────────────────────── exchanges ─────────────────────────────

/**
 * Exchanges an INSPECTED EXCHANGE-return: writes a replacement order for the same customer at price zero,
 * linked to the return, and takes it through PAID to CONFIRMED as the system, so the inventory module reserves
 * its stock on its usual path. Too little stock refuses with InsufficientStockError and writes nothing.
 * A retry with the same input after success answers with the exchanged return.
 */
export async function exchangeReturn(ctx: Context, input: ExchangeReturnInput): Promise<ReturnRequest | ErrorResult> {
  checkId('returnId', input.returnId);
  const given = input.lines ?? [];
  given.forEach((l, i) => {
    checkId(`lines[${i}].returnLineId`, l.returnLineId);
    if (l.variantId != null) checkId(`lines[${i}].variantId`, l.variantId);
  });
  check(new Set(given.map((l) => l.returnLineId)).size === given.length, 'lines', 'must not repeat a return line');
  const hash = hashOf([input.returnId, [...given].sort((a, b) => a.returnLineId.localeCompare(b.returnLineId)).map((l) => [l.returnLineId, l.variantId ?? null])]);
  return inTransaction(ctx.em, async (em) => {
    const ret = await lockReturn(ctx, em, input.returnId);
    if (ret.status === ReturnStatus.EXCHANGED && ret.exchangeRequestHash === hash) return ret;
    if (ret.resolution !== ReturnResolution.EXCHANGE) rollbackWith(WrongReturnResolutionError.create(ret.resolution));
    if (ret.status !== ReturnStatus.INSPECTED) rollbackWith(IllegalReturnTransitionError.create(ret.status, ReturnStatus.EXCHANGED));
    const original = await em.findOneOrFail(Order, { id: ret.order.id });
    const lines = await em.find(ReturnLine, { returnRequest: ret.id }, { orderBy: { position: 'ASC' }, populate: ['orderLine'] });
    const byId = new Map(lines.map((l) => [l.id, l]));
    given.forEach((l, i) => {
      if (!byId.has(l.returnLineId)) throw badInput(`lines[${i}].returnLineId`, 'is not a line of this return');
    });
    const replacementOf = new Map(given.filter((l) => l.variantId).map((l) => [l.returnLineId, l.variantId!]));
    const wanted = lines.map((l) => {
      const i = given.findIndex((g) => g.returnLineId === l.id);
      // A line left out is replaced by its own variant; errors about it point at the whole list.
      return { line: l, variantId: replacementOf.get(l.id) ?? l.orderLine.variant.id, field: i >= 0 ? `lines[${i}].variantId` : 'lines' };
    });
    const variants = await em.find(ProductVariant, { id: { $in: [...new Set(wanted.map((w) => w.variantId))] } }, { populate: ['product'] });
    const variantById = new Map(variants.map((v) => [v.id, v]));
    for (const w of wanted) {
      const v = variantById.get(w.variantId);
      if (!v) throw badInput(w.field, 'does not match any product variant');
      if (v.currency !== original.currency) throw badInput(w.field, `is priced in ${v.currency}, but the order is in ${original.currency}`);
      if (!v.active || v.product.status !== ProductStatus.ACTIVE) rollbackWith(VariantUnavailableError.create(w.field, v.id, v.sku));
    }
    // Two return lines may ask for the same replacement variant: one order line per variant.
    const merged = new Map<string, number>();
    for (const w of wanted) merged.set(w.variantId, (merged.get(w.variantId) ?? 0) + w.line.quantity);

    const [{ n }] = await em.execute(`SELECT nextval('order_number_seq')::int AS n`);
    const now = ctx.now();
    const replacement = persistNew(em, Order, {
      number: n,
      customer: original.customer,
      channel: original.channel ?? null,
      currency: original.currency,
      status: OrderStatus.PENDING_PAYMENT,
      subtotalAmount: 0,
      discountAmount: 0,
      shippingAmount: 0,
      taxAmount: 0,
      totalAmount: 0,
      note: `Replacement for return ${ret.id} of order #${original.number}`,
      shippingAddress: original.shippingAddress ?? null,
      placedAt: now,
      updatedAt: now,
    });
    let position = 0;
    for (const [variantId, quantity] of merged) {
      const v = variantById.get(variantId)!;
      persistNew(em, OrderLine, {
        order: replacement,
        variant: v,
        position: position++,
        sku: v.sku,
        title: `${(v.product as Product).name} — ${v.name}`,
        quantity,
        unitPriceAmount: 0,
        lineTotalAmount: 0,
        currency: v.currency,
      });
    }
    persistNew(em, OrderStatusChange, { order: replacement, fromStatus: null, toStatus: OrderStatus.PENDING_PAYMENT, reason: `exchange for return ${ret.id}`, actorKind: 'system', actorId: null, at: now });
    for (const w of wanted) w.line.replacementVariantId = w.variantId;
    await em.flush();
    // Nothing is due, so the order is paid as it stands; confirming runs the inventory reservation hook.
    await applyOrderTransition(ctx, em, replacement, OrderStatus.PAID, 'exchange: nothing to pay', { system: true });
    await applyOrderTransition(ctx, em, replacement, OrderStatus.CONFIRMED, 'exchange', { system: true });
    ret.replacementOrder = replacement;
    ret.exchangeRequestHash = hash;
    moveReturn(ctx, em, ret, ReturnStatus.EXCHANGED, null);
    return ret;
  });
}

// ───────────────────────────── reads ─────────────────────────────

export async function getReturn(ctx: Context, id: string): Promise<ReturnRequest> {
  checkId('id', id);
  const ret = await ctx.loader(ReturnByIdLoader).load(id);
  const own = customerIdOf(ctx.viewer);
  if (!ret || (own && ret.customer.id !== own)) throw notFound('Return', id);
  return ret;
}

export function listReturns(ctx: Context, args: ReturnRequestsArgs) {
  const f = args.filter ?? {};
  const where: FilterQuery<ReturnRequest> = {};
  const own = customerIdOf(ctx.viewer);
  if (own) {
    if (f.customerId && f.customerId !== own) throw forbidden('Customers can list only their own returns');
    where.customer = own;
  } else if (f.customerId) {
    checkId('filter.customerId', f.customerId);
    where.customer = f.customerId;
  }
  if (f.orderId) {
    checkId('filter.orderId', f.orderId);
    where.order = f.orderId;
  }
  if (f.status) {
    check(f.status.length > 0, 'filter.status', 'must list at least one status when given');
    where.status = { $in: f.status };
  }
  return paginate(ctx.em, ReturnRequest, where, { name: 'REQUESTED_AT', property: 'requestedAt', direction: 'DESC', kind: 'date' }, args);
}

// ───────────────────────────── policies ─────────────────────────────

/** Creates the policy of a (category, channel) scope, or replaces it; scopes are serialised by an advisory lock. */
export async function setReturnPolicy(ctx: Context, input: SetReturnPolicyInput): Promise<ReturnPolicy> {
  check(input.categoryId || input.channelId, 'categoryId', 'or channelId is required (the default policy is fixed at 30 days)');
  if (input.categoryId) checkId('categoryId', input.categoryId);
  if (input.channelId) checkId('channelId', input.channelId);
  check(Number.isInteger(input.windowDays) && input.windowDays >= 0 && input.windowDays <= 365, 'windowDays', 'must be an integer from 0 to 365');
  if (input.categoryId && !(await ctx.em.count(Category, { id: input.categoryId }))) throw badInput('categoryId', 'does not match any category');
  if (input.channelId && !(await ctx.em.count(Channel, { id: input.channelId }))) throw badInput('channelId', 'does not match any channel');
  const result = await inTransaction(ctx.em, async (em) => {
    await em.execute(`SELECT pg_advisory_xact_lock(hashtext(?))`, [`return_policy:${input.categoryId ?? ''}:${input.channelId ?? ''}`]);
    const now = ctx.now();
    const existing = await em.findOne(ReturnPolicy, { category: input.categoryId ?? null, channel: input.channelId ?? null });
    if (existing) {
      existing.windowDays = input.windowDays;
      existing.returnable = input.returnable;
      existing.updatedAt = now;
      return existing;
    }
    return persistNew(em, ReturnPolicy, {
      category: input.categoryId ? em.getReference(Category, input.categoryId) : null,
      channel: input.channelId ? em.getReference(Channel, input.channelId) : null,
      windowDays: input.windowDays,
      returnable: input.returnable,
      createdAt: now,
      updatedAt: now,
    });
  });
  return result as ReturnPolicy;
}

export function listReturnPolicies(ctx: Context, args: ReturnPoliciesArgs) {
  return paginate(ctx.em, ReturnPolicy, {}, { name: 'CREATED_AT', property: 'createdAt', direction: 'ASC', kind: 'date' }, args);
}
