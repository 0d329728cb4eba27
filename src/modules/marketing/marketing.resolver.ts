import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Connection } from '../../common/pagination.js';
import { AdCampaign, Campaign, Collaboration, Influencer } from './marketing.entity.js';
import { Promotion } from '../promotions/promotion.entity.js';
import { AdCampaignsByCampaignIdLoader, CampaignByIdLoader, InfluencerByIdLoader, PerformanceByCollaborationIdLoader, PromotionsByCampaignIdLoader } from './marketing.loaders.js';
import * as marketing from './marketing.service.js';
import {
  AdMetricInput,
  AdPerformance,
  AdPerformanceArgs,
  CollaborationPerformance,
  CreateAdCampaignInput,
  CreateAdCampaignResult,
  CreateCampaignInput,
  CreateCollaborationInput,
  CreateCollaborationResult,
  CreateInfluencerInput,
  CreateInfluencerResult,
  IngestAdMetricsResult,
  MarketingListArgs,
  TransitionCampaignInput,
  TransitionCampaignResult,
  TransitionCollaborationInput,
  TransitionCollaborationResult,
} from './marketing.types.js';

export const CampaignConnection = Connection('Campaign', Campaign);
export const InfluencerConnection = Connection('Influencer', Influencer);
export const CollaborationConnection = Connection('Collaboration', Collaboration);

const READERS = [Role.MARKETING, Role.ANALYST] as const;

@Resolver(() => Campaign)
export class CampaignResolver {
  @Allow(...READERS)
  @Query(() => Campaign, { description: 'One campaign.' })
  campaign(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return marketing.getCampaign(ctx, id);
  }

  @Allow(...READERS)
  @Query(() => CampaignConnection, { description: 'Campaigns, latest start first.' })
  campaigns(@Ctx() ctx: Context, @Args(() => MarketingListArgs) args: MarketingListArgs) {
    return marketing.listCampaigns(ctx, args);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => Campaign, { description: 'Create a campaign in SCHEDULED.' })
  createCampaign(@Ctx() ctx: Context, @Arg('input', () => CreateCampaignInput) input: CreateCampaignInput) {
    return marketing.createCampaign(ctx, input);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => TransitionCampaignResult, { description: 'Move a campaign: SCHEDULED → ACTIVE → ENDED, or SCHEDULED → CANCELLED (with a reason).' })
  transitionCampaign(@Ctx() ctx: Context, @Arg('input', () => TransitionCampaignInput) input: TransitionCampaignInput) {
    return marketing.transitionCampaign(ctx, input);
  }

  @FieldResolver(() => [Promotion], { description: 'Promotions linked to it (Promotion.campaignId).' })
  promotions(@Root() c: Campaign, @Ctx() ctx: Context) {
    return ctx.loader(PromotionsByCampaignIdLoader).load(c.id);
  }

  @FieldResolver(() => [AdCampaign], { description: 'Its ad campaigns.' })
  adCampaigns(@Root() c: Campaign, @Ctx() ctx: Context) {
    return ctx.loader(AdCampaignsByCampaignIdLoader).load(c.id);
  }
}

@Resolver(() => Collaboration)
export class CollaborationResolver {
  @Allow(...READERS)
  @Query(() => InfluencerConnection, { description: 'Influencers, newest first.' })
  influencers(@Ctx() ctx: Context, @Args(() => MarketingListArgs) args: MarketingListArgs) {
    return marketing.listInfluencers(ctx, args);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => CreateInfluencerResult, { description: 'Register an influencer.' })
  createInfluencer(@Ctx() ctx: Context, @Arg('input', () => CreateInfluencerInput) input: CreateInfluencerInput) {
    return marketing.createInfluencer(ctx, input);
  }

  @Allow(...READERS)
  @Query(() => Collaboration, { description: 'One collaboration.' })
  collaboration(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return marketing.getCollaboration(ctx, id);
  }

  @Allow(...READERS)
  @Query(() => CollaborationConnection, { description: 'Collaborations, newest first.' })
  collaborations(@Ctx() ctx: Context, @Args(() => MarketingListArgs) args: MarketingListArgs) {
    return marketing.listCollaborations(ctx, args);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => CreateCollaborationResult, { description: 'Agree a collaboration with an influencer (starts PROPOSED).' })
  createCollaboration(@Ctx() ctx: Context, @Arg('input', () => CreateCollaborationInput) input: CreateCollaborationInput) {
    return marketing.createCollaboration(ctx, input);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => TransitionCollaborationResult, { description: 'Move a collaboration: PROPOSED → AGREED → LIVE → COMPLETED; CANCELLED (with a reason) before it is live.' })
  transitionCollaboration(@Ctx() ctx: Context, @Arg('input', () => TransitionCollaborationInput) input: TransitionCollaborationInput) {
    return marketing.transitionCollaboration(ctx, input);
  }

  @FieldResolver(() => Influencer, { description: 'The influencer.' })
  influencer(@Root() c: Collaboration, @Ctx() ctx: Context) {
    return ctx.loader(InfluencerByIdLoader).load(c.influencer.id);
  }

  @FieldResolver(() => Campaign, { nullable: true, description: 'Campaign it belongs to, if any.' })
  campaign(@Root() c: Collaboration, @Ctx() ctx: Context) {
    return c.campaign ? ctx.loader(CampaignByIdLoader).load(c.campaign.id) : null;
  }

  @FieldResolver(() => CollaborationPerformance, { description: 'Orders and revenue attributed through its coupon or tracking code, and ROI against the fee.' })
  performance(@Root() c: Collaboration, @Ctx() ctx: Context) {
    return ctx.loader(PerformanceByCollaborationIdLoader).load(c.id);
  }
}

@Resolver(() => AdCampaign)
export class AdCampaignResolver {
  @Allow(Role.MARKETING)
  @Mutation(() => CreateAdCampaignResult, { description: 'Create an ad campaign.' })
  createAdCampaign(@Ctx() ctx: Context, @Arg('input', () => CreateAdCampaignInput) input: CreateAdCampaignInput) {
    return marketing.createAdCampaign(ctx, input);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => IngestAdMetricsResult, {
    description:
      'Write daily spend, impressions and clicks of ad campaigns (up to 10,000 rows). All or nothing: a malformed row refuses the whole batch with BAD_USER_INPUT naming rows[i].field. Re-sending a day replaces it, so repeating a batch changes nothing.',
  })
  ingestAdMetrics(@Ctx() ctx: Context, @Arg('rows', () => [AdMetricInput]) rows: AdMetricInput[]) {
    return marketing.ingestAdMetrics(ctx, rows);
  }

  @Allow(...READERS)
  @Query(() => [AdPerformance], { description: 'Every ad campaign’s spend, CTR, CPC, attributed orders and revenue, and ROAS over a period.' })
  adPerformance(@Ctx() ctx: Context, @Args(() => AdPerformanceArgs) args: AdPerformanceArgs) {
    return marketing.adPerformance(ctx, args);
  }

  @FieldResolver(() => Campaign, { nullable: true, description: 'Campaign it belongs to, if any.' })
  campaign(@Root() a: AdCampaign, @Ctx() ctx: Context) {
    return a.campaign ? ctx.loader(CampaignByIdLoader).load(a.campaign.id) : null;
  }
}
