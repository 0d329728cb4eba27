import { ArgsType, Field, ID, InputType, Int, ObjectType, createUnionType } from 'type-graphql';
import { Money } from '../../common/money.js';
import { PageArgs } from '../../common/pagination.js';
import { IdempotencyKeyReusedError } from '../orders/orders.errors.js';
import { LoyaltyEntry, MembershipTier } from './crm.entity.js';
import { MembershipTierConflictError, PointsNotAvailableError } from './crm.errors.js';

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
  @Field(() => ID)
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
  @Field(() => ID)
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
