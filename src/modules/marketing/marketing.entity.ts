import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';
import { CampaignStatus, CollaborationStatus, campaignLifecycle, collaborationLifecycle } from './marketing.lifecycle.js';

@Entity({ tableName: 'campaign' })
@Index({ name: 'campaign_status_starts_idx', properties: ['status', 'startsAt', 'id'] })
@Index({ name: 'campaign_starts_idx', properties: ['startsAt', 'id'] })
@ObjectType({ description: 'A marketing campaign: objective, dates and budget; promotions, ads and collaborations link to it.' })
export class Campaign {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Name.' })
  name!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'What it is meant to achieve, e.g. "launch spring collection".' })
  objective!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Start of the campaign.' })
  startsAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'End of the campaign.' })
  endsAt!: Date;

  @Property({ type: 'integer' })
  budgetAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  @Field(() => String, { description: 'ISO 4217 currency of its amounts.' })
  currency!: string;

  @Enum({ items: () => CampaignStatus, nativeEnumName: 'campaign_status' })
  @Field(() => CampaignStatus, { description: 'Current status.' })
  status: CampaignStatus = CampaignStatus.SCHEDULED;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was created.' })
  createdAt: Date = new Date();

  @Field(() => Money, { description: 'Budget.' })
  get budget(): Money {
    return Money.of(this.budgetAmount, this.currency);
  }

  @Field(() => [CampaignStatus], { description: 'States it may move to now.' })
  get nextStates(): CampaignStatus[] {
    return campaignLifecycle.nextStates(this.status);
  }
}

export enum InfluencerTier {
  KOL = 'KOL',
  KOC = 'KOC',
}
registerEnumType(InfluencerTier, { name: 'InfluencerTier', description: 'KOL: key opinion leader (large reach); KOC: key opinion consumer (small, trusted reach).' });

@Entity({ tableName: 'influencer' })
@Unique({ name: 'influencer_platform_handle_unique', properties: ['platform', 'handle'] })
@Index({ name: 'influencer_created_idx', properties: ['createdAt', 'id'] })
@ObjectType({ description: 'An influencer we work with.' })
export class Influencer {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Name.' })
  name!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Platform, lower-case, e.g. instagram, tiktok, youtube.' })
  platform!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Handle on the platform; unique per platform.' })
  handle!: string;

  @Enum({ items: () => InfluencerTier, nativeEnumName: 'influencer_tier' })
  @Field(() => InfluencerTier, { description: 'KOL or KOC.' })
  tier!: InfluencerTier;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Followers on the platform.' })
  followers!: number;

  @Property({ type: 'integer' })
  rateAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was created.' })
  createdAt: Date = new Date();

  @Field(() => Money, { description: 'Usual rate per post.' })
  get rate(): Money {
    return Money.of(this.rateAmount, this.currency);
  }
}

@Entity({ tableName: 'collaboration' })
@Index({ name: 'collaboration_influencer_idx', properties: ['influencer', 'createdAt', 'id'] })
@Index({ name: 'collaboration_campaign_idx', properties: ['campaign', 'createdAt', 'id'] })
@Index({ name: 'collaboration_created_idx', properties: ['createdAt', 'id'] })
@ObjectType({ description: 'A paid collaboration with an influencer. Orders are attributed to it through its coupon code or its tracking code.' })
export class Collaboration {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Influencer })
  influencer!: Influencer;

  @ManyToOne({ entity: () => Campaign, nullable: true })
  campaign?: Campaign | null;

  @Property({ type: 'integer' })
  feeAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  @Field(() => String, { description: 'ISO 4217 currency of its amounts.' })
  currency!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'What the influencer delivers, e.g. "2 reels, 1 story".' })
  deliverables!: string;

  /** Upper-cased, like promotion coupon codes. */
  @Property({ type: 'text', nullable: true, unique: 'collaboration_coupon_code_unique' })
  @Field(() => String, { nullable: true, description: 'Coupon code (of a promotion) the influencer shares; orders using it are attributed here.' })
  couponCode?: string | null;

  @Property({ type: 'text', nullable: true, unique: 'collaboration_tracking_code_unique' })
  @Field(() => String, { nullable: true, description: 'utm_campaign value of the influencer’s links; orders placed in visits with it are attributed here.' })
  trackingCode?: string | null;

  @Enum({ items: () => CollaborationStatus, nativeEnumName: 'collaboration_status' })
  @Field(() => CollaborationStatus, { description: 'Current status.' })
  status: CollaborationStatus = CollaborationStatus.PROPOSED;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was created.' })
  createdAt: Date = new Date();

  @Field(() => Money, { description: 'Fee agreed with the influencer.' })
  get fee(): Money {
    return Money.of(this.feeAmount, this.currency);
  }

  @Field(() => [CollaborationStatus], { description: 'States it may move to now.' })
  get nextStates(): CollaborationStatus[] {
    return collaborationLifecycle.nextStates(this.status);
  }
}

export enum AdPlatform {
  SEARCH = 'SEARCH',
  SOCIAL = 'SOCIAL',
  DISPLAY = 'DISPLAY',
  MARKETPLACE = 'MARKETPLACE',
}
registerEnumType(AdPlatform, { name: 'AdPlatform', description: 'Kind of paid advertising: search (SEM), social, display, marketplace ads.' });

@Entity({ tableName: 'ad_campaign' })
@Index({ name: 'ad_campaign_created_idx', properties: ['createdAt', 'id'] })
@Index({ name: 'ad_campaign_campaign_idx', properties: ['campaign'] })
@ObjectType({ description: 'A paid ad campaign. Daily spend, impressions and clicks are ingested; orders are attributed through its tracking code (utm_campaign).' })
export class AdCampaign {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Name.' })
  name!: string;

  @Enum({ items: () => AdPlatform, nativeEnumName: 'ad_platform' })
  @Field(() => AdPlatform, { description: 'Platform it runs on.' })
  platform!: AdPlatform;

  @ManyToOne({ entity: () => Campaign, nullable: true })
  campaign?: Campaign | null;

  @Property({ type: 'integer' })
  budgetAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  @Field(() => String, { description: 'ISO 4217 currency of its amounts.' })
  currency!: string;

  @Property({ type: 'text', unique: 'ad_campaign_tracking_code_unique' })
  @Field(() => String, { description: 'utm_campaign value of its ads; unique.' })
  trackingCode!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was created.' })
  createdAt: Date = new Date();

  @Field(() => Money, { description: 'Budget.' })
  get budget(): Money {
    return Money.of(this.budgetAmount, this.currency);
  }
}

/** One day of an ad campaign, as reported by the ad platform; re-ingesting a day replaces it. */
@Entity({ tableName: 'ad_daily_metric' })
@Unique({ name: 'ad_daily_metric_ad_day_unique', properties: ['adCampaign', 'day'] })
export class AdDailyMetric {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => AdCampaign, deleteRule: 'cascade' })
  adCampaign!: AdCampaign;

  @Property({ type: 'date', columnType: 'date' })
  day!: string;

  @Property({ type: 'integer' })
  spendAmount!: number;

  @Property({ type: 'integer' })
  impressions!: number;

  @Property({ type: 'integer' })
  clicks!: number;
}
