import { LockMode, UniqueConstraintViolationException } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';
import { badInput, check, checkId, conflict, notFound, type ErrorResult } from '../../common/errors.js';
import { uuidv7 } from '../../common/ids.js';
import { Money } from '../../common/money.js';
import { paginate } from '../../common/pagination.js';
import { persistNew } from '../../common/persist.js';
import { inTransaction, rollbackWith } from '../../common/transaction.js';
import { Product } from '../catalog/product.entity.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { latestCompetitorPrices } from '../research/research.service.js';
import { MarginFloorViolationError } from './pricing.errors.js';
import { PricingStrategy, PricingStrategyKind, ProductPositioning, TargetSegment, VariantPriceChange } from './pricing.entity.js';
import {
  PriceChangeImpact,
  PriceSuggestion,
  type CreateTargetSegmentInput,
  type PriceChangeImpactArgs,
  type PriceHistoryArgs,
  type SetPricingStrategyInput,
  type SetProductPositioningInput,
  type SetVariantPriceInput,
} from './pricing.types.js';

const MAX_PRICE = 1_000_000_000;
const DAY_MS = 86_400_000;
export const IMPACT_WINDOW_DAYS = 30;

function actorOf(ctx: Context): { kind: string; id: string | null } {
  const v = ctx.viewer;
  if (v.kind === 'staff') return { kind: 'staff', id: v.userId };
  if (v.kind === 'token') return { kind: 'token', id: v.tokenId };
  return { kind: 'system', id: null };
}

/** cost × (1 + bps / 10000), rounded up so a price at the floor never falls short of the minimum margin. */
export function marginFloorOf(costAmount: number, minMarginBps: number): number {
  return Math.ceil((costAmount * (10_000 + minMarginBps)) / 10_000);
}

/** reference × (1 + bps / 10000), rounded half up to a minor unit. */
function applyBps(reference: number, bps: number): number {
  return Math.round((reference * (10_000 + bps)) / 10_000);
}

export async function setPricingStrategy(ctx: Context, input: SetPricingStrategyInput): Promise<PricingStrategy> {
  checkId('productId', input.productId);
  const minMarginBps = input.minMarginBps ?? 0;
  check(Number.isInteger(minMarginBps) && minMarginBps >= 0 && minMarginBps <= 100_000, 'minMarginBps', 'must be an integer from 0 to 100000');
  let targetMarginBps: number | null = null;
  let offset: number | null = null;
  if (input.kind === PricingStrategyKind.COST_PLUS) {
    check(input.targetMarginBps != null, 'targetMarginBps', 'is required for COST_PLUS');
    check(Number.isInteger(input.targetMarginBps) && input.targetMarginBps >= 0 && input.targetMarginBps <= 100_000, 'targetMarginBps', 'must be an integer from 0 to 100000');
    targetMarginBps = input.targetMarginBps;
  } else {
    offset = input.competitorOffsetBps ?? null;
    if (input.kind === PricingStrategyKind.PREMIUM) check(offset != null && offset > 0, 'competitorOffsetBps', 'must be above 0 for PREMIUM');
    offset ??= 0;
    check(Number.isInteger(offset) && offset >= -5_000 && offset <= 5_000, 'competitorOffsetBps', 'must be an integer from -5000 to 5000');
    if (input.kind === PricingStrategyKind.PENETRATION) check(offset <= 0, 'competitorOffsetBps', 'must be 0 or below for PENETRATION');
  }
  return ctx.em.transactional(async (em) => {
    if (!(await em.count(Product, { id: input.productId }))) throw badInput('productId', 'does not match any product');
    // Upsert keyed on the product, so two concurrent writes end with one row (the last one wins).
    await em.execute(
      `INSERT INTO pricing_strategy (id, product_id, kind, target_margin_bps, competitor_offset_bps, min_margin_bps, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (product_id) DO UPDATE SET kind = excluded.kind, target_margin_bps = excluded.target_margin_bps,
         competitor_offset_bps = excluded.competitor_offset_bps, min_margin_bps = excluded.min_margin_bps, updated_at = excluded.updated_at`,
      [uuidv7(), input.productId, input.kind, targetMarginBps, offset, minMarginBps, ctx.now()],
    );
    return em.findOneOrFail(PricingStrategy, { product: input.productId }, { refresh: true });
  });
}

async function strategyOf(ctx: Context, productId: string): Promise<PricingStrategy | null> {
  return ctx.em.findOne(PricingStrategy, { product: productId });
}

/**
 * The one way a selling price changes: the variant row is locked, the margin floor checked against the cost,
 * and the change recorded in the price history in the same transaction. Setting the current price again is a no-op,
 * so a retried request does not add a second history entry.
 */
