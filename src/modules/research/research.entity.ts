import { ArrayType, Entity, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';

@Entity({ tableName: 'competitor' })
@Index({ name: 'competitor_name_idx', properties: ['name', 'id'] })
@ObjectType({ description: 'A company selling products that compete with ours.' })
export class Competitor {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Competitor id.' })
  id: string = uuidv7();

  @Property({ type: 'text', unique: 'competitor_name_unique' })
  @Field(() => String, { description: 'Name, unique.' })
  name!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Home page URL.' })
  website?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was recorded.' })
  createdAt: Date = new Date();
}

@Entity({ tableName: 'competitor_listing' })
@Unique({ name: 'competitor_listing_competitor_url_unique', properties: ['competitor', 'url'] })
@Index({ name: 'competitor_listing_variant_idx', properties: ['variant'] })
@ObjectType({ description: 'A competitor’s offer (on some channel, at some URL) matched to one of our variants.' })
export class CompetitorListing {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Competitor listing id; price observations refer to it.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Competitor, deleteRule: 'cascade' })
  competitor!: Competitor;

  @ManyToOne({ entity: () => ProductVariant, deleteRule: 'cascade' })
  variant!: ProductVariant;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Where the competitor sells it, e.g. "amazon.de" or "own site".' })
  channel!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'URL of the competitor’s listing.' })
  url!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When the match was recorded.' })
  createdAt: Date = new Date();
}

@Entity({ tableName: 'competitor_price_observation' })
@Unique({ name: 'competitor_price_observation_listing_at_unique', properties: ['listing', 'observedAt'] })
@Index({ name: 'competitor_price_observation_observed_idx', properties: ['observedAt'] })
@ObjectType({ description: 'A competitor’s price seen at one moment by a feed or scraper.' })
export class CompetitorPriceObservation {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Observation id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => CompetitorListing, deleteRule: 'cascade' })
  listing!: CompetitorListing;

  @Property({ type: 'integer' })
  priceAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'Whether the competitor had it in stock.' })
  inStock!: boolean;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When the price was seen.' })
  observedAt!: Date;

  @Field(() => Money, { description: 'The competitor’s price.' })
  get price(): Money {
    return Money.of(this.priceAmount, this.currency);
  }
}

@Entity({ tableName: 'market_study' })
@Index({ name: 'market_study_created_idx', properties: ['createdAt', 'id'] })
@Index({ name: 'market_study_tags_gin_idx', expression: 'create index "market_study_tags_gin_idx" on "market_study" using gin ("tags")' })
@ObjectType({ description: 'A piece of market research: what was studied, for whom, over which period, and what was found.' })
export class MarketStudy {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Study id.' })
  id: string = uuidv7();

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Title.' })
  title!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Start of the period studied.' })
  periodStart!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'End of the period studied.' })
  periodEnd!: Date;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'The customer segment studied.' })
  targetSegment!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'What was found.' })
  findings!: string;

  @Property({ type: ArrayType, columnType: 'text[]' })
  @Field(() => [String], { description: 'Tags for finding related studies.' })
  tags: string[] = [];

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was recorded.' })
  createdAt: Date = new Date();
}

@Entity({ tableName: 'search_term_signal' })
@Unique({ name: 'search_term_signal_day_term_unique', properties: ['day', 'term'] })
/** How often a term was searched on our site on one day. */
export class SearchTermSignal {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Property({ type: 'date' })
  day!: string;

  /** Stored lower-cased and trimmed so counts of one term add up. */
  @Property({ type: 'text' })
  term!: string;

  @Property({ type: 'integer' })
  searches!: number;

  @Property({ type: 'integer' })
  resultCount!: number;
}

@Entity({ tableName: 'out_of_stock_view_signal' })
@Unique({ name: 'out_of_stock_view_signal_day_variant_unique', properties: ['day', 'variant'] })
/** How often a variant was viewed while out of stock on one day. */
export class OutOfStockViewSignal {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Property({ type: 'date' })
  day!: string;

  @ManyToOne({ entity: () => ProductVariant, deleteRule: 'cascade' })
  variant!: ProductVariant;

  @Property({ type: 'integer' })
  views!: number;
}
