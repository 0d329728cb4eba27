import { createHash } from 'node:crypto';
import { LockMode, type EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';
import { check, checkId, notFound, type ErrorResult } from '../../common/errors.js';
import { persistNew } from '../../common/persist.js';
import { inTransaction, rollbackWith } from '../../common/transaction.js';
import { Order } from '../orders/order.entity.js';
import { OrderStatus } from '../orders/order.lifecycle.js';
import { actorOf, applyOrderTransition } from '../orders/orders.service.js';
import { PaymentKind, PaymentTransaction } from './payment.entity.js';
import { PaymentAmountExceededError, PaymentIdempotencyKeyReusedError, PaymentNotCapturableError } from './payments.errors.js';
import type { CapturePaymentInput, RefundPaymentInput } from './payments.types.js';

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');
const checkKey = (key: string) => check(/^[\x21-\x7e]{8,128}$/.test(key), 'idempotencyKey', 'must be 8 to 128 printable ASCII characters');

/** The earlier transaction for this key, or a refusal when the key was used for other input. */
async function priorFor(em: EntityManager, kind: PaymentKind, key: string, hash: string): Promise<PaymentTransaction | null> {
  const prior = await em.findOne(PaymentTransaction, { kind, idempotencyKey: key });
  if (prior && prior.requestHash !== hash) rollbackWith(PaymentIdempotencyKeyReusedError.create());
  return prior;
}

export interface RefundRequest {
  orderId: string;
  amountMinor: number;
  reason: string;
  idempotencyKey: string;
  /** What causes the refund: 'manual', 'cancellation', 'return'… */
  source: string;
}

/**
 * Seam for cancellation and returns: refunds inside the caller's transaction. The order row is locked first, so
 * concurrent refunds are serialised and refunded never exceeds captured; a retry with the same key returns the
 * first refund without refunding again. Refuses with `rollbackWith(PaymentAmountExceededError |
 * PaymentIdempotencyKeyReusedError)`.
 */
export async function refundPayment(ctx: Context, em: EntityManager, req: RefundRequest): Promise<PaymentTransaction> {
  check(Number.isSafeInteger(req.amountMinor) && req.amountMinor >= 1, 'amountMinor', 'must be a positive integer');
  checkKey(req.idempotencyKey);
  const order = await em.findOne(Order, { id: req.orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!order) throw notFound('Order', req.orderId);
  const hash = hashOf([req.orderId, req.amountMinor, req.source]);
  const prior = await priorFor(em, PaymentKind.REFUND, req.idempotencyKey, hash);
  if (prior) return prior;
  const refundable = order.capturedAmount - order.refundedAmount;
  if (req.amountMinor > refundable) rollbackWith(PaymentAmountExceededError.create('refund', req.amountMinor, refundable));
  order.refundedAmount += req.amountMinor;
  order.updatedAt = ctx.now();
  return persistNew(em, PaymentTransaction, {
    order,
    kind: PaymentKind.REFUND,
    amountMinor: req.amountMinor,
    currency: order.currency,
    reason: req.reason,
    source: req.source,
    idempotencyKey: req.idempotencyKey,
    requestHash: hash,
    actorKind: actorOf(ctx).kind,
    at: ctx.now(),
  });
}

/** Records a captured payment; capturing the whole total moves the order to PAID. */
export async function capturePayment(ctx: Context, input: CapturePaymentInput): Promise<Order | ErrorResult> {
  checkId('orderId', input.orderId);
  checkKey(input.idempotencyKey);
  if (input.amountMinor != null) check(Number.isSafeInteger(input.amountMinor) && input.amountMinor >= 1, 'amountMinor', 'must be a positive integer');
  const hash = hashOf([input.orderId, input.amountMinor ?? null]);
  return inTransaction(ctx.em, async (em) => {
    const order = await em.findOne(Order, { id: input.orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!order) throw notFound('Order', input.orderId);
    if (await priorFor(em, PaymentKind.CAPTURE, input.idempotencyKey, hash)) return order;
    if (order.status !== OrderStatus.PENDING_PAYMENT) rollbackWith(PaymentNotCapturableError.create(order.status));
    const open = order.totalAmount - order.capturedAmount;
    const amount = input.amountMinor ?? open;
    if (amount > open || amount < 1) rollbackWith(PaymentAmountExceededError.create('capture', amount, open));
    order.capturedAmount += amount;
    order.updatedAt = ctx.now();
    persistNew(em, PaymentTransaction, {
      order,
      kind: PaymentKind.CAPTURE,
      amountMinor: amount,
      currency: order.currency,
      reason: null,
      source: 'manual',
      idempotencyKey: input.idempotencyKey,
      requestHash: hash,
      actorKind: actorOf(ctx).kind,
      at: ctx.now(),
    });
    if (order.capturedAmount === order.totalAmount) await applyOrderTransition(ctx, em, order, OrderStatus.PAID, 'payment captured', { system: true });
    return order;
  });
}

export async function refundOrderPayment(ctx: Context, input: RefundPaymentInput): Promise<Order | ErrorResult> {
  checkId('orderId', input.orderId);
  const reason = input.reason.trim();
  check(reason.length >= 1 && reason.length <= 1000, 'reason', 'must be 1 to 1000 characters');
  return inTransaction(ctx.em, async (em) => {
    await refundPayment(ctx, em, { orderId: input.orderId, amountMinor: input.amountMinor, reason, idempotencyKey: input.idempotencyKey, source: 'manual' });
    return em.findOneOrFail(Order, { id: input.orderId });
  });
}

/** Cancelling refunds whatever was captured and not yet refunded, once (keyed by the order). */
export async function refundOnCancel(ctx: Context, em: EntityManager, order: Order, reason: string | null): Promise<void> {
  const open = order.capturedAmount - order.refundedAmount;
  if (open <= 0) return;
  await refundPayment(ctx, em, { orderId: order.id, amountMinor: open, reason: reason ?? 'order cancelled', idempotencyKey: `cancel:${order.id}`, source: 'cancellation' });
}
