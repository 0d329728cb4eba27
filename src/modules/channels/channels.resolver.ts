import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow, Public } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Channel } from './channel.entity.js';
import * as channels from './channels.service.js';
import { CreateChannelInput, CreateChannelResult } from './channels.types.js';

@Resolver(() => Channel)
export class ChannelResolver {
  @Public()
  @Query(() => [Channel], { description: 'All sales channels, by code.' })
  channels(@Ctx() ctx: Context) {
    return channels.listChannels(ctx);
  }

  @Allow(Role.MARKETING, Role.OPERATIONS)
  @Mutation(() => CreateChannelResult, { description: 'Create a sales channel.' })
  createChannel(@Ctx() ctx: Context, @Arg('input', () => CreateChannelInput) input: CreateChannelInput) {
    return channels.createChannel(ctx, input);
  }
}
