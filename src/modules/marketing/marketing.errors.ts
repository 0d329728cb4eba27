import { Field, ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';

@ObjectType({ implements: ErrorResult, description: 'The move is not allowed from the current status. Nothing was changed.' })
export class IllegalMarketingTransitionError extends ErrorResult {
  @Field(() => String, { description: 'Status it was in.' })
  from!: string;

  @Field(() => String, { description: 'Status asked for.' })
  to!: string;

  @Field(() => [String], { description: 'Where it may go from its current status.' })
  allowed!: string[];

  static create(what: string, from: string, to: string, allowed: string[]): IllegalMarketingTransitionError {
    return Object.assign(new IllegalMarketingTransitionError(), {
      errorCode: 'ILLEGAL_TRANSITION',
      message: `A ${what} in ${from} cannot move to ${to}; allowed: ${allowed.join(', ') || 'none (final state)'}`,
      field: 'to',
      from,
      to,
      allowed,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'A unique value (handle, coupon code, tracking code) is already used. Nothing was written.' })
export class MarketingCodeTakenError extends ErrorResult {
  static create(field: string, message: string): MarketingCodeTakenError {
    return Object.assign(new MarketingCodeTakenError(), { errorCode: 'ALREADY_TAKEN', message, field });
  }
}
