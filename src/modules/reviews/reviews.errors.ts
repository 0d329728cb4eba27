import { Field, ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';
import { ReviewStatus, reviewLifecycle } from './reviews.lifecycle.js';

@ObjectType({ implements: ErrorResult, description: 'Only the customer who bought the item may review it. Nothing was written.' })
export class NotVerifiedPurchaseError extends ErrorResult {
  static create(): NotVerifiedPurchaseError {
    return Object.assign(new NotVerifiedPurchaseError(), {
      errorCode: 'NOT_VERIFIED_PURCHASE',
      message: 'Only the buyer of this item can review it',
      field: 'orderLineId',
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'The item has not been delivered yet; it can be reviewed after delivery. Nothing was written.' })
export class ItemNotDeliveredError extends ErrorResult {
  static create(): ItemNotDeliveredError {
    return Object.assign(new ItemNotDeliveredError(), {
      errorCode: 'ITEM_NOT_DELIVERED',
      message: 'This item has not been delivered yet',
      field: 'orderLineId',
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'This order line was already reviewed; edit that review instead. Nothing was written.' })
export class AlreadyReviewedError extends ErrorResult {
  @Field(() => String, { description: 'The existing review.' })
  reviewId!: string;

  static create(reviewId: string): AlreadyReviewedError {
    return Object.assign(new AlreadyReviewedError(), {
      errorCode: 'ALREADY_REVIEWED',
      message: 'You already reviewed this item; edit your review instead',
      field: 'orderLineId',
      reviewId,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'A rejected review cannot be edited or answered.' })
export class ReviewNotEditableError extends ErrorResult {
  static create(): ReviewNotEditableError {
    return Object.assign(new ReviewNotEditableError(), {
      errorCode: 'REVIEW_NOT_EDITABLE',
      message: 'The review was rejected and can no longer be changed',
      field: 'reviewId',
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'The review cannot move to that status from its current one. Nothing was changed.' })
export class IllegalReviewTransitionError extends ErrorResult {
  @Field(() => ReviewStatus, { description: 'Status the review is in.' })
  from!: ReviewStatus;

  @Field(() => ReviewStatus, { description: 'Status that was asked for.' })
  to!: ReviewStatus;

  @Field(() => [ReviewStatus], { description: 'Where the review may go from its current status.' })
  allowed!: ReviewStatus[];

  static create(from: ReviewStatus, to: ReviewStatus): IllegalReviewTransitionError {
    const allowed = reviewLifecycle.nextStates(from);
    return Object.assign(new IllegalReviewTransitionError(), {
      errorCode: 'ILLEGAL_TRANSITION',
      message: `A review in ${from} cannot move to ${to}; allowed: ${allowed.join(', ') || 'none (final state)'}`,
      field: 'to',
      from,
      to,
      allowed,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'You already marked this review helpful (one vote per customer).' })
export class AlreadyVotedError extends ErrorResult {
  static create(): AlreadyVotedError {
    return Object.assign(new AlreadyVotedError(), {
      errorCode: 'ALREADY_VOTED',
      message: 'You already marked this review helpful',
      field: 'reviewId',
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'Customers cannot vote for their own reviews.' })
export class OwnReviewVoteError extends ErrorResult {
  static create(): OwnReviewVoteError {
    return Object.assign(new OwnReviewVoteError(), {
      errorCode: 'OWN_REVIEW',
      message: 'You cannot vote for your own review',
      field: 'reviewId',
    });
  }
}
