import { Field, ID, ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';

@ObjectType({
  implements: ErrorResult,
  description:
    'A coupon code given at checkout cannot be used on this order. errorCode says why: COUPON_UNKNOWN, COUPON_INACTIVE, COUPON_NOT_STARTED, COUPON_EXPIRED, COUPON_CURRENCY, MINIMUM_SPEND_NOT_MET, COUPON_NOT_COMBINABLE, COUPON_NOT_QUALIFIED. Nothing was written.',
})
export class CouponNotApplicableError extends ErrorResult {
  @Field(() => String, { description: 'The code as given.' })
  couponCode!: string;

  static create(index: number, code: string, errorCode: string, message: string): CouponNotApplicableError {
    return Object.assign(new CouponNotApplicableError(), { errorCode, message, field: `couponCodes[${index}]`, couponCode: code });
  }
}

@ObjectType({
  implements: ErrorResult,
  description: 'A coupon’s usage limit is used up: USAGE_LIMIT_REACHED (all customers) or CUSTOMER_LIMIT_REACHED (this customer). Nothing was written.',
})
export class PromotionLimitReachedError extends ErrorResult {
  @Field(() => ID, { description: 'The promotion.' })
  promotionId!: string;

  static create(index: number, promotionId: string, perCustomer: boolean): PromotionLimitReachedError {
    return Object.assign(new PromotionLimitReachedError(), {
      errorCode: perCustomer ? 'CUSTOMER_LIMIT_REACHED' : 'USAGE_LIMIT_REACHED',
      message: perCustomer ? 'You have already used this coupon as often as allowed' : 'This coupon has been used as often as allowed',
      field: `couponCodes[${index}]`,
      promotionId,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'Another promotion already has this coupon code.' })
export class CouponCodeTakenError extends ErrorResult {
  static create(): CouponCodeTakenError {
    return Object.assign(new CouponCodeTakenError(), { errorCode: 'COUPON_CODE_TAKEN', message: 'Another promotion already uses this coupon code', field: 'couponCode' });
  }
}
