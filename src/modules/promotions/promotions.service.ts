import { UniqueConstraintViolationException, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';
import { check, checkId, notFound, type ErrorResult } from '../../common/errors.js';
import { CURRENCY_RE } from '../../common/money.js';
import { paginate } from '../../common/pagination.js';
import { persistNew } from '../../common/persist.js';
import { rollbackWith } from '../../common/transaction.js';
import { Customer } from '../customers/customer.entity.js';
import type { Order } from '../orders/order.entity.js';
import type { DraftLine, PlacementDraft } from '../orders/orders.hooks.js';
import { Promotion, PromotionKind, PromotionStatus, PromotionTarget, PromotionUsage } from './promotion.entity.js';
import { CouponCodeTakenError, CouponNotApplicableError, PromotionLimitReachedError } from './promotions.errors.js';
import type { CreatePromotionInput, PromotionsArgs, SetPromotionStatusInput } from './promotions.types.js';

const COUPON_RE = /^[A-Z0-9_-]{3,32}$/;
export const MAX_COUPONS = 5;

export const normalizeCoupon = (code: string) => code.trim().toUpperCase();

export async function createPromotion(ctx: Context, input: CreatePromotionInput): Promise<Promotion | ErrorResult> {
  const name = input.name.trim();
  check(name.length >= 1 && name.length <= 200, 'name', 'must be 1 to 200 characters');
  check(CURRENCY_RE.test(input.currency), 'currency', 'must be an ISO 4217 code such as USD');
  const isInt = (n: number | null | undefined, min: number, max = 2_000_000_000) => n != null && Number.isInteger(n) && n >= min && n <= max;
  if (input.target === PromotionTarget.ORDER) {
    check(input.targetId == null, 'targetId', 'must be omitted for target ORDER');
  } else {
    check(input.targetId, 'targetId', `is required for target ${input.target}`);
    checkId('targetId', input.targetId);
    const table = input.target === PromotionTarget.PRODUCT ? 'product' : 'category';
    const rows = await ctx.em.execute(`SELECT 1 FROM ${table} WHERE id = ?`, [input.targetId]);
    check(rows.length === 1, 'targetId', `does not match any ${table}`);
  }
  switch (input.kind) {
    case PromotionKind.PERCENT_OFF:
      check(isInt(input.percent, 1, 100), 'percent', 'must be an integer from 1 to 100');
      break;
    case PromotionKind.FIXED_OFF:
      check(isInt(input.amountOff, 1), 'amountOff', 'must be a positive integer amount in minor units');
      break;
    case PromotionKind.BUY_X_GET_Y:
      check(input.target !== PromotionTarget.ORDER, 'target', 'must be PRODUCT or CATEGORY for BUY_X_GET_Y');
      check(isInt(input.buyQuantity, 1, 1000), 'buyQuantity', 'must be an integer from 1 to 1000');
      check(isInt(input.getQuantity, 1, 1000), 'getQuantity', 'must be an integer from 1 to 1000');
      break;
    case PromotionKind.FREE_SHIPPING:
      check(input.target === PromotionTarget.ORDER, 'target', 'must be ORDER for FREE_SHIPPING');
      break;
  }
  if (input.kind !== PromotionKind.PERCENT_OFF) check(input.percent == null, 'percent', `must be omitted for ${input.kind}`);
  if (input.kind !== PromotionKind.FIXED_OFF) check(input.amountOff == null, 'amountOff', `must be omitted for ${input.kind}`);
  if (input.kind !== PromotionKind.BUY_X_GET_Y) {
    check(input.buyQuantity == null, 'buyQuantity', `must be omitted for ${input.kind}`);
    check(input.getQuantity == null, 'getQuantity', `must be omitted for ${input.kind}`);
  }
  check(isInt(input.minSubtotalAmount, 0), 'minSubtotalAmount', 'must be a non-negative integer amount in minor units');
  if (input.startsAt && input.endsAt) check(input.endsAt > input.startsAt, 'endsAt', 'must be after startsAt');
  const code = input.couponCode != null ? normalizeCoupon(input.couponCode) : null;
  if (code != null) check(COUPON_RE.test(code), 'couponCode', 'must be 3 to 32 letters, digits, - or _');
  if (input.usageLimit != null) check(isInt(input.usageLimit, 1), 'usageLimit', 'must be a positive integer');
  if (input.perCustomerLimit != null) check(isInt(input.perCustomerLimit, 1), 'perCustomerLimit', 'must be a positive integer');
  check(isInt(input.priority, -1000, 1000), 'priority', 'must be an integer from -1000 to 1000');
  if (input.campaignId != null) checkId('campaignId', input.campaignId);

  const promotion = persistNew(ctx.em, Promotion, {
    name,
    kind: input.kind,
    target: input.target,
    targetId: input.targetId ?? null,
    percent: input.percent ?? null,
    amountOff: input.amountOff ?? null,
    buyQuantity: input.buyQuantity ?? null,
    getQuantity: input.getQuantity ?? null,
    minSubtotalAmount: input.minSubtotalAmount,
    currency: input.currency,
    startsAt: input.startsAt ?? null,
    endsAt: input.endsAt ?? null,
    couponCode: code,
    usageLimit: input.usageLimit ?? null,
    perCustomerLimit: input.perCustomerLimit ?? null,
    stackable: input.stackable,
    priority: input.priority,
    campaignId: input.campaignId ?? null,
    createdAt: ctx.now(),
  });
  try {
    await ctx.em.flush();
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException && String(err.message).includes('promotion_coupon_code_unique')) {
      ctx.em.clear();
      return CouponCodeTakenError.create();
    }
    throw err;
  }
  return promotion;
}

