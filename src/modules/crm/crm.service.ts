import { createHash } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import type { AppServices, Context } from '../../common/context.js';
import { customerIdOf } from '../../common/auth/viewer.js';
import { check, checkId, notFound, type ErrorResult } from '../../common/errors.js';
import { CURRENCY_RE, Money } from '../../common/money.js';
import { paginate } from '../../common/pagination.js';
import { persistNew } from '../../common/persist.js';
import { inTransaction, rollbackWith } from '../../common/transaction.js';
import { Customer } from '../customers/customer.entity.js';
import { Order } from '../orders/order.entity.js';
import type { PlacementDraft } from '../orders/orders.hooks.js';
import { IdempotencyKeyReusedError } from '../orders/orders.errors.js';
import { isConcurrentRetry } from '../promotions/promotions.service.js';
import { CustomerMembership, LoyaltyEntry, LoyaltyEntryKind, MembershipTier } from './crm.entity.js';
import { MembershipTierConflictError, PointsNotAvailableError } from './crm.errors.js';
import { LoyaltyAccount, type AdjustLoyaltyPointsInput, type CreateMembershipTierInput, type LoyaltyEntriesArgs } from './crm.types.js';

/** Earned points expire this long after they were earned, if not spent. */
export const POINTS_LIFETIME_DAYS = 365;
export const MAX_ADJUSTMENT = 1_000_000;

/** Staff name a customer; customers always get themselves (asking for another answers FORBIDDEN). */
function targetCustomer(ctx: Context, requested: string | null | undefined): string {
  const own = customerIdOf(ctx.viewer);
  if (own) {
    // Another customer's account answers like a missing one, so ids cannot be probed.
    if (requested && requested !== own) throw notFound('Customer', requested);
    return own;
  }
  check(requested, 'customerId', 'is required for staff');
  checkId('customerId', requested);
  return requested;
}

/**
 * Serialises every change of one customer's balance: whoever changes it holds the customer row lock (NO KEY UPDATE, so
 * other orders of the customer, whose foreign keys only need KEY SHARE, are not blocked)
 * until commit, so two redemptions cannot both spend the same points.
 */
async function lockBalance(em: EntityManager, customerId: string): Promise<number> {
  const locked = await em.execute(`SELECT id FROM customer WHERE id = ? FOR NO KEY UPDATE`, [customerId]);
  if (locked.length === 0) throw notFound('Customer', customerId);
  return balanceIn(em, customerId);
}

async function balanceIn(em: EntityManager, customerId: string): Promise<number> {
  const [{ b }] = await em.execute(`SELECT coalesce(sum(points), 0)::int AS b FROM loyalty_entry WHERE customer_id = ?`, [customerId]);
  return b;
}

export async function createMembershipTier(ctx: Context, input: CreateMembershipTierInput): Promise<MembershipTier | ErrorResult> {
  const name = input.name.trim();
  check(name.length >= 1 && name.length <= 100, 'name', 'must be 1 to 100 characters');
  check(Number.isInteger(input.thresholdAmount) && input.thresholdAmount >= 0 && input.thresholdAmount <= 2_000_000_000, 'thresholdAmount', 'must be a non-negative integer amount in minor units');
  check(CURRENCY_RE.test(input.currency), 'currency', 'must be an ISO 4217 code such as USD');
  check(Number.isInteger(input.pointsMultiplierPercent) && input.pointsMultiplierPercent >= 1 && input.pointsMultiplierPercent <= 1000, 'pointsMultiplierPercent', 'must be an integer from 1 to 1000');
  const other = await ctx.em.findOne(MembershipTier, { currency: { $ne: input.currency } });
  if (other) return MembershipTierConflictError.create('currency', `Tiers are in ${other.currency}; every tier must use the same currency`);
  const tier = persistNew(ctx.em, MembershipTier, { ...input, name, createdAt: ctx.now() });
  try {
    await ctx.em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      ctx.em.clear();
      const byName = String(err.message).includes('membership_tier_name_unique');
      return MembershipTierConflictError.create(byName ? 'name' : 'thresholdAmount', byName ? 'A tier with this name exists' : 'A tier with this threshold exists');
    }
    throw err;
  }
  return tier;
}

