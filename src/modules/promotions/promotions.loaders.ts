import DataLoader from 'dataloader';
import type { Context } from '../../common/context.js';
import { childrenLoader } from '../../common/loaders.js';
import { PromotionUsage } from './promotion.entity.js';

export const PromotionUsagesByOrderIdLoader = childrenLoader(PromotionUsage, 'order', { position: 'ASC' }, (u) => u.order.id);

/** Live (not released) uses per promotion, counted in SQL for all promotions of the request at once. */
export const UseCountByPromotionIdLoader = (ctx: Context) =>
  new DataLoader<string, number>(async (ids) => {
    const rows: { promotion_id: string; n: number }[] = await ctx.em.execute(
      `SELECT promotion_id, count(*)::int AS n FROM promotion_usage WHERE promotion_id IN (?) AND released_at IS NULL GROUP BY promotion_id`,
      [[...ids]],
    );
    const map = new Map(rows.map((r) => [r.promotion_id, r.n]));
    return ids.map((id) => map.get(id) ?? 0);
  });
