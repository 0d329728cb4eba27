import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, createUnionType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Money } from '../../common/money.js';
import { PageArgs } from '../../common/pagination.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { MarginFloorViolationError } from './pricing.errors.js';
import { PriceTier, PricingStrategyKind } from './pricing.entity.js';

@InputType({ description: 'Set how a product is priced. Rates are basis points (1% = 100).' })
export class SetPricingStrategyInput {
  @Field(() => ID, { description: 'The product.' })
  productId!: string;

  @Field(() => PricingStrategyKind, { description: 'The strategy.' })
  kind!: PricingStrategyKind;

  @Field(() => Int, { nullable: true, description: 'Required for COST_PLUS: markup on cost, 0 to 100000.' })
  targetMarginBps?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: 'Offset to the competitor reference price, −5000 to 5000: COMPETITIVE any (default 0), PREMIUM > 0 (required), PENETRATION ≤ 0 (default 0).',
  })
  competitorOffsetBps?: number | null;

  @Field(() => Int, { nullable: true, defaultValue: 0, description: 'Margin floor over cost, 0 to 100000 (default 0: never below cost).' })
  minMarginBps?: number;
}

@InputType({ description: 'Change a variant’s selling price.' })
export class SetVariantPriceInput {
  @Field(() => ID, { description: 'The variant.' })
  variantId!: string;

  @Field(() => Int, { description: 'New price in minor units of the variant currency, 0 to 1,000,000,000.' })
  priceAmount!: number;

  @Field(() => String, { description: 'Why, 1 to 1000 characters; kept in the price history.' })
  reason!: string;

  @Field(() => String, { nullable: true, description: 'Allows a price below the margin floor; why, 1 to 1000 characters.' })
  marginFloorOverrideReason?: string | null;
}

export const SetVariantPriceResult = createUnionType({
  name: 'SetVariantPriceResult',
  description: 'The variant with its new price, or why the price was refused (nothing changed then).',
  types: () => [ProductVariant, MarginFloorViolationError] as const,
});

@ArgsType()
export class PriceHistoryArgs extends PageArgs {
  @Field(() => ID, { description: 'The variant.' })
  variantId!: string;
}

@ObjectType({ description: 'A suggested price and every input it was computed from. Rates are basis points.' })
export class PriceSuggestion {
  @Field(() => ID, { description: 'The variant.' })
  variantId!: string;

  @Field(() => PricingStrategyKind, { nullable: true, description: 'The product’s strategy; null when none is set.' })
  strategy!: PricingStrategyKind | null;

  @Field(() => Money, { nullable: true, description: 'The suggestion: the strategy price raised to the margin floor. Null when an input is missing (see missingInputs).' })
  suggestedPrice!: Money | null;

  @Field(() => Money, { nullable: true, description: 'The strategy price before the margin floor.' })
  strategyPrice!: Money | null;

  @Field(() => Boolean, { description: 'The strategy price was below the margin floor and was raised to it.' })
  raisedToMarginFloor!: boolean;

  @Field(() => Money, { description: 'Our current price.' })
  currentPrice!: Money;

  @Field(() => Money, { nullable: true, description: 'Unit cost used.' })
  cost!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Margin floor used: cost × (1 + minMarginBps / 10000), rounded up.' })
  marginFloor!: Money | null;

  @Field(() => Int, { description: 'Competitor listings whose latest price was used.' })
  competitorCount!: number;

  @Field(() => Money, { nullable: true, description: 'Cheapest latest competitor price used.' })
  competitorMin!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Median latest competitor price used.' })
  competitorMedian!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Dearest latest competitor price used.' })
  competitorMax!: Money | null;

  @Field(() => Int, { nullable: true, description: 'Markup on cost used.' })
  targetMarginBps!: number | null;

  @Field(() => Int, { nullable: true, description: 'Offset to the competitor reference used.' })
  competitorOffsetBps!: number | null;

  @Field(() => Int, { description: 'Minimum margin used.' })
  minMarginBps!: number;

  @Field(() => String, { description: 'The formula applied, e.g. "round(cost × (1 + 3000/10000))".' })
  formula!: string;

  @Field(() => [String], { description: 'Inputs the strategy needs but that are missing (e.g. "cost", "competitor prices", "strategy").' })
  missingInputs!: string[];
}

@ArgsType()
export class PriceChangeImpactArgs {
  @Field(() => ID, { description: 'The variant.' })
  variantId!: string;

  @Field(() => Int, { description: 'The price to test, in minor units.' })
  newPriceAmount!: number;
}

@ObjectType({
  description:
    'Dry run of a price change over the last 30 days of sales (non-cancelled orders): what revenue and margin would have been at the new price, assuming the same units. Nothing is changed.',
})
export class PriceChangeImpact {
  @Field(() => ID, { description: 'The variant.' })
  variantId!: string;

  @Field(() => GraphQLDateTime, { description: 'Start of the sales window.' })
  windowFrom!: Date;

  @Field(() => GraphQLDateTime, { description: 'End of the sales window (now).' })
  windowTo!: Date;

  @Field(() => Int, { description: 'Units sold in the window.' })
  unitsSold!: number;

  @Field(() => Money, { description: 'Current price.' })
  currentPrice!: Money;

  @Field(() => Money, { description: 'Price tested.' })
  newPrice!: Money;

  @Field(() => Money, { description: 'Revenue actually made in the window.' })
  revenue!: Money;

  @Field(() => Money, { description: 'unitsSold × newPrice.' })
  projectedRevenue!: Money;

  @Field(() => Money, { nullable: true, description: 'revenue − unitsSold × cost; null without a cost.' })
  margin!: Money | null;

  @Field(() => Money, { nullable: true, description: 'unitsSold × (newPrice − cost); null without a cost.' })
  projectedMargin!: Money | null;

  @Field(() => Float, { nullable: true, description: 'Margin per unit of revenue at the new price: (newPrice − cost) ÷ newPrice; null without a cost or at price 0.' })
  projectedMarginRate!: number | null;

  @Field(() => Money, { nullable: true, description: 'Lowest price the margin floor allows; null without a cost.' })
  marginFloor!: Money | null;

  @Field(() => Boolean, { description: 'The new price is below the margin floor (setVariantPrice would refuse it without an override).' })
  belowMarginFloor!: boolean;
}

@InputType({ description: 'A new target segment.' })
export class CreateTargetSegmentInput {
  @Field(() => String, { description: 'Unique name, 1 to 200 characters.' })
  name!: string;

  @Field(() => String, { description: 'Who they are, at most 5000 characters.' })
  description!: string;
}

@InputType({ description: 'Set a product’s positioning.' })
export class SetProductPositioningInput {
  @Field(() => ID, { description: 'The product.' })
  productId!: string;

  @Field(() => [ID], { description: 'Target segments, 0 to 20.' })
  segmentIds!: string[];

  @Field(() => String, { description: 'Positioning statement, 1 to 2000 characters.' })
  statement!: string;

  @Field(() => PriceTier, { description: 'Price tier.' })
  priceTier!: PriceTier;
}