export function listMembershipTiers(ctx: Context): Promise<MembershipTier[]> {
  return ctx.em.find(MembershipTier, {}, { orderBy: { thresholdAmount: 'ASC' } });
}

export async function getLoyaltyAccount(ctx: Context, customerId: string | null | undefined): Promise<LoyaltyAccount> {
  const id = targetCustomer(ctx, customerId);
  if (!(await ctx.em.count(Customer, { id }))) throw notFound('Customer', id);
  const membership = await ctx.em.findOne(CustomerMembership, { customer: id }, { populate: ['tier'] });
  return Object.assign(new LoyaltyAccount(), {
    customerId: id,
    balance: await balanceIn(ctx.em, id),
    tier: membership?.tier ?? null,
    tierSpend: membership ? Money.of(membership.spendAmount, membership.currency) : null,
  });
}

export function listLoyaltyEntries(ctx: Context, args: LoyaltyEntriesArgs) {
  const id = targetCustomer(ctx, args.customerId);
  return paginate(ctx.em, LoyaltyEntry, { customer: id }, { name: 'CREATED_AT', property: 'createdAt', direction: 'DESC', kind: 'date' }, args);
}

function adjustmentHash(input: AdjustLoyaltyPointsInput): string {
  return createHash('sha256').update(JSON.stringify([input.customerId, input.points, input.reason.trim()])).digest('hex');
}

