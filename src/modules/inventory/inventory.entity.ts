import { Check, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { Order, OrderLine } from '../orders/order.entity.js';

export enum WarehouseType {
  OWN = 'OWN',
  THIRD_PARTY = 'THIRD_PARTY',
  STORE = 'STORE',
}
registerEnumType(WarehouseType, { name: 'WarehouseType', description: 'Who runs a warehouse: we do, a third-party logistics provider, or it is a store.' });

export enum StockMovementKind {
  RECEIPT = 'RECEIPT',
  SHIPMENT = 'SHIPMENT',
  RETURN_RESTOCK = 'RETURN_RESTOCK',
  ADJUSTMENT = 'ADJUSTMENT',
  TRANSFER_OUT = 'TRANSFER_OUT',
  TRANSFER_IN = 'TRANSFER_IN',
}
registerEnumType(StockMovementKind, {
  name: 'StockMovementKind',
  description: 'Why on-hand stock changed.',
  valuesConfig: {
    RECEIPT: { description: 'Goods received, e.g. from a purchase order (positive).' },
    SHIPMENT: { description: 'Goods shipped to a customer (negative).' },
    RETURN_RESTOCK: { description: 'A returned item put back on the shelf (positive).' },
    ADJUSTMENT: { description: 'A count correction, with a reason (either sign).' },
    TRANSFER_OUT: { description: 'Sent to another warehouse (negative).' },
    TRANSFER_IN: { description: 'Received from another warehouse (positive).' },
  },
});

export enum ReservationStatus {
  OPEN = 'OPEN',
  RELEASED = 'RELEASED',
  CONSUMED = 'CONSUMED',
}
registerEnumType(ReservationStatus, { name: 'ReservationStatus', description: 'OPEN holds stock for an order; RELEASED gave it back (cancellation); CONSUMED shipped it.' });

export enum InventoryAlertStatus {
  OPEN = 'OPEN',
  ACKNOWLEDGED = 'ACKNOWLEDGED',
  RESOLVED = 'RESOLVED',
}
registerEnumType(InventoryAlertStatus, { name: 'InventoryAlertStatus', description: 'Low-stock alert lifecycle: OPEN → ACKNOWLEDGED → RESOLVED (or OPEN → RESOLVED).' });

@Entity({ tableName: 'warehouse' })
@Index({ name: 'warehouse_active_code_idx', properties: ['active', 'code'] })
@ObjectType({ description: 'A place that holds stock and ships orders.' })
export class Warehouse {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @Property({ type: 'text', unique: 'warehouse_code_unique' })
  @Field(() => String, { description: 'Short unique code, e.g. "BER-1".' })
  code!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Display name.' })
  name!: string;

  @Enum({ items: () => WarehouseType, nativeEnumName: 'warehouse_type' })
  @Field(() => WarehouseType, { description: 'Who runs it.' })
  type!: WarehouseType;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'City; allocation prefers the warehouse in the destination city, and same-city services ship only there.' })
  city!: string;

  @Property({ type: 'string', length: 2, columnType: 'char(2)' })
  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code.' })
  country!: string;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'Inactive warehouses get no new allocations and do not count as available stock.' })
  active = true;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was created.' })
  createdAt: Date = new Date();
}

/**
 * Stock of one SKU in one warehouse. `onHand` always equals the sum of the movement ledger and `reserved` the
 * sum of OPEN reservations: both are changed only together with the ledger / reservation rows, under this row's lock.
 */
@Entity({ tableName: 'stock_level' })
@Unique({ name: 'stock_level_variant_warehouse_unique', properties: ['variant', 'warehouse'] })
@Index({ name: 'stock_level_warehouse_idx', properties: ['warehouse', 'id'] })
@Check({ name: 'stock_level_reserved_check', expression: 'reserved >= 0 and reserved <= on_hand' })
@ObjectType({ description: 'Stock of one SKU in one warehouse.' })
export class StockLevel {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => ProductVariant })
  variant!: ProductVariant;

  @ManyToOne({ entity: () => Warehouse })
  warehouse!: Warehouse;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Units physically there: the sum of the movement ledger.' })
  onHand: number = 0;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Units held by open reservations of confirmed orders.' })
  reserved: number = 0;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'A low-stock alert is raised when available falls to this level or below.' })
  reorderPoint: number = 0;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Buffer kept on top of lead-time demand when suggesting replenishment.' })
  safetyStock: number = 0;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Last change.' })
  updatedAt: Date = new Date();

  @Field(() => Int, { description: 'onHand − reserved: what new orders can still get.' })
  get available(): number {
    return this.onHand - this.reserved;
  }
}

