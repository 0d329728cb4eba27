import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { persistNew } from '../../common/persist.js';
import type { Context } from '../../common/context.js';
import { viewerMay } from '../../common/auth/access.js';
import { customerIdOf, isStaff } from '../../common/auth/viewer.js';
import { badInput, check, checkId, forbidden, notFound, type ErrorResult } from '../../common/errors.js';
import { inTransaction, rollbackWith } from '../../common/transaction.js';
import { recordEvent } from '../../common/events/publish.js';
import { paginate, type SortSpec } from '../../common/pagination.js';
import { Customer } from '../customers/customer.entity.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { Product } from '../catalog/product.entity.js';
import { Order, OrderLine } from '../orders/order.entity.js';
import { OrderStatus } from '../orders/order.lifecycle.js';
import { StaffUser } from '../identity/staff-user.entity.js';
import { Review, ReviewInvitation, ReviewVote } from './review.entity.js';
import { ReviewStatus, reviewLifecycle } from './reviews.lifecycle.js';
import {
  AlreadyReviewedError,
  AlreadyVotedError,
  IllegalReviewTransitionError,
  ItemNotDeliveredError,
  NotVerifiedPurchaseError,
  OwnReviewVoteError,
  ReviewNotEditableError,
} from './reviews.errors.js';
import { RatingSummaryByProductIdLoader, ReviewByIdLoader } from './reviews.loaders.js';
import { REVIEW_ADDED, type ReviewAddedPayload } from './reviews.topics.js';
import {
  ReviewSortField,
  type ModerateReviewInput,
  type RatingSummary,
  type ReplyToReviewInput,
  type ReviewInvitationsArgs,
  type ReviewsArgs,
  type SubmitReviewInput,
  type UpdateReviewInput,
} from './reviews.types.js';

const MAX_TITLE = 150;
const MAX_BODY = 5000;
const MAX_MEDIA = 10;
const LOW_RATING = 2;

/** Words that hold a review for a moderator instead of publishing it. */
export const BANNED_WORDS = ['scam', 'fraud', 'idiot', 'stupid', 'crap'] as const;
const BANNED_RE = new RegExp(`\\b(${BANNED_WORDS.join('|')})\\b`, 'i');

/**
 * Which of an order's lines count as delivered, in one place: every line of an order that reached DELIVERED or
 * COMPLETED; otherwise (partial shipments) a line whose units have all arrived in DELIVERED shipments.
 * Shipment items belong to the tracking module; they are read by SQL so reviews keeps no code dependency on it.
 */
export async function deliveredLineIds(em: EntityManager, order: Order, lineIds?: string[]): Promise<Set<string>> {
  if (order.status === OrderStatus.DELIVERED || order.status === OrderStatus.COMPLETED) {
    const lines = await em.find(OrderLine, { order: order.id, ...(lineIds ? { id: { $in: lineIds } } : {}) }, { fields: ['id'] });
    return new Set(lines.map((l) => l.id));
  }
  const rows = await em.execute(
    `SELECT l.id FROM order_line l
     JOIN shipment_item si ON si.order_line_id = l.id
     JOIN shipment s ON s.id = si.shipment_id AND s.status = 'DELIVERED'
     WHERE l.order_id = ? AND (?::text IS NULL OR l.id = ANY(string_to_array(?::text, ',')::uuid[]))
     GROUP BY l.id, l.quantity HAVING sum(si.quantity) >= l.quantity`,
    // Joined into one text parameter: the query builder would expand an array into a list of placeholders.
    [order.id, lineIds?.join(',') ?? null, lineIds?.join(',') ?? null],
  );
  return new Set(rows.map((r: any) => r.id as string));
}

// ---------------------------------------------------------------------------------------------------------------
// Validation and the automatic rules

function text(field: string, value: string, max: number): string {
  const v = value.trim();
  check(v.length > 0, field, 'must not be empty');
  check(v.length <= max, field, `must be at most ${max} characters`);
  return v;
}

function rating(field: string, value: number): number {
  check(Number.isInteger(value) && value >= 1 && value <= 5, field, 'must be an integer from 1 to 5');
  return value;
}

