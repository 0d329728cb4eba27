import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Connection } from '../../common/pagination.js';
import { LoyaltyEntry, MembershipTier } from './crm.entity.js';
import * as crm from './crm.service.js';
import { AdjustLoyaltyPointsInput, AdjustLoyaltyPointsResult, CreateMembershipTierInput, CreateMembershipTierResult, LoyaltyAccount, LoyaltyEntriesArgs } from './crm.types.js';

export const LoyaltyEntryConnection = Connection('LoyaltyEntry', LoyaltyEntry);

const CRM_READERS = [Role.MARKETING, Role.ANALYST, Role.SUPPORT, 'CUSTOMER'] as const;

@Resolver(() => MembershipTier)
export class MembershipTierResolver {
  @Allow(...CRM_READERS)
  @Query(() => [MembershipTier], { description: 'Membership tiers, lowest threshold first.' })
  membershipTiers(@Ctx() ctx: Context) {
    return crm.listMembershipTiers(ctx);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => CreateMembershipTierResult, { description: 'Create a membership tier. Customers move into it when an order of theirs completes and their rolling 12-month spend reaches the threshold.' })
  createMembershipTier(@Ctx() ctx: Context, @Arg('input', () => CreateMembershipTierInput) input: CreateMembershipTierInput) {
    return crm.createMembershipTier(ctx, input);
  }
}

@Resolver(() => LoyaltyAccount)
export class LoyaltyResolver {
  @Allow(...CRM_READERS)
  @Query(() => LoyaltyAccount, { description: 'Points balance and tier of a customer. Customers get their own (customerId omitted).' })
  loyaltyAccount(@Ctx() ctx: Context, @Arg('customerId', () => ID, { nullable: true }) customerId?: string | null) {
    return crm.getLoyaltyAccount(ctx, customerId);
  }

  @Allow(...CRM_READERS)
  @Query(() => LoyaltyEntryConnection, { description: 'Points ledger of a customer, newest first. Customers get their own.' })
  loyaltyEntries(@Ctx() ctx: Context, @Args(() => LoyaltyEntriesArgs) args: LoyaltyEntriesArgs) {
    return crm.listLoyaltyEntries(ctx, args);
  }

  @Allow(Role.MARKETING, Role.SUPPORT)
  @Mutation(() => AdjustLoyaltyPointsResult, { description: 'Add or deduct points with a reason. A deduction may not take the balance below 0. Safe to retry with the same idempotencyKey.' })
  adjustLoyaltyPoints(@Ctx() ctx: Context, @Arg('input', () => AdjustLoyaltyPointsInput) input: AdjustLoyaltyPointsInput) {
    return crm.adjustLoyaltyPoints(ctx, input);
  }
}