export async function setPromotionStatus(ctx: Context, input: SetPromotionStatusInput): Promise<Promotion> {
  checkId('promotionId', input.promotionId);
  const promotion = await ctx.em.findOne(Promotion, { id: input.promotionId });
  if (!promotion) throw notFound('Promotion', input.promotionId);
  promotion.status = input.status;
  await ctx.em.flush();
  return promotion;
}

export async function getPromotion(ctx: Context, id: string): Promise<Promotion> {
  checkId('id', id);
  const promotion = await ctx.em.findOne(Promotion, { id });
  if (!promotion) throw notFound('Promotion', id);
  return promotion;
}

export function listPromotions(ctx: Context, args: PromotionsArgs) {
  const f = args.filter ?? {};
  const where: FilterQuery<Promotion> = {};
  if (f.status) where.status = f.status;
  if (f.campaignId) {
    checkId('filter.campaignId', f.campaignId);
    where.campaignId = f.campaignId;
  }
  return paginate(ctx.em, Promotion, where, { name: 'CREATED_AT', property: 'createdAt', direction: 'DESC', kind: 'date' }, args);
}

/**
 * True when the placement is a retry of an order that committed while this one waited for a lock. Its
 * insert will then hit the idempotency-key constraint and the orders module answers with the first order,
 * so a pricing step must not refuse it for a limit the first order itself used up.
 */
export async function isConcurrentRetry(em: EntityManager, draft: PlacementDraft): Promise<boolean> {
  const key = draft.input.idempotencyKey;
  if (!key) return false;
  const rows = await em.execute(`SELECT 1 FROM sales_order WHERE customer_id = ? AND idempotency_key = ?`, [draft.customerId, key]);
  return rows.length > 0;
}

interface Applied {
  promotion: Promotion;
  couponCode: string | null;
  discountAmount: number;
  shippingDiscountAmount: number;
}

/** What the pricing step decided, handed to the placed hook of the same placement. */
const appliedByDraft = new WeakMap<PlacementDraft, Applied[]>();

/** Product ids of the draft that lie in the category or below it. */
async function productsInCategory(em: EntityManager, productIds: string[], categoryId: string): Promise<Set<string>> {
  if (productIds.length === 0) return new Set();
  const rows: { id: string }[] = await em.execute(
    `SELECT p.id FROM product p JOIN category c ON c.id = p.category_id WHERE p.id IN (?) AND c.path @> ARRAY[?]::uuid[]`,
    [productIds, categoryId],
  );
  return new Set(rows.map((r) => r.id));
}

