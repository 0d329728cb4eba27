import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow, Public } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Connection } from '../../common/pagination.js';
import { CategoryByIdLoader, ProductRowByIdLoader, VariantRowsByProductIdLoader } from './catalog.loaders.js';
import { Category } from './category.entity.js';
import { Money } from '../../common/money.js';
import * as catalog from './catalog.service.js';
import { CreateCategoryInput, CreateCategoryResult, CreateProductInput, CreateProductResult, ProductsArgs, SetProductStatusResult, VariantAttributeInput } from './catalog.types.js';
import { Product, ProductStatus } from './product.entity.js';
import { ProductVariant } from './product-variant.entity.js';

export const ProductConnection = Connection('Product', Product);

@Resolver(() => Product)
export class ProductResolver {
  @Public()
  @Query(() => Product, { description: 'One product. Customers and anonymous callers see only ACTIVE products.' })
  product(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return catalog.getProduct(ctx, id);
  }

  @Public()
  @Query(() => ProductConnection, { description: 'Products, newest first. Customers and anonymous callers see only ACTIVE ones.' })
  products(@Ctx() ctx: Context, @Args(() => ProductsArgs) args: ProductsArgs) {
    return catalog.listProducts(ctx, args);
  }

  @Allow(Role.MERCHANDISING)
  @Mutation(() => CreateProductResult, { description: 'Create a product with its variants.' })
  createProduct(@Ctx() ctx: Context, @Arg('input', () => CreateProductInput) input: CreateProductInput) {
    return catalog.createProduct(ctx, input);
  }

  @Allow(Role.MERCHANDISING, Role.MARKETING)
  @Mutation(() => Product, { description: 'Put a product under a brand, or take it out of any with brandId null. BAD_USER_INPUT on brandId when no such brand exists.' })
  setProductBrand(@Ctx() ctx: Context, @Arg('productId', () => ID) productId: string, @Arg('brandId', () => ID, { nullable: true }) brandId: string | null) {
    return catalog.setProductBrand(ctx, productId, brandId);
  }

  @Allow(Role.MERCHANDISING)
  @Mutation(() => SetProductStatusResult, { description: 'Move a product through DRAFT → ACTIVE → ARCHIVED.' })
  setProductStatus(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('status', () => ProductStatus) status: ProductStatus) {
    return catalog.setProductStatus(ctx, id, status);
  }

  @FieldResolver(() => Category, { nullable: true })
  category(@Root() product: Product, @Ctx() ctx: Context) {
    return product.category ? ctx.loader(CategoryByIdLoader).load(product.category.id) : null;
  }

  @FieldResolver(() => [ProductVariant])
  variants(@Root() product: Product, @Ctx() ctx: Context) {
    return ctx.loader(VariantRowsByProductIdLoader).load(product.id);
  }
}

@Resolver(() => Category)
export class CategoryResolver {
  @Public()
  @Query(() => [Category], { description: 'Children of a category, or the root categories when parentId is omitted; by name.' })
  categories(@Ctx() ctx: Context, @Arg('parentId', () => ID, { nullable: true }) parentId?: string | null) {
    return catalog.listCategories(ctx, parentId);
  }

  @Allow(Role.MERCHANDISING)
  @Mutation(() => CreateCategoryResult, { description: 'Create a category, optionally under a parent.' })
  createCategory(@Ctx() ctx: Context, @Arg('input', () => CreateCategoryInput) input: CreateCategoryInput) {
    return catalog.createCategory(ctx, input);
  }

  @FieldResolver(() => Category, { nullable: true })
  parent(@Root() category: Category, @Ctx() ctx: Context) {
    return category.parent ? ctx.loader(CategoryByIdLoader).load(category.parent.id) : null;
  }

  @FieldResolver(() => [ID], { description: 'Ids from the root down to this category, itself included.' })
  path(@Root() category: Category) {
    return category.path;
  }
}

@Resolver(() => ProductVariant)
export class ProductVariantResolver {
  @Allow(Role.MERCHANDISING)
  @Mutation(() => ProductVariant, { description: 'Replace all attributes (color, size…) of a variant.' })
  setVariantAttributes(
    @Ctx() ctx: Context,
    @Arg('variantId', () => ID, { description: 'The variant.' }) variantId: string,
    @Arg('attributes', () => [VariantAttributeInput], { description: 'The complete new set of attributes (at most 30).' }) attributes: VariantAttributeInput[],
  ) {
    return catalog.setVariantAttributes(ctx, variantId, attributes);
  }

  @Allow(Role.MERCHANDISING, Role.OPERATIONS, Role.ANALYST)
  @FieldResolver(() => Money, { nullable: true, description: 'Unit cost. Staff only.' })
  cost(@Root() variant: ProductVariant) {
    return variant.costAmount == null ? null : Money.of(variant.costAmount, variant.currency);
  }

  @FieldResolver(() => Product)
  product(@Root() variant: ProductVariant, @Ctx() ctx: Context) {
    return ctx.loader(ProductRowByIdLoader).load(variant.product.id);
  }
}
