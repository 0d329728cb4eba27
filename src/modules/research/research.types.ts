import { ArgsType, Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Money } from '../../common/money.js';
import { PageArgs } from '../../common/pagination.js';

@InputType({ description: 'A new competitor.' })
export class CreateCompetitorInput {
  @Field(() => String, { description: 'Unique name, 1 to 200 characters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Home page URL (http or https).' })
  website?: string | null;
}

@InputType({ description: 'Match a competitor’s listing to one of our variants.' })
export class CreateCompetitorListingInput {
  @Field(() => ID, { description: 'The competitor.' })
  competitorId!: string;

  @Field(() => ID, { description: 'Our variant it competes with.' })
  variantId!: string;

  @Field(() => String, { description: 'Where the competitor sells it, 1 to 100 characters.' })
  channel!: string;

  @Field(() => String, { description: 'URL of the listing (http or https); unique per competitor.' })
  url!: string;
}

@InputType({ description: 'One price seen by a feed or scraper.' })
export class PriceObservationInput {
  @Field(() => ID, { description: 'The competitor listing.' })
  competitorListingId!: string;

  @Field(() => Int, { description: 'Price in minor units, 0 to 1,000,000,000.' })
  priceAmount!: number;

  @Field(() => String, { description: 'ISO 4217 currency.' })
  currency!: string;

  @Field(() => Boolean, { description: 'Whether it was in stock.' })
  inStock!: boolean;

  @Field(() => GraphQLDateTime, { description: 'When it was seen; with the listing, the natural key (a repeat is ignored).' })
  observedAt!: Date;
}

@InputType({ description: 'Searches of one term on one day.' })
export class SearchTermSignalInput {
  @Field(() => String, { description: 'Day (UTC) as YYYY-MM-DD.' })
  day!: string;

  @Field(() => String, { description: 'The search term, 1 to 200 characters; compared case-insensitively.' })
  term!: string;

  @Field(() => Int, { description: 'Searches that day, ≥ 0.' })
  searches!: number;

  @Field(() => Int, { description: 'Results the search returned (0 marks unmet demand), ≥ 0.' })
  resultCount!: number;
}

@InputType({ description: 'Views of an out-of-stock variant on one day.' })
export class OutOfStockViewSignalInput {
  @Field(() => String, { description: 'Day (UTC) as YYYY-MM-DD.' })
  day!: string;

  @Field(() => ID, { description: 'The variant viewed.' })
  variantId!: string;

  @Field(() => Int, { description: 'Views while out of stock, ≥ 0.' })
  views!: number;
}

@ObjectType({ description: 'Outcome of a batch ingest. Rows are keyed by their natural key, so repeating a batch changes nothing.' })
export class IngestResult {
  @Field(() => Int, { description: 'Rows in the batch.' })
  received!: number;

  @Field(() => Int, { description: 'Rows newly stored.' })
  inserted!: number;

  @Field(() => Int, { description: 'Rows whose key was already stored: ignored (observations) or replaced with the new figures (daily counts).' })
  alreadyPresent!: number;
}

@InputType({ description: 'A new market study.' })
export class CreateMarketStudyInput {
  @Field(() => String, { description: '1 to 300 characters.' })
  title!: string;

  @Field(() => GraphQLDateTime, { description: 'Start of the period studied.' })
  periodStart!: Date;

  @Field(() => GraphQLDateTime, { description: 'End of the period studied; after periodStart.' })
  periodEnd!: Date;

  @Field(() => String, { description: 'Segment studied, 1 to 200 characters.' })
  targetSegment!: string;

  @Field(() => String, { description: 'Findings, 1 to 50,000 characters.' })
  findings!: string;

  @Field(() => [String], { nullable: true, description: 'At most 20 tags, each 1 to 50 characters; stored lower-cased.' })
  tags?: string[] | null;
}

@ArgsType()
export class MarketStudiesArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Only studies with this tag.' })
  tag?: string | null;
}

@ArgsType()
export class PricePositionArgs {
  @Field(() => ID, { description: 'Our variant.' })
  variantId!: string;

  @Field(() => GraphQLDateTime, { description: 'Start of the trend period (inclusive).' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'End of the trend period (exclusive); the position is as of this instant. At most 366 days after from.' })
  to!: Date;
}

@ObjectType({ description: 'Competitor prices and our price index on one UTC day.' })
export class PricePositionPoint {
  @Field(() => String, { description: 'Day (UTC), YYYY-MM-DD.' })
  day!: string;

  @Field(() => Int, { description: 'Observations in our currency that day.' })
  observationCount!: number;

