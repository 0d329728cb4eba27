import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Connection } from '../../common/pagination.js';
import { Product } from '../catalog/product.entity.js';
import { ProductByIdLoader } from '../catalog/catalog.loaders.js';
import { Channel } from '../channels/channel.entity.js';
import { Brand, ContentPiece } from './brand.entity.js';
import { Campaign } from './marketing.entity.js';
import { CampaignByIdLoader, ContentByCampaignIdLoader, StorefrontByChannelIdLoader } from './marketing.loaders.js';
import * as marketing from './marketing.service.js';
import {
  CreateBrandInput,
  CreateBrandResult,
  CreateContentPieceInput,
  MarketingListArgs,
  RecordContentMetricsInput,
  Storefront,
  TransitionContentPieceInput,
  TransitionContentPieceResult,
  UpdateStorefrontInput,
} from './marketing.types.js';
import { byIdLoader } from '../../common/loaders.js';

export const ContentPieceConnection = Connection('ContentPiece', ContentPiece);
const BrandByIdLoader = byIdLoader(Brand);

@Resolver(() => Product)
export class ProductBrandResolver {
  @Allow(Role.MARKETING, Role.MERCHANDISING, Role.ANALYST)
  @FieldResolver(() => Brand, { nullable: true, description: 'Brand the product is sold under, if any. Staff only.' })
  brand(@Root() p: Product, @Ctx() ctx: Context) {
    return p.brand ? ctx.loader(BrandByIdLoader).load(p.brand.id) : null;
  }
}

@Resolver(() => ContentPiece)
export class ContentResolver {
  @Allow(Role.MARKETING, Role.ANALYST)
  @Query(() => [Brand], { description: 'Brands by name.' })
  brands(@Ctx() ctx: Context) {
    return marketing.listBrands(ctx);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => CreateBrandResult, { description: 'Create a brand.' })
  createBrand(@Ctx() ctx: Context, @Arg('input', () => CreateBrandInput) input: CreateBrandInput) {
    return marketing.createBrand(ctx, input);
  }

  @Allow(Role.MARKETING, Role.ANALYST)
  @Query(() => ContentPieceConnection, { description: 'Content pieces, newest first.' })
  contentPieces(@Ctx() ctx: Context, @Args(() => MarketingListArgs) args: MarketingListArgs) {
    return marketing.listContentPieces(ctx, args);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => ContentPiece, { description: 'Plan a content piece (starts PLANNED).' })
  createContentPiece(@Ctx() ctx: Context, @Arg('input', () => CreateContentPieceInput) input: CreateContentPieceInput) {
    return marketing.createContentPiece(ctx, input);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => TransitionContentPieceResult, { description: 'Publish or archive a content piece.' })
  transitionContentPiece(@Ctx() ctx: Context, @Arg('input', () => TransitionContentPieceInput) input: TransitionContentPieceInput) {
    return marketing.transitionContentPiece(ctx, input);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => ContentPiece, { description: 'Record the running metric totals of a published content piece.' })
  recordContentMetrics(@Ctx() ctx: Context, @Arg('input', () => RecordContentMetricsInput) input: RecordContentMetricsInput) {
    return marketing.recordContentMetrics(ctx, input);
  }

  @FieldResolver(() => Brand, { nullable: true, description: 'Brand it is for, if any.' })
  brand(@Root() c: ContentPiece, @Ctx() ctx: Context) {
    return c.brand ? ctx.loader(BrandByIdLoader).load(c.brand.id) : null;
  }

  @FieldResolver(() => Campaign, { nullable: true, description: 'Campaign it belongs to, if any.' })
  campaign(@Root() c: ContentPiece, @Ctx() ctx: Context) {
    return c.campaign ? ctx.loader(CampaignByIdLoader).load(c.campaign.id) : null;
  }
}

@Resolver(() => Campaign)
export class CampaignContentResolver {
  @FieldResolver(() => [ContentPiece], { description: 'Its content pieces.' })
  content(@Root() c: Campaign, @Ctx() ctx: Context) {
    return ctx.loader(ContentByCampaignIdLoader).load(c.id);
  }
}

@Resolver(() => Channel)
export class ChannelStorefrontResolver {
  @FieldResolver(() => Storefront, { description: 'Storefront settings: headline, banners and featured products (empty until set).' })
  async storefront(@Root() channel: Channel, @Ctx() ctx: Context): Promise<Storefront> {
    const s = await ctx.loader(StorefrontByChannelIdLoader).load(channel.id);
    return Object.assign(new Storefront(), { headline: s?.headline ?? null, banners: s?.banners ?? [], featuredProductIds: s?.featuredProductIds ?? [] });
  }

  @Allow(Role.MARKETING, Role.OPERATIONS)
  @Mutation(() => Channel, { description: 'Replace the storefront settings of a channel.' })
  updateStorefront(@Ctx() ctx: Context, @Arg('input', () => UpdateStorefrontInput) input: UpdateStorefrontInput) {
    return marketing.updateStorefront(ctx, input);
  }
}

@Resolver(() => Storefront)
export class StorefrontResolver {
  @FieldResolver(() => [Product], { description: 'Featured products in display order (products no longer ACTIVE are left out).' })
  async featuredProducts(@Root() s: Storefront, @Ctx() ctx: Context) {
    const products = await ctx.loader(ProductByIdLoader).loadMany(s.featuredProductIds);
    return products.filter((p): p is Product => p instanceof Product && p.status === 'ACTIVE');
  }
}
