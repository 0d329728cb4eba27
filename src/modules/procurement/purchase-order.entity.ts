import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { Supplier } from './supplier.entity.js';
import { PurchaseOrderStatus, purchaseOrderLifecycle } from './procurement.lifecycle.js';

@Entity({ tableName: 'purchase_order' })
@Index({ name: 'purchase_order_created_idx', properties: ['createdAt', 'id'] })
@Index({ name: 'purchase_order_status_expected_idx', properties: ['status', 'expectedAt', 'id'] })
@Index({ name: 'purchase_order_expected_idx', properties: ['expectedAt', 'id'] })
@Index({ name: 'purchase_order_supplier_submitted_idx', properties: ['supplier', 'submittedAt'] })
@Index({ name: 'purchase_order_replenishment_key_idx', properties: ['replenishmentKey'] })
@ObjectType({ description: 'An order we place with a supplier. Amounts are integer minor units in the order currency.' })
export class PurchaseOrder {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Purchase order id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Supplier })
  supplier!: Supplier;

  @Enum({ items: () => PurchaseOrderStatus, nativeEnumName: 'purchase_order_status' })
  @Field(() => PurchaseOrderStatus, { description: 'Lifecycle status.' })
  status: PurchaseOrderStatus = PurchaseOrderStatus.DRAFT;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  @Field(() => String, { description: 'ISO 4217 currency of every unit cost on the order.' })
  currency!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When the supplier promised delivery; later receipts count as late.' })
  expectedAt!: Date;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Internal note.' })
  note?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was submitted to the supplier; lead times count from here.' })
  submittedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When the draft was created.' })
  createdAt: Date = new Date();

  /** Idempotency key of the createPurchaseOrdersFromSuggestions call that drafted this order; one call may draft several. */
  @Property({ type: 'text', nullable: true })
  replenishmentKey?: string | null;

  /** Hash of that call's input, to refuse the same key with other input. */
  @Property({ type: 'text', nullable: true })
  replenishmentHash?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Last change of any kind.' })
  updatedAt: Date = new Date();

  @Field(() => [PurchaseOrderStatus], { description: 'States this order may move to now (receiving states are entered by receivePurchaseOrder).' })
  get nextStates(): PurchaseOrderStatus[] {
    return purchaseOrderLifecycle.nextStates(this.status);
  }
}

@Entity({ tableName: 'purchase_order_line' })
@Index({ name: 'purchase_order_line_po_idx', properties: ['purchaseOrder', 'position'] })
@Index({ name: 'purchase_order_line_variant_idx', properties: ['variant'] })
@ObjectType({ description: 'One line of a purchase order, with what has been received against it.' })
export class PurchaseOrderLine {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Line id; receiving refers to it.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => PurchaseOrder, deleteRule: 'cascade' })
  purchaseOrder!: PurchaseOrder;

  @ManyToOne({ entity: () => ProductVariant })
  variant!: ProductVariant;

  @Property({ type: 'smallint' })
  position!: number;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Units ordered.' })
  quantity!: number;

  @Property({ type: 'integer' })
  unitCostAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Property({ type: 'integer', default: 0 })
  @Field(() => Int, { description: 'Units accepted at inspection so far.' })
  acceptedQuantity: number = 0;

  @Property({ type: 'integer', default: 0 })
  @Field(() => Int, { description: 'Units rejected at inspection so far.' })
  rejectedQuantity: number = 0;

  @Field(() => Int, { description: 'Units still to be received: quantity − accepted − rejected.' })
  get openQuantity(): number {
    return this.quantity - this.acceptedQuantity - this.rejectedQuantity;
  }

  @Field(() => Money, { description: 'Agreed unit cost.' })
  get unitCost(): Money {
    return Money.of(this.unitCostAmount, this.currency);
  }
}

@Entity({ tableName: 'purchase_order_status_change' })
@Index({ name: 'purchase_order_status_change_po_idx', properties: ['purchaseOrder', 'at'] })
@ObjectType({ description: 'One entry of a purchase order’s status history.' })
export class PurchaseOrderStatusChange {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Entry id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => PurchaseOrder, deleteRule: 'cascade' })
  purchaseOrder!: PurchaseOrder;

  @Enum({ items: () => PurchaseOrderStatus, nativeEnumName: 'purchase_order_status', nullable: true })
  @Field(() => PurchaseOrderStatus, { nullable: true, description: 'Status before; null for creation.' })
  fromStatus?: PurchaseOrderStatus | null;

  @Enum({ items: () => PurchaseOrderStatus, nativeEnumName: 'purchase_order_status' })
  @Field(() => PurchaseOrderStatus, { description: 'Status after.' })
  toStatus!: PurchaseOrderStatus;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Why the status changed.' })
  reason?: string | null;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Who made the change: staff, token or system.' })
  actorKind!: string;

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When the change happened.' })
  at: Date = new Date();
}

@Entity({ tableName: 'purchase_order_receipt' })
@Index({ name: 'purchase_order_receipt_po_idx', properties: ['purchaseOrder', 'receivedAt'] })
@Index({ name: 'purchase_order_receipt_received_idx', properties: ['receivedAt'] })
@Unique({ name: 'purchase_order_receipt_idempotency_unique', properties: ['purchaseOrder', 'idempotencyKey'] })
@ObjectType({ description: 'One delivery received against a purchase order into a warehouse.' })
export class PurchaseOrderReceipt {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Receipt id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => PurchaseOrder, deleteRule: 'cascade' })
  purchaseOrder!: PurchaseOrder;

  /** A plain uuid: warehouses belong to the inventory module, which this module does not depend on. */
  @Property({ type: 'uuid' })
  @Field(() => ID, { description: 'Warehouse the goods were received into.' })
  warehouseId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When the goods arrived.' })
  receivedAt!: Date;

  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Property({ type: 'text' })
  requestHash!: string;
}

@Entity({ tableName: 'purchase_order_receipt_line' })
@Index({ name: 'purchase_order_receipt_line_receipt_idx', properties: ['receipt'] })
@Index({ name: 'purchase_order_receipt_line_line_idx', properties: ['line'] })
@ObjectType({ description: 'Units of one purchase order line in one receipt.' })
export class PurchaseOrderReceiptLine {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Receipt line id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => PurchaseOrderReceipt, deleteRule: 'cascade' })
  receipt!: PurchaseOrderReceipt;

  @ManyToOne({ entity: () => PurchaseOrderLine, deleteRule: 'cascade' })
  line!: PurchaseOrderLine;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Units accepted at inspection (become stock).' })
  acceptedQuantity!: number;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Units rejected at inspection (defects).' })
  rejectedQuantity!: number;
}
