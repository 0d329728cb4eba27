import DataLoader from 'dataloader';
import type { Context } from '../../common/context.js';
import { byIdLoader } from '../../common/loaders.js';
import { queryRows } from '../../common/rows.js';
import { Review } from './review.entity.js';
import { ReviewStatus } from './reviews.lifecycle.js';
import type { RatingSummary } from './reviews.types.js';

export const ReviewByIdLoader = byIdLoader(Review);

/** Published-review figures per product; `$2` is the batch of product ids (`IN (…)` inside a transaction). */
const SUMMARY_SQL = (products: string) => `SELECT product_id,
              count(*)::int AS n,
              coalesce(sum(rating), 0)::int AS total,
              count(*) FILTER (WHERE rating = 1)::int AS r1,
              count(*) FILTER (WHERE rating = 2)::int AS r2,
              count(*) FILTER (WHERE rating = 3)::int AS r3,
              count(*) FILTER (WHERE rating = 4)::int AS r4,
              count(*) FILTER (WHERE rating = 5)::int AS r5
         FROM review
        WHERE status = $1 AND product_id ${products}
        GROUP BY product_id`;
const SUMMARY_DIRECT = SUMMARY_SQL('= ANY($2)');

/**
 * `RatingSummaryByProductIdLoader`: rating figures of many products in one GROUP BY over their published
 * reviews, so the figures are exact after every edit and moderation without a stored copy to keep in step.
 * Outside a transaction (the read path) a fixed parameterised statement (common/rows.ts).
 */
export const RatingSummaryByProductIdLoader = (ctx: Context) =>
  new DataLoader<string, RatingSummary>(async (productIds) => {
    const em = ctx.reader;
    const rows: any[] = em.getTransactionContext()
      ? await em.execute(SUMMARY_SQL(`IN (${productIds.map(() => '?').join(', ')})`).replace('$1', '?'), [ReviewStatus.PUBLISHED, ...productIds])
      : await queryRows(em, SUMMARY_DIRECT, [ReviewStatus.PUBLISHED, productIds]);
    const byId = new Map(rows.map((r: any) => [r.product_id as string, r]));
    return productIds.map((productId) => {
      const r: any = byId.get(productId) ?? { n: 0, total: 0, r1: 0, r2: 0, r3: 0, r4: 0, r5: 0 };
      return {
        productId,
        count: r.n,
        ratingSum: r.total,
        average: r.n ? r.total / r.n : null,
        distribution: [1, 2, 3, 4, 5].map((rating) => ({ rating, count: r[`r${rating}`] as number })),
      };
    });
  });
