import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';
import { Product } from '../catalog/product.entity.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';

export enum PricingStrategyKind {
  COST_PLUS = 'COST_PLUS',
  COMPETITIVE = 'COMPETITIVE',
  PREMIUM = 'PREMIUM',
  PENETRATION = 'PENETRATION',
}
registerEnumType(PricingStrategyKind, {
  name: 'PricingStrategyKind',
  description: 'How a product’s price is suggested. Every suggestion is then raised to the margin floor.',
  valuesConfig: {
    COST_PLUS: { description: 'cost × (1 + targetMargin).' },
    COMPETITIVE: { description: 'competitor median × (1 + competitorOffset); offset may be negative.' },
    PREMIUM: { description: 'competitor median × (1 + competitorOffset) with a positive offset.' },
    PENETRATION: { description: 'cheapest competitor × (1 + competitorOffset) with an offset ≤ 0.' },
  },
});

export enum PriceTier {
  BUDGET = 'BUDGET',
  MID = 'MID',
  PREMIUM = 'PREMIUM',
  LUXURY = 'LUXURY',
}
registerEnumType(PriceTier, { name: 'PriceTier', description: 'Price band a product is positioned in.' });

@Entity({ tableName: 'pricing_strategy' })
@ObjectType({ description: 'How a product is priced: a strategy, its parameters, and the minimum margin no price may go below. Rates are in basis points (1% = 100).' })
export class PricingStrategy {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Strategy id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Product, deleteRule: 'cascade', unique: 'pricing_strategy_product_unique' })
  product!: Product;

  @Enum({ items: () => PricingStrategyKind, nativeEnumName: 'pricing_strategy_kind' })
  @Field(() => PricingStrategyKind, { description: 'The strategy.' })
  kind!: PricingStrategyKind;

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: 'COST_PLUS: markup on cost in basis points (3000 = cost + 30%).' })
  targetMarginBps?: number | null;

  @Property({ type: 'integer', nullable: true })
  @Field(() => Int, { nullable: true, description: 'COMPETITIVE, PREMIUM, PENETRATION: offset to the competitor reference price in basis points (−500 = 5% below).' })
  competitorOffsetBps?: number | null;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Margin floor: a price below cost × (1 + minMarginBps / 10000) is refused unless overridden with a reason.' })
  minMarginBps!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Last change.' })
  updatedAt: Date = new Date();
}

@Entity({ tableName: 'variant_price_change' })
@Index({ name: 'variant_price_change_variant_idx', properties: ['variant', 'changedAt', 'id'] })
@ObjectType({ description: 'One change of a variant’s selling price: old, new, who, when and why.' })
export class VariantPriceChange {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Entry id.' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => ProductVariant, deleteRule: 'cascade' })
  variant!: ProductVariant;

  @Property({ type: 'integer' })
  oldPriceAmount!: number;

  @Property({ type: 'integer' })
  newPriceAmount!: number;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Why the price changed.' })
  reason!: string;

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'The new price is below the margin floor and was explicitly allowed.' })
  marginFloorOverridden: boolean = false;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'Why going below the margin floor was allowed.' })
  marginFloorOverrideReason?: string | null;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Who changed it: staff, token or system.' })
  actorKind!: string;

  @Property({ type: 'uuid', nullable: true })
  @Field(() => ID, { nullable: true, description: 'Id of the staff user or API token that changed it.' })
  actorId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it changed.' })
  changedAt!: Date;

  @Field(() => Money, { description: 'Price before.' })
  get oldPrice(): Money {
    return Money.of(this.oldPriceAmount, this.currency);
  }

  @Field(() => Money, { description: 'Price after.' })
  get newPrice(): Money {
    return Money.of(this.newPriceAmount, this.currency);
  }
}

@Entity({ tableName: 'target_segment' })
@ObjectType({ description: 'A group of customers we design and price products for.' })
export class TargetSegment {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Segment id.' })
  id: string = uuidv7();

  @Property({ type: 'text', unique: 'target_segment_name_unique' })
  @Field(() => String, { description: 'Unique name, e.g. "urban commuters".' })
  name!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Who they are and what they need.' })
  description!: string;
}

@Entity({ tableName: 'product_positioning' })
@ObjectType({ description: 'How a product is positioned: for which segments, with what statement, in which price tier.' })
export class ProductPositioning {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Product, deleteRule: 'cascade', unique: 'product_positioning_product_unique' })
  product!: Product;

  @Property({ type: 'uuid[]', columnType: 'uuid[]' })
  segmentIds: string[] = [];

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Positioning statement.' })
  statement!: string;

  @Enum({ items: () => PriceTier, nativeEnumName: 'price_tier' })
  @Field(() => PriceTier, { description: 'Price tier.' })
  priceTier!: PriceTier;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Last change.' })
  updatedAt: Date = new Date();
}
