import { LockMode, UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/postgresql';
import { persistNew } from '../../common/persist.js';
import type { Context } from '../../common/context.js';
import { isStaff } from '../../common/auth/viewer.js';
import { viewerMay } from '../../common/auth/access.js';
import { badInput, check, checkId, forbidden, notFound } from '../../common/errors.js';
import { CURRENCY_RE } from '../../common/money.js';
import { paginate } from '../../common/pagination.js';
import { productLifecycle } from './catalog.lifecycle.js';
import { ProductRowByIdLoader } from './catalog.loaders.js';
import { DuplicateCatalogKeyError, IllegalProductTransitionError, type CreateCategoryInput, type CreateProductInput, type ProductsArgs } from './catalog.types.js';
import { Category } from './category.entity.js';
import { Brand } from '../marketing/brand.entity.js';
import { Product, ProductStatus } from './product.entity.js';
import { ProductVariant } from './product-variant.entity.js';

const SKU_RE = /^[A-Za-z0-9._-]{1,64}$/;
const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
export const MAX_PRICE = 1_000_000_000;

function slugify(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

function checkAttributes(field: string, attributes: { name: string; value: string }[]): void {
  check(attributes.length <= 30, field, 'must contain at most 30 attributes');
  const names = new Set<string>();
  attributes.forEach((a, i) => {
    const name = a.name.trim();
    check(name.length > 0 && name.length <= 50, `${field}[${i}].name`, 'must be 1 to 50 characters');
    check(!names.has(name), `${field}[${i}].name`, 'is repeated in this variant');
    names.add(name);
    check(a.value.trim().length > 0 && a.value.length <= 200, `${field}[${i}].value`, 'must be 1 to 200 characters');
  });
}

function attributeMap(attributes: { name: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(attributes.map((a) => [a.name.trim(), a.value.trim()]));
}

/** Replaces all attributes of a variant. */
export async function setVariantAttributes(ctx: Context, variantId: string, attributes: { name: string; value: string }[]): Promise<ProductVariant> {
  checkId('variantId', variantId);
  checkAttributes('attributes', attributes);
  return ctx.em.transactional(async (em) => {
    const variant = await em.findOne(ProductVariant, { id: variantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!variant) throw notFound('ProductVariant', variantId);
    variant.attributes = attributeMap(attributes);
    return variant;
  });
}

export async function createProduct(ctx: Context, input: CreateProductInput): Promise<Product | DuplicateCatalogKeyError> {
  check(input.name.trim().length > 0 && input.name.length <= 200, 'name', 'must be 1 to 200 characters');
  const slug = input.slug ?? slugify(input.name);
  check(SLUG_RE.test(slug) && slug.length <= 80, 'slug', 'must be lower-case letters and digits separated by single dashes, at most 80 characters');
  check((input.description ?? '').length <= 20_000, 'description', 'must be at most 20000 characters');
  check(input.variants.length > 0, 'variants', 'must contain at least one variant');
  check(input.variants.length <= 100, 'variants', 'must contain at most 100 variants');
  const skus = new Set<string>();
  input.variants.forEach((v, i) => {
    const f = `variants[${i}]`;
    check(SKU_RE.test(v.sku), `${f}.sku`, 'must be 1–64 letters, digits, dots, dashes or underscores');
    check(!skus.has(v.sku), `${f}.sku`, 'is repeated in this input');
    skus.add(v.sku);
    check(v.name.trim().length > 0 && v.name.length <= 200, `${f}.name`, 'must be 1 to 200 characters');
    check(Number.isInteger(v.priceAmount) && v.priceAmount >= 0 && v.priceAmount <= MAX_PRICE, `${f}.priceAmount`, `must be an integer from 0 to ${MAX_PRICE}`);
    check(CURRENCY_RE.test(v.currency), `${f}.currency`, 'must be a three-letter upper-case ISO 4217 code');
    if (v.costAmount != null) check(Number.isInteger(v.costAmount) && v.costAmount >= 0 && v.costAmount <= MAX_PRICE, `${f}.costAmount`, `must be an integer from 0 to ${MAX_PRICE}`);
    if (v.barcode != null) check(/^\d{8,14}$/.test(v.barcode), `${f}.barcode`, 'must be 8 to 14 digits');
    if (v.weightGrams != null) check(Number.isInteger(v.weightGrams) && v.weightGrams >= 1 && v.weightGrams <= 1_000_000, `${f}.weightGrams`, 'must be an integer from 1 to 1000000');
    for (const dim of ['lengthMm', 'widthMm', 'heightMm'] as const) {
      const value = v[dim];
      if (value != null) check(Number.isInteger(value) && value >= 1 && value <= 10_000, `${f}.${dim}`, 'must be an integer from 1 to 10000');
    }
    checkAttributes(`${f}.attributes`, v.attributes ?? []);
  });
  let category: Category | null = null;
  if (input.categoryId) {
    checkId('categoryId', input.categoryId);
    category = await ctx.em.findOne(Category, { id: input.categoryId });
    if (!category) throw badInput('categoryId', 'does not match any category');
  }
  const brand = input.brandId != null ? await findBrand(ctx, input.brandId) : null;
  try {
    return await ctx.em.transactional(async (em) => {
      const product = persistNew(em, Product, {
        name: input.name.trim(),
        slug,
        description: input.description ?? '',
        status: input.status ?? ProductStatus.DRAFT,
        category: category ? em.getReference(Category, category.id) : null,
        brand: brand ? em.getReference(Brand, brand.id) : null,
      });
      for (const v of input.variants) {
        persistNew(em, ProductVariant, {
          product,
          sku: v.sku,
          name: v.name.trim(),
          priceAmount: v.priceAmount,
          currency: v.currency,
          costAmount: v.costAmount ?? null,
          barcode: v.barcode ?? null,
          weightGrams: v.weightGrams ?? null,
          lengthMm: v.lengthMm ?? null,
          widthMm: v.widthMm ?? null,
          heightMm: v.heightMm ?? null,
          attributes: attributeMap(v.attributes ?? []),
        });
      }
      return product;
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) {
      ctx.em.clear();
      const msg = String(err.message);
      if (msg.includes('product_slug_unique')) return DuplicateCatalogKeyError.create('slug', slug);
      const taken = await ctx.em.find(ProductVariant, { sku: { $in: [...skus] } });
      return DuplicateCatalogKeyError.create('variants.sku', taken[0]?.sku ?? [...skus].join(','));
    }
    throw err;
  }
}

async function findBrand(ctx: Context, brandId: string): Promise<Brand> {
  checkId('brandId', brandId);
  const brand = await ctx.em.findOne(Brand, { id: brandId });
  if (!brand) throw badInput('brandId', 'does not match any brand');
  return brand;
}

/** Put a product under a brand, or take it out of any (brandId null). */
export async function setProductBrand(ctx: Context, productId: string, brandId: string | null | undefined): Promise<Product> {
  checkId('productId', productId);
  const brand = brandId != null ? await findBrand(ctx, brandId) : null;
  return ctx.em.transactional(async (em) => {
    const product = await em.findOne(Product, { id: productId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!product) throw notFound('Product', productId);
    product.brand = brand ? em.getReference(Brand, brand.id) : null;
    return product;
  });
}

export async function setProductStatus(ctx: Context, id: string, to: ProductStatus): Promise<Product | IllegalProductTransitionError> {
  checkId('id', id);
  return ctx.em.transactional(async (em) => {
    const product = await em.findOne(Product, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!product) throw notFound('Product', id);
    const rule = productLifecycle.rule(product.status, to);
    if (!rule) {
      return Object.assign(new IllegalProductTransitionError(), {
        errorCode: 'ILLEGAL_TRANSITION',
        message: `A ${product.status} product cannot become ${to}; allowed: ${productLifecycle.nextStates(product.status).join(', ') || 'none'}`,
        field: 'status',
        from: product.status,
        to,
      });
    }
    if (!viewerMay(ctx.viewer, rule.by)) throw forbidden();
    product.status = to;
    return product;
  });
}

/** Customers and anonymous callers see ACTIVE products only. */
export async function getProduct(ctx: Context, id: string): Promise<Product> {
  checkId('id', id);
  // Read-only: the product query only answers with it (mutations load their own managed entity).
  const p = await ctx.loader(ProductRowByIdLoader).load(id);
  if (!p || (!isStaff(ctx.viewer) && p.status !== ProductStatus.ACTIVE)) throw notFound('Product', id);
  return p;
}

export async function listProducts(ctx: Context, args: ProductsArgs) {
  const where: FilterQuery<Product> = {};
  if (!isStaff(ctx.viewer)) where.status = ProductStatus.ACTIVE;
  else if (args.status) where.status = args.status;
  if (args.categoryId) {
    checkId('categoryId', args.categoryId);
    // The category and everything below it.
    where.category = { path: { $contains: [args.categoryId] } } as any;
  }
  return paginate(ctx.em, Product, where, { name: 'CREATED_AT', property: 'createdAt', direction: 'DESC', kind: 'date' }, args);
}

export async function createCategory(ctx: Context, input: CreateCategoryInput): Promise<Category | DuplicateCatalogKeyError> {
  check(input.name.trim().length > 0 && input.name.length <= 200, 'name', 'must be 1 to 200 characters');
  const slug = input.slug ?? slugify(input.name);
  check(SLUG_RE.test(slug) && slug.length <= 80, 'slug', 'must be lower-case letters and digits separated by single dashes, at most 80 characters');
  let parent: Category | null = null;
  if (input.parentId) {
    checkId('parentId', input.parentId);
    parent = await ctx.em.findOne(Category, { id: input.parentId });
    if (!parent) throw badInput('parentId', 'does not match any category');
    check(parent.path.length < 8, 'parentId', 'categories nest at most 8 levels deep');
  }
  return ctx.em.transactional(async (em) => {
    if (await em.count(Category, { slug })) return DuplicateCatalogKeyError.create('slug', slug);
    const category = persistNew(em, Category, { name: input.name.trim(), slug, parent: parent ? em.getReference(Category, parent.id) : null });
    category.path = [...(parent?.path ?? []), category.id];
    return category;
  });
}

/** Children of a category, or the roots when `parentId` is null. */
export function listCategories(ctx: Context, parentId: string | null | undefined): Promise<Category[]> {
  if (parentId) checkId('parentId', parentId);
  return ctx.em.find(Category, { parent: parentId ?? null }, { orderBy: { name: 'ASC', id: 'ASC' }, limit: 1000 });
}
