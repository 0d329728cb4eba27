import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, createUnionType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Money } from '../../common/money.js';
import { PageArgs } from '../../common/pagination.js';
import { DuplicateListingError, IllegalListingTransitionError, ListingNotPublishableError } from './listings.errors.js';
import { ListingStatus } from './listings.lifecycle.js';
import { ListingQualityRule } from './listings.quality.js';
import { Listing } from './listing.entity.js';

@InputType({ description: 'An image of a listing.' })
export class ListingImageInput {
  @Field(() => String, { description: 'http(s) URL, at most 2000 characters.' })
  url!: string;

  @Field(() => String, { nullable: true, description: 'Alt text, at most 500 characters.' })
  altText?: string | null;
}

@InputType({ description: 'A new listing of a product on a sales channel; it starts as DRAFT.' })
export class CreateListingInput {
  @Field(() => ID, { description: 'The product.' })
  productId!: string;

  @Field(() => ID, { description: 'The sales channel; one listing per product and channel.' })
  channelId!: string;

  @Field(() => String, { description: '1 to 300 characters.' })
  title!: string;

  @Field(() => String, { nullable: true, defaultValue: '', description: 'At most 20,000 characters.' })
  description?: string;

  @Field(() => [String], { nullable: true, description: 'At most 30 keywords, each 1 to 100 characters.' })
  keywords?: string[] | null;

  @Field(() => String, { nullable: true, description: 'At most 200 characters.' })
  seoTitle?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 500 characters.' })
  seoDescription?: string | null;

  @Field(() => [ListingImageInput], { nullable: true, description: 'At most 20 images, in display order.' })
  images?: ListingImageInput[] | null;
}

@InputType({ description: 'Change a listing’s content; omitted fields stay as they are.' })
export class UpdateListingInput {
  @Field(() => ID, { description: 'The listing.' })
  listingId!: string;

  @Field(() => String, { nullable: true, description: '1 to 300 characters.' })
  title?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 20,000 characters.' })
  description?: string | null;

  @Field(() => [String], { nullable: true, description: 'Replaces all keywords; at most 30, each 1 to 100 characters.' })
  keywords?: string[] | null;

  @Field(() => String, { nullable: true, description: 'At most 200 characters.' })
  seoTitle?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 500 characters.' })
  seoDescription?: string | null;

  @Field(() => [ListingImageInput], { nullable: true, description: 'Replaces all images, in display order; at most 20.' })
  images?: ListingImageInput[] | null;
}

@InputType({ description: 'Move a listing to another status.' })
export class TransitionListingInput {
  @Field(() => ID, { description: 'The listing.' })
  listingId!: string;

  @Field(() => ListingStatus, { description: 'Target status; see Listing.nextStates.' })
  to!: ListingStatus;

  @Field(() => String, { nullable: true, description: 'Why; required for delisting. At most 1000 characters.' })
  reason?: string | null;
}

export const CreateListingResult = createUnionType({
  name: 'CreateListingResult',
  description: 'The listing created, or why it was refused (nothing was written then).',
  types: () => [Listing, DuplicateListingError] as const,
});

export const TransitionListingResult = createUnionType({
  name: 'TransitionListingResult',
  description: 'The listing after the move, or why it was refused (nothing changed then).',
  types: () => [Listing, IllegalListingTransitionError, ListingNotPublishableError] as const,
});

@InputType({ description: 'One day of a listing’s channel metrics. Money is in the channel currency.' })
export class ListingMetricInput {
  @Field(() => ID, { description: 'The listing.' })
  listingId!: string;

  @Field(() => String, { description: 'Day (UTC) as YYYY-MM-DD; with the listing, the natural key (a resent day replaces the figures).' })
  day!: string;

  @Field(() => Int, { description: 'Times shown, ≥ 0.' })
  impressions!: number;

  @Field(() => Int, { description: 'Clicks (visits), 0 to impressions.' })
  clicks!: number;

