import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Order, OrderLine } from '../orders/order.entity.js';
import { Warehouse } from '../inventory/inventory.entity.js';
import { Carrier, ShippingService } from '../shipping/shipping.entity.js';

export enum ShipmentStatus {
  LABEL_CREATED = 'LABEL_CREATED',
  PICKED_UP = 'PICKED_UP',
  IN_TRANSIT = 'IN_TRANSIT',
  OUT_FOR_DELIVERY = 'OUT_FOR_DELIVERY',
  DELIVERED = 'DELIVERED',
  EXCEPTION = 'EXCEPTION',
  DELAYED = 'DELAYED',
  RETURNED_TO_SENDER = 'RETURNED_TO_SENDER',
}
registerEnumType(ShipmentStatus, {
  name: 'ShipmentStatus',
  description: 'Normalised shipment status. LABEL_CREATED → PICKED_UP → IN_TRANSIT → OUT_FOR_DELIVERY → DELIVERED, with EXCEPTION and DELAYED on the way and RETURNED_TO_SENDER as the other end.',
  valuesConfig: {
    LABEL_CREATED: { description: 'Label printed; not yet with the carrier.' },
    PICKED_UP: { description: 'Collected by the carrier.' },
    IN_TRANSIT: { description: 'Moving through the network.' },
    OUT_FOR_DELIVERY: { description: 'On the delivery vehicle.' },
    DELIVERED: { description: 'Delivered; final.' },
    EXCEPTION: { description: 'A problem (damaged, address unknown…); flags the shipment.' },
    DELAYED: { description: 'Late against the carrier plan.' },
    RETURNED_TO_SENDER: { description: 'Came back to us; final.' },
  },
});

@Entity({ tableName: 'shipment' })
@Unique({ name: 'shipment_carrier_tracking_unique', properties: ['carrier', 'trackingNumber'] })
@Index({ name: 'shipment_order_idx', properties: ['order', 'createdAt'] })
@Index({ name: 'shipment_created_idx', properties: ['createdAt', 'id'] })
@Index({ name: 'shipment_flagged_created_idx', properties: ['flaggedAt', 'createdAt', 'id'] })
@Index({
  name: 'shipment_open_last_scan_idx',
  expression: `create index "shipment_open_last_scan_idx" on "shipment" ("last_scan_at") where "status" not in ('DELIVERED', 'RETURNED_TO_SENDER') and "flagged_at" is null`,
})
@ObjectType({ description: 'A parcel of an order, sent from one warehouse with one shipping service.' })
export class Shipment {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Order })
  order!: Order;

  @ManyToOne({ entity: () => Warehouse })
  warehouse!: Warehouse;

  @ManyToOne({ entity: () => ShippingService })
  service!: ShippingService;

  @ManyToOne({ entity: () => Carrier })
  carrier!: Carrier;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Carrier tracking number.' })
  trackingNumber!: string;

  @Enum({ items: () => ShipmentStatus, nativeEnumName: 'shipment_status' })
  @Field(() => ShipmentStatus, { description: 'Current normalised status.' })
  status: ShipmentStatus = ShipmentStatus.LABEL_CREATED;

  /** When the event behind `status` happened; older events never replace it. */
  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When the event that set the current status happened.' })
  statusAt!: Date;

  /** Furthest point on the LABEL_CREATED → DELIVERED path reached (0–4); progress never goes back. */
  @Property({ type: 'smallint' })
  progress: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Time of the latest scan of any kind.' })
  lastScanAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was flagged for attention (exception, or no scan for too long).' })
  flaggedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Why it was flagged: EXCEPTION or NO_SCAN, with detail.' })
  flagReason?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was delivered.' })
  deliveredAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was created.' })
  createdAt: Date = new Date();

  /** A retried createShipment with this key answers with this shipment instead of shipping again. */
  @Property({ type: 'text', nullable: true, unique: 'shipment_idempotency_unique' })
  idempotencyKey?: string | null;

  @Property({ type: 'text', nullable: true })
  requestHash?: string | null;
}

@Entity({ tableName: 'shipment_item' })
@Index({ name: 'shipment_item_shipment_idx', properties: ['shipment'] })
@ObjectType({ description: 'Units of one order line in a shipment.' })
export class ShipmentItem {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Shipment, deleteRule: 'cascade' })
  shipment!: Shipment;

  @ManyToOne({ entity: () => OrderLine })
  orderLine!: OrderLine;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Units.' })
  quantity!: number;
}

@Entity({ tableName: 'tracking_event' })
@Unique({ name: 'tracking_event_carrier_event_unique', properties: ['carrier', 'carrierEventId'] })
@Index({ name: 'tracking_event_shipment_idx', properties: ['shipment', 'occurredAt', 'id'] })
@Index({ name: 'tracking_event_received_idx', properties: ['receivedAt', 'id'] })
@ObjectType({ description: 'A carrier scan, normalised.' })
export class TrackingEvent {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Shipment, deleteRule: 'cascade' })
  shipment!: Shipment;

  @ManyToOne({ entity: () => Carrier })
  carrier!: Carrier;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'The carrier’s id of this event (duplicates are ignored).' })
  carrierEventId!: string;

  @Enum({ items: () => ShipmentStatus, nativeEnumName: 'shipment_status' })
  @Field(() => ShipmentStatus, { description: 'Normalised status.' })
  status!: ShipmentStatus;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'The carrier’s raw status code.' })
  rawCode!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Where it happened.' })
  location?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it happened (carrier time).' })
  occurredAt!: Date;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Carrier description.' })
  description?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When we received it.' })
  receivedAt: Date = new Date();
}
