import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';
import { Customer } from '../customers/customer.entity.js';
import { Order } from '../orders/order.entity.js';

@Entity({ tableName: 'membership_tier' })
@Index({ name: 'membership_tier_threshold_idx', properties: ['thresholdAmount'] })
@ObjectType({ description: 'A membership tier: customers whose rolling 12-month spend reaches the threshold belong to it, and get its benefits.' })
export class MembershipTier {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @Property({ type: 'text', unique: 'membership_tier_name_unique' })
  @Field(() => String, { description: 'Name.' })
  name!: string;

  @Property({ type: 'integer', unique: 'membership_tier_threshold_unique' })
  thresholdAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Points earned per 1 major currency unit spent, in percent: 100 = 1 point per unit, 150 = 1.5 points.' })
  pointsMultiplierPercent!: number;

  @Property({ type: 'boolean', default: false })
  @Field(() => Boolean, { description: 'Orders of members ship free (the shipping charge becomes 0).' })
  freeShipping: boolean = false;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was created.' })
  createdAt: Date = new Date();

  @Field(() => Money, { description: 'Rolling 12-month spend (completed orders, subtotal − discounts) from which a customer belongs to this tier.' })
  get threshold(): Money {
    return Money.of(this.thresholdAmount, this.currency);
  }
}

/** A customer's current tier; recalculated when one of their orders completes. */
@Entity({ tableName: 'customer_membership' })
@Index({ name: 'customer_membership_tier_idx', properties: ['tier'] })
export class CustomerMembership {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Customer, unique: 'customer_membership_customer_unique' })
  customer!: Customer;

  @ManyToOne({ entity: () => MembershipTier, nullable: true, deleteRule: 'set null' })
  tier?: MembershipTier | null;

  @Property({ type: 'integer' })
  spendAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}

export enum LoyaltyEntryKind {
  EARN = 'EARN',
  REDEEM = 'REDEEM',
  REDEEM_REVERSAL = 'REDEEM_REVERSAL',
  EXPIRE = 'EXPIRE',
  ADJUST = 'ADJUST',
}
registerEnumType(LoyaltyEntryKind, {
  name: 'LoyaltyEntryKind',
  description: 'Why the points balance changed.',
  valuesConfig: {
    EARN: { description: 'Earned on a completed order (tier multiplier applied).' },
    REDEEM: { description: 'Spent as a discount when placing an order.' },
    REDEEM_REVERSAL: { description: 'Given back because the order they were spent on was cancelled.' },
    EXPIRE: { description: 'Earned points that were not spent before they expired.' },
    ADJUST: { description: 'Manual adjustment by staff, with a reason.' },
  },
});

@Entity({ tableName: 'loyalty_entry' })
@Index({ name: 'loyalty_entry_customer_created_idx', properties: ['customer', 'createdAt', 'id'] })
@Index({ name: 'loyalty_entry_order_idx', properties: ['order'] })
@Index({ name: 'loyalty_entry_expiry_idx', expression: `create index "loyalty_entry_expiry_idx" on "loyalty_entry" ("expires_at") where "expired_at" is null and "kind" = 'EARN'` })
@Unique({ name: 'loyalty_entry_customer_idempotency_unique', properties: ['customer', 'idempotencyKey'] })
@ObjectType({ description: 'One entry of the loyalty points ledger. The balance is the sum of all entries and never goes below 0.' })
export class LoyaltyEntry {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Customer })
  customer!: Customer;

  @Enum({ items: () => LoyaltyEntryKind, nativeEnumName: 'loyalty_entry_kind' })
  @Field(() => LoyaltyEntryKind, { description: 'Why the balance changed.' })
  kind!: LoyaltyEntryKind;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Signed change of the balance.' })
  points!: number;

  @ManyToOne({ entity: () => Order, nullable: true })
  order?: Order | null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Why (for adjustments).' })
  reason?: string | null;

  @Property({ type: 'text', nullable: true })
  idempotencyKey?: string | null;

  @Property({ type: 'text', nullable: true })
  requestHash?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'EARN: when the points of this entry not spent by then expire.' })
  expiresAt?: Date | null;

  /** Set when the expiry job has processed this EARN entry. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  expiredAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was created.' })
  createdAt: Date = new Date();

  @Field(() => ID, { nullable: true, description: 'The order it relates to (EARN, REDEEM, REDEEM_REVERSAL).' })
  get orderId(): string | null {
    return this.order?.id ?? null;
  }
}

/** CRM data about a customer beyond the account: contact, consents and tags. */
@Entity({ tableName: 'customer_profile' })
@Index({ name: 'customer_profile_tags_gin_idx', expression: 'create index "customer_profile_tags_gin_idx" on "customer_profile" using gin ("tags")' })
export class CustomerProfile {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Customer, unique: 'customer_profile_customer_unique' })
  customer!: Customer;

  @Property({ type: 'text', nullable: true })
  phone?: string | null;

  @Property({ type: 'boolean', default: false })
  emailConsent: boolean = false;

  @Property({ type: 'boolean', default: false })
  smsConsent: boolean = false;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  consentUpdatedAt?: Date | null;

  /** Lower-case labels set by staff. */
  @Property({ type: 'text[]', columnType: 'text[]' })
  tags: string[] = [];

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  updatedAt: Date = new Date();
}

@Entity({ tableName: 'customer_address' })
@Index({ name: 'customer_address_customer_idx', properties: ['customer', 'createdAt', 'id'] })
@ObjectType({ description: 'A postal address of a customer.' })
export class CustomerAddress {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Customer })
  customer!: Customer;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'e.g. Home, Work.' })
  label?: string | null;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'First address line.' })
  line1!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Second address line.' })
  line2?: string | null;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'City.' })
  city!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Postal code.' })
  postalCode!: string;

  @Property({ type: 'string', length: 2, columnType: 'char(2)' })
  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code.' })
  country!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();
}

/** A rule-defined group of customers; members are computed in SQL whenever asked. */
@Entity({ tableName: 'segment' })
@Index({ name: 'segment_created_idx', properties: ['createdAt', 'id'] })
@ObjectType({ description: 'A customer segment defined by rules; membership is computed from current data whenever it is read.' })
export class Segment {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @Property({ type: 'text', unique: 'segment_name_unique' })
  @Field(() => String, { description: 'Name.' })
  name!: string;

  /** SegmentRules as JSON. */
  @Property({ type: 'json', columnType: 'jsonb' })
  rules!: Record<string, unknown>;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  @Field(() => String, { description: 'Currency of the spend rules; only orders in it count toward spend.' })
  currency!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was created.' })
  createdAt: Date = new Date();
}