function buyXGetYDiscount(lines: DraftLine[], buy: number, get: number): number {
  const units: number[] = [];
  for (const l of lines) for (let i = 0; i < l.quantity; i++) units.push(l.unitPriceAmount);
  units.sort((a, b) => b - a);
  const free = Math.floor(units.length / (buy + get)) * get;
  return units.slice(units.length - free).reduce((s, p) => s + p, 0);
}

/**
 * Pricing step (order 200): applies automatic promotions and the coupons given, in priority order.
 * Every coupon given must apply, or the order is refused with a typed error. Usage limits are claimed
 * here, inside the placement transaction: the total limit with a conditional UPDATE on the promotion
 * row, the per-customer limit under a transaction-scoped advisory lock, so concurrent orders can never
 * exceed either.
 */
export async function applyPromotions(ctx: Context, em: EntityManager, draft: PlacementDraft): Promise<void> {
  const given = draft.input.couponCodes ?? [];
  check(given.length <= MAX_COUPONS, 'couponCodes', `must contain at most ${MAX_COUPONS} codes`);
  const codes = given.map(normalizeCoupon);
  codes.forEach((c, i) => check(codes.indexOf(c) === i, `couponCodes[${i}]`, 'appears more than once'));
  const now = ctx.now();
  const candidates = await em.find(
    Promotion,
    codes.length ? { $or: [{ couponCode: null, status: PromotionStatus.ACTIVE }, { couponCode: { $in: codes } }] } : { couponCode: null, status: PromotionStatus.ACTIVE },
    { orderBy: { priority: 'DESC', createdAt: 'ASC', id: 'ASC' } },
  );
  codes.forEach((c, i) => {
    if (!candidates.some((p) => p.couponCode === c)) rollbackWith(CouponNotApplicableError.create(i, given[i]!, 'COUPON_UNKNOWN', `No promotion has the coupon code ${given[i]}`));
  });

  const applied: Applied[] = [];
  let exclusive = false;
  for (const promo of candidates) {
    const index = promo.couponCode ? codes.indexOf(promo.couponCode) : -1;
    // An automatic promotion that does not fit is skipped; a coupon the customer typed is refused, so they know.
    const refuse = (errorCode: string, message: string): void => {
      if (index >= 0) rollbackWith(CouponNotApplicableError.create(index, given[index]!, errorCode, message));
    };
    if (promo.status !== PromotionStatus.ACTIVE) {
      refuse('COUPON_INACTIVE', 'This coupon is not active');
      continue;
    }
    if (promo.startsAt && now < promo.startsAt) {
      refuse('COUPON_NOT_STARTED', `This coupon is valid from ${promo.startsAt.toISOString()}`);
      continue;
    }
    if (promo.endsAt && now >= promo.endsAt) {
      refuse('COUPON_EXPIRED', `This coupon expired at ${promo.endsAt.toISOString()}`);
      continue;
    }
    if (promo.currency !== draft.currency) {
      refuse('COUPON_CURRENCY', `This coupon is for orders in ${promo.currency}`);
      continue;
    }
    if (draft.subtotalAmount < promo.minSubtotalAmount) {
      refuse('MINIMUM_SPEND_NOT_MET', `This coupon needs a subtotal of at least ${promo.minSubtotalAmount} (minor units of ${promo.currency})`);
      continue;
    }
    if (exclusive || (!promo.stackable && applied.length > 0)) {
      refuse('COUPON_NOT_COMBINABLE', 'This coupon cannot be combined with the other promotions on this order');
      continue;
    }

    let eligible = draft.lines;
    if (promo.target === PromotionTarget.PRODUCT) eligible = draft.lines.filter((l) => l.productId === promo.targetId);
    if (promo.target === PromotionTarget.CATEGORY) {
      const inCategory = await productsInCategory(em, [...new Set(draft.lines.map((l) => l.productId))], promo.targetId!);
      eligible = draft.lines.filter((l) => inCategory.has(l.productId));
    }
    const eligibleAmount = eligible.reduce((s, l) => s + l.lineTotalAmount, 0);
    const eligibleUnits = eligible.reduce((s, l) => s + l.quantity, 0);
    let discount = 0;
    let shipping = 0;
    switch (promo.kind) {
      case PromotionKind.PERCENT_OFF:
        discount = Math.floor((eligibleAmount * promo.percent!) / 100);
        break;
      case PromotionKind.FIXED_OFF:
        discount = promo.target === PromotionTarget.ORDER ? promo.amountOff! : promo.amountOff! * eligibleUnits;
        discount = Math.min(discount, eligibleAmount);
        break;
      case PromotionKind.BUY_X_GET_Y:
        discount = buyXGetYDiscount(eligible, promo.buyQuantity!, promo.getQuantity!);
        break;
      case PromotionKind.FREE_SHIPPING:
        shipping = draft.shippingAmount;
        break;
    }
    discount = Math.min(discount, draft.subtotalAmount - draft.discountAmount);
    if (promo.kind !== PromotionKind.FREE_SHIPPING && discount <= 0) {
      refuse('COUPON_NOT_QUALIFIED', 'Nothing on this order qualifies for this coupon');
      continue;
    }

    if (promo.perCustomerLimit != null) {
      await em.execute(`SELECT pg_advisory_xact_lock(hashtextextended(?, 0))`, [`promotion-customer:${promo.id}:${draft.customerId}`]);
      const [{ n }] = await em.execute(`SELECT count(*)::int AS n FROM promotion_usage WHERE promotion_id = ? AND customer_id = ? AND released_at IS NULL`, [
        promo.id,
        draft.customerId,
      ]);
      if (n >= promo.perCustomerLimit) {
        if (index >= 0 && !(await isConcurrentRetry(em, draft))) rollbackWith(PromotionLimitReachedError.create(index, promo.id, true));
        continue;
      }
    }
    if (promo.usageLimit != null) {
      const claimed = await em.execute(`UPDATE promotion SET used_count = used_count + 1 WHERE id = ? AND used_count < usage_limit RETURNING id`, [promo.id]);
      if (claimed.length === 0) {
        if (index >= 0 && !(await isConcurrentRetry(em, draft))) rollbackWith(PromotionLimitReachedError.create(index, promo.id, false));
        continue;
      }
    }
    applied.push({ promotion: promo, couponCode: promo.couponCode ?? null, discountAmount: discount, shippingDiscountAmount: shipping });
    draft.discountAmount += discount;
    draft.shippingAmount -= shipping;
    if (!promo.stackable) exclusive = true;
  }
  appliedByDraft.set(draft, applied);
}

