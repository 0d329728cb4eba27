import { byIdLoader, childrenLoader } from '../../common/loaders.js';
import { Product } from './product.entity.js';
import { Category } from './category.entity.js';
import { ProductVariant } from './product-variant.entity.js';

export const ProductByIdLoader = byIdLoader(Product);
export const VariantByIdLoader = byIdLoader(ProductVariant);
export const VariantsByProductIdLoader = childrenLoader(ProductVariant, 'product', { sku: 'ASC' }, (v) => v.product.id);
export const CategoryByIdLoader = byIdLoader(Category);
