import { ArgsType, Field, ID, InputType, Int, ObjectType, createUnionType, registerEnumType } from 'type-graphql';
import { Product } from '../catalog/product.entity.js';
import { GraphQLDateTime } from 'graphql-scalars';
import { Money } from '../../common/money.js';
import { PageArgs } from '../../common/pagination.js';
import { IdempotencyKeyReusedError } from '../orders/orders.errors.js';
import { LoyaltyEntry, MembershipTier, Segment } from './crm.entity.js';
import { MembershipTierConflictError, PointsNotAvailableError, SegmentNameTakenError } from './crm.errors.js';

@InputType({ description: 'A new membership tier.' })
export class CreateMembershipTierInput {
  @Field(() => String, { description: '1 to 100 characters; unique.' })
  name!: string;

  @Field(() => Int, { description: 'Rolling 12-month spend from which it applies, in minor units (≥ 0); unique.' })
  thresholdAmount!: number;

  @Field(() => String, { description: 'ISO 4217 currency; all tiers share one currency, and only orders in it count toward spend.' })
  currency!: string;

  @Field(() => Int, { defaultValue: 100, description: 'Points per major unit spent, in percent (1 to 1000): 100 = 1×, 200 = 2×.' })
  pointsMultiplierPercent!: number;

  @Field(() => Boolean, { defaultValue: false, description: 'Members’ orders ship free.' })
  freeShipping!: boolean;
}

export const CreateMembershipTierResult = createUnionType({
  name: 'CreateMembershipTierResult',
  description: 'The tier created, or why not (nothing was written then).',
  types: () => [MembershipTier, MembershipTierConflictError] as const,
});

@InputType({ description: 'A manual change of a customer’s points.' })
export class AdjustLoyaltyPointsInput {
  @Field(() => ID, { description: 'The customer.' })
  customerId!: string;

  @Field(() => Int, { description: 'Signed, non-zero, at most 1,000,000 in absolute value. A deduction may not take the balance below 0.' })
  points!: number;

  @Field(() => String, { description: 'Why; 1 to 500 characters.' })
  reason!: string;

  @Field(() => String, { description: '8 to 128 printable ASCII characters; the same key with the same input returns the first entry, with other input it is refused.' })
  idempotencyKey!: string;
}

export const AdjustLoyaltyPointsResult = createUnionType({
  name: 'AdjustLoyaltyPointsResult',
  description: 'The ledger entry written, or why not (nothing was written then).',
  types: () => [LoyaltyEntry, PointsNotAvailableError, IdempotencyKeyReusedError] as const,
});

@ObjectType({ description: 'A customer’s loyalty standing.' })
export class LoyaltyAccount {
  @Field(() => ID, { description: 'The customer.' })
  customerId!: string;

  @Field(() => Int, { description: 'Points balance: the sum of all ledger entries.' })
  balance!: number;

  @Field(() => MembershipTier, { nullable: true, description: 'Current tier, as last recalculated (when an order completes); null below the lowest threshold.' })
  tier!: MembershipTier | null;

  @Field(() => Money, { nullable: true, description: 'Rolling 12-month spend used for the tier at the last recalculation; null if never calculated.' })
  tierSpend!: Money | null;
}

@ArgsType()
export class LoyaltyEntriesArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Staff: the customer (required). Customers: omit, or their own id.' })
  customerId?: string | null;
}

@ObjectType({ description: 'A customer’s CRM profile. Lifetime value, order count and last order are computed from their orders (cancelled ones excluded).' })
export class CustomerProfileView {
  @Field(() => ID, { description: 'The customer.' })
  customerId!: string;

  @Field(() => String, { description: 'E-mail address.' })
  email!: string;

