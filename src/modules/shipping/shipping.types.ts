import { ArgsType, Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Money } from '../../common/money.js';
import { ShippingService, ShippingServiceType } from './shipping.entity.js';

export enum ShippingPolicy {
  CHEAPEST = 'CHEAPEST',
  FASTEST = 'FASTEST',
  BEST_VALUE = 'BEST_VALUE',
}
registerEnumType(ShippingPolicy, {
  name: 'ShippingPolicy',
  description: 'How quotes are ranked.',
  valuesConfig: {
    CHEAPEST: { description: 'Lowest price first; ties by earliest delivery.' },
    FASTEST: { description: 'Earliest delivery first; ties by lowest price.' },
    BEST_VALUE: { description: 'Smallest sum of price rank and delivery rank (dense ranks); ties by price, then delivery.' },
  },
});

export enum ShippingExclusionReason {
  REGION_NOT_SERVED = 'REGION_NOT_SERVED',
  SAME_CITY_ONLY = 'SAME_CITY_ONLY',
  TOO_HEAVY = 'TOO_HEAVY',
  TOO_LARGE = 'TOO_LARGE',
  NO_RATE_FOR_WEIGHT = 'NO_RATE_FOR_WEIGHT',
  CURRENCY_MISMATCH = 'CURRENCY_MISMATCH',
  MISSES_DELIVER_BY = 'MISSES_DELIVER_BY',
}
registerEnumType(ShippingExclusionReason, {
  name: 'ShippingExclusionReason',
  description: 'Why a shipping service was not offered.',
  valuesConfig: {
    REGION_NOT_SERVED: { description: 'The service does not deliver to the destination country.' },
    SAME_CITY_ONLY: { description: 'Same-city service, but the shipping warehouse is not in the destination city.' },
    TOO_HEAVY: { description: 'Chargeable weight above the service maximum.' },
    TOO_LARGE: { description: 'Longest side above the service maximum.' },
    NO_RATE_FOR_WEIGHT: { description: 'The rate table has no band for this chargeable weight.' },
    CURRENCY_MISMATCH: { description: 'The rate table is in another currency than the order.' },
    MISSES_DELIVER_BY: { description: 'Would arrive after the deliver-by date.' },
  },
});

@InputType({ description: 'One weight band of a rate table.' })
export class ShippingRateInput {
  @Field(() => Int, { description: 'Upper bound of the band, chargeable grams (inclusive).' })
  upToGrams!: number;
  @Field(() => Int, { description: 'Price in minor units of the service currency.' })
  priceAmount!: number;
}

@InputType({ description: 'A new carrier.' })
export class CreateCarrierInput {
  @Field(() => String, { description: 'Unique code, 1 to 32 letters, digits, "-" or "_"; tracking feeds name the carrier by it.' })
  code!: string;
  @Field(() => String, { description: 'Display name.' })
  name!: string;
}

@InputType({ description: 'A new shipping service with its rate table.' })
export class CreateShippingServiceInput {
  @Field(() => ID, { description: 'The carrier.' })
  carrierId!: string;
  @Field(() => String, { description: 'Code, unique per carrier.' })
  code!: string;
  @Field(() => String, { description: 'Display name.' })
  name!: string;
  @Field(() => ShippingServiceType, { description: 'Kind of service.' })
  type!: ShippingServiceType;
  @Field(() => [String], { description: 'Destination countries (ISO alpha-2); empty for everywhere.' })
  regions!: string[];
  @Field(() => Int, { description: 'Heaviest chargeable weight, grams.' })
  maxWeightGrams!: number;
  @Field(() => Int, { description: 'Longest side, millimetres.' })
  maxLengthMm!: number;
  @Field(() => Int, { nullable: true, description: 'Volumetric divisor (mm³ per chargeable gram); default 5000.' })
  volumetricDivisor?: number | null;
  @Field(() => Int, { description: 'Calendar days in transit after dispatch (0 = same day).' })
  transitDays!: number;
  @Field(() => String, { description: 'Daily cut-off in UTC as HH:MM; later requests dispatch the next day.' })
  cutoffTimeUtc!: string;
  @Field(() => String, { description: 'Currency of the rates.' })
  currency!: string;
  @Field(() => [ShippingRateInput], { description: 'Weight bands, 1 to 50, distinct upper bounds.' })
  rates!: ShippingRateInput[];
}

