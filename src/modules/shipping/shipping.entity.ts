import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';

export enum ShippingServiceType {
  EXPRESS = 'EXPRESS',
  FREIGHT_LINE = 'FREIGHT_LINE',
  SAME_CITY = 'SAME_CITY',
  STANDARD = 'STANDARD',
  ECONOMY = 'ECONOMY',
}
registerEnumType(ShippingServiceType, {
  name: 'ShippingServiceType',
  description: 'Kind of shipping service.',
  valuesConfig: {
    EXPRESS: { description: 'Fast courier service.' },
    FREIGHT_LINE: { description: 'Dedicated freight line, for heavy or bulky parcels.' },
    SAME_CITY: { description: 'Courier within the city of the shipping warehouse only.' },
    STANDARD: { description: 'Regular parcel service.' },
    ECONOMY: { description: 'Slow and cheap.' },
  },
});

@Entity({ tableName: 'carrier' })
@ObjectType({ description: 'A carrier (parcel company) offering shipping services.' })
export class Carrier {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @Property({ type: 'text', unique: 'carrier_code_unique' })
  @Field(() => String, { description: 'Short unique code, used by tracking feeds, e.g. "dhl".' })
  code!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'Inactive carriers are not quoted.' })
  active = true;
}

@Entity({ tableName: 'shipping_service' })
@Unique({ name: 'shipping_service_carrier_code_unique', properties: ['carrier', 'code'] })
@Index({ name: 'shipping_service_active_idx', properties: ['active'] })
@ObjectType({ description: 'A shipping service of a carrier, with its regions, limits, transit time, cut-off and rate table.' })
export class ShippingService {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Carrier })
  carrier!: Carrier;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Code, unique per carrier.' })
  code!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Enum({ items: () => ShippingServiceType, nativeEnumName: 'shipping_service_type' })
  @Field(() => ShippingServiceType, { description: 'Kind of service.' })
  type!: ShippingServiceType;

  /** Destination countries (ISO alpha-2) served; empty means every country. */
  @Property({ type: 'text[]', columnType: 'text[]' })
  @Field(() => [String], { description: 'Destination countries served (ISO alpha-2); empty means everywhere.' })
  regions: string[] = [];

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Heaviest chargeable weight accepted, in grams.' })
  maxWeightGrams!: number;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Longest side accepted, in millimetres.' })
  maxLengthMm!: number;

  /** Volumetric weight in grams = length × width × height (mm³) / divisor (5000 is the usual cm³/kg factor). */
  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Volumetric divisor: volumetric grams = L×W×H in mm³ / divisor. The chargeable weight is the larger of actual and volumetric.' })
  volumetricDivisor: number = 5000;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Calendar days from dispatch to delivery.' })
  transitDays!: number;

  /** Minutes after midnight UTC; orders quoted later dispatch the next day. */
  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Cut-off as minutes after midnight UTC: quotes after it dispatch the next day.' })
  cutoffMinuteUtc!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  @Field(() => String, { description: 'Currency of the rate table.' })
  currency!: string;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'Inactive services are not quoted.' })
  active = true;
}

@Entity({ tableName: 'shipping_rate' })
@Unique({ name: 'shipping_rate_service_band_unique', properties: ['service', 'upToGrams'] })
@ObjectType({ description: 'One weight band of a rate table: parcels up to this chargeable weight cost this much.' })
export class ShippingRate {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => ShippingService, deleteRule: 'cascade' })
  service!: ShippingService;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Upper bound of the band (inclusive), chargeable grams.' })
  upToGrams!: number;

  @Property({ type: 'integer' })
  priceAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Field(() => Money, { description: 'Price of a parcel in this band.' })
  get price(): Money {
    return Money.of(this.priceAmount, this.currency);
  }
}
