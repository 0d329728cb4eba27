import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import * as traffic from './traffic.service.js';
import { ConversionArgs, ConversionRow, FunnelArgs, FunnelStepRate, IngestTrafficResult, TrafficEventInput } from './traffic.types.js';

@Resolver()
export class TrafficResolver {
  @Allow(Role.MARKETING)
  @Mutation(() => IngestTrafficResult, {
    description:
      'Ingest up to 10,000 funnel events in one call. All or nothing: if any event is malformed, NO event of the batch is stored, and the BAD_USER_INPUT error names the first bad field (events[i].field) and lists every problem in extensions.problems (index, eventId, field, rule). Idempotent on eventId: repeating a batch stores nothing new. A visit takes its source/medium/campaign/channel/device from its earliest event in the first batch that mentions it.',
  })
  ingestTrafficEvents(@Ctx() ctx: Context, @Arg('events', () => [TrafficEventInput]) events: TrafficEventInput[]) {
    return traffic.ingestTrafficEvents(ctx, events);
  }

  @Allow(Role.MARKETING, Role.ANALYST)
  @Query(() => [ConversionRow], { description: 'Conversion of visits started in the period, grouped by source, source/medium, campaign, channel or device; largest groups first.' })
  trafficConversion(@Ctx() ctx: Context, @Args(() => ConversionArgs) args: ConversionArgs) {
    return traffic.conversion(ctx, args);
  }

  @Allow(Role.MARKETING, Role.ANALYST)
  @Query(() => [FunnelStepRate], { description: 'Funnel over visits started in the period: visits reaching each step and the step rates.' })
  trafficFunnel(@Ctx() ctx: Context, @Args(() => FunnelArgs) args: FunnelArgs) {
    return traffic.funnel(ctx, args);
  }
}
