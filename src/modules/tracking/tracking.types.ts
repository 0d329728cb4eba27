import { ArgsType, Field, ID, InputType, Int, ObjectType, createUnionType } from 'type-graphql';
import { GraphQLDateTime, GraphQLSafeInt } from 'graphql-scalars';
import { PageArgs } from '../../common/pagination.js';
import { InsufficientStockError } from '../inventory/inventory.errors.js';
import { Shipment, ShipmentStatus } from './tracking.entity.js';
import { ShipmentIdempotencyKeyReusedError, ShipmentNotAllowedError } from './tracking.errors.js';


@InputType({ description: 'Units of an order line to put in a shipment.' })
export class ShipmentItemInput {
  @Field(() => ID, { description: 'The order line.' })
  orderLineId!: string;
  @Field(() => Int, { description: 'Units, at least 1; at most what is still reserved for the line in the shipping warehouse.' })
  quantity!: number;
}

@InputType({ description: 'Ship (part of) an order from one warehouse.' })
export class CreateShipmentInput {
  @Field(() => ID, { description: 'The order; must be PROCESSING or PARTIALLY_SHIPPED.' })
  orderId!: string;
  @Field(() => ID, { description: 'The warehouse it leaves from.' })
  warehouseId!: string;
  @Field(() => ID, { nullable: true, description: 'Shipping service; default: the one chosen on the order.' })
  serviceId?: string | null;
  @Field(() => String, { nullable: true, description: 'Carrier tracking number; generated when omitted.' })
  trackingNumber?: string | null;
  @Field(() => [ShipmentItemInput], { nullable: true, description: 'What to ship; default: everything still reserved for the order in that warehouse.' })
  items?: ShipmentItemInput[] | null;
  @Field(() => String, { nullable: true, description: 'Makes retries safe: the same key with the same input returns the shipment already created instead of shipping again.' })
  idempotencyKey?: string | null;
}

export const CreateShipmentResult = createUnionType({
  name: 'CreateShipmentResult',
  description: 'The shipment created, or why not (nothing was written then).',
  types: () => [Shipment, InsufficientStockError, ShipmentNotAllowedError, ShipmentIdempotencyKeyReusedError] as const,
});

@InputType({ description: 'One scan from a carrier webhook or feed.' })
export class TrackingEventInput {
  @Field(() => String, { description: 'The carrier’s unique id of the event; a repeated id is ignored.' })
  carrierEventId!: string;
  @Field(() => String, { description: 'Tracking number of the shipment.' })
  trackingNumber!: string;
  @Field(() => ShipmentStatus, { description: 'Normalised status.' })
  status!: ShipmentStatus;
  @Field(() => String, { description: 'The carrier’s raw status code.' })
  rawCode!: string;
  @Field(() => String, { nullable: true, description: 'Where it happened.' })
  location?: string | null;
  @Field(() => GraphQLDateTime, { description: 'When it happened.' })
  occurredAt!: Date;
  @Field(() => String, { nullable: true, description: 'Carrier description.' })
  description?: string | null;
}

@InputType({ description: 'A batch of scans of one carrier.' })
export class IngestTrackingEventsInput {
  @Field(() => String, { description: 'Carrier code.' })
  carrierCode!: string;
  @Field(() => [TrackingEventInput], { description: '1 to 500 events.' })
  events!: TrackingEventInput[];
}

@ObjectType({ description: 'What an ingest did.' })
export class IngestTrackingResult {
  @Field(() => Int, { description: 'New events stored.' })
  accepted!: number;
  @Field(() => Int, { description: 'Events already known (same carrier event id), ignored.' })
  duplicates!: number;
  @Field(() => [String], { description: 'Tracking numbers that match no shipment of this carrier; their events were not stored.' })
  unknownTrackingNumbers!: string[];
}

@ArgsType()
export class ShipmentsArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only flagged (true) or unflagged (false) shipments.' })
  flagged?: boolean | null;
}

@ArgsType()
export class ShipmentTrackingUpdatedArgs {
  @Field(() => ID, { nullable: true, description: 'Only this shipment.' })
  shipmentId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only shipments of this order.' })
  orderId?: string | null;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Resume: first replay every matching event with a greater eventId, then go live.' })
  afterEventId?: number | null;
}

@ObjectType({ description: 'A shipment got a new scan (or was created).' })
export class ShipmentTrackingUpdatedEvent {
  @Field(() => GraphQLSafeInt, { description: 'Delivery order of this event; pass the last one seen as afterEventId to resume.' })
  eventId!: number;
  @Field(() => ID, { description: 'The shipment.' })
  shipmentId!: string;
  @Field(() => ID, { description: 'Its order.' })
  orderId!: string;
  @Field(() => String, { description: 'Tracking number.' })
  trackingNumber!: string;
  @Field(() => ShipmentStatus, { description: 'Status of the scan.' })
  eventStatus!: ShipmentStatus;
  @Field(() => ShipmentStatus, { description: 'Shipment status after the scan (a late scan leaves it unchanged).' })
  shipmentStatus!: ShipmentStatus;
  @Field(() => String, { nullable: true, description: 'Where.' })
  location!: string | null;
  @Field(() => GraphQLDateTime, { description: 'When the scan happened.' })
  occurredAt!: Date;
}
