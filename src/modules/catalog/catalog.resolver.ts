import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow, Public } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Connection } from '../../common/pagination.js';
import { ProductByIdLoader, VariantsByProductIdLoader } from './catalog.loaders.js';
import * as catalog from './catalog.service.js';
import { CreateProductInput, CreateProductResult, ProductsArgs, SetProductStatusResult } from './catalog.types.js';
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

  @Allow(Role.MERCHANDISING)
  @Mutation(() => SetProductStatusResult, { description: 'Move a product through DRAFT → ACTIVE → ARCHIVED.' })
  setProductStatus(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('status', () => ProductStatus) status: ProductStatus) {
    return catalog.setProductStatus(ctx, id, status);
  }

  @FieldResolver(() => [ProductVariant])
  variants(@Root() product: Product, @Ctx() ctx: Context) {
    return ctx.loader(VariantsByProductIdLoader).load(product.id);
  }
}

@Resolver(() => ProductVariant)
export class ProductVariantResolver {
  @FieldResolver(() => Product)
  async product(@Root() variant: ProductVariant, @Ctx() ctx: Context) {
    return ctx.loader(ProductByIdLoader).load(variant.product.id);
  }
}
