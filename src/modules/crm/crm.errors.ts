import { Field, Int, ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';

@ObjectType({
  implements: ErrorResult,
  description: 'Not enough loyalty points: INSUFFICIENT_POINTS (more than the balance) or POINTS_EXCEED_AMOUNT (more than the amount left to pay). Nothing was written.',
})
export class PointsNotAvailableError extends ErrorResult {
  @Field(() => Int, { description: 'The most that could be used: the balance, or the amount left to pay.' })
  available!: number;

  static create(field: string, errorCode: 'INSUFFICIENT_POINTS' | 'POINTS_EXCEED_AMOUNT', available: number): PointsNotAvailableError {
    return Object.assign(new PointsNotAvailableError(), {
      errorCode,
      message: errorCode === 'INSUFFICIENT_POINTS' ? `Only ${available} points are available` : `At most ${available} points can be used on this order`,
      field,
      available,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'A tier with this name or threshold exists, or its currency differs from the other tiers.' })
export class MembershipTierConflictError extends ErrorResult {
  static create(field: string, message: string): MembershipTierConflictError {
    return Object.assign(new MembershipTierConflictError(), { errorCode: 'TIER_CONFLICT', message, field });
  }
}

@ObjectType({ implements: ErrorResult, description: 'A segment with this name exists. Nothing was written.' })
export class SegmentNameTakenError extends ErrorResult {
  static create(): SegmentNameTakenError {
    return Object.assign(new SegmentNameTakenError(), { errorCode: 'SEGMENT_NAME_TAKEN', message: 'A segment with this name exists', field: 'name' });
  }
}