export async function adjustLoyaltyPoints(ctx: Context, input: AdjustLoyaltyPointsInput): Promise<LoyaltyEntry | ErrorResult> {
  checkId('customerId', input.customerId);
  check(Number.isInteger(input.points) && input.points !== 0 && Math.abs(input.points) <= MAX_ADJUSTMENT, 'points', `must be a non-zero integer from -${MAX_ADJUSTMENT} to ${MAX_ADJUSTMENT}`);
  const reason = input.reason.trim();
  check(reason.length >= 1 && reason.length <= 500, 'reason', 'must be 1 to 500 characters');
  check(/^[\x21-\x7e]{8,128}$/.test(input.idempotencyKey), 'idempotencyKey', 'must be 8 to 128 printable ASCII characters');
  const hash = adjustmentHash(input);
  const replay = async (em: EntityManager) => {
    const prior = await em.findOne(LoyaltyEntry, { customer: input.customerId, idempotencyKey: input.idempotencyKey });
    if (!prior) return null;
    return prior.requestHash === hash ? prior : IdempotencyKeyReusedError.create();
  };
  try {
    return await inTransaction(ctx.em, async (em) => {
      const balance = await lockBalance(em, input.customerId);
      // Checked under the lock: a concurrent retry with the same key has committed by now.
      const prior = await replay(em);
      if (prior) return prior;
      if (balance + input.points < 0) rollbackWith(PointsNotAvailableError.create('points', 'INSUFFICIENT_POINTS', balance));
      return persistNew(em, LoyaltyEntry, {
        customer: em.getReference(Customer, input.customerId),
        kind: LoyaltyEntryKind.ADJUST,
        points: input.points,
        reason,
        idempotencyKey: input.idempotencyKey,
        requestHash: hash,
        createdAt: ctx.now(),
      });
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      ctx.em.clear();
      const prior = await replay(ctx.em);
      if (prior) return prior;
    }
    throw err;
  }
}

const redeemedByDraft = new WeakMap<PlacementDraft, number>();

/**
 * Pricing step (order 300, after promotions): spends points as a discount, 1 point = 1 minor unit.
 * The balance is read under the customer's row lock, which is held until the order commits, so
 * concurrent orders of one customer cannot overdraw it.
 */
export async function redeemPoints(_ctx: Context, em: EntityManager, draft: PlacementDraft): Promise<void> {
  const points = draft.input.redeemPoints;
  if (points == null) return;
  check(Number.isInteger(points) && points >= 1, 'redeemPoints', 'must be a positive integer');
  const balance = await lockBalance(em, draft.customerId);
  if (points > balance && (await isConcurrentRetry(em, draft))) return;
  if (points > balance) rollbackWith(PointsNotAvailableError.create('redeemPoints', 'INSUFFICIENT_POINTS', balance));
  const payable = draft.subtotalAmount - draft.discountAmount + draft.shippingAmount;
  if (points > payable) rollbackWith(PointsNotAvailableError.create('redeemPoints', 'POINTS_EXCEED_AMOUNT', payable));
  draft.discountAmount += points;
  redeemedByDraft.set(draft, points);
}

/** Placed hook: the REDEEM entry of the points spent on the order. */
export async function recordRedemption(ctx: Context, em: EntityManager, order: Order, draft: PlacementDraft): Promise<void> {
  const points = redeemedByDraft.get(draft);
  if (!points) return;
  persistNew(em, LoyaltyEntry, { customer: order.customer, kind: LoyaltyEntryKind.REDEEM, points: -points, order, createdAt: ctx.now() });
}

/** Cancelled-order hook: gives back the points spent on it (once). */
export async function reverseRedemption(ctx: Context, em: EntityManager, order: Order): Promise<void> {
  const [row] = await em.execute(
    `SELECT coalesce(sum(points) FILTER (WHERE kind = 'REDEEM'), 0)::int AS redeemed, count(*) FILTER (WHERE kind = 'REDEEM_REVERSAL')::int AS reversed
       FROM loyalty_entry WHERE order_id = ?`,
    [order.id],
  );
  if (row.redeemed === 0 || row.reversed > 0) return;
  await lockBalance(em, order.customer.id);
  persistNew(em, LoyaltyEntry, { customer: order.customer, kind: LoyaltyEntryKind.REDEEM_REVERSAL, points: -row.redeemed, order, createdAt: ctx.now() });
}

/** Rolling 12-month spend of a customer in the tier currency: completed orders, goods after discounts. */
async function recalculateTier(em: EntityManager, customerId: string, now: Date): Promise<void> {
  const [tierCurrency] = await em.execute(`SELECT currency FROM membership_tier LIMIT 1`);
  if (!tierCurrency) return;
  const [{ spend }] = await em.execute(
    `SELECT coalesce(sum(subtotal_amount - discount_amount), 0)::int AS spend FROM sales_order
      WHERE customer_id = ? AND status = 'COMPLETED' AND currency = ? AND placed_at > ?::timestamptz - interval '12 months'`,
    [customerId, tierCurrency.currency, now],
  );
  await em.execute(
    `INSERT INTO customer_membership (id, customer_id, tier_id, spend_amount, currency, updated_at)
     VALUES (gen_random_uuid(), ?, (SELECT id FROM membership_tier WHERE threshold_amount <= ? ORDER BY threshold_amount DESC LIMIT 1), ?, ?, ?)
     ON CONFLICT (customer_id) DO UPDATE SET tier_id = excluded.tier_id, spend_amount = excluded.spend_amount, currency = excluded.currency, updated_at = excluded.updated_at`,
    [customerId, spend, spend, tierCurrency.currency, now],
  );
}

/**
 * Completed-order hook: earns points at the multiplier of the tier the customer held when the order
 * completed (1 point per major unit of subtotal − discounts), then recalculates the tier with this order counted.
 */
export async function earnPointsAndRecalculateTier(ctx: Context, em: EntityManager, order: Order): Promise<void> {
  const customerId = order.customer.id;
  const [m] = await em.execute(
    `SELECT t.points_multiplier_percent AS mult FROM customer_membership cm JOIN membership_tier t ON t.id = cm.tier_id WHERE cm.customer_id = ?`,
    [customerId],
  );
  const multiplier: number = m?.mult ?? 100;
  const points = Math.floor(((order.subtotalAmount - order.discountAmount) * multiplier) / 10_000);
  const now = ctx.now();
  if (points > 0) {
    await lockBalance(em, customerId);
    persistNew(em, LoyaltyEntry, {
      customer: order.customer,
      kind: LoyaltyEntryKind.EARN,
      points,
      order,
      expiresAt: new Date(now.getTime() + POINTS_LIFETIME_DAYS * 86_400_000),
      createdAt: now,
    });
  }
  // The status change is flushed before the spend query, so this order counts.
  await em.flush();
  await recalculateTier(em, customerId, now);
}

/** Pricing step (order 250): members of a free-shipping tier pay no shipping. */
export async function tierFreeShipping(_ctx: Context, em: EntityManager, draft: PlacementDraft): Promise<void> {
  if (draft.shippingAmount === 0) return;
  const [row] = await em.execute(
    `SELECT t.free_shipping FROM customer_membership cm JOIN membership_tier t ON t.id = cm.tier_id WHERE cm.customer_id = ?`,
    [draft.customerId],
  );
  if (row?.free_shipping) draft.shippingAmount = 0;
}

/**
 * Expiry job. Spending consumes earned points oldest first (manual credits never expire and are spent
 * last), so the part of an EARN entry still unspent at its expiry is min(points, earned up to and
 * including it − net debits so far), never less than 0 nor more than the balance. Entries are claimed with SKIP LOCKED, so instances can
 * run the job at once.
 */
export async function expirePoints(app: AppServices): Promise<void> {
  const em = app.orm.em.fork() as EntityManager;
  const now = app.clock.now();
  for (;;) {
    const done = await em.transactional(async (tx) => {
      const [entry] = await tx.execute(
        `SELECT id, customer_id, points, created_at FROM loyalty_entry
          WHERE kind = 'EARN' AND expired_at IS NULL AND expires_at <= ? ORDER BY expires_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`,
        [now],
      );
      if (!entry) return true;
      const balance = await lockBalance(tx, entry.customer_id);
      const [{ earned, debited }] = await tx.execute(
        `SELECT coalesce(sum(points) FILTER (WHERE kind = 'EARN' AND (created_at, id) <= (?::timestamptz, ?::uuid)), 0)::int AS earned,
                (coalesce(-sum(points) FILTER (WHERE points < 0), 0) - coalesce(sum(points) FILTER (WHERE kind = 'REDEEM_REVERSAL'), 0))::int AS debited
           FROM loyalty_entry WHERE customer_id = ?`,
        [entry.created_at, entry.id, entry.customer_id],
      );
      const unspent = Math.max(0, Math.min(entry.points, earned - debited, balance));
      if (unspent > 0) {
        await tx.execute(`INSERT INTO loyalty_entry (id, customer_id, kind, points, order_id, created_at) VALUES (gen_random_uuid(), ?, 'EXPIRE', ?, NULL, ?)`, [
          entry.customer_id,
          -unspent,
          now,
        ]);
      }
      await tx.execute(`UPDATE loyalty_entry SET expired_at = ? WHERE id = ?`, [now, entry.id]);
      return false;
    });
    if (done) break;
  }
}

/**
 * Tier job: the 12-month window rolls on even when a customer orders nothing, so memberships are
 * recalculated from real orders in one statement. It writes only the same values the figures give, so
 * concurrent runs on several instances are harmless.
 */
export async function recalculateAllTiers(app: AppServices): Promise<void> {
  const em = app.orm.em.fork() as EntityManager;
  await em.execute(
    `UPDATE customer_membership cm
        SET spend_amount = s.spend,
            tier_id = (SELECT id FROM membership_tier WHERE threshold_amount <= s.spend ORDER BY threshold_amount DESC LIMIT 1),
            updated_at = ?
       FROM (SELECT m.customer_id, coalesce(sum(o.subtotal_amount - o.discount_amount), 0)::int AS spend
               FROM customer_membership m
               LEFT JOIN sales_order o ON o.customer_id = m.customer_id AND o.status = 'COMPLETED' AND o.currency = m.currency
                    AND o.placed_at > ?::timestamptz - interval '12 months'
              GROUP BY m.customer_id) s
      WHERE s.customer_id = cm.customer_id
        AND (cm.spend_amount <> s.spend OR cm.tier_id IS DISTINCT FROM (SELECT id FROM membership_tier WHERE threshold_amount <= s.spend ORDER BY threshold_amount DESC LIMIT 1))`,
    [app.clock.now(), app.clock.now()],
  );
}
