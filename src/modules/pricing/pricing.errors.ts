import { Field, Int, ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';
import { Money } from '../../common/money.js';

@ObjectType({ implements: ErrorResult, description: 'The price is below cost × (1 + minimum margin). Send marginFloorOverrideReason to allow it anyway. Nothing was changed.' })
export class MarginFloorViolationError extends ErrorResult {
  @Field(() => Money, { description: 'The lowest price the margin floor allows.' })
  floorPrice!: Money;

  @Field(() => Money, { description: 'The unit cost the floor is computed from.' })
  cost!: Money;

  @Field(() => Int, { description: 'The minimum margin in basis points.' })
  minMarginBps!: number;

  static create(floorAmount: number, costAmount: number, currency: string, minMarginBps: number): MarginFloorViolationError {
    return Object.assign(new MarginFloorViolationError(), {
      errorCode: 'BELOW_MARGIN_FLOOR',
      message: `The price is below the margin floor of ${floorAmount} (cost ${costAmount} + ${minMarginBps / 100}%)`,
      field: 'priceAmount',
      floorPrice: Money.of(floorAmount, currency),
      cost: Money.of(costAmount, currency),
      minMarginBps,
    });
  }
}
