import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow, Public } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Connection } from '../../common/pagination.js';
import { Customer } from '../customers/customer.entity.js';
import { CustomerAddress, Segment } from './crm.entity.js';
import {
  AddCustomerAddressInput,
  CreateSegmentInput,
  CreateSegmentResult,
  CustomerProfileView,
  RecommendedProduct,
  RfmScore,
  SegmentMembersArgs,
  SegmentRules,
  UpdateCustomerProfileInput,
} from './crm.types.js';
import * as insights from './insights.service.js';
import * as recommendations from './recommendations.service.js';

export const SegmentMemberConnection = Connection('SegmentMember', Customer);

const STAFF_READERS = [Role.MARKETING, Role.ANALYST, Role.SUPPORT] as const;

@Resolver(() => CustomerProfileView)
export class CustomerProfileResolver {
  @Allow(...STAFF_READERS, 'CUSTOMER')
  @Query(() => CustomerProfileView, { description: 'CRM profile of a customer. Customers get their own (customerId omitted).' })
  customerProfile(@Ctx() ctx: Context, @Arg('customerId', () => ID, { nullable: true }) customerId?: string | null) {
    return insights.getProfile(ctx, customerId);
  }

  @Allow(Role.MARKETING, Role.SUPPORT, 'CUSTOMER')
  @Mutation(() => CustomerProfileView, { description: 'Change contact details and consents (customers: their own); staff may also set tags.' })
  updateCustomerProfile(@Ctx() ctx: Context, @Arg('input', () => UpdateCustomerProfileInput) input: UpdateCustomerProfileInput) {
    return insights.updateProfile(ctx, input);
  }

  @Allow(Role.MARKETING, Role.SUPPORT, 'CUSTOMER')
  @Mutation(() => CustomerAddress, { description: 'Add an address (customers: to their own profile).' })
  addCustomerAddress(@Ctx() ctx: Context, @Arg('input', () => AddCustomerAddressInput) input: AddCustomerAddressInput) {
    return insights.addAddress(ctx, input);
  }

  @FieldResolver(() => [CustomerAddress], { description: 'Addresses, oldest first.' })
  addresses(@Root() p: CustomerProfileView, @Ctx() ctx: Context) {
    return insights.listAddresses(ctx, p.customerId);
  }

  @Allow(...STAFF_READERS, 'CUSTOMER')
  @Query(() => RfmScore, { description: 'RFM scores of a customer over non-cancelled orders (monetary in the given currency). Customers get their own.' })
  customerRfm(@Ctx() ctx: Context, @Arg('currency', () => String) currency: string, @Arg('customerId', () => ID, { nullable: true }) customerId?: string | null) {
    return insights.customerRfm(ctx, customerId, currency);
  }

  @Allow(...STAFF_READERS, 'CUSTOMER')
  @Query(() => [RecommendedProduct], { description: 'Products to recommend to a customer (customers: themselves): bought-together first, then best sellers of their tier; never what they bought; in stock.' })
  recommendationsForCustomer(
    @Ctx() ctx: Context,
    @Arg('customerId', () => ID, { nullable: true }) customerId: string | null | undefined,
    @Arg('first', () => Int, { defaultValue: 10, description: '1 to 50.' }) first: number,
  ) {
    return recommendations.recommendForCustomer(ctx, customerId, first);
  }

  @Public()
  @Query(() => [RecommendedProduct], { description: 'Products often bought together with an ACTIVE product, most shared orders first; in stock.' })
  recommendationsForProduct(
    @Ctx() ctx: Context,
    @Arg('productId', () => ID) productId: string,
    @Arg('first', () => Int, { defaultValue: 10, description: '1 to 50.' }) first: number,
  ) {
    return recommendations.recommendForProduct(ctx, productId, first);
  }
}

@Resolver(() => Segment)
export class SegmentResolver {
  @Allow(Role.MARKETING, Role.ANALYST)
  @Query(() => [Segment], { description: 'Segments by name.' })
  segments(@Ctx() ctx: Context) {
    return insights.listSegments(ctx);
  }

  @Allow(Role.MARKETING, Role.ANALYST)
  @Query(() => Segment, { description: 'One segment.' })
  segment(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return insights.getSegment(ctx, id);
  }

  @Allow(Role.MARKETING)
  @Mutation(() => CreateSegmentResult, { description: 'Create a rule-based segment.' })
  createSegment(@Ctx() ctx: Context, @Arg('input', () => CreateSegmentInput) input: CreateSegmentInput) {
    return insights.createSegment(ctx, input);
  }

  @Allow(Role.MARKETING, Role.ANALYST)
  @Query(() => SegmentMemberConnection, { description: 'Members of a segment, computed now from current data, in customer-id order (forward paging only).' })
  segmentMembers(@Ctx() ctx: Context, @Args(() => SegmentMembersArgs) args: SegmentMembersArgs) {
    return insights.segmentMembers(ctx, args);
  }

  @FieldResolver(() => SegmentRules, { description: 'The rules.' })
  rules(@Root() s: Segment) {
    return insights.rulesOf(s);
  }

  @FieldResolver(() => Int, { description: 'Members now, counted in SQL.' })
  memberCount(@Root() s: Segment, @Ctx() ctx: Context) {
    return insights.segmentMemberCount(ctx, s);
  }
}
