import { byIdLoader, childrenLoader, rowByIdLoader, rowChildrenLoader } from '../../common/loaders.js';
import { Product } from './product.entity.js';
import { Category } from './category.entity.js';
import { ProductVariant } from './product-variant.entity.js';

export const ProductByIdLoader = byIdLoader(Product);
export const VariantByIdLoader = byIdLoader(ProductVariant);
export const VariantsByProductIdLoader = childrenLoader(ProductVariant, 'product', { sku: 'ASC' }, (v) => v.product.id);
export const CategoryByIdLoader = byIdLoader(Category);

// Read-only rows for field resolvers and the product query (see common/rows.ts).
export const ProductRowByIdLoader = rowByIdLoader(Product);
export const VariantRowByIdLoader = rowByIdLoader(ProductVariant);
export const VariantRowsByProductIdLoader = rowChildrenLoader(ProductVariant, 'product', { product: 'ASC', sku: 'ASC' }, (v) => v.product.id);
