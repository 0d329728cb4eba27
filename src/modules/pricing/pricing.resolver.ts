import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Connection } from '../../common/pagination.js';
import { Product } from '../catalog/product.entity.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { VariantByIdLoader } from '../catalog/catalog.loaders.js';
import { PricingStrategy, ProductPositioning, TargetSegment, VariantPriceChange } from './pricing.entity.js';
import { PositioningByProductIdLoader, PricingStrategyByProductIdLoader, TargetSegmentByIdLoader } from './pricing.loaders.js';
import * as pricing from './pricing.service.js';
import {
  CreateTargetSegmentInput,
  PriceChangeImpact,
  PriceChangeImpactArgs,
  PriceHistoryArgs,
  PriceSuggestion,
  SetPricingStrategyInput,
  SetProductPositioningInput,
  SetVariantPriceInput,
  SetVariantPriceResult,
} from './pricing.types.js';

export const VariantPriceChangeConnection = Connection('VariantPriceChange', VariantPriceChange);

/** Prices, costs and strategies are internal: merchandising writes, operations and analysts read. */
const READERS = [Role.MERCHANDISING, Role.OPERATIONS, Role.ANALYST] as const;
const WRITERS = [Role.MERCHANDISING] as const;

@Resolver(() => PricingStrategy)
export class PricingResolver {
  @Allow(...WRITERS)
  @Mutation(() => PricingStrategy, { description: 'Set (or replace) the pricing strategy of a product.' })
  setPricingStrategy(@Ctx() ctx: Context, @Arg('input', () => SetPricingStrategyInput, { description: 'What to do; see the input type.' }) input: SetPricingStrategyInput) {
    return pricing.setPricingStrategy(ctx, input);
  }

  @Allow(...WRITERS)
  @Mutation(() => SetVariantPriceResult, {
    description: 'Change a variant’s selling price and record it in the price history. A price below the margin floor is refused unless marginFloorOverrideReason is given.',
  })
  setVariantPrice(@Ctx() ctx: Context, @Arg('input', () => SetVariantPriceInput, { description: 'What to do; see the input type.' }) input: SetVariantPriceInput) {
    return pricing.setVariantPrice(ctx, input);
  }

  @Allow(...READERS)
  @Query(() => VariantPriceChangeConnection, { description: 'Price history of a variant, newest first.' })
  priceHistory(@Ctx() ctx: Context, @Args(() => PriceHistoryArgs) args: PriceHistoryArgs) {
    return pricing.priceHistory(ctx, args);
  }

  @Allow(...READERS)
  @Query(() => PriceSuggestion, { description: 'The price the product’s strategy suggests for a variant, with every input it used.' })
  suggestedPrice(@Ctx() ctx: Context, @Arg('variantId', () => ID, { description: 'The variant.' }) variantId: string) {
    return pricing.suggestPrice(ctx, variantId);
  }

  @Allow(...READERS)
  @Query(() => PriceChangeImpact, { description: 'Dry run of a price change: margin and revenue over the last 30 days of sales at the new price. Changes nothing.' })
  priceChangeImpact(@Ctx() ctx: Context, @Args(() => PriceChangeImpactArgs) args: PriceChangeImpactArgs) {
    return pricing.priceChangeImpact(ctx, args);
  }
}

@Resolver(() => TargetSegment)
export class TargetSegmentResolver {
  @Allow(...READERS, Role.MARKETING)
  @Query(() => [TargetSegment], { description: 'All target segments by name.' })
  targetSegments(@Ctx() ctx: Context) {
    return pricing.listTargetSegments(ctx);
  }

  @Allow(...WRITERS)
  @Mutation(() => TargetSegment, { description: 'Create a target segment.' })
  createTargetSegment(@Ctx() ctx: Context, @Arg('input', () => CreateTargetSegmentInput, { description: 'What to do; see the input type.' }) input: CreateTargetSegmentInput) {
    return pricing.createTargetSegment(ctx, input);
  }

  @Allow(...WRITERS)
  @Mutation(() => ProductPositioning, { description: 'Set (or replace) a product’s positioning.' })
  setProductPositioning(@Ctx() ctx: Context, @Arg('input', () => SetProductPositioningInput, { description: 'What to do; see the input type.' }) input: SetProductPositioningInput) {
    return pricing.setProductPositioning(ctx, input);
  }
}

@Resolver(() => ProductPositioning)
export class ProductPositioningResolver {
  @FieldResolver(() => [TargetSegment], { description: 'Segments the product is for.' })
  async segments(@Root() positioning: ProductPositioning, @Ctx() ctx: Context) {
    const rows = await ctx.loader(TargetSegmentByIdLoader).loadMany(positioning.segmentIds);
    return rows.filter((r): r is TargetSegment => r instanceof TargetSegment);
  }
}

@Resolver(() => Product)
export class ProductPricingResolver {
  @Allow(...READERS)
  @FieldResolver(() => PricingStrategy, { nullable: true, description: 'How the product is priced; null when no strategy is set. Staff only.' })
  pricingStrategy(@Root() product: Product, @Ctx() ctx: Context) {
    return ctx.loader(PricingStrategyByProductIdLoader).load(product.id);
  }

  @Allow(...READERS, Role.MARKETING)
  @FieldResolver(() => ProductPositioning, { nullable: true, description: 'Segments, statement and price tier; null when not positioned. Staff only.' })
  positioning(@Root() product: Product, @Ctx() ctx: Context) {
    return ctx.loader(PositioningByProductIdLoader).load(product.id);
  }
}

@Resolver(() => VariantPriceChange)
export class VariantPriceChangeResolver {
  @FieldResolver(() => ProductVariant, { description: 'The variant.' })
  variant(@Root() change: VariantPriceChange, @Ctx() ctx: Context) {
    return ctx.loader(VariantByIdLoader).load(change.variant.id);
  }
}