  @Field(() => Money, { description: 'Our price at the end of the day (from the price history).' })
  ourPrice!: Money;

  @Field(() => Money, { description: 'Lowest competitor price seen that day.' })
  competitorMin!: Money;

  @Field(() => Money, { description: 'Median of the competitor prices seen that day (rounded to a minor unit).' })
  competitorMedian!: Money;

  @Field(() => Money, { description: 'Highest competitor price seen that day.' })
  competitorMax!: Money;

  @Field(() => Float, { description: '100 × ourPrice ÷ competitorMedian.' })
  priceIndex!: number;
}

@ObjectType({ description: 'Where our price of a SKU stands against its competitors. Only observations in our currency count.' })
export class PricePosition {
  @Field(() => ID, { description: 'Our variant.' })
  variantId!: string;

  @Field(() => Money, { description: 'Our current price.' })
  ourPrice!: Money;

  @Field(() => Int, { description: 'Competitor listings with an observation at or before `to` (their latest price counts).' })
  competitorCount!: number;

  @Field(() => Money, { nullable: true, description: 'Lowest latest competitor price; null without observations.' })
  competitorMin!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Median of the latest competitor prices (rounded to a minor unit); null without observations.' })
  competitorMedian!: Money | null;

  @Field(() => Money, { nullable: true, description: 'Highest latest competitor price; null without observations.' })
  competitorMax!: Money | null;

  @Field(() => Float, { nullable: true, description: '100 × ourPrice ÷ competitorMedian: 100 is at the median, above 100 is dearer. Null without observations.' })
  priceIndex!: number | null;

  @Field(() => [PricePositionPoint], { description: 'Per UTC day of the period with observations, oldest first.' })
  trend!: PricePositionPoint[];
}

@ArgsType()
export class CompetitorPriceChangesArgs {
  @Field(() => GraphQLDateTime, { description: 'Changes observed at or after this instant.' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'Changes observed strictly before this instant.' })
  to!: Date;

  @Field(() => ID, { nullable: true, description: 'Only listings matched to this variant.' })
  variantId?: string | null;

  @Field(() => Int, { nullable: true, defaultValue: 50, description: 'At most this many changes, newest first (1–100).' })
  limit?: number;
}

@ObjectType({ description: 'A competitor listing whose price differs from its previous observation.' })
export class CompetitorPriceChange {
  @Field(() => ID, { description: 'The competitor listing.' })
  competitorListingId!: string;

  @Field(() => ID, { description: 'Our variant it is matched to.' })
  variantId!: string;

  @Field(() => GraphQLDateTime, { description: 'When the new price was seen.' })
  observedAt!: Date;

  @Field(() => Money, { description: 'Price at the previous observation.' })
  previousPrice!: Money;

  @Field(() => Money, { description: 'Price now.' })
  newPrice!: Money;

  @Field(() => Float, { description: 'Relative change in percent: 100 × (new − previous) ÷ previous.' })
  changePercent!: number;
}

@ArgsType()
export class CategoryDemandTrendArgs {
  @Field(() => ID, { description: 'The category; sales of products in it and below it count.' })
  categoryId!: string;

  @Field(() => GraphQLDateTime, { description: 'Start (inclusive).' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'End (exclusive); at most 366 days after from.' })
  to!: Date;
}

@ObjectType({ description: 'Units and orders of a category on one UTC day, from our own non-cancelled orders.' })
export class DemandPoint {
  @Field(() => String, { description: 'Day (UTC), YYYY-MM-DD.' })
  day!: string;

  @Field(() => Int, { description: 'Units sold.' })
  units!: number;

  @Field(() => Int, { description: 'Orders containing the category.' })
  orders!: number;
}

@ArgsType()
export class TopSearchTermsArgs {
  @Field(() => GraphQLDateTime, { description: 'Days from this instant’s UTC date (inclusive).' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'Days before this instant’s UTC date (exclusive).' })
  to!: Date;

  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'At most this many terms (1–100).' })
  limit?: number;
}

@ObjectType({ description: 'A search term with its searches over a period.' })
export class SearchTermDemand {
  @Field(() => String, { description: 'The term (lower-cased).' })
  term!: string;

  @Field(() => Int, { description: 'Searches in the period.' })
  searches!: number;

  @Field(() => Int, { description: 'Searches that found nothing (days the term returned no results).' })
  searchesWithoutResults!: number;
}

@ObjectType({ description: 'A variant customers viewed while it was out of stock, with the views over a period.' })
export class OutOfStockDemand {
  @Field(() => ID, { description: 'The variant.' })
  variantId!: string;

  @Field(() => Int, { description: 'Views while out of stock in the period.' })
  views!: number;
}
