import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';
import { Product } from './product.entity.js';

@ObjectType({ description: 'One attribute of a variant, e.g. color = red.' })
export class VariantAttribute {
  @Field(() => String, { description: 'Attribute name, e.g. "color".' })
  name!: string;

  @Field(() => String, { description: 'Attribute value, e.g. "red".' })
  value!: string;
}

@Entity({ tableName: 'product_variant' })
@Index({ name: 'product_variant_product_idx', properties: ['product'] })
@ObjectType({ description: 'A sellable variant of a product, identified by its SKU.' })
export class ProductVariant {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID)
  id: string = uuidv7();

  @ManyToOne({ entity: () => Product, deleteRule: 'cascade' })
  product!: Product;

  @Property({ type: 'text', unique: 'product_variant_sku_unique' })
  @Field(() => String, { description: 'Stock keeping unit, unique across the catalog.' })
  sku!: string;

  @Property({ type: 'text' })
  @Field(() => String)
  name!: string;

  /** Integer minor units. */
  @Property({ type: 'integer' })
  priceAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  /** Unit cost in minor units of `currency` (landed cost used for margins); null until known. */
  @Property({ type: 'integer', nullable: true })
  costAmount?: number | null;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'GTIN/EAN/UPC.' })
  barcode?: string | null;

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: 'Shipping weight in grams.' })
  weightGrams?: number | null;

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: 'Package length in millimetres.' })
  lengthMm?: number | null;

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: 'Package width in millimetres.' })
  widthMm?: number | null;

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: 'Package height in millimetres.' })
  heightMm?: number | null;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'Inactive variants cannot be ordered.' })
  active = true;

  /** What distinguishes the variant (color, size, material…), name → value. */
  @Property({ type: 'jsonb', default: '{}' })
  attributes: Record<string, string> = {};

  @Field(() => [VariantAttribute], { name: 'attributes', description: 'What distinguishes this variant, e.g. color = red, size = M; sorted by name.' })
  get attributeList(): VariantAttribute[] {
    return Object.entries(this.attributes ?? {})
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, value]) => Object.assign(new VariantAttribute(), { name, value }));
  }

  @Field(() => Money, { description: 'Current selling price.' })
  get price(): Money {
    return Money.of(this.priceAmount, this.currency);
  }
}
