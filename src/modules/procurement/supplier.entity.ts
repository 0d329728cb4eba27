import { ArrayType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { SupplierStatus, supplierLifecycle } from './procurement.lifecycle.js';

@ObjectType({ description: 'A person to talk to at a supplier.' })
export class SupplierContact {
  @Field(() => String, { description: 'Full name.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'E-mail address.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Phone number as given.' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'What the contact is for, e.g. "sales" or "quality".' })
  role?: string | null;
}

@Entity({ tableName: 'supplier' })
@Index({ name: 'supplier_name_idx', properties: ['name', 'id'] })
@Index({ name: 'supplier_status_name_idx', properties: ['status', 'name', 'id'] })
@ObjectType({ description: 'A company we buy goods from.' })
export class Supplier {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Supplier id.' })
  id: string = uuidv7();

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Trading name.' })
  name!: string;

  @Property({ type: 'string', length: 2, columnType: 'char(2)' })
  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code of the supplier.' })
  country!: string;

  @Enum({ items: () => SupplierStatus, nativeEnumName: 'supplier_status' })
  @Field(() => SupplierStatus, { description: 'Lifecycle status; only APPROVED suppliers get new purchase orders.' })
  status: SupplierStatus = SupplierStatus.PROSPECT;

  @Property({ type: 'jsonb' })
  @Field(() => [SupplierContact], { description: 'Contacts at the supplier, in the order given.' })
  contacts: SupplierContact[] = [];

  @Property({ type: ArrayType, columnType: 'text[]' })
  @Field(() => [String], { description: 'Certifications held, e.g. "ISO 9001", "BSCI".' })
  certifications: string[] = [];

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When the supplier was created.' })
  createdAt: Date = new Date();

  @Field(() => [SupplierStatus], { description: 'States this supplier may move to now (before role checks).' })
  get nextStates(): SupplierStatus[] {
    return supplierLifecycle.nextStates(this.status);
  }
}

@Entity({ tableName: 'supplier_status_change' })
@Index({ name: 'supplier_status_change_supplier_idx', properties: ['supplier', 'at'] })
@ObjectType({ description: 'One entry of a supplier’s status history.' })
export class SupplierStatusChange {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Entry id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Supplier, deleteRule: 'cascade' })
  supplier!: Supplier;

  @Enum({ items: () => SupplierStatus, nativeEnumName: 'supplier_status', nullable: true })
  @Field(() => SupplierStatus, { nullable: true, description: 'Status before; null for creation.' })
  fromStatus?: SupplierStatus | null;

  @Enum({ items: () => SupplierStatus, nativeEnumName: 'supplier_status' })
  @Field(() => SupplierStatus, { description: 'Status after.' })
  toStatus!: SupplierStatus;

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

@Entity({ tableName: 'supplier_offer' })
@Unique({ name: 'supplier_offer_supplier_variant_unique', properties: ['supplier', 'variant'] })
@Index({ name: 'supplier_offer_variant_idx', properties: ['variant'] })
@ObjectType({ description: 'What a supplier charges for one of our variants, and on what terms.' })
export class SupplierOffer {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Offer id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Supplier, deleteRule: 'cascade' })
  supplier!: Supplier;

  @ManyToOne({ entity: () => ProductVariant, deleteRule: 'cascade' })
  variant!: ProductVariant;

  @Property({ type: 'integer' })
  unitCostAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Minimum order quantity in units.' })
  moq!: number;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Quoted lead time in days from order to delivery.' })
  leadTimeDays!: number;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'The preferred offer for this variant (at most one per variant).' })
  preferred: boolean = false;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Last change to the offer.' })
  updatedAt: Date = new Date();

  @Field(() => Money, { description: 'Unit cost quoted by the supplier.' })
  get unitCost(): Money {
    return Money.of(this.unitCostAmount, this.currency);
  }
}
