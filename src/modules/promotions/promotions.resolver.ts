import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Connection } from '../../common/pagination.js';
import { Order } from '../orders/order.entity.js';
import { Promotion, PromotionUsage } from './promotion.entity.js';
import { PromotionUsagesByOrderIdLoader, UseCountByPromotionIdLoader } from './promotions.loaders.js';
import * as promotions from './promotions.service.js';
import { CreatePromotionInput, CreatePromotionResult, PromotionsArgs, SetPromotionStatusInput } from './promotions.types.js';

export const PromotionConnection = Connection('Promotion', Promotion);

@Resolver(() => Promotion)
export class PromotionResolver {
  @Allow(Role.MARKETING, Role.ANALYST)
  @Query(() => Promotion, { description: 'One promotion.' })
  promotion(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return promotions.getPromotion(ctx, id);
  }

  @Allow(Role.MARKETING, Role.ANALYST)
  @Query(() => PromotionConnection, { description: 'Promotions, newest first.' })
  promotions(@Ctx() ctx: Context, @Args(() => PromotionsArgs) args: PromotionsArgs) {
    return promotions.listPromotions(ctx, args);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => CreatePromotionResult, { description: 'Create a promotion; it applies to orders placed from now on while ACTIVE and inside its dates.' })
  createPromotion(@Ctx() ctx: Context, @Arg('input', () => CreatePromotionInput) input: CreatePromotionInput) {
    return promotions.createPromotion(ctx, input);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => Promotion, { description: 'Pause or resume a promotion. Orders already placed keep their discounts.' })
  setPromotionStatus(@Ctx() ctx: Context, @Arg('input', () => SetPromotionStatusInput) input: SetPromotionStatusInput) {
    return promotions.setPromotionStatus(ctx, input);
  }

  @FieldResolver(() => Int, { description: 'Orders using it now (cancelled orders give their use back).' })
  timesUsed(@Root() promotion: Promotion, @Ctx() ctx: Context) {
    return ctx.loader(UseCountByPromotionIdLoader).load(promotion.id);
  }
}

@Resolver(() => Order)
export class OrderPromotionsResolver {
  @FieldResolver(() => [PromotionUsage], { description: 'Promotions applied at placement, in the order they were applied, with what each took off.' })
  appliedPromotions(@Root() order: Order, @Ctx() ctx: Context) {
    return ctx.loader(PromotionUsagesByOrderIdLoader).load(order.id);
  }
}

