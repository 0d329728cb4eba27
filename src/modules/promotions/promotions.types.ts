import { ArgsType, Field, ID, InputType, Int, createUnionType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { PageArgs } from '../../common/pagination.js';
import { Promotion, PromotionKind, PromotionStatus, PromotionTarget } from './promotion.entity.js';
import { CouponCodeTakenError } from './promotions.errors.js';

@InputType({ description: 'A new promotion. Amounts are integer minor units of `currency`.' })
export class CreatePromotionInput {
  @Field(() => String, { description: '1 to 200 characters; shown to customers on their order.' })
  name!: string;

  @Field(() => PromotionKind, { description: 'What the promotion gives.' })
  kind!: PromotionKind;

  @Field(() => PromotionTarget, { defaultValue: PromotionTarget.ORDER, description: 'BUY_X_GET_Y needs PRODUCT or CATEGORY; FREE_SHIPPING needs ORDER.' })
  target!: PromotionTarget;

  @Field(() => ID, { nullable: true, description: 'Product id (target PRODUCT) or category id (target CATEGORY); omit for ORDER.' })
  targetId?: string | null;

  @Field(() => Int, { nullable: true, description: 'PERCENT_OFF: 1 to 100.' })
  percent?: number | null;

  @Field(() => Int, { nullable: true, description: 'FIXED_OFF: amount off in minor units (> 0); per unit for PRODUCT/CATEGORY targets.' })
  amountOff?: number | null;

  @Field(() => Int, { nullable: true, description: 'BUY_X_GET_Y: units to buy (≥ 1).' })
  buyQuantity?: number | null;

  @Field(() => Int, { nullable: true, description: 'BUY_X_GET_Y: units free (≥ 1).' })
  getQuantity?: number | null;

  @Field(() => Int, { defaultValue: 0, description: 'Minimum order subtotal (before discounts) in minor units; 0 for none.' })
  minSubtotalAmount!: number;

  @Field(() => String, { description: 'ISO 4217 currency; only orders in it qualify.' })
  currency!: string;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'First instant it applies.' })
  startsAt?: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'It applies strictly before this instant; must be after startsAt.' })
  endsAt?: Date | null;

  @Field(() => String, { nullable: true, description: '3 to 32 letters, digits, - or _; case-insensitive and unique. Omit for an automatic promotion.' })
  couponCode?: string | null;

  @Field(() => Int, { nullable: true, description: 'Total number of orders that may use it (≥ 1).' })
  usageLimit?: number | null;

  @Field(() => Int, { nullable: true, description: 'Orders per customer that may use it (≥ 1).' })
  perCustomerLimit?: number | null;

  @Field(() => Boolean, { defaultValue: true, description: 'Whether it combines with other promotions (see Promotion.stackable).' })
  stackable!: boolean;

  @Field(() => Int, { defaultValue: 0, description: 'Higher priorities are considered first.' })
  priority!: number;

  @Field(() => ID, { nullable: true, description: 'Campaign it belongs to.' })
  campaignId?: string | null;
}

export const CreatePromotionResult = createUnionType({
  name: 'CreatePromotionResult',
  description: 'The promotion created, or why not (nothing was written then).',
  types: () => [Promotion, CouponCodeTakenError] as const,
});

@InputType({ description: 'Pause or resume a promotion.' })
export class SetPromotionStatusInput {
  @Field(() => ID, { description: 'The promotion.' })
  promotionId!: string;

  @Field(() => PromotionStatus, { description: 'Status to set.' })
  status!: PromotionStatus;
}

@InputType({ description: 'Which promotions to list.' })
export class PromotionFilter {
  @Field(() => PromotionStatus, { nullable: true, description: 'Only promotions in this status.' })
  status?: PromotionStatus | null;

  @Field(() => ID, { nullable: true, description: 'Only promotions of this campaign.' })
  campaignId?: string | null;
}

@ArgsType()
export class PromotionsArgs extends PageArgs {
  @Field(() => PromotionFilter, { nullable: true, description: 'Which promotions; all when omitted.' })
  filter?: PromotionFilter | null;
}
