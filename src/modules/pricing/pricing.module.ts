import type { AppModule } from '../../common/module.js';
import { PricingStrategy, ProductPositioning, TargetSegment, VariantPriceChange } from './pricing.entity.js';
import { PricingResolver, ProductPositioningResolver, ProductPricingResolver, TargetSegmentResolver, VariantPriceChangeResolver } from './pricing.resolver.js';

export const pricingModule: AppModule = {
  name: 'pricing',
  entities: [PricingStrategy, VariantPriceChange, TargetSegment, ProductPositioning],
  resolvers: [PricingResolver, TargetSegmentResolver, ProductPositioningResolver, ProductPricingResolver, VariantPriceChangeResolver],
};
