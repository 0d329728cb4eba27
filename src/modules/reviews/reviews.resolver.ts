import type { GraphQLResolveInfo } from 'graphql';
import { Arg, Args, Ctx, FieldResolver, ID, Info, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow, Public } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import type { EventEnvelope } from '../../common/events/envelope.js';
import { Connection, selectsTotalCount } from '../../common/pagination.js';
import { CustomerRowByIdLoader } from '../customers/customers.loaders.js';
import { Product } from '../catalog/product.entity.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { ProductByIdLoader, VariantByIdLoader } from '../catalog/catalog.loaders.js';
import { Order } from '../orders/order.entity.js';
import { OrderByIdLoader } from '../orders/orders.loaders.js';
import { Review, ReviewInvitation } from './review.entity.js';
import { ReviewByIdLoader } from './reviews.loaders.js';
import type { ReviewStatus } from './reviews.lifecycle.js';
import * as reviews from './reviews.service.js';
import { REVIEW_WATCHERS, subscribeReviewAdded } from './reviews.subscriptions.js';
import type { ReviewAddedPayload } from './reviews.topics.js';
import {
  ModerateReviewInput,
  ModerateReviewResult,
  RatingSummary,
  ReplyToReviewInput,
  ReviewAddedArgs,
  ReviewAddedEvent,
  ReviewInvitationsArgs,
  ReviewsArgs,
  SubmitReviewInput,
  SubmitReviewResult,
  UpdateReviewInput,
  UpdateReviewResult,
  VoteReviewResult,
} from './reviews.types.js';

export const ReviewConnection = Connection('Review', Review);
export const ReviewInvitationConnection = Connection('ReviewInvitation', ReviewInvitation);

const REVIEW_STAFF = [Role.SUPPORT, Role.MERCHANDISING, Role.ANALYST] as const;

@Resolver(() => Review)
export class ReviewResolver {
  @Public()
  @Query(() => Review, { description: 'One review. Unpublished reviews are visible to staff and to their author only.' })
  review(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Review id.' }) id: string) {
    return reviews.getReview(ctx, id);
  }

  @Public()
  @Query(() => ReviewConnection, {
    description: 'Reviews, filtered and ordered. Everyone sees published reviews; customers also their own (filter.mine); staff filter by status for moderation.',
  })
  reviews(@Ctx() ctx: Context, @Args(() => ReviewsArgs) args: ReviewsArgs, @Info() info: GraphQLResolveInfo) {
    return reviews.listReviews(ctx, args, { withCount: selectsTotalCount(info) });
  }

  @Public()
  @Query(() => RatingSummary, { description: 'Rating figures of a product from its published reviews.' })
  productRatingSummary(@Ctx() ctx: Context, @Arg('productId', () => ID, { description: 'The product.' }) productId: string) {
    return reviews.ratingSummary(ctx, productId);
  }

  @Allow(Role.SUPPORT, Role.ANALYST, 'CUSTOMER')
  @Query(() => ReviewInvitationConnection, { description: 'Delivered items awaiting a review, newest first. Customers get their own.' })
  reviewInvitations(@Ctx() ctx: Context, @Args(() => ReviewInvitationsArgs) args: ReviewInvitationsArgs) {
    return reviews.listInvitations(ctx, args);
  }

  @Allow('CUSTOMER')
  @Mutation(() => SubmitReviewResult, {
    description: 'Review an item you bought, once per order line, after delivery. Published at once unless the automatic rules hold it for a moderator; ratings of 1–2 are flagged for a merchant reply.',
  })
  submitReview(@Ctx() ctx: Context, @Arg('input', () => SubmitReviewInput, { description: 'What to do; see the input type.' }) input: SubmitReviewInput) {
    return reviews.submitReview(ctx, input);
  }

  @Allow('CUSTOMER')
  @Mutation(() => UpdateReviewResult, { description: 'Edit your review; it goes through the automatic rules again.' })
  updateReview(@Ctx() ctx: Context, @Arg('input', () => UpdateReviewInput, { description: 'What to do; see the input type.' }) input: UpdateReviewInput) {
    return reviews.updateReview(ctx, input);
  }

  @Allow(Role.SUPPORT)
  @Mutation(() => ModerateReviewResult, { description: 'Publish or reject a review (see Review.nextStates). Rejecting needs a reason.' })
  moderateReview(@Ctx() ctx: Context, @Arg('input', () => ModerateReviewInput, { description: 'What to do; see the input type.' }) input: ModerateReviewInput) {
    return reviews.moderateReview(ctx, input);
  }

