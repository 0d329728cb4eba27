import type { AppModule } from '../../common/module.js';
import { orderHooks } from '../orders/orders.hooks.js';
import { OrderStatus } from '../orders/order.lifecycle.js';
import { Review, ReviewInvitation, ReviewVote } from './review.entity.js';
import { ProductRatingResolver, ReviewAddedEventResolver, ReviewInvitationResolver, ReviewResolver } from './reviews.resolver.js';
import { createReviewInvitations } from './reviews.service.js';

// Delivery is when a customer can review what they bought.
orderHooks.onTransition(OrderStatus.DELIVERED, (ctx, em, order) => createReviewInvitations(ctx, em, order));

export const reviewsModule: AppModule = {
  name: 'reviews',
  entities: [Review, ReviewVote, ReviewInvitation],
  resolvers: [ReviewResolver, ReviewInvitationResolver, ReviewAddedEventResolver, ProductRatingResolver],
};