export async function setVariantPrice(ctx: Context, input: SetVariantPriceInput): Promise<ProductVariant | ErrorResult> {
  checkId('variantId', input.variantId);
  check(Number.isInteger(input.priceAmount) && input.priceAmount >= 0 && input.priceAmount <= MAX_PRICE, 'priceAmount', `must be an integer from 0 to ${MAX_PRICE}`);
  const reason = input.reason.trim();
  check(reason.length > 0 && reason.length <= 1000, 'reason', 'must be 1 to 1000 characters');
  const overrideReason = input.marginFloorOverrideReason?.trim() ?? null;
  if (input.marginFloorOverrideReason != null) check(overrideReason && overrideReason.length <= 1000, 'marginFloorOverrideReason', 'must be 1 to 1000 characters');
  return inTransaction(ctx.em, async (em) => {
    const variant = await em.findOne(ProductVariant, { id: input.variantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!variant) throw notFound('ProductVariant', input.variantId);
    if (variant.priceAmount === input.priceAmount) return variant;
    let overridden = false;
    if (variant.costAmount != null) {
      const strategy = await em.findOne(PricingStrategy, { product: variant.product.id });
      const minMarginBps = strategy?.minMarginBps ?? 0;
      const floor = marginFloorOf(variant.costAmount, minMarginBps);
      if (input.priceAmount < floor) {
        if (!overrideReason) rollbackWith(MarginFloorViolationError.create(floor, variant.costAmount, variant.currency, minMarginBps));
        overridden = true;
      }
    }
    const actor = actorOf(ctx);
    persistNew(em, VariantPriceChange, {
      variant,
      oldPriceAmount: variant.priceAmount,
      newPriceAmount: input.priceAmount,
      currency: variant.currency,
      reason,
      marginFloorOverridden: overridden,
      marginFloorOverrideReason: overridden ? overrideReason : null,
      actorKind: actor.kind,
      actorId: actor.id,
      changedAt: ctx.now(),
    });
    variant.priceAmount = input.priceAmount;
    return variant;
  });
}

export function priceHistory(ctx: Context, args: PriceHistoryArgs) {
  checkId('variantId', args.variantId);
  return paginate(ctx.em, VariantPriceChange, { variant: args.variantId }, { name: 'CHANGED_AT', property: 'changedAt', direction: 'DESC', kind: 'date' }, args);
}

export async function suggestPrice(ctx: Context, variantId: string): Promise<PriceSuggestion> {
  checkId('variantId', variantId);
  const variant = await ctx.em.findOne(ProductVariant, { id: variantId });
  if (!variant) throw notFound('ProductVariant', variantId);
  const cur = variant.currency;
  const strategy = await strategyOf(ctx, variant.product.id);
  const competitors = await latestCompetitorPrices(ctx, variant.id, cur, ctx.now());
  const minMarginBps = strategy?.minMarginBps ?? 0;
  const cost = variant.costAmount ?? null;
  const floor = cost == null ? null : marginFloorOf(cost, minMarginBps);
  const missing: string[] = [];
  let raw: number | null = null;
  let formula = 'none';
  const offset = strategy?.competitorOffsetBps ?? 0;
  switch (strategy?.kind) {
    case undefined:
      missing.push('strategy');
      break;
    case PricingStrategyKind.COST_PLUS:
      formula = `round(cost × (1 + ${strategy.targetMarginBps}/10000))`;
      if (cost == null) missing.push('cost');
      else raw = applyBps(cost, strategy.targetMarginBps ?? 0);
      break;
    case PricingStrategyKind.COMPETITIVE:
    case PricingStrategyKind.PREMIUM:
      formula = `round(competitorMedian × (1 + ${offset}/10000))`;
      if (competitors.median == null) missing.push('competitor prices');
      else raw = applyBps(competitors.median, offset);
      break;
    case PricingStrategyKind.PENETRATION:
      formula = `round(competitorMin × (1 + ${offset}/10000))`;
      if (competitors.min == null) missing.push('competitor prices');
      else raw = applyBps(competitors.min, offset);
      break;
  }
  const raised = raw != null && floor != null && raw < floor;
  const suggested = raw == null ? null : raised ? floor! : raw;
  const money = (n: number | null) => (n == null ? null : Money.of(n, cur));
  return Object.assign(new PriceSuggestion(), {
    variantId: variant.id,
    strategy: strategy?.kind ?? null,
    suggestedPrice: money(suggested),
    strategyPrice: money(raw),
    raisedToMarginFloor: raised,
    currentPrice: Money.of(variant.priceAmount, cur),
    cost: money(cost),
    marginFloor: money(floor),
    competitorCount: competitors.count,
    competitorMin: money(competitors.min),
    competitorMedian: money(competitors.median),
    competitorMax: money(competitors.max),
    targetMarginBps: strategy?.targetMarginBps ?? null,
    competitorOffsetBps: strategy && strategy.kind !== PricingStrategyKind.COST_PLUS ? offset : null,
    minMarginBps,
    formula: raised ? `max(${formula}, marginFloor)` : formula,
    missingInputs: missing,
  });
}

export async function priceChangeImpact(ctx: Context, args: PriceChangeImpactArgs): Promise<PriceChangeImpact> {
  checkId('variantId', args.variantId);
  check(Number.isInteger(args.newPriceAmount) && args.newPriceAmount >= 0 && args.newPriceAmount <= MAX_PRICE, 'newPriceAmount', `must be an integer from 0 to ${MAX_PRICE}`);
  const variant = await ctx.em.findOne(ProductVariant, { id: args.variantId });
  if (!variant) throw notFound('ProductVariant', args.variantId);
  const to = ctx.now();
  const from = new Date(to.getTime() - IMPACT_WINDOW_DAYS * DAY_MS);
  const [sales] = await ctx.em.execute(
    `SELECT coalesce(sum(ol.quantity), 0)::bigint AS units, coalesce(sum(ol.line_total_amount), 0)::bigint AS revenue
       FROM order_line ol JOIN sales_order o ON o.id = ol.order_id
      WHERE ol.variant_id = ? AND ol.currency = ? AND o.status <> 'CANCELLED' AND o.placed_at >= ? AND o.placed_at < ?`,
    [variant.id, variant.currency, from, to],
  );
  const units = Number(sales.units);
  const revenue = Number(sales.revenue);
  const cur = variant.currency;
  const cost = variant.costAmount ?? null;
  const strategy = await strategyOf(ctx, variant.product.id);
  const floor = cost == null ? null : marginFloorOf(cost, strategy?.minMarginBps ?? 0);
  return Object.assign(new PriceChangeImpact(), {
    variantId: variant.id,
    windowFrom: from,
    windowTo: to,
    unitsSold: units,
    currentPrice: Money.of(variant.priceAmount, cur),
    newPrice: Money.of(args.newPriceAmount, cur),
    revenue: Money.of(revenue, cur),
    projectedRevenue: Money.of(units * args.newPriceAmount, cur),
    margin: cost == null ? null : Money.of(revenue - units * cost, cur),
    projectedMargin: cost == null ? null : Money.of(units * (args.newPriceAmount - cost), cur),
    projectedMarginRate: cost == null || args.newPriceAmount === 0 ? null : (args.newPriceAmount - cost) / args.newPriceAmount,
    marginFloor: floor == null ? null : Money.of(floor, cur),
    belowMarginFloor: floor != null && args.newPriceAmount < floor,
  });
}

export async function createTargetSegment(ctx: Context, input: CreateTargetSegmentInput): Promise<TargetSegment> {
  const name = input.name.trim();
  check(name.length > 0 && name.length <= 200, 'name', 'must be 1 to 200 characters');
  check(input.description.length <= 5000, 'description', 'must be at most 5000 characters');
  try {
    return await ctx.em.transactional(async (em) => persistNew(em, TargetSegment, { name, description: input.description }));
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) throw conflict(`A target segment named "${name}" already exists`, { field: 'name' });
    throw err;
  }
}

