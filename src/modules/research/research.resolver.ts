import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root, createUnionType } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Connection, PageArgs } from '../../common/pagination.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { VariantByIdLoader } from '../catalog/catalog.loaders.js';
import { DuplicateResearchKeyError } from './research.errors.js';
import { Competitor, CompetitorListing, CompetitorPriceObservation, MarketStudy } from './research.entity.js';
import { CompetitorByIdLoader, CompetitorListingsByCompetitorIdLoader, LatestObservationByListingIdLoader } from './research.loaders.js';
import * as research from './research.service.js';
import {
  CategoryDemandTrendArgs,
  CompetitorPriceChange,
  CompetitorPriceChangesArgs,
  CreateCompetitorInput,
  CreateCompetitorListingInput,
  CreateMarketStudyInput,
  DemandPoint,
  IngestResult,
  MarketStudiesArgs,
  OutOfStockDemand,
  OutOfStockViewSignalInput,
  PriceObservationInput,
  PricePosition,
  PricePositionArgs,
  SearchTermDemand,
  SearchTermSignalInput,
  TopSearchTermsArgs,
} from './research.types.js';

export const CompetitorConnection = Connection('Competitor', Competitor);
export const MarketStudyConnection = Connection('MarketStudy', MarketStudy);

const CreateCompetitorResult = createUnionType({
  name: 'CreateCompetitorResult',
  description: 'The competitor recorded, or why it was refused.',
  types: () => [Competitor, DuplicateResearchKeyError] as const,
});

const CreateCompetitorListingResult = createUnionType({
  name: 'CreateCompetitorListingResult',
  description: 'The competitor listing recorded, or why it was refused.',
  types: () => [CompetitorListing, DuplicateResearchKeyError] as const,
});

/** Market research is written by merchandising (and their feed tokens); planning roles and analysts read. */
const READERS = [Role.MERCHANDISING, Role.OPERATIONS, Role.MARKETING, Role.ANALYST] as const;
const WRITERS = [Role.MERCHANDISING] as const;

@Resolver(() => Competitor)
export class CompetitorResolver {
  @Allow(...READERS)
  @Query(() => CompetitorConnection, { description: 'Competitors by name.' })
  competitors(@Ctx() ctx: Context, @Args(() => PageArgs) args: PageArgs) {
    return research.listCompetitors(ctx, args);
  }

  @Allow(...WRITERS)
  @Mutation(() => CreateCompetitorResult, { description: 'Record a competitor.' })
  createCompetitor(@Ctx() ctx: Context, @Arg('input', () => CreateCompetitorInput, { description: 'What to do; see the input type.' }) input: CreateCompetitorInput) {
    return research.createCompetitor(ctx, input);
  }

  @Allow(...WRITERS)
  @Mutation(() => CreateCompetitorListingResult, { description: 'Match a competitor’s listing to one of our variants.' })
  createCompetitorListing(@Ctx() ctx: Context, @Arg('input', () => CreateCompetitorListingInput, { description: 'What to do; see the input type.' }) input: CreateCompetitorListingInput) {
    return research.createCompetitorListing(ctx, input);
  }

  @Allow(...WRITERS)
  @Mutation(() => IngestResult, { description: 'Store a batch (1–1000) of competitor price observations from a feed or scraper; a repeated (listing, observedAt) is ignored.' })
  ingestCompetitorPrices(@Ctx() ctx: Context, @Arg('observations', () => [PriceObservationInput], { description: 'The batch, 1 to 1000 rows.' }) observations: PriceObservationInput[]) {
    return research.ingestPriceObservations(ctx, observations);
  }

  @Allow(...WRITERS)
  @Mutation(() => IngestResult, { description: 'Store a batch (1–1000) of daily on-site search counts; a repeated (day, term) replaces the earlier figures.' })
  ingestSearchTermSignals(@Ctx() ctx: Context, @Arg('signals', () => [SearchTermSignalInput], { description: 'The batch, 1 to 1000 rows.' }) signals: SearchTermSignalInput[]) {
    return research.ingestSearchTermSignals(ctx, signals);
  }

  @Allow(...WRITERS)
  @Mutation(() => IngestResult, { description: 'Store a batch (1–1000) of daily views of out-of-stock variants; a repeated (day, variant) replaces the earlier figure.' })
  ingestOutOfStockViews(@Ctx() ctx: Context, @Arg('signals', () => [OutOfStockViewSignalInput], { description: 'The batch, 1 to 1000 rows.' }) signals: OutOfStockViewSignalInput[]) {
    return research.ingestOutOfStockViews(ctx, signals);
  }

