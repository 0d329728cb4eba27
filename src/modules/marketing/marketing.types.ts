import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, createUnionType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Money } from '../../common/money.js';
import { PageArgs } from '../../common/pagination.js';
import { AdCampaign, AdPlatform, Campaign, Collaboration, Influencer, InfluencerTier } from './marketing.entity.js';
import { CampaignStatus, CollaborationStatus, ContentStatus } from './marketing.lifecycle.js';
import { Brand, ContentPiece, ContentType } from './brand.entity.js';
import { IllegalMarketingTransitionError, MarketingCodeTakenError } from './marketing.errors.js';

@InputType({ description: 'A new campaign; it starts SCHEDULED.' })
export class CreateCampaignInput {
  @Field(() => String, { description: '1 to 200 characters.' })
  name!: string;

  @Field(() => String, { description: '1 to 1000 characters.' })
  objective!: string;

  @Field(() => GraphQLDateTime, { description: 'Start of the campaign.' })
  startsAt!: Date;

  @Field(() => GraphQLDateTime, { description: 'After startsAt.' })
  endsAt!: Date;

  @Field(() => Int, { description: 'Budget in minor units (≥ 0).' })
  budgetAmount!: number;

  @Field(() => String, { description: 'ISO 4217 currency.' })
  currency!: string;
}

@InputType({ description: 'Move a campaign along its lifecycle.' })
export class TransitionCampaignInput {
  @Field(() => ID, { description: 'Campaign it belongs to.' })
  campaignId!: string;

  @Field(() => CampaignStatus, { description: 'Status asked for.' })
  to!: CampaignStatus;

  @Field(() => String, { nullable: true, description: 'Required to cancel; at most 1000 characters.' })
  reason?: string | null;
}

export const TransitionCampaignResult = createUnionType({
  name: 'TransitionCampaignResult',
  description: 'The campaign after the move, or why it was refused.',
  types: () => [Campaign, IllegalMarketingTransitionError] as const,
});

@InputType({ description: 'A new influencer.' })
export class CreateInfluencerInput {
  @Field(() => String, { description: '1 to 200 characters.' })
  name!: string;

  @Field(() => String, { description: 'Platform, e.g. instagram; stored lower-case.' })
  platform!: string;

  @Field(() => String, { description: 'Handle; unique per platform.' })
  handle!: string;

  @Field(() => InfluencerTier, { description: 'KOL or KOC.' })
  tier!: InfluencerTier;

  @Field(() => Int, { description: '≥ 0.' })
  followers!: number;

  @Field(() => Int, { description: 'Usual rate per post, minor units (≥ 0).' })
  rateAmount!: number;

  @Field(() => String, { description: 'ISO 4217 currency.' })
  currency!: string;
}

export const CreateInfluencerResult = createUnionType({
  name: 'CreateInfluencerResult',
  description: 'The influencer created, or why not.',
  types: () => [Influencer, MarketingCodeTakenError] as const,
});

@InputType({ description: 'A new collaboration; it starts PROPOSED. Give a coupon code, a tracking code, or both, to attribute orders.' })
export class CreateCollaborationInput {
  @Field(() => ID, { description: 'The influencer.' })
  influencerId!: string;

  @Field(() => ID, { nullable: true, description: 'Campaign it belongs to.' })
  campaignId?: string | null;

  @Field(() => Int, { description: 'Fee in minor units (≥ 0).' })
  feeAmount!: number;

  @Field(() => String, { description: 'ISO 4217 currency; only orders in it count toward revenue.' })
  currency!: string;

  @Field(() => String, { description: '1 to 2000 characters.' })
  deliverables!: string;

  @Field(() => String, { nullable: true, description: 'Coupon code of an existing promotion; case-insensitive; unique across collaborations.' })
  couponCode?: string | null;

  @Field(() => String, { nullable: true, description: 'utm_campaign value of the influencer’s links; unique.' })
  trackingCode?: string | null;
}

export const CreateCollaborationResult = createUnionType({
  name: 'CreateCollaborationResult',
  description: 'The collaboration created, or why not.',
  types: () => [Collaboration, MarketingCodeTakenError] as const,
});

