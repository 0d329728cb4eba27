import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, createUnionType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLSafeInt } from 'graphql-scalars';
import { PageArgs } from '../../common/pagination.js';
import { SortDirection } from '../orders/orders.types.js';
import { Review } from './review.entity.js';
import { ReviewStatus } from './reviews.lifecycle.js';
import {
  AlreadyReviewedError,
  AlreadyVotedError,
  IllegalReviewTransitionError,
  ItemNotDeliveredError,
  NotVerifiedPurchaseError,
  OwnReviewVoteError,
  ReviewNotEditableError,
} from './reviews.errors.js';

@InputType({ description: 'Review an item you bought and received.' })
export class SubmitReviewInput {
  @Field(() => ID, { description: 'The order line (see reviewInvitations).' })
  orderLineId!: string;

  @Field(() => Int, { description: '1 to 5 stars.' })
  rating!: number;

  @Field(() => String, { description: 'Headline, 1–150 characters.' })
  title!: string;

  @Field(() => String, { description: 'Text, 1–5000 characters.' })
  body!: string;

  @Field(() => [String], { nullable: true, description: 'Up to 10 https URLs of photos or videos.' })
  mediaUrls?: string[] | null;
}

@InputType({ description: 'Edit your review. Omitted fields stay; the automatic moderation rules run again.' })
export class UpdateReviewInput {
  @Field(() => ID, { description: 'The review.' })
  reviewId!: string;

  @Field(() => Int, { nullable: true, description: '1 to 5 stars.' })
  rating?: number | null;

  @Field(() => String, { nullable: true, description: 'Headline, 1–150 characters.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'Text, 1–5000 characters.' })
  body?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces the media: up to 10 https URLs.' })
  mediaUrls?: string[] | null;
}

@InputType({ description: 'A moderator publishes or rejects a review.' })
export class ModerateReviewInput {
  @Field(() => ID, { description: 'The review.' })
  reviewId!: string;

  @Field(() => ReviewStatus, { description: 'PUBLISHED or REJECTED; see Review.nextStates.' })
  to!: ReviewStatus;

  @Field(() => String, { nullable: true, description: 'Required to reject; at most 1000 characters.' })
  reason?: string | null;
}

@InputType({ description: 'The merchant answers a review publicly.' })
export class ReplyToReviewInput {
  @Field(() => ID, { description: 'The review.' })
  reviewId!: string;

  @Field(() => String, { description: 'Reply text, 1–5000 characters; replaces an earlier reply.' })
  body!: string;
}

export const SubmitReviewResult = createUnionType({
  name: 'SubmitReviewResult',
  description: 'The review written (PUBLISHED, or PENDING when held for a moderator), or why it was refused.',
  types: () => [Review, NotVerifiedPurchaseError, ItemNotDeliveredError, AlreadyReviewedError] as const,
});

export const UpdateReviewResult = createUnionType({
  name: 'UpdateReviewResult',
  description: 'The review after the change, or why it was refused (nothing was changed then).',
  types: () => [Review, ReviewNotEditableError] as const,
});

export const ModerateReviewResult = createUnionType({
  name: 'ModerateReviewResult',
  description: 'The review after the move, or why it was refused (nothing was changed then).',
  types: () => [Review, IllegalReviewTransitionError] as const,
});

export const VoteReviewResult = createUnionType({
  name: 'VoteReviewResult',
  description: 'The review with its new helpful count, or why the vote was refused.',
  types: () => [Review, AlreadyVotedError, OwnReviewVoteError] as const,
});

export enum ReviewSortField {
  CREATED_AT = 'CREATED_AT',
  RATING = 'RATING',
  HELPFUL = 'HELPFUL',
}
registerEnumType(ReviewSortField, { name: 'ReviewSortField', description: 'Review orderings; ties are broken by id.' });

@InputType({ description: 'Review filters; all given conditions must hold.' })
export class ReviewFilter {
  @Field(() => ID, { nullable: true, description: 'Reviews of this product.' })
  productId?: string | null;

  @Field(() => [ReviewStatus], { nullable: true, description: 'Staff only (others always get PUBLISHED): any of these statuses.' })
  status?: ReviewStatus[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Customers: true lists your own reviews in every status.' })
  mine?: boolean | null;

  @Field(() => ID, { nullable: true, description: 'Staff only: reviews by this customer.' })
  customerId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Staff only: low ratings waiting for a merchant reply.' })
  needsResponse?: boolean | null;

  @Field(() => Int, { nullable: true, description: 'Ratings at most this (1–5).' })
  maxRating?: number | null;
}

@InputType({ description: 'Review ordering.' })
export class ReviewOrder {
  @Field(() => ReviewSortField, { defaultValue: ReviewSortField.CREATED_AT, description: 'Sort key.' })
  field!: ReviewSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC, description: 'Direction.' })
  direction!: SortDirection;
}

@ArgsType()
export class ReviewsArgs extends PageArgs {
  @Field(() => ReviewFilter, { nullable: true, description: 'Which reviews.' })
  filter?: ReviewFilter | null;

  @Field(() => ReviewOrder, { nullable: true, description: 'Default: newest first.' })
  orderBy?: ReviewOrder | null;
}

@ArgsType()
export class ReviewInvitationsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Staff only: this customer’s invitations. Customers always get their own.' })
  customerId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only items not reviewed yet. Default true.' })
  pendingOnly?: boolean | null;
}

@ObjectType({ description: 'How many published reviews gave a number of stars.' })
export class RatingBucket {
  @Field(() => Int, { description: 'Stars, 1 to 5.' })
  rating!: number;

  @Field(() => Int, { description: 'Published reviews with that rating.' })
  count!: number;
}

@ObjectType({ description: 'Rating figures of a product, computed from its published reviews when asked.' })
export class RatingSummary {
  @Field(() => ID, { description: 'The product.' })
  productId!: string;

  @Field(() => Int, { description: 'Published reviews.' })
  count!: number;

  @Field(() => Int, { description: 'Sum of their ratings (average = ratingSum / count, exactly).' })
  ratingSum!: number;

  @Field(() => Float, { nullable: true, description: 'ratingSum / count; null without reviews.' })
  average!: number | null;

  @Field(() => [RatingBucket], { description: 'Counts for 1 to 5 stars, always five entries in that order.' })
  distribution!: RatingBucket[];
}

@ArgsType()
export class ReviewAddedArgs {
  @Field(() => ID, { nullable: true, description: 'Only reviews of this product.' })
  productId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Only ratings at most this (1–5), e.g. 2 for a low-rating console.' })
  maxRating?: number | null;

  @Field(() => GraphQLSafeInt, {
    nullable: true,
    description: 'Resume: first replay, in order and once, every matching event with a greater eventId, then go live.',
  })
  afterEventId?: number | null;
}

@ObjectType({ description: 'A customer submitted a review (whatever the moderation outcome).' })
export class ReviewAddedEvent {
  @Field(() => GraphQLSafeInt, { description: 'Delivery order of this event; pass the last one seen as afterEventId to resume.' })
  eventId!: number;

  @Field(() => ID, { description: 'The review.' })
  reviewId!: string;

  @Field(() => ID, { description: 'The product reviewed.' })
  productId!: string;

  @Field(() => Int, { description: 'Stars given.' })
  rating!: number;

  @Field(() => ReviewStatus, { description: 'Status right after submission (PUBLISHED, or PENDING when held).' })
  status!: ReviewStatus;

  @Field(() => Boolean, { description: 'Low rating waiting for a merchant reply.' })
  needsResponse!: boolean;

  @Field(() => GraphQLDateTime, { description: 'When it was written.' })
  createdAt!: Date;
}