  @Allow(...READERS)
  @Query(() => PricePosition, { description: 'Our price of a SKU against its competitors: latest min/median/max, a price index, and the daily trend over a period.' })
  pricePosition(@Ctx() ctx: Context, @Args(() => PricePositionArgs) args: PricePositionArgs) {
    return research.pricePosition(ctx, args);
  }

  @Allow(...READERS)
  @Query(() => [CompetitorPriceChange], { description: 'Competitor listings whose price changed in a period, newest first (at most `limit`).' })
  competitorPriceChanges(@Ctx() ctx: Context, @Args(() => CompetitorPriceChangesArgs) args: CompetitorPriceChangesArgs) {
    return research.competitorPriceChanges(ctx, args);
  }

  @Allow(...READERS)
  @Query(() => [DemandPoint], { description: 'Daily units and orders of a category (and its subcategories) from our own sales; days without sales are omitted.' })
  categoryDemandTrend(@Ctx() ctx: Context, @Args(() => CategoryDemandTrendArgs) args: CategoryDemandTrendArgs) {
    return research.categoryDemandTrend(ctx, args);
  }

  @Allow(...READERS)
  @Query(() => [SearchTermDemand], { description: 'Most searched terms on our site in a period, with how many searches found nothing.' })
  topSearchTerms(@Ctx() ctx: Context, @Args(() => TopSearchTermsArgs) args: TopSearchTermsArgs) {
    return research.topSearchTerms(ctx, args);
  }

  @FieldResolver(() => [CompetitorListing], { description: 'Listings of this competitor matched to our variants.' })
  listings(@Root() competitor: Competitor, @Ctx() ctx: Context) {
    return ctx.loader(CompetitorListingsByCompetitorIdLoader).load(competitor.id);
  }
}

@Resolver(() => OutOfStockDemand)
export class OutOfStockDemandResolver {
  @Allow(...READERS)
  @Query(() => [OutOfStockDemand], { description: 'Variants most viewed while out of stock in a period (days as in topSearchTerms), most views first.' })
  outOfStockDemand(@Ctx() ctx: Context, @Args(() => TopSearchTermsArgs) args: TopSearchTermsArgs) {
    return research.outOfStockDemand(ctx, args);
  }

  @FieldResolver(() => ProductVariant, { description: 'The variant.' })
  variant(@Root() row: OutOfStockDemand, @Ctx() ctx: Context) {
    return ctx.loader(VariantByIdLoader).load(row.variantId);
  }
}

@Resolver(() => CompetitorListing)
export class CompetitorListingResolver {
  @FieldResolver(() => Competitor, { description: 'The competitor.' })
  competitor(@Root() listing: CompetitorListing, @Ctx() ctx: Context) {
    return ctx.loader(CompetitorByIdLoader).load(listing.competitor.id);
  }

  @FieldResolver(() => ProductVariant, { description: 'Our variant it competes with.' })
  variant(@Root() listing: CompetitorListing, @Ctx() ctx: Context) {
    return ctx.loader(VariantByIdLoader).load(listing.variant.id);
  }

  @FieldResolver(() => CompetitorPriceObservation, { nullable: true, description: 'The newest price observation; null before the first one.' })
  latestObservation(@Root() listing: CompetitorListing, @Ctx() ctx: Context) {
    return ctx.loader(LatestObservationByListingIdLoader).load(listing.id);
  }
}

@Resolver(() => MarketStudy)
export class MarketStudyResolver {
  @Allow(...READERS)
  @Query(() => MarketStudyConnection, { description: 'Market studies, newest first, optionally with a tag.' })
  marketStudies(@Ctx() ctx: Context, @Args(() => MarketStudiesArgs) args: MarketStudiesArgs) {
    return research.listMarketStudies(ctx, args);
  }

  @Allow(...WRITERS)
  @Mutation(() => MarketStudy, { description: 'Record a market study.' })
  createMarketStudy(@Ctx() ctx: Context, @Arg('input', () => CreateMarketStudyInput, { description: 'What to do; see the input type.' }) input: CreateMarketStudyInput) {
    return research.createMarketStudy(ctx, input);
  }
}

