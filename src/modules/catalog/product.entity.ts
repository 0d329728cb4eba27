import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { Category } from './category.entity.js';
import { Brand } from '../marketing/brand.entity.js';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';

export enum ProductStatus {
  DRAFT = 'DRAFT',
  ACTIVE = 'ACTIVE',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(ProductStatus, { name: 'ProductStatus', description: 'Only ACTIVE products can be sold and are visible to customers.' });

@Entity({ tableName: 'product' })
@Index({ name: 'product_status_created_idx', properties: ['status', 'createdAt', 'id'] })
@Index({ name: 'product_category_idx', properties: ['category'] })
@Index({ name: 'product_brand_idx', properties: ['brand'] })
@ObjectType({ description: 'A product: what is sold, in one or more variants (SKUs).' })
export class Product {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID)
  id: string = uuidv7();

  @Property({ type: 'text' })
  @Field(() => String)
  name!: string;

  @Property({ type: 'text', unique: 'product_slug_unique' })
  @Field(() => String, { description: 'URL handle, unique.' })
  slug!: string;

  @Property({ type: 'text', default: '' })
  @Field(() => String)
  description: string = '';

  @ManyToOne({ entity: () => Category, nullable: true, deleteRule: 'set null' })
  category?: Category | null;

  /** The brand the product is sold under (marketing's brands); sales KPIs break down by it. */
  @ManyToOne({ entity: () => Brand, nullable: true, deleteRule: 'set null' })
  brand?: Brand | null;

  @Enum({ items: () => ProductStatus, nativeEnumName: 'product_status' })
  @Field(() => ProductStatus)
  status: ProductStatus = ProductStatus.DRAFT;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime)
  createdAt: Date = new Date();
}