  @Allow(Role.SUPPORT, Role.MERCHANDISING)
  @Mutation(() => UpdateReviewResult, { description: 'Answer a review publicly as the merchant; clears needsResponse.' })
  replyToReview(@Ctx() ctx: Context, @Arg('input', () => ReplyToReviewInput, { description: 'What to do; see the input type.' }) input: ReplyToReviewInput) {
    return reviews.replyToReview(ctx, input);
  }

  @Allow('CUSTOMER')
  @Mutation(() => VoteReviewResult, { description: 'Mark a published review helpful; once per customer, not your own.' })
  voteReviewHelpful(@Ctx() ctx: Context, @Arg('reviewId', () => ID, { description: 'The review.' }) reviewId: string) {
    return reviews.voteReviewHelpful(ctx, reviewId);
  }

  @Allow(...REVIEW_WATCHERS)
  @Subscription(() => ReviewAddedEvent, {
    description:
      'New reviews as they are written, including ones held for moderation (staff only). Filter by product and by maximum rating to watch low ratings. Pass afterEventId to replay what was missed first.',
    subscribe: ({ args, context }) => subscribeReviewAdded(context as Context, args as ReviewAddedArgs),
  })
  reviewAdded(@Root() event: EventEnvelope<ReviewAddedPayload>, @Args(() => ReviewAddedArgs) _args: ReviewAddedArgs): ReviewAddedEvent {
    const p = event.payload;
    return Object.assign(new ReviewAddedEvent(), {
      eventId: event.id,
      reviewId: p.reviewId,
      productId: p.productId,
      rating: p.rating,
      status: p.status as ReviewStatus,
      needsResponse: p.needsResponse,
      createdAt: new Date(p.createdAt),
    });
  }

  @FieldResolver(() => Product, { description: 'The product reviewed.' })
  product(@Root() r: Review, @Ctx() ctx: Context) {
    return ctx.loader(ProductByIdLoader).load(r.product.id);
  }

  @FieldResolver(() => ProductVariant, { description: 'The variant bought.' })
  variant(@Root() r: Review, @Ctx() ctx: Context) {
    return ctx.loader(VariantByIdLoader).load(r.variant.id);
  }

  @FieldResolver(() => String, { description: 'Display name of the author.' })
  async authorName(@Root() r: Review, @Ctx() ctx: Context) {
    return (await ctx.loader(CustomerRowByIdLoader).load(r.customer.id))?.name ?? '';
  }

  @Allow(...REVIEW_STAFF)
  @FieldResolver(() => String, { nullable: true, description: 'Why the review was held or rejected. Staff only.' })
  moderationReason(@Root() r: Review) {
    return r.moderationReason ?? null;
  }
}

@Resolver(() => ReviewInvitation)
export class ReviewInvitationResolver {
  @FieldResolver(() => Product, { description: 'The product to review.' })
  product(@Root() i: ReviewInvitation, @Ctx() ctx: Context) {
    return ctx.loader(ProductByIdLoader).load(i.product.id);
  }

  @FieldResolver(() => ProductVariant, { description: 'The variant delivered.' })
  variant(@Root() i: ReviewInvitation, @Ctx() ctx: Context) {
    return ctx.loader(VariantByIdLoader).load(i.variant.id);
  }

  @FieldResolver(() => Order, { description: 'The delivered order.' })
  order(@Root() i: ReviewInvitation, @Ctx() ctx: Context) {
    return ctx.loader(OrderByIdLoader).load(i.order.id);
  }

  @FieldResolver(() => Review, { nullable: true, description: 'The review written for it, once there is one.' })
  review(@Root() i: ReviewInvitation, @Ctx() ctx: Context) {
    return i.review ? ctx.loader(ReviewByIdLoader).load(i.review.id) : null;
  }
}

@Resolver(() => ReviewAddedEvent)
export class ReviewAddedEventResolver {
  @FieldResolver(() => Review, { description: 'The review as it is now (read when the event is delivered).' })
  review(@Root() e: ReviewAddedEvent, @Ctx() ctx: Context) {
    return ctx.loader(ReviewByIdLoader).load(e.reviewId);
  }
}

/** Adds rating figures to the catalog's Product type without touching the catalog module. */
@Resolver(() => Product)
export class ProductRatingResolver {
  @FieldResolver(() => RatingSummary, { description: 'Rating figures from the product’s published reviews.' })
  ratingSummary(@Root() p: Product, @Ctx() ctx: Context) {
    return reviews.ratingSummary(ctx, p.id);
  }
}
