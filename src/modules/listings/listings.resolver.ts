import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow, Public } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Connection } from '../../common/pagination.js';
import { Channel } from '../channels/channel.entity.js';
import { ChannelByIdLoader } from '../channels/channels.loaders.js';
import { Product } from '../catalog/product.entity.js';
import { ImagesByListingIdLoader, ListingByIdLoader, StatusChangesByListingIdLoader } from './listings.loaders.js';
import * as listings from './listings.service.js';
import { Listing, ListingImage, ListingStatusChange } from './listing.entity.js';
import {
  CreateListingInput,
  CreateListingResult,
  ListingMetricInput,
  ListingMetricsIngestResult,
  ListingPerformance,
  ListingPerformanceArgs,
  ListingQuality,
  ListingsArgs,
  TransitionListingInput,
  TransitionListingResult,
  UnderperformingListingsArgs,
  UpdateListingInput,
} from './listings.types.js';

export const ListingConnection = Connection('Listing', Listing);

/** Merchandising writes listings; every staff role that plans or sells reads their internals; analysts read. */
const STAFF_READERS = [Role.MERCHANDISING, Role.MARKETING, Role.OPERATIONS, Role.ANALYST] as const;

@Resolver(() => Listing)
export class ListingResolver {
  @Public()
  @Query(() => Listing, { description: 'One listing. Customers and anonymous callers see only PUBLISHED listings.' })
  listing(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Id of the item.' }) id: string) {
    return listings.getListing(ctx, id);
  }

  @Public()
  @Query(() => ListingConnection, { description: 'Listings, newest first. Customers and anonymous callers get only PUBLISHED ones.' })
  listings(@Ctx() ctx: Context, @Args(() => ListingsArgs) args: ListingsArgs) {
    return listings.listListings(ctx, args);
  }

  @Allow(...STAFF_READERS)
  @Query(() => [ListingPerformance], { description: 'Listings with high exposure and low conversion in a period: at least minImpressions, conversion at most maxConversionRate.' })
  underperformingListings(@Ctx() ctx: Context, @Args(() => UnderperformingListingsArgs) args: UnderperformingListingsArgs) {
    return listings.underperformingListings(ctx, args);
  }

  @Allow(Role.MERCHANDISING)
  @Mutation(() => CreateListingResult, { description: 'Create a DRAFT listing of a product on a sales channel.' })
  createListing(@Ctx() ctx: Context, @Arg('input', () => CreateListingInput, { description: 'What to do; see the input type.' }) input: CreateListingInput) {
    return listings.createListing(ctx, input);
  }

  @Allow(Role.MERCHANDISING)
  @Mutation(() => Listing, { description: 'Change a listing’s copy, keywords, SEO fields or images.' })
  updateListing(@Ctx() ctx: Context, @Arg('input', () => UpdateListingInput, { description: 'What to do; see the input type.' }) input: UpdateListingInput) {
    return listings.updateListing(ctx, input);
  }

  @Allow(Role.MERCHANDISING)
  @Mutation(() => TransitionListingResult, { description: 'Publish, delist or rework a listing (DRAFT → PUBLISHED → DELISTED; see Listing.nextStates). Delisting needs a reason.' })
  transitionListing(@Ctx() ctx: Context, @Arg('input', () => TransitionListingInput, { description: 'What to do; see the input type.' }) input: TransitionListingInput) {
    return listings.transitionListing(ctx, input);
  }

  @Allow(Role.MERCHANDISING, Role.MARKETING)
  @Mutation(() => ListingMetricsIngestResult, { description: 'Store a batch (1–1000) of daily listing metrics from the channels; a resent (listing, day) replaces its figures.' })
  ingestListingMetrics(@Ctx() ctx: Context, @Arg('metrics', () => [ListingMetricInput], { description: 'The batch, 1 to 1000 rows.' }) metrics: ListingMetricInput[]) {
    return listings.ingestListingMetrics(ctx, metrics);
  }

  @FieldResolver(() => Product, { nullable: true, description: 'The product listed; null for customers when the product is no longer ACTIVE.' })
  product(@Root() listing: Listing, @Ctx() ctx: Context) {
    return listings.listingProduct(ctx, listing);
  }

  @FieldResolver(() => Channel, { description: 'The sales channel.' })
  channel(@Root() listing: Listing, @Ctx() ctx: Context) {
    return ctx.loader(ChannelByIdLoader).load(listing.channel.id);
  }

  @FieldResolver(() => [ListingImage], { description: 'Images in display order.' })
  images(@Root() listing: Listing, @Ctx() ctx: Context) {
    return ctx.loader(ImagesByListingIdLoader).load(listing.id);
  }

  @Allow(...STAFF_READERS)
  @FieldResolver(() => ListingQuality, { description: 'Quality score 0–100 with the findings to fix. Staff only.' })
  quality(@Root() listing: Listing, @Ctx() ctx: Context) {
    return listings.listingQuality(ctx, listing);
  }

  @Allow(...STAFF_READERS)
  @FieldResolver(() => [ListingStatusChange], { description: 'Every status change, oldest first. Staff only.' })
  statusHistory(@Root() listing: Listing, @Ctx() ctx: Context) {
    return ctx.loader(StatusChangesByListingIdLoader).load(listing.id);
  }
}

@Resolver(() => ListingPerformance)
export class ListingPerformanceResolver {
  @Allow(...STAFF_READERS)
  @Query(() => ListingPerformance, { description: 'Exposure, clicks, orders, revenue, click-through and conversion rate of one listing over a period.' })
  listingPerformance(@Ctx() ctx: Context, @Arg('listingId', () => ID, { description: 'The listing.' }) listingId: string, @Args(() => ListingPerformanceArgs) args: ListingPerformanceArgs) {
    return listings.listingPerformance(ctx, listingId, args);
  }

  @FieldResolver(() => Listing, { description: 'The listing.' })
  listing(@Root() perf: ListingPerformance, @Ctx() ctx: Context) {
    return ctx.loader(ListingByIdLoader).load(perf.listingId);
  }
}
