import { Field, ID, ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';
import { ShippingExclusionReason } from './shipping.types.js';

@ObjectType({ implements: ErrorResult, description: 'The chosen shipping service cannot carry this order to this address. Nothing was written.' })
export class ShippingServiceUnavailableError extends ErrorResult {
  @Field(() => ID, { description: 'The service chosen.' })
  shippingServiceId!: string;

  @Field(() => ShippingExclusionReason, { description: 'Why it cannot be used.' })
  reason!: ShippingExclusionReason;

  static create(serviceId: string, reason: ShippingExclusionReason, detail: string): ShippingServiceUnavailableError {
    return Object.assign(new ShippingServiceUnavailableError(), {
      errorCode: 'SHIPPING_SERVICE_UNAVAILABLE',
      message: `The chosen shipping service cannot be used: ${detail}`,
      field: 'shippingServiceId',
      shippingServiceId: serviceId,
      reason,
    });
  }
}