@InputType({ description: 'Move a collaboration along its lifecycle.' })
export class TransitionCollaborationInput {
  @Field(() => ID, { description: 'The collaboration.' })
  collaborationId!: string;

  @Field(() => CollaborationStatus, { description: 'Status asked for.' })
  to!: CollaborationStatus;

  @Field(() => String, { nullable: true, description: 'Required to cancel; at most 1000 characters.' })
  reason?: string | null;
}

export const TransitionCollaborationResult = createUnionType({
  name: 'TransitionCollaborationResult',
  description: 'The collaboration after the move, or why it was refused.',
  types: () => [Collaboration, IllegalMarketingTransitionError] as const,
});

@ObjectType({ description: 'Orders attributed to a collaboration and what they earned against its fee.' })
export class CollaborationPerformance {
  @Field(() => Int, { description: 'Orders (not cancelled, in the collaboration currency) that used its coupon code or were placed in a visit with its tracking code; each order once.' })
  orders!: number;

  @Field(() => Money, { description: 'Sum of those orders’ totals.' })
  revenue!: Money;

  @Field(() => Float, { nullable: true, description: '(revenue − fee) / fee, 4 decimals; null when the fee is 0.' })
  roi!: number | null;
}

@InputType({ description: 'One day of one ad campaign as reported by the ad platform.' })
export class AdMetricInput {
  @Field(() => ID, { description: 'The ad campaign.' })
  adCampaignId!: string;

  @Field(() => String, { description: 'UTC day, YYYY-MM-DD.' })
  day!: string;

  @Field(() => Int, { description: 'Spend that day in minor units of the ad campaign currency (≥ 0).' })
  spendAmount!: number;

  @Field(() => Int, { description: '≥ 0.' })
  impressions!: number;

  @Field(() => Int, { description: '0 to impressions.' })
  clicks!: number;
}

@ObjectType({ description: 'What one metrics ingest wrote.' })
export class IngestAdMetricsResult {
  @Field(() => Int, { description: 'Days written (new or replaced).' })
  rowsWritten!: number;
}

@ArgsType()
export class AdPerformanceArgs {
  @Field(() => GraphQLDateTime, { description: 'From this instant: metric days on or after its UTC date, orders placed at or after it.' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'Before this instant: metric days before its UTC date, orders placed before it.' })
  to!: Date;
}

@ObjectType({ description: 'Performance of one ad campaign over a period.' })
export class AdPerformance {
  @Field(() => AdCampaign, { description: 'The ad campaign.' })
  adCampaign!: AdCampaign;

  @Field(() => Money, { description: 'Spend in the period.' })
  spend!: Money;

  @Field(() => Int, { description: 'Impressions.' })
  impressions!: number;

  @Field(() => Int, { description: 'Clicks.' })
  clicks!: number;

  @Field(() => Float, { nullable: true, description: 'clicks / impressions, 4 decimals; null without impressions.' })
  ctr!: number | null;

  @Field(() => Money, { nullable: true, description: 'spend / clicks, rounded to the minor unit; null without clicks.' })
  cpc!: Money | null;

  @Field(() => Int, { description: 'Orders (not cancelled, in the ad currency) placed in the period in visits whose utm_campaign is the tracking code.' })
  orders!: number;

  @Field(() => Money, { description: 'Sum of those orders’ totals.' })
  revenue!: Money;

  @Field(() => Float, { nullable: true, description: 'revenue / spend, 4 decimals; null without spend.' })
  roas!: number | null;
}

@InputType({ description: 'A new ad campaign.' })
export class CreateAdCampaignInput {
  @Field(() => String, { description: '1 to 200 characters.' })
  name!: string;

  @Field(() => AdPlatform, { description: 'Platform it runs on.' })
  platform!: AdPlatform;

  @Field(() => ID, { nullable: true, description: 'Campaign it belongs to.' })
  campaignId?: string | null;

  @Field(() => Int, { description: 'Budget in minor units (≥ 0).' })
  budgetAmount!: number;

  @Field(() => String, { description: 'ISO 4217 currency.' })
  currency!: string;

  @Field(() => String, { description: 'utm_campaign value of its ads; unique; 1 to 200 characters.' })
  trackingCode!: string;
}

export const CreateAdCampaignResult = createUnionType({
  name: 'CreateAdCampaignResult',
  description: 'The ad campaign created, or why not.',
  types: () => [AdCampaign, MarketingCodeTakenError] as const,
});