@InputType({ description: 'A parcel to quote for.' })
export class ParcelInput {
  @Field(() => Int, { description: 'Actual weight, grams.' })
  weightGrams!: number;
  @Field(() => Int, { description: 'Length, millimetres.' })
  lengthMm!: number;
  @Field(() => Int, { description: 'Width, millimetres.' })
  widthMm!: number;
  @Field(() => Int, { description: 'Height, millimetres.' })
  heightMm!: number;
}

@InputType({ description: 'Where a parcel goes.' })
export class DestinationInput {
  @Field(() => String, { description: 'City.' })
  city!: string;
  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code.' })
  country!: string;
}

@ArgsType()
export class ShippingQuotesArgs {
  @Field(() => ID, { nullable: true, description: 'Quote for this order (its lines, address and allocated warehouse). Either orderId or parcel + destination.' })
  orderId?: string | null;
  @Field(() => ParcelInput, { nullable: true, description: 'Quote for this parcel (with destination).' })
  parcel?: ParcelInput | null;
  @Field(() => DestinationInput, { nullable: true, description: 'Destination of the parcel.' })
  destination?: DestinationInput | null;
  @Field(() => ID, { nullable: true, description: 'Warehouse it ships from; same-city services need it to be in the destination city. Without it, any active warehouse in the destination city qualifies.' })
  originWarehouseId?: string | null;
  @Field(() => ShippingPolicy, { defaultValue: ShippingPolicy.BEST_VALUE, description: 'Ranking policy.' })
  policy!: ShippingPolicy;
  @Field(() => GraphQLDateTime, { nullable: true, description: 'Exclude services that would deliver after this day (UTC).' })
  deliverBy?: Date | null;
}

@ObjectType({ description: 'An eligible shipping option.' })
export class ShippingQuote {
  @Field(() => Int, { description: '1 = best under the policy.' })
  rank!: number;
  @Field(() => ShippingService, { description: 'The service.' })
  service!: ShippingService;
  @Field(() => Money, { description: 'Price for this parcel.' })
  price!: Money;
  @Field(() => String, { description: 'Dispatch day (UTC, YYYY-MM-DD): today before the cut-off, otherwise tomorrow.' })
  dispatchOn!: string;
  @Field(() => String, { description: 'Estimated delivery day (UTC, YYYY-MM-DD).' })
  deliverOn!: string;
  @Field(() => Int, { description: 'Days from today to delivery.' })
  daysToDelivery!: number;
}

@ObjectType({ description: 'A service that was not offered, and why.' })
export class ShippingExclusion {
  @Field(() => ShippingService, { description: 'The service.' })
  service!: ShippingService;
  @Field(() => ShippingExclusionReason, { description: 'The first rule it failed.' })
  reason!: ShippingExclusionReason;
  @Field(() => String, { description: 'Human-readable detail, with the figures compared.' })
  detail!: string;
}

@ObjectType({ description: 'Ranked shipping options and the services excluded.' })
export class ShippingQuotes {
  @Field(() => ShippingPolicy, { description: 'The ranking used.' })
  policy!: ShippingPolicy;
  @Field(() => Int, { description: 'Actual weight of the parcel, grams.' })
  weightGrams!: number;
  @Field(() => [ShippingQuote], { description: 'Eligible options, best first.' })
  options!: ShippingQuote[];
  @Field(() => [ShippingExclusion], { description: 'Services not offered, each with the reason.' })
  excluded!: ShippingExclusion[];
}
