import type { AppModule } from '../../common/module.js';
import { ProductResolver, ProductVariantResolver } from './catalog.resolver.js';
import { Product } from './product.entity.js';
import { ProductVariant } from './product-variant.entity.js';

export const catalogModule: AppModule = { name: 'catalog', entities: [Product, ProductVariant], resolvers: [ProductResolver, ProductVariantResolver] };