@ArgsType()
export class MarketingListArgs extends PageArgs {}

@InputType({ description: 'A new brand.' })
export class CreateBrandInput {
  @Field(() => String, { description: '1 to 200 characters; unique.' })
  name!: string;

  @Field(() => String, { defaultValue: '', description: 'At most 20,000 characters.' })
  story!: string;

  @Field(() => String, { defaultValue: '', description: 'At most 20,000 characters.' })
  positioning!: string;

  @Field(() => String, { defaultValue: '', description: 'At most 20,000 characters.' })
  guidelines!: string;
}

export const CreateBrandResult = createUnionType({
  name: 'CreateBrandResult',
  description: 'The brand created, or why not.',
  types: () => [Brand, MarketingCodeTakenError] as const,
});

@InputType({ description: 'A new content piece; it starts PLANNED.' })
export class CreateContentPieceInput {
  @Field(() => ContentType, { description: 'Kind of content.' })
  type!: ContentType;

  @Field(() => String, { description: 'Platform, e.g. youtube; stored lower-case.' })
  platform!: string;

  @Field(() => String, { description: '1 to 300 characters.' })
  title!: string;

  @Field(() => ID, { nullable: true, description: 'Brand it is for.' })
  brandId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Campaign it belongs to.' })
  campaignId?: string | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it is planned to go out.' })
  plannedFor?: Date | null;
}

@InputType({ description: 'Move a content piece along its lifecycle; publishing stamps publishedAt.' })
export class TransitionContentPieceInput {
  @Field(() => ID, { description: 'The content piece.' })
  contentPieceId!: string;

  @Field(() => ContentStatus, { description: 'Status asked for.' })
  to!: ContentStatus;
}

export const TransitionContentPieceResult = createUnionType({
  name: 'TransitionContentPieceResult',
  description: 'The content piece after the move, or why it was refused.',
  types: () => [ContentPiece, IllegalMarketingTransitionError] as const,
});

@InputType({ description: 'Running totals reported by the platform; they replace the previous totals, so re-sending is harmless.' })
export class RecordContentMetricsInput {
  @Field(() => ID, { description: 'The content piece.' })
  contentPieceId!: string;

  @Field(() => Int, { description: 'Views (running total).' })
  views!: number;

  @Field(() => Int, { description: 'Likes (running total).' })
  likes!: number;

  @Field(() => Int, { description: 'Comments (running total).' })
  comments!: number;

  @Field(() => Int, { description: 'Shares (running total).' })
  shares!: number;

  @Field(() => Int, { description: 'Clicks.' })
  clicks!: number;
}

@InputType({ description: 'A storefront banner.' })
export class BannerInput {
  @Field(() => String, { description: 'https URL of the image.' })
  imageUrl!: string;

  @Field(() => String, { nullable: true, description: 'https URL or site path it links to.' })
  linkUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'At most 200 characters.' })
  title?: string | null;
}

@ObjectType({ description: 'A storefront banner.' })
export class Banner {
  @Field(() => String, { description: 'https URL of the image.' })
  imageUrl!: string;

  @Field(() => String, { nullable: true, description: 'Where the banner links to.' })
  linkUrl!: string | null;

  @Field(() => String, { nullable: true, description: 'Title.' })
  title!: string | null;
}

@InputType({ description: 'Replace a channel’s storefront settings.' })
export class UpdateStorefrontInput {
  @Field(() => ID, { description: 'The sales channel.' })
  channelId!: string;

  @Field(() => String, { nullable: true, description: 'At most 300 characters.' })
  headline?: string | null;

  @Field(() => [BannerInput], { description: 'At most 20, in display order.' })
  banners!: BannerInput[];

  @Field(() => [ID], { description: 'At most 50 existing products, in display order.' })
  featuredProductIds!: string[];
}

@ObjectType({ description: 'Storefront settings of a sales channel.' })
export class Storefront {
  @Field(() => String, { nullable: true, description: 'Headline shown on the storefront.' })
  headline!: string | null;

  @Field(() => [Banner], { description: 'Banners in display order.' })
  banners!: Banner[];

  featuredProductIds!: string[];
}