/** Placed hook: records which promotions applied to the order and by how much. */
export async function recordPromotionUsage(_ctx: Context, em: EntityManager, order: Order, draft: PlacementDraft): Promise<void> {
  const applied = appliedByDraft.get(draft) ?? [];
  applied.forEach((a, position) =>
    persistNew(em, PromotionUsage, {
      promotion: a.promotion,
      order,
      customer: em.getReference(Customer, draft.customerId),
      position,
      name: a.promotion.name,
      couponCode: a.couponCode,
      discountAmount: a.discountAmount,
      shippingDiscountAmount: a.shippingDiscountAmount,
      currency: draft.currency,
    }),
  );
}

/** Cancelled-order hook: gives the uses back, so limits count only live orders. */
export async function releasePromotionUsage(ctx: Context, em: EntityManager, order: Order): Promise<void> {
  const released: { promotion_id: string }[] = await em.execute(
    `UPDATE promotion_usage SET released_at = ? WHERE order_id = ? AND released_at IS NULL RETURNING promotion_id`,
    [ctx.now(), order.id],
  );
  for (const r of released) {
    await em.execute(`UPDATE promotion SET used_count = used_count - 1 WHERE id = ? AND usage_limit IS NOT NULL AND used_count > 0`, [r.promotion_id]);
  }
}