  @Field(() => String, { description: 'Name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'Phone number (E.164).' })
  phone!: string | null;

  @Field(() => Boolean, { description: 'Agreed to marketing e-mail.' })
  emailConsent!: boolean;

  @Field(() => Boolean, { description: 'Agreed to marketing SMS.' })
  smsConsent!: boolean;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When a consent last changed.' })
  consentUpdatedAt!: Date | null;

  @Field(() => [String], { description: 'Labels set by staff.' })
  tags!: string[];

  @Field(() => [Money], { description: 'Sum of order totals, one entry per currency ordered in.' })
  lifetimeValue!: Money[];

  @Field(() => Int, { description: 'Non-cancelled orders.' })
  orderCount!: number;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the last non-cancelled order was placed.' })
  lastOrderAt!: Date | null;
}

@InputType({ description: 'Changes to a CRM profile; omitted fields stay as they are.' })
export class UpdateCustomerProfileInput {
  @Field(() => ID, { nullable: true, description: 'Staff: the customer (required). Customers: omit, or their own id.' })
  customerId?: string | null;

  @Field(() => String, { nullable: true, description: 'E.164 phone number such as +4915112345678; empty string clears it.' })
  phone?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Agreed to marketing e-mail.' })
  emailConsent?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Agreed to marketing SMS.' })
  smsConsent?: boolean | null;

  @Field(() => [String], { nullable: true, description: 'Staff only: replaces the tags; each 1 to 50 characters of a-z, 0-9, - or _ (stored lower-case); at most 50.' })
  tags?: string[] | null;
}

@InputType({ description: 'A new address.' })
export class AddCustomerAddressInput {
  @Field(() => ID, { nullable: true, description: 'Staff: the customer (required). Customers: omit, or their own id.' })
  customerId?: string | null;

  @Field(() => String, { nullable: true, description: 'Optional label, e.g. Home.' })
  label?: string | null;

  @Field(() => String, { description: '1 to 200 characters.' })
  line1!: string;

  @Field(() => String, { nullable: true, description: 'Second address line.' })
  line2?: string | null;

  @Field(() => String, { description: '1 to 100 characters.' })
  city!: string;

  @Field(() => String, { description: '1 to 20 characters.' })
  postalCode!: string;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2, e.g. DE.' })
  country!: string;
}

@InputType('SegmentRulesInput', { description: 'Rules of a segment; a customer is a member when every given rule holds. Spend counts non-cancelled orders in the segment currency; order counts and recency count non-cancelled orders.' })
@ObjectType('SegmentRules', { description: 'Rules of a segment; a customer is a member when every given rule holds.' })
export class SegmentRules {
  @Field(() => Int, { nullable: true, description: 'Spend at least this (minor units).' })
  minSpend?: number | null;

  @Field(() => Int, { nullable: true, description: 'Spend at most this (minor units).' })
  maxSpend?: number | null;

  @Field(() => Int, { nullable: true, description: 'At least this many orders.' })
  minOrders?: number | null;

  @Field(() => Int, { nullable: true, description: 'At most this many orders.' })
  maxOrders?: number | null;

  @Field(() => Int, { nullable: true, description: 'Last order within this many days.' })
  orderedWithinDays?: number | null;

  @Field(() => Int, { nullable: true, description: 'No order for at least this many days (customers who never ordered included).' })
  notOrderedForDays?: number | null;

  @Field(() => [ID], { nullable: true, description: 'Current membership tier is one of these.' })
  tierIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Has at least one of these tags.' })
  tagsAny?: string[] | null;

  @Field(() => Int, { nullable: true, description: 'RFM recency score (1–5) at least this.' })
  minRecencyScore?: number | null;

  @Field(() => Int, { nullable: true, description: 'RFM frequency score (1–5) at least this.' })
  minFrequencyScore?: number | null;

  @Field(() => Int, { nullable: true, description: 'RFM monetary score (1–5) at least this.' })
  minMonetaryScore?: number | null;

  @Field(() => [ID], { nullable: true, description: 'Has a non-cancelled order on one of these channels.' })
  channelIds?: string[] | null;
}

@InputType({ description: 'A new segment.' })
export class CreateSegmentInput {
  @Field(() => String, { description: '1 to 100 characters; unique.' })
  name!: string;

  @Field(() => String, { description: 'ISO 4217 currency of the spend rules and RFM monetary value.' })
  currency!: string;

  @Field(() => SegmentRules, { description: 'The rules.' })
  rules!: SegmentRules;
}

@ObjectType({ description: 'RFM scores of a customer, 1 (lowest) to 5 (best), ranked against every customer with an order: score = 1 + ⌊5 × percent_rank⌋, capped at 5 (ties share a score).' })
export class RfmScore {
  @Field(() => ID, { description: 'The customer.' })
  customerId!: string;

  @Field(() => Int, { nullable: true, description: 'Days since the last order; null without orders.' })
  recencyDays!: number | null;

  @Field(() => Int, { description: 'Non-cancelled orders.' })
  frequency!: number;

  @Field(() => Money, { description: 'Sum of non-cancelled order totals in the currency asked for.' })
  monetary!: Money;

  @Field(() => Int, { nullable: true, description: 'Recency score (more recent is higher); null without orders.' })
  recencyScore!: number | null;

  @Field(() => Int, { nullable: true, description: 'Frequency score (more orders is higher); null without orders.' })
  frequencyScore!: number | null;

  @Field(() => Int, { nullable: true, description: 'Monetary score (more spend is higher); null without orders.' })
  monetaryScore!: number | null;
}

@ArgsType()
export class SegmentMembersArgs extends PageArgs {
  @Field(() => ID, { description: 'The segment.' })
  segmentId!: string;
}

export enum RecommendationReason {
  BOUGHT_TOGETHER = 'BOUGHT_TOGETHER',
  BEST_SELLER = 'BEST_SELLER',
}
registerEnumType(RecommendationReason, {
  name: 'RecommendationReason',
  description: 'BOUGHT_TOGETHER: bought in the same orders as what the customer (or product) bought; BEST_SELLER: sells most among customers of the same membership tier.',
});

@ObjectType({ description: 'A recommended product and why.' })
export class RecommendedProduct {
  @Field(() => Product, { description: 'The product.' })
  product!: Product;

  @Field(() => RecommendationReason, { description: 'Why it is recommended.' })
  reason!: RecommendationReason;

  @Field(() => Int, { description: 'BOUGHT_TOGETHER: orders shared; BEST_SELLER: units sold.' })
  score!: number;
}

export const CreateSegmentResult = createUnionType({
  name: 'CreateSegmentResult',
  description: 'The segment created, or why not (nothing was written then).',
  types: () => [Segment, SegmentNameTakenError] as const,
});