export function listTargetSegments(ctx: Context): Promise<TargetSegment[]> {
  return ctx.em.find(TargetSegment, {}, { orderBy: { name: 'ASC' }, limit: 1000 });
}

export async function setProductPositioning(ctx: Context, input: SetProductPositioningInput): Promise<ProductPositioning> {
  checkId('productId', input.productId);
  const statement = input.statement.trim();
  check(statement.length > 0 && statement.length <= 2000, 'statement', 'must be 1 to 2000 characters');
  check(input.segmentIds.length <= 20, 'segmentIds', 'must contain at most 20 segments');
  input.segmentIds.forEach((id, i) => checkId(`segmentIds[${i}]`, id));
  const ids = [...new Set(input.segmentIds)];
  return ctx.em.transactional(async (em) => {
    if (!(await em.count(Product, { id: input.productId }))) throw badInput('productId', 'does not match any product');
    const known = new Set((await em.find(TargetSegment, { id: { $in: ids } }, { fields: ['id'] })).map((s) => s.id));
    input.segmentIds.forEach((id, i) => check(known.has(id), `segmentIds[${i}]`, 'does not match any target segment'));
    await em.execute(
      `INSERT INTO product_positioning (id, product_id, segment_ids, statement, price_tier, updated_at) VALUES (?, ?, ?::uuid[], ?, ?, ?)
       ON CONFLICT (product_id) DO UPDATE SET segment_ids = excluded.segment_ids, statement = excluded.statement, price_tier = excluded.price_tier, updated_at = excluded.updated_at`,
      [uuidv7(), input.productId, `{${ids.join(',')}}`, statement, input.priceTier, ctx.now()],
    );
    return em.findOneOrFail(ProductPositioning, { product: input.productId }, { refresh: true });
  });
}