function mediaUrls(field: string, urls: string[]): string[] {
  check(urls.length <= MAX_MEDIA, field, `must have at most ${MAX_MEDIA} URLs`);
  urls.forEach((u, i) => {
    let ok = false;
    try {
      ok = new URL(u).protocol === 'https:' && u.length <= 2000;
    } catch {
      ok = false;
    }
    check(ok, `${field}[${i}]`, 'must be an https URL of at most 2000 characters');
  });
  return urls;
}

/** Verified purchases with nothing flagged are published at once; anything with a banned word waits for a moderator. */
function autoModerate(r: Review, now: Date): void {
  const hit = BANNED_RE.exec(`${r.title}\n${r.body}`);
  if (hit) {
    r.status = ReviewStatus.PENDING;
    r.moderationReason = `held automatically: contains "${hit[1]!.toLowerCase()}"`;
  } else {
    if (r.status !== ReviewStatus.PUBLISHED) r.publishedAt = now;
    r.status = ReviewStatus.PUBLISHED;
    r.moderationReason = null;
  }
  r.needsResponse = r.rating <= LOW_RATING && !r.replyBody;
}

async function lockReview(em: EntityManager, reviewId: string): Promise<Review | null> {
  return em.findOne(Review, { id: reviewId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
}

// ---------------------------------------------------------------------------------------------------------------
// Mutations

/**
 * A customer reviews an order line of theirs whose order was delivered, once per line. The line row is locked
 * so two concurrent submissions for it cannot both pass the "not reviewed yet" check.
 */
export async function submitReview(ctx: Context, input: SubmitReviewInput): Promise<Review | ErrorResult> {
  const own = customerIdOf(ctx.viewer);
  if (!own) throw forbidden('Only customers write reviews');
  checkId('orderLineId', input.orderLineId);
  const stars = rating('rating', input.rating);
  const title = text('title', input.title, MAX_TITLE);
  const body = text('body', input.body, MAX_BODY);
  const media = mediaUrls('mediaUrls', input.mediaUrls ?? []);
  return inTransaction(ctx.em, async (em) => {
    const line = await em.findOne(OrderLine, { id: input.orderLineId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    // An unknown line answers like someone else's, so ids of other customers' lines cannot be probed.
    if (!line) rollbackWith(NotVerifiedPurchaseError.create());
    const order = await em.findOneOrFail(Order, { id: line.order.id });
    if (order.customer.id !== own) rollbackWith(NotVerifiedPurchaseError.create());
    if (!(await deliveredLineIds(em, order, [line.id])).has(line.id)) rollbackWith(ItemNotDeliveredError.create());
    const existing = await em.findOne(Review, { orderLine: line.id }, { fields: ['id'] });
    if (existing) rollbackWith(AlreadyReviewedError.create(existing.id));
    const variant = await em.findOneOrFail(ProductVariant, { id: line.variant.id }, { fields: ['id', 'product'] });
    const now = ctx.now();
    const review = persistNew(em, Review, {
      product: em.getReference(Product, variant.product.id),
      variant: em.getReference(ProductVariant, variant.id),
      customer: em.getReference(Customer, own),
      orderLine: line,
      rating: stars,
      title,
      body,
      mediaUrls: media,
      createdAt: now,
      updatedAt: now,
    });
    autoModerate(review, now);
    const invitation = await em.findOne(ReviewInvitation, { orderLine: line.id });
    if (invitation) invitation.review = review;
    recordEvent<ReviewAddedPayload>(em, REVIEW_ADDED, {
      reviewId: review.id,
      productId: variant.product.id,
      variantId: variant.id,
      customerId: own,
      rating: stars,
      status: review.status,
      needsResponse: review.needsResponse,
      createdAt: now.toISOString(),
    });
    return review;
  });
}

/** The author edits their review; the automatic rules run again, so an edit can publish or hold it. */
export async function updateReview(ctx: Context, input: UpdateReviewInput): Promise<Review | ErrorResult> {
  const own = customerIdOf(ctx.viewer);
  if (!own) throw forbidden('Only the author edits a review');
  checkId('reviewId', input.reviewId);
  const stars = input.rating != null ? rating('rating', input.rating) : null;
  const title = input.title != null ? text('title', input.title, MAX_TITLE) : null;
  const body = input.body != null ? text('body', input.body, MAX_BODY) : null;
  const media = input.mediaUrls != null ? mediaUrls('mediaUrls', input.mediaUrls) : null;
  return inTransaction(ctx.em, async (em) => {
    const review = await lockReview(em, input.reviewId);
    if (!review || review.customer.id !== own) throw notFound('Review', input.reviewId);
    if (review.status === ReviewStatus.REJECTED) rollbackWith(ReviewNotEditableError.create());
    const now = ctx.now();
    if (stars != null) review.rating = stars;
    if (title != null) review.title = title;
    if (body != null) review.body = body;
    if (media != null) review.mediaUrls = media;
    review.updatedAt = now;
    autoModerate(review, now);
    return review;
  });
}

export async function moderateReview(ctx: Context, input: ModerateReviewInput): Promise<Review | ErrorResult> {
  checkId('reviewId', input.reviewId);
  const reason = input.reason?.trim() || null;
  if (reason) check(reason.length <= 1000, 'reason', 'must be at most 1000 characters');
  return inTransaction(ctx.em, async (em) => {
    const review = await lockReview(em, input.reviewId);
    if (!review) throw notFound('Review', input.reviewId);
    const from = review.status;
    const rule = reviewLifecycle.rule(from, input.to);
    if (!rule) rollbackWith(IllegalReviewTransitionError.create(from, input.to));
    if (!viewerMay(ctx.viewer, rule.by)) throw forbidden(`Moving a review from ${from} to ${input.to} requires one of: ${rule.by.join(', ')}`);
    if (rule.requiresReason && !reason) throw badInput('reason', `is required to move a review to ${input.to}`);
    const now = ctx.now();
    review.status = input.to;
    review.moderationReason = reason;
    if (input.to === ReviewStatus.PUBLISHED) review.publishedAt = now;
    review.updatedAt = now;
    return review;
  });
}

export async function replyToReview(ctx: Context, input: ReplyToReviewInput): Promise<Review | ErrorResult> {
  checkId('reviewId', input.reviewId);
  const body = text('body', input.body, MAX_BODY);
  return inTransaction(ctx.em, async (em) => {
    const review = await lockReview(em, input.reviewId);
    if (!review) throw notFound('Review', input.reviewId);
    if (review.status === ReviewStatus.REJECTED) rollbackWith(ReviewNotEditableError.create());
    const now = ctx.now();
    review.replyBody = body;
    review.repliedAt = now;
    review.repliedBy = ctx.viewer.kind === 'staff' ? em.getReference(StaffUser, ctx.viewer.userId) : null;
    review.needsResponse = false;
    review.updatedAt = now;
    return review;
  });
}

/** One helpful vote per customer and published review; the review row lock keeps the count equal to the votes. */
export async function voteReviewHelpful(ctx: Context, reviewId: string): Promise<Review | ErrorResult> {
  const own = customerIdOf(ctx.viewer);
  if (!own) throw forbidden('Only customers vote');
  checkId('reviewId', reviewId);
  return inTransaction(ctx.em, async (em) => {
    const review = await lockReview(em, reviewId);
    if (!review || review.status !== ReviewStatus.PUBLISHED) throw notFound('Review', reviewId);
    if (review.customer.id === own) rollbackWith(OwnReviewVoteError.create());
    if (await em.findOne(ReviewVote, { review: review.id, customer: own }, { fields: ['id'] })) rollbackWith(AlreadyVotedError.create());
    persistNew(em, ReviewVote, { review, customer: em.getReference(Customer, own), createdAt: ctx.now() });
    review.helpfulCount += 1;
    return review;
  });
}

/**
 * Every delivered line of the order becomes an invitation to review it (once per line). Runs when the order is
 * DELIVERED and when one of its shipments is, so lines of a partly delivered order are invited as they arrive.
 */
export async function createReviewInvitations(ctx: Context, em: EntityManager, order: Order): Promise<void> {
  await em.flush();
  const delivered = await deliveredLineIds(em, order);
  if (delivered.size === 0) return;
  const lines = await em.find(OrderLine, { order: order.id, id: { $in: [...delivered] } }, { populate: ['variant'], orderBy: { position: 'ASC' } });
  const existing = new Set((await em.find(ReviewInvitation, { order: order.id }, { fields: ['id', 'orderLine'] })).map((i) => i.orderLine.id));
  const now = ctx.now();
  for (const line of lines) {
    if (existing.has(line.id)) continue;
    persistNew(em, ReviewInvitation, {
      customer: em.getReference(Customer, order.customer.id),
      order,
      orderLine: line,
      product: em.getReference(Product, line.variant.product.id),
      variant: line.variant,
      review: null,
      createdAt: now,
    });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Queries

/** Staff see every review; everyone else published ones, and customers also their own. */
export async function getReview(ctx: Context, id: string): Promise<Review> {
  checkId('id', id);
  const review = await ctx.loader(ReviewByIdLoader).load(id);
  const visible = review && (isStaff(ctx.viewer) || review.status === ReviewStatus.PUBLISHED || review.customer.id === customerIdOf(ctx.viewer));
  if (!visible) throw notFound('Review', id);
  return review;
}

const SORTS: Record<ReviewSortField, Omit<SortSpec, 'direction'>> = {
  CREATED_AT: { name: 'CREATED_AT', property: 'createdAt', kind: 'date' },
  RATING: { name: 'RATING', property: 'rating', kind: 'number' },
  HELPFUL: { name: 'HELPFUL', property: 'helpfulCount', kind: 'number' },
};

export function listReviews(ctx: Context, args: ReviewsArgs, opts: { withCount?: boolean } = {}) {
  const f = args.filter ?? {};
  const conds: FilterQuery<Review>[] = [];
  const staff = isStaff(ctx.viewer);
  const own = customerIdOf(ctx.viewer);
  if (!staff) {
    if (f.status && f.status.some((s) => s !== ReviewStatus.PUBLISHED)) throw forbidden('Only staff see unpublished reviews');
    check(f.customerId == null, 'filter.customerId', 'is for staff');
    check(f.needsResponse == null, 'filter.needsResponse', 'is for staff');
  }
  if (f.mine) {
    if (!own) throw badInput('filter.mine', 'needs a signed-in customer');
    conds.push({ customer: own });
  } else if (!staff) {
    conds.push({ status: ReviewStatus.PUBLISHED });
  }
  if (f.productId) {
    checkId('filter.productId', f.productId);
    conds.push({ product: f.productId });
  }
  if (f.status) {
    check(f.status.length > 0, 'filter.status', 'must list at least one status when given');
    conds.push({ status: { $in: f.status } });
  }
  if (f.customerId) {
    checkId('filter.customerId', f.customerId);
    conds.push({ customer: f.customerId });
  }
  if (f.needsResponse != null) conds.push({ needsResponse: f.needsResponse });
  if (f.maxRating != null) conds.push({ rating: { $lte: rating('filter.maxRating', f.maxRating) } });
  const sort = SORTS[args.orderBy?.field ?? ReviewSortField.CREATED_AT];
  return paginate(ctx, Review, conds.length ? { $and: conds } : {}, { ...sort, direction: args.orderBy?.direction ?? 'DESC' }, args, { rows: true, withCount: opts.withCount });
}

export function listInvitations(ctx: Context, args: ReviewInvitationsArgs) {
  const own = customerIdOf(ctx.viewer);
  const where: FilterQuery<ReviewInvitation> = {};
  if (own) {
    if (args.customerId && args.customerId !== own) throw forbidden('Customers see only their own invitations');
    where.customer = own;
  } else if (args.customerId) {
    checkId('customerId', args.customerId);
    where.customer = args.customerId;
  }
  if (args.pendingOnly ?? true) where.review = null;
  return paginate(ctx.em, ReviewInvitation, where, { name: 'CREATED_AT', property: 'createdAt', kind: 'date', direction: 'DESC' }, args);
}

export function ratingSummary(ctx: Context, productId: string): Promise<RatingSummary> {
  checkId('productId', productId);
  return ctx.loader(RatingSummaryByProductIdLoader).load(productId);
}
