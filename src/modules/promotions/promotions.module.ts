import type { AppModule } from '../../common/module.js';
import { OrderStatus } from '../orders/order.lifecycle.js';
import { orderHooks, placeOrderErrorTypes } from '../orders/orders.hooks.js';
import { Promotion, PromotionUsage } from './promotion.entity.js';
import { CouponNotApplicableError, PromotionLimitReachedError } from './promotions.errors.js';
import { OrderPromotionsResolver, PromotionResolver } from './promotions.resolver.js';
import { applyPromotions, recordPromotionUsage, releasePromotionUsage } from './promotions.service.js';

orderHooks.addPricingStep({ name: 'promotions', order: 200, apply: applyPromotions });
orderHooks.onPlaced(recordPromotionUsage);
orderHooks.onTransition(OrderStatus.CANCELLED, (ctx, em, order) => releasePromotionUsage(ctx, em, order));
placeOrderErrorTypes.push(CouponNotApplicableError, PromotionLimitReachedError);

export const promotionsModule: AppModule = {
  name: 'promotions',
  entities: [Promotion, PromotionUsage],
  resolvers: [PromotionResolver, OrderPromotionsResolver],
};
