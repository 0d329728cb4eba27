import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Device, FunnelStep } from './traffic.entity.js';

@InputType({ description: 'One tracked funnel event with the attributes of its visit.' })
export class TrafficEventInput {
  @Field(() => String, { description: 'Tracker id of the event, 1 to 128 characters; the idempotency key of ingestion.' })
  eventId!: string;

  @Field(() => String, { description: 'Tracker id of the visit (session), 1 to 128 characters. Pass it as PlaceOrderInput.sessionId to attribute the order.' })
  sessionId!: string;

  @Field(() => FunnelStep, { description: 'Funnel step.' })
  step!: FunnelStep;

  @Field(() => GraphQLDateTime, { description: 'When the event happened.' })
  occurredAt!: Date;

  @Field(() => String, { description: 'utm_source, e.g. google, instagram, newsletter; "direct" when there is none. 1 to 100 characters.' })
  source!: string;

  @Field(() => String, { description: 'utm_medium, e.g. cpc, organic, social, email, influencer; "none" when there is none. 1 to 100 characters.' })
  medium!: string;

  @Field(() => String, { nullable: true, description: 'utm_campaign, at most 200 characters.' })
  campaign?: string | null;

  @Field(() => String, { nullable: true, description: 'Code of the sales channel visited (Channel.code).' })
  channelCode?: string | null;

  @Field(() => Device, { description: 'Device class of the visit.' })
  device!: Device;

  @Field(() => ID, { nullable: true, description: 'Signed-in customer, if known.' })
  customerId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Product viewed or added (PRODUCT_VIEW, ADD_TO_CART).' })
  productId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Order placed (PURCHASE).' })
  orderId?: string | null;
}

@ObjectType({ description: 'What one ingest call stored.' })
export class IngestTrafficResult {
  @Field(() => Int, { description: 'Events stored by this call.' })
  eventsStored!: number;

  @Field(() => Int, { description: 'Events skipped because an event with the same eventId was stored before (or earlier in this batch).' })
  eventsSkipped!: number;

  @Field(() => Int, { description: 'Visits first seen in this call.' })
  sessionsStored!: number;
}

export enum TrafficDimension {
  SOURCE = 'SOURCE',
  SOURCE_MEDIUM = 'SOURCE_MEDIUM',
  CAMPAIGN = 'CAMPAIGN',
  CHANNEL = 'CHANNEL',
  DEVICE = 'DEVICE',
}
registerEnumType(TrafficDimension, { name: 'TrafficDimension', description: 'What to group visits by. SOURCE_MEDIUM keys look like "google / cpc".' });

@ArgsType()
export class TrafficPeriodArgs {
  @Field(() => GraphQLDateTime, { description: 'Visits started at or after this instant.' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'Visits started strictly before this instant (at most 366 days after from).' })
  to!: Date;
}

@ArgsType()
export class ConversionArgs extends TrafficPeriodArgs {
  @Field(() => TrafficDimension, { defaultValue: TrafficDimension.SOURCE })
  by!: TrafficDimension;
}

@ObjectType({ description: 'Visits of one group and the orders placed in them.' })
export class ConversionRow {
  @Field(() => String, { description: 'The group: a source, "source / medium", a campaign, a channel code or a device ("(none)" when missing).' })
  key!: string;

  @Field(() => Int, { description: 'Visits started in the period.' })
  sessions!: number;

  @Field(() => Int, { description: 'Of those visits, how many have at least one order attributed (cancelled orders excluded).' })
  convertedSessions!: number;

  @Field(() => Int, { description: 'Orders attributed to those visits (cancelled excluded).' })
  orders!: number;

  @Field(() => Float, { description: 'convertedSessions / sessions, rounded to 4 decimals.' })
  conversionRate!: number;
}

@ArgsType()
export class FunnelArgs extends TrafficPeriodArgs {
  @Field(() => String, { nullable: true, description: 'Only visits from this source.' })
  source?: string | null;

  @Field(() => String, { nullable: true, description: 'Only visits to this channel.' })
  channelCode?: string | null;
}

@ObjectType({ description: 'One funnel step over a period.' })
export class FunnelStepRate {
  @Field(() => FunnelStep, { description: 'Funnel step.' })
  step!: FunnelStep;

  @Field(() => Int, { description: 'Visits started in the period that reached this step.' })
  sessions!: number;

  @Field(() => Float, { nullable: true, description: 'sessions / sessions of the previous step (4 decimals); null for the first step or when the previous step has none.' })
  rateFromPrevious!: number | null;

  @Field(() => Float, { nullable: true, description: 'sessions / sessions of PRODUCT_VIEW (4 decimals); null when there were none.' })
  rateFromFirst!: number | null;
}