  @Field(() => Int, { description: 'Add-to-carts, ≥ 0.' })
  addToCarts!: number;

  @Field(() => Int, { description: 'Orders, ≥ 0.' })
  orders!: number;

  @Field(() => Int, { description: 'Revenue in minor units of the channel currency, ≥ 0.' })
  revenueAmount!: number;
}

@ObjectType({ description: 'Outcome of a listing metrics batch. Rows are keyed by (listing, day): repeating a batch changes nothing.' })
export class ListingMetricsIngestResult {
  @Field(() => Int, { description: 'Rows in the batch.' })
  received!: number;

  @Field(() => Int, { description: 'Days newly stored.' })
  inserted!: number;

  @Field(() => Int, { description: 'Days already stored, replaced with the new figures.' })
  replaced!: number;
}

@ObjectType({ description: 'One rule of the quality score and how the listing fares.' })
export class ListingFinding {
  @Field(() => ListingQualityRule, { description: 'The rule.' })
  rule!: ListingQualityRule;

  @Field(() => Boolean, { nullable: true, description: 'Whether the listing meets it; null when it could not be judged (no data).' })
  passed!: boolean | null;

  @Field(() => Int, { description: 'Points earned.' })
  points!: number;

  @Field(() => Int, { description: 'Points the rule is worth.' })
  maxPoints!: number;

  @Field(() => String, { description: 'What was found, or what to fix.' })
  message!: string;
}

@ObjectType({ description: 'Listing quality score 0–100 from explicit rules, with the findings to fix.' })
export class ListingQuality {
  @Field(() => Int, { description: 'Sum of the points of the rules met, 0–100.' })
  score!: number;

  @Field(() => [ListingFinding], { description: 'Every rule, in a fixed order.' })
  findings!: ListingFinding[];
}

@InputType({ description: 'Which listings to list.' })
export class ListingFilter {
  @Field(() => [ListingStatus], { nullable: true, description: 'Staff only; customers and anonymous callers always get PUBLISHED.' })
  status?: ListingStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Only this channel.' })
  channelId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Only this product.' })
  productId?: string | null;
}

@ArgsType()
export class ListingsArgs extends PageArgs {
  @Field(() => ListingFilter, { nullable: true, description: 'Filter; newest first.' })
  filter?: ListingFilter | null;
}

@ArgsType()
export class ListingPerformanceArgs {
  @Field(() => GraphQLDateTime, { description: 'Days from this instant’s UTC date (inclusive).' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'Days before this instant’s UTC date (exclusive); at most 366 days after from.' })
  to!: Date;
}

@ArgsType()
export class UnderperformingListingsArgs extends ListingPerformanceArgs {
  @Field(() => Int, { nullable: true, defaultValue: 1000, description: 'Only listings with at least this many impressions in the period.' })
  minImpressions?: number;

  @Field(() => Float, { nullable: true, defaultValue: 0.01, description: 'Only listings converting at most this rate (orders ÷ clicks, 0–1; no clicks counts as 0).' })
  maxConversionRate?: number;

  @Field(() => Int, { nullable: true, defaultValue: 20, description: 'At most this many, most impressions first (1–100).' })
  limit?: number;
}

@ObjectType({ description: 'Exposure and conversion of a listing over a period, summed from its daily metrics.' })
export class ListingPerformance {
  @Field(() => ID, { description: 'The listing.' })
  listingId!: string;

  @Field(() => Int, { description: 'Impressions.' })
  impressions!: number;

  @Field(() => Int, { description: 'Clicks.' })
  clicks!: number;

  @Field(() => Int, { description: 'Add-to-carts.' })
  addToCarts!: number;

  @Field(() => Int, { description: 'Orders.' })
  orders!: number;

  @Field(() => Money, { description: 'Revenue.' })
  revenue!: Money;

  @Field(() => Float, { nullable: true, description: 'clicks ÷ impressions; null without impressions.' })
  clickThroughRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'orders ÷ clicks; null without clicks.' })
  conversionRate!: number | null;
}
