import type { Context } from '../../common/context.js';
import { check, checkId, notFound } from '../../common/errors.js';
import { Product } from '../catalog/product.entity.js';
import { Customer } from '../customers/customer.entity.js';
import { crmHooks } from './crm.hooks.js';
import { ownOrRequested } from './insights.service.js';
import { RecommendationReason, RecommendedProduct } from './crm.types.js';

export const MAX_RECOMMENDATIONS = 50;

interface Candidate {
  product_id: string;
  reason: RecommendationReason;
  score: number;
}

/** Keeps candidates with at least one active variant in stock, when a stock provider is connected. */
async function inStock(ctx: Context, candidates: Candidate[]): Promise<Candidate[]> {
  const provider = crmHooks.stockProvider();
  if (!provider || candidates.length === 0) return candidates;
  const variants: { id: string; product_id: string }[] = await ctx.em.execute(
    `SELECT id, product_id FROM product_variant WHERE active AND product_id IN (?)`,
    [candidates.map((c) => c.product_id)],
  );
  const stock = await provider(ctx, variants.map((v) => v.id));
  const stocked = new Set(variants.filter((v) => (stock.get(v.id) ?? 0) > 0).map((v) => v.product_id));
  return candidates.filter((c) => stocked.has(c.product_id));
}

async function materialise(ctx: Context, candidates: Candidate[], first: number): Promise<RecommendedProduct[]> {
  const kept = (await inStock(ctx, candidates)).slice(0, first);
  const products = kept.length ? await ctx.em.find(Product, { id: { $in: kept.map((c) => c.product_id) } }) : [];
  const byId = new Map(products.map((p) => [p.id, p]));
  return kept.map((c) => Object.assign(new RecommendedProduct(), { product: byId.get(c.product_id)!, reason: c.reason, score: c.score }));
}

function checkFirst(first: number): void {
  check(Number.isInteger(first) && first >= 1 && first <= MAX_RECOMMENDATIONS, 'first', `must be from 1 to ${MAX_RECOMMENDATIONS}`);
}

/**
 * For a customer: products bought together (same non-cancelled order) with what they bought, most
 * shared orders first; then best sellers (units) among customers of their membership tier (or of no tier).
 * Never what they already bought; only ACTIVE products; in stock when a stock provider is connected.
 */
export async function recommendForCustomer(ctx: Context, customerId: string | null | undefined, first: number): Promise<RecommendedProduct[]> {
  const id = ownOrRequested(ctx, customerId);
  checkFirst(first);
  if (!(await ctx.em.count(Customer, { id }))) throw notFound('Customer', id);
  const candidates: Candidate[] = await ctx.em.execute(
    `WITH bought AS (
       SELECT DISTINCT v.product_id FROM sales_order o JOIN order_line l ON l.order_id = o.id JOIN product_variant v ON v.id = l.variant_id
        WHERE o.customer_id = ? AND o.status <> 'CANCELLED'),
     together AS (
       SELECT v2.product_id, count(DISTINCT l1.order_id)::int AS score
         FROM order_line l1
         JOIN product_variant v1 ON v1.id = l1.variant_id
         JOIN sales_order o ON o.id = l1.order_id AND o.status <> 'CANCELLED'
         JOIN order_line l2 ON l2.order_id = l1.order_id
         JOIN product_variant v2 ON v2.id = l2.variant_id
        WHERE v1.product_id IN (SELECT product_id FROM bought) AND v2.product_id NOT IN (SELECT product_id FROM bought)
        GROUP BY v2.product_id),
     peers AS (
       SELECT c.id FROM customer c LEFT JOIN customer_membership cm ON cm.customer_id = c.id
        WHERE cm.tier_id IS NOT DISTINCT FROM (SELECT tier_id FROM customer_membership WHERE customer_id = ?)),
     best AS (
       SELECT v.product_id, sum(l.quantity)::int AS score
         FROM sales_order o JOIN order_line l ON l.order_id = o.id JOIN product_variant v ON v.id = l.variant_id
        WHERE o.status <> 'CANCELLED' AND o.customer_id IN (SELECT id FROM peers)
          AND v.product_id NOT IN (SELECT product_id FROM bought) AND v.product_id NOT IN (SELECT product_id FROM together)
        GROUP BY v.product_id),
     ranked AS (
       SELECT product_id, 'BOUGHT_TOGETHER' AS reason, score, 0 AS rank_group FROM together
       UNION ALL
       SELECT product_id, 'BEST_SELLER', score, 1 FROM best)
     SELECT r.product_id, r.reason, r.score FROM ranked r JOIN product p ON p.id = r.product_id AND p.status = 'ACTIVE'
      ORDER BY r.rank_group, r.score DESC, r.product_id
      LIMIT ?`,
    [id, id, first * 4 + 20],
  );
  return materialise(ctx, candidates, first);
}

/** For a product: products bought in the same (non-cancelled) orders, most shared orders first. */
export async function recommendForProduct(ctx: Context, productId: string, first: number): Promise<RecommendedProduct[]> {
  checkId('productId', productId);
  checkFirst(first);
  const [p] = await ctx.em.execute(`SELECT 1 FROM product WHERE id = ? AND status = 'ACTIVE'`, [productId]);
  if (!p) throw notFound('Product', productId);
  const candidates: Candidate[] = await ctx.em.execute(
    `SELECT v2.product_id, 'BOUGHT_TOGETHER' AS reason, count(DISTINCT l1.order_id)::int AS score
       FROM order_line l1
       JOIN product_variant v1 ON v1.id = l1.variant_id AND v1.product_id = ?
       JOIN sales_order o ON o.id = l1.order_id AND o.status <> 'CANCELLED'
       JOIN order_line l2 ON l2.order_id = l1.order_id
       JOIN product_variant v2 ON v2.id = l2.variant_id AND v2.product_id <> ?
       JOIN product p ON p.id = v2.product_id AND p.status = 'ACTIVE'
      GROUP BY v2.product_id
      ORDER BY score DESC, v2.product_id
      LIMIT ?`,
    [productId, productId, first * 4 + 20],
  );
  return materialise(ctx, candidates, first);
}

