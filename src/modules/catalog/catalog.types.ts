import { ArgsType, Field, ID, InputType, Int, ObjectType, createUnionType } from 'type-graphql';
import { Category } from './category.entity.js';
import { ErrorResult } from '../../common/errors.js';
import { PageArgs } from '../../common/pagination.js';
import { Product, ProductStatus } from './product.entity.js';

@InputType({ description: 'One attribute of a variant.' })
export class VariantAttributeInput {
  @Field(() => String, { description: 'Name, 1 to 50 characters, unique within the variant.' })
  name!: string;

  @Field(() => String, { description: 'Value, 1 to 200 characters.' })
  value!: string;
}

@InputType()
export class VariantInput {
  @Field(() => String, { description: 'Unique SKU: letters, digits, dot, dash, underscore; 1–64 characters.' })
  sku!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Int, { description: 'Price in integer minor units, ≥ 0.' })
  priceAmount!: number;

  @Field(() => String, { description: 'ISO 4217 code, e.g. USD.' })
  currency!: string;

  @Field(() => Int, { nullable: true, description: 'Unit cost in minor units of the same currency, ≥ 0.' })
  costAmount?: number | null;

  @Field(() => String, { nullable: true, description: 'GTIN/EAN/UPC: 8 to 14 digits.' })
  barcode?: string | null;

  @Field(() => Int, { nullable: true, description: 'Grams, 1 to 1,000,000.' })
  weightGrams?: number | null;

  @Field(() => Int, { nullable: true, description: 'Millimetres, 1 to 10,000.' })
  lengthMm?: number | null;

  @Field(() => Int, { nullable: true, description: 'Millimetres, 1 to 10,000.' })
  widthMm?: number | null;

  @Field(() => Int, { nullable: true, description: 'Millimetres, 1 to 10,000.' })
  heightMm?: number | null;

  @Field(() => [VariantAttributeInput], { nullable: true, description: 'What distinguishes the variant (color, size…); at most 30.' })
  attributes?: VariantAttributeInput[] | null;
}

@InputType()
export class CreateProductInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Derived from the name when omitted.' })
  slug?: string | null;

  @Field(() => String, { nullable: true })
  description?: string | null;

  @Field(() => ProductStatus, { nullable: true, defaultValue: ProductStatus.DRAFT })
  status?: ProductStatus;

  @Field(() => ID, { nullable: true })
  categoryId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Brand the product is sold under (see `brands`).' })
  brandId?: string | null;

  @Field(() => [VariantInput], { description: 'At least one variant.' })
  variants!: VariantInput[];
}

@ObjectType({ implements: ErrorResult, description: 'A SKU or slug is already used.' })
export class DuplicateCatalogKeyError extends ErrorResult {
  static create(field: string, value: string): DuplicateCatalogKeyError {
    return Object.assign(new DuplicateCatalogKeyError(), {
      errorCode: 'DUPLICATE_KEY',
      message: `${field} "${value}" is already used`,
      field,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'The product cannot move to that status from its current one.' })
export class IllegalProductTransitionError extends ErrorResult {
  @Field(() => ProductStatus)
  from!: ProductStatus;
  @Field(() => ProductStatus)
  to!: ProductStatus;
}

export const CreateProductResult = createUnionType({
  name: 'CreateProductResult',
  types: () => [Product, DuplicateCatalogKeyError] as const,
});

export const SetProductStatusResult = createUnionType({
  name: 'SetProductStatusResult',
  types: () => [Product, IllegalProductTransitionError] as const,
});

@ArgsType()
export class ProductsArgs extends PageArgs {
  @Field(() => ProductStatus, { nullable: true, description: 'Staff only; customers and anonymous callers always get ACTIVE.' })
  status?: ProductStatus | null;

  @Field(() => ID, { nullable: true, description: 'Products in this category or any category below it.' })
  categoryId?: string | null;
}

@InputType()
export class CreateCategoryInput {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Derived from the name when omitted.' })
  slug?: string | null;

  @Field(() => ID, { nullable: true, description: 'Parent category; a root category when omitted.' })
  parentId?: string | null;
}

export const CreateCategoryResult = createUnionType({
  name: 'CreateCategoryResult',
  types: () => [Category, DuplicateCatalogKeyError] as const,
});