/** Append-only (a trigger refuses UPDATE and DELETE): corrections are new ADJUSTMENT rows. */
@Entity({ tableName: 'stock_movement' })
@Index({ name: 'stock_movement_variant_warehouse_at_idx', properties: ['variant', 'warehouse', 'at', 'id'] })
@Index({ name: 'stock_movement_warehouse_at_idx', properties: ['warehouse', 'at', 'id'] })
@Index({ name: 'stock_movement_at_idx', properties: ['at', 'id'] })
@Index({ name: 'stock_movement_kind_at_idx', properties: ['kind', 'at'] })
@ObjectType({ description: 'One entry of the append-only stock ledger. On hand is the sum of the quantities.' })
export class StockMovement {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => ProductVariant })
  variant!: ProductVariant;

  @ManyToOne({ entity: () => Warehouse })
  warehouse!: Warehouse;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Signed change of on-hand units.' })
  quantity!: number;

  @Enum({ items: () => StockMovementKind, nativeEnumName: 'stock_movement_kind' })
  @Field(() => StockMovementKind, { description: 'Why.' })
  kind!: StockMovementKind;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'What caused it: purchase order number, order number, transfer id, return id.' })
  reference!: string;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Reason given for adjustments.' })
  reason?: string | null;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Who: staff, token, customer or system.' })
  actorKind!: string;

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  /** Retries of a stock mutation with the same key are answered from the first result. */
  @Property({ type: 'text', nullable: true, unique: 'stock_movement_idempotency_unique' })
  idempotencyKey?: string | null;

  @Property({ type: 'text', nullable: true })
  requestHash?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was recorded.' })
  at: Date = new Date();
}

@Entity({ tableName: 'stock_reservation' })
@Index({ name: 'stock_reservation_order_idx', properties: ['order', 'status'] })
@Index({ name: 'stock_reservation_level_idx', properties: ['variant', 'warehouse', 'status'] })
@Index({
  name: 'stock_reservation_expiry_idx',
  expression: `create index "stock_reservation_expiry_idx" on "stock_reservation" ("expires_at") where "status" = 'OPEN' and "expires_at" is not null`,
})
@ObjectType({ description: 'Units of one order line held in one warehouse.' })
export class StockReservation {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Order, deleteRule: 'cascade' })
  order!: Order;

  @ManyToOne({ entity: () => OrderLine, deleteRule: 'cascade' })
  orderLine!: OrderLine;

  @ManyToOne({ entity: () => ProductVariant })
  variant!: ProductVariant;

  @ManyToOne({ entity: () => Warehouse })
  warehouse!: Warehouse;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Units held.' })
  quantity!: number;

  @Enum({ items: () => ReservationStatus, nativeEnumName: 'reservation_status' })
  @Field(() => ReservationStatus, { description: 'OPEN, RELEASED or CONSUMED.' })
  status: ReservationStatus = ReservationStatus.OPEN;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was made.' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was released or consumed.' })
  closedAt?: Date | null;

  /** Set while the order is ON_HOLD: an open reservation past this time is released by the expiry job. */
  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'While the order is on hold: when the units go back to stock unless the hold is lifted.' })
  expiresAt?: Date | null;
}

@Entity({ tableName: 'inventory_alert' })
@Index({ name: 'inventory_alert_status_raised_idx', properties: ['status', 'raisedAt', 'id'] })
@Index({ name: 'inventory_alert_raised_idx', properties: ['raisedAt', 'id'] })
@Index({
  name: 'inventory_alert_unresolved_unique',
  expression: `create unique index "inventory_alert_unresolved_unique" on "inventory_alert" ("variant_id", "warehouse_id") where "status" <> 'RESOLVED'`,
})
@ObjectType({ description: 'Available stock of a SKU in a warehouse fell to its reorder point. At most one unresolved alert per SKU × warehouse.' })
export class InventoryAlert {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => ProductVariant })
  variant!: ProductVariant;

  @ManyToOne({ entity: () => Warehouse })
  warehouse!: Warehouse;

  @Enum({ items: () => InventoryAlertStatus, nativeEnumName: 'inventory_alert_status' })
  @Field(() => InventoryAlertStatus, { description: 'OPEN, ACKNOWLEDGED or RESOLVED.' })
  status: InventoryAlertStatus = InventoryAlertStatus.OPEN;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Available units when the alert was raised.' })
  availableAtRaise!: number;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Reorder point when the alert was raised.' })
  reorderPoint!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was raised.' })
  raisedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was acknowledged.' })
  acknowledgedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was resolved.' })
  resolvedAt?: Date | null;
}
