import type { AppModule } from '../../common/module.js';
import { OrderStatus } from '../orders/order.lifecycle.js';
import { orderHooks, placeOrderErrorTypes } from '../orders/orders.hooks.js';
import { CustomerAddress, CustomerMembership, CustomerProfile, LoyaltyEntry, MembershipTier, Segment } from './crm.entity.js';
import { CustomerProfileResolver, SegmentResolver } from './insights.resolver.js';
import { PointsNotAvailableError } from './crm.errors.js';
import { LoyaltyResolver, MembershipTierResolver } from './crm.resolver.js';
import { earnPointsAndRecalculateTier, expirePoints, recalculateAllTiers, recordRedemption, redeemPoints, reverseRedemption, tierFreeShipping } from './crm.service.js';

orderHooks.addPricingStep({ name: 'tier-free-shipping', order: 250, apply: tierFreeShipping });
orderHooks.addPricingStep({ name: 'loyalty-points', order: 300, apply: redeemPoints });
orderHooks.onPlaced(recordRedemption);
orderHooks.onTransition(OrderStatus.COMPLETED, (ctx, em, order) => earnPointsAndRecalculateTier(ctx, em, order));
orderHooks.onTransition(OrderStatus.CANCELLED, (ctx, em, order) => reverseRedemption(ctx, em, order));
placeOrderErrorTypes.push(PointsNotAvailableError);

export const crmModule: AppModule = {
  name: 'crm',
  entities: [MembershipTier, CustomerMembership, LoyaltyEntry, CustomerProfile, CustomerAddress, Segment],
  resolvers: [MembershipTierResolver, LoyaltyResolver, CustomerProfileResolver, SegmentResolver],
  jobs: [
    { name: 'loyalty-expire-points', intervalMs: 60 * 60 * 1000, run: expirePoints },
    { name: 'crm-recalculate-tiers', intervalMs: 6 * 60 * 60 * 1000, run: recalculateAllTiers },
  ],
};
