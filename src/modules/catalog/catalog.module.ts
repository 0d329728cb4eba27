import type { AppModule } from '../../common/module.js';
import { CategoryResolver, ProductResolver, ProductVariantResolver } from './catalog.resolver.js';
import { Category } from './category.entity.js';
import { Product } from './product.entity.js';
import { ProductVariant } from './product-variant.entity.js';

export const catalogModule: AppModule = { name: 'catalog', entities: [Category, Product, ProductVariant], resolvers: [CategoryResolver, ProductResolver, ProductVariantResolver] };
