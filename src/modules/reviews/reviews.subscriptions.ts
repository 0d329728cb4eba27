import type { Context } from '../../common/context.js';
import { assertAccess } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { check, checkId } from '../../common/errors.js';
import { eventStream } from '../../common/events/stream.js';
import { REVIEW_ADDED, type ReviewAddedPayload } from './reviews.topics.js';
import type { ReviewAddedArgs } from './reviews.types.js';

/** New reviews include held (PENDING) ones: a moderation feed, so staff only. */
export const REVIEW_WATCHERS = [Role.SUPPORT, Role.MERCHANDISING, Role.ANALYST] as const;

/** Authorises at subscribe time (type-graphql guards only the per-event resolver) and applies the filters in replay and live. */
export function subscribeReviewAdded(ctx: Context, args: ReviewAddedArgs) {
  assertAccess(ctx.viewer, REVIEW_WATCHERS);
  if (args.productId) checkId('productId', args.productId);
  const max = args.maxRating;
  if (max != null) check(Number.isInteger(max) && max >= 1 && max <= 5, 'maxRating', 'must be an integer from 1 to 5');
  return eventStream<ReviewAddedPayload>(ctx, {
    topic: REVIEW_ADDED,
    afterEventId: args.afterEventId,
    match: { productId: args.productId ?? undefined },
    predicate: max == null ? undefined : (p) => p.rating <= max,
  });
}
