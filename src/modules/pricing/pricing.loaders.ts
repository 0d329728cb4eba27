import DataLoader from 'dataloader';
import type { Context } from '../../common/context.js';
import { byIdLoader } from '../../common/loaders.js';
import { PricingStrategy, ProductPositioning, TargetSegment } from './pricing.entity.js';

function oneByProduct<T extends { product: { id: string } }>(entity: new () => T) {
  return (ctx: Context) =>
    new DataLoader<string, T | null>(async (productIds) => {
      const rows = (await ctx.em.find(entity as any, { product: { $in: [...productIds] } } as any)) as T[];
      const map = new Map(rows.map((r) => [r.product.id, r]));
      return productIds.map((id) => map.get(id) ?? null);
    });
}

export const PricingStrategyByProductIdLoader = oneByProduct(PricingStrategy);
export const PositioningByProductIdLoader = oneByProduct(ProductPositioning);
export const TargetSegmentByIdLoader = byIdLoader(TargetSegment);
