import { ArrayType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Channel } from '../channels/channel.entity.js';
import { Product } from '../catalog/product.entity.js';
import { ListingStatus, listingLifecycle } from './listings.lifecycle.js';

@Entity({ tableName: 'listing' })
@Unique({ name: 'listing_product_channel_unique', properties: ['product', 'channel'] })
@Index({ name: 'listing_created_idx', properties: ['createdAt', 'id'] })
@Index({ name: 'listing_status_created_idx', properties: ['status', 'createdAt', 'id'] })
@Index({ name: 'listing_channel_created_idx', properties: ['channel', 'createdAt', 'id'] })
@ObjectType({ description: 'How a product is presented on one sales channel: copy, keywords, SEO fields and images.' })
export class Listing {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Listing id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Product, deleteRule: 'cascade' })
  product!: Product;

  @ManyToOne({ entity: () => Channel })
  channel!: Channel;

  @Enum({ items: () => ListingStatus, nativeEnumName: 'listing_status' })
  @Field(() => ListingStatus, { description: 'Lifecycle status.' })
  status: ListingStatus = ListingStatus.DRAFT;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Title shown on the channel.' })
  title!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Description shown on the channel.' })
  description!: string;

  @Property({ type: ArrayType, columnType: 'text[]' })
  @Field(() => [String], { description: 'Search keywords, most important first.' })
  keywords: string[] = [];

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'SEO title (HTML title tag).' })
  seoTitle?: string | null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'SEO meta description.' })
  seoDescription?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was last published.' })
  publishedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was created.' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Last change of any kind.' })
  updatedAt: Date = new Date();

  @Field(() => [ListingStatus], { description: 'States this listing may move to now (before role checks).' })
  get nextStates(): ListingStatus[] {
    return listingLifecycle.nextStates(this.status);
  }
}

@Entity({ tableName: 'listing_image' })
@Index({ name: 'listing_image_listing_idx', properties: ['listing', 'position'] })
@ObjectType({ description: 'An image of a listing, in display order.' })
export class ListingImage {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Image id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Listing, deleteRule: 'cascade' })
  listing!: Listing;

  @Property({ type: 'smallint' })
  @Field(() => Int, { description: '0-based display position.' })
  position!: number;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Image URL.' })
  url!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Alternative text for screen readers and search engines.' })
  altText?: string | null;
}

@Entity({ tableName: 'listing_status_change' })
@Index({ name: 'listing_status_change_listing_idx', properties: ['listing', 'at'] })
@ObjectType({ description: 'One entry of a listing’s status history.' })
export class ListingStatusChange {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Entry id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Listing, deleteRule: 'cascade' })
  listing!: Listing;

  @Enum({ items: () => ListingStatus, nativeEnumName: 'listing_status', nullable: true })
  @Field(() => ListingStatus, { nullable: true, description: 'Status before; null for creation.' })
  fromStatus?: ListingStatus | null;

  @Enum({ items: () => ListingStatus, nativeEnumName: 'listing_status' })
  @Field(() => ListingStatus, { description: 'Status after.' })
  toStatus!: ListingStatus;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Why the status changed.' })
  reason?: string | null;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Who made the change: staff, token or system.' })
  actorKind!: string;

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When the change happened.' })
  at: Date = new Date();
}

/** Daily exposure and sales of a listing, as reported by its channel. Money in the channel currency. */
@Entity({ tableName: 'listing_daily_metric' })
@Unique({ name: 'listing_daily_metric_listing_day_unique', properties: ['listing', 'day'] })
@Index({ name: 'listing_daily_metric_day_idx', properties: ['day'] })
export class ListingDailyMetric {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Listing, deleteRule: 'cascade' })
  listing!: Listing;

  @Property({ type: 'date' })
  day!: string;

  @Property({ type: 'integer' })
  impressions!: number;

  @Property({ type: 'integer' })
  clicks!: number;

  @Property({ type: 'integer' })
  addToCarts!: number;

  @Property({ type: 'integer' })
  orders!: number;

  @Property({ type: 'integer' })
  revenueAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;
}
