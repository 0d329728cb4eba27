import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Channel } from '../channels/channel.entity.js';
import { Campaign } from './marketing.entity.js';
import { ContentStatus, contentLifecycle } from './marketing.lifecycle.js';

@Entity({ tableName: 'brand' })
@ObjectType({ description: 'A brand we build: its story, positioning and guidelines.' })
export class Brand {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @Property({ type: 'text', unique: 'brand_name_unique' })
  @Field(() => String, { description: 'Name.' })
  name!: string;

  @Property({ type: 'text', default: '' })
  @Field(() => String, { description: 'The brand story.' })
  story: string = '';

  @Property({ type: 'text', default: '' })
  @Field(() => String, { description: 'Positioning: for whom, against what, why us.' })
  positioning: string = '';

  @Property({ type: 'text', default: '' })
  @Field(() => String, { description: 'Voice, visual and usage guidelines.' })
  guidelines: string = '';

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was created.' })
  createdAt: Date = new Date();
}

export enum ContentType {
  ARTICLE = 'ARTICLE',
  VIDEO = 'VIDEO',
  SOCIAL_POST = 'SOCIAL_POST',
  LIVESTREAM = 'LIVESTREAM',
  EMAIL = 'EMAIL',
}
registerEnumType(ContentType, { name: 'ContentType', description: 'Kind of content piece.' });

@Entity({ tableName: 'content_piece' })
@Index({ name: 'content_piece_created_idx', properties: ['createdAt', 'id'] })
@Index({ name: 'content_piece_campaign_idx', properties: ['campaign', 'createdAt', 'id'] })
@Index({ name: 'content_piece_brand_idx', properties: ['brand'] })
@ObjectType({ description: 'A content piece (article, video, social post, livestream, e-mail) planned and published on a platform, with its metrics.' })
export class ContentPiece {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Brand, nullable: true })
  brand?: Brand | null;

  @ManyToOne({ entity: () => Campaign, nullable: true })
  campaign?: Campaign | null;

  @Enum({ items: () => ContentType, nativeEnumName: 'content_type' })
  @Field(() => ContentType, { description: 'Kind of content.' })
  type!: ContentType;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Where it runs, lower-case, e.g. blog, youtube, instagram, newsletter.' })
  platform!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Title.' })
  title!: string;

  @Enum({ items: () => ContentStatus, nativeEnumName: 'content_status' })
  @Field(() => ContentStatus, { description: 'Current status.' })
  status: ContentStatus = ContentStatus.PLANNED;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it is planned to go out.' })
  plannedFor?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was published.' })
  publishedAt?: Date | null;

  @Property({ type: 'integer', default: 0 })
  @Field(() => Int, { description: 'Views reported by the platform (running total).' })
  views: number = 0;

  @Property({ type: 'integer', default: 0 })
  @Field(() => Int, { description: 'Likes / reactions (running total).' })
  likes: number = 0;

  @Property({ type: 'integer', default: 0 })
  @Field(() => Int, { description: 'Comments (running total).' })
  comments: number = 0;

  @Property({ type: 'integer', default: 0 })
  @Field(() => Int, { description: 'Shares (running total).' })
  shares: number = 0;

  @Property({ type: 'integer', default: 0 })
  @Field(() => Int, { description: 'Clicks to the shop (running total).' })
  clicks: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was created.' })
  createdAt: Date = new Date();

  @Field(() => [ContentStatus], { description: 'States it may move to now.' })
  get nextStates(): ContentStatus[] {
    return contentLifecycle.nextStates(this.status);
  }
}

/** Storefront settings of a sales channel; kept beside the channel so the channels module stays untouched. */
@Entity({ tableName: 'channel_storefront' })
export class ChannelStorefront {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Channel, unique: 'channel_storefront_channel_unique', deleteRule: 'cascade' })
  channel!: Channel;

  @Property({ type: 'text', nullable: true })
  headline?: string | null;

  /** [{ imageUrl, linkUrl, title }] in display order. */
  @Property({ type: 'json', columnType: 'jsonb' })
  banners: { imageUrl: string; linkUrl: string | null; title: string | null }[] = [];

  @Property({ type: 'uuid[]', columnType: 'uuid[]' })
  featuredProductIds: string[] = [];

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}
