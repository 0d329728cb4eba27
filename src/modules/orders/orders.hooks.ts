import type { EntityManager } from '@mikro-orm/postgresql';
import type { ClassType } from 'type-graphql';
import type { Context } from '../../common/context.js';
import type { ErrorResult } from '../../common/errors.js';
import type { Order } from './order.entity.js';
import type { OrderStatus } from './order.lifecycle.js';
import type { PlaceOrderInput } from './orders.types.js';

/**
 * Seams through which other modules take part in order placement and order transitions without the orders
 * module knowing them (promotions and points price the order; inventory reserves stock; …). Every hook runs
 * inside the mutation's transaction; a hook refuses with `rollbackWith(typedError)` (common/transaction.ts),
 * which undoes the whole mutation, and the typed error must be registered in the result union below.
 */

export interface DraftLine {
  variantId: string;
  productId: string;
  sku: string;
  quantity: number;
  unitPriceAmount: number;
  lineTotalAmount: number;
}

/** The order being placed, before it is written. Pricing steps adjust the amounts. */
export interface PlacementDraft {
  customerId: string;
  channelId: string | null;
  currency: string;
  lines: DraftLine[];
  input: PlaceOrderInput;
  subtotalAmount: number;
  /** Positive amount taken off (promotions, points). */
  discountAmount: number;
  shippingAmount: number;
  taxAmount: number;
}

export interface PricingStep {
  name: string;
  /** Steps run in ascending order: shipping 100, promotions 200, points 300, tax 400. */
  order: number;
  apply(ctx: Context, em: EntityManager, draft: PlacementDraft): Promise<void>;
}

/** Runs after the order, its lines and first history entry are persisted (not yet flushed). */
export type PlacedHook = (ctx: Context, em: EntityManager, order: Order, draft: PlacementDraft) => Promise<void>;

/** Runs after the status changed in memory, before the transaction flushes. */
export type TransitionHook = (ctx: Context, em: EntityManager, order: Order, from: OrderStatus, to: OrderStatus, reason: string | null) => Promise<void>;

const pricing: PricingStep[] = [];
const placed: PlacedHook[] = [];
const transitions: { to: OrderStatus | '*'; hook: TransitionHook }[] = [];

export const orderHooks = {
  addPricingStep(step: PricingStep): void {
    pricing.push(step);
    pricing.sort((a, b) => a.order - b.order);
  },
  onPlaced(hook: PlacedHook): void {
    placed.push(hook);
  },
  /** `to = '*'` runs on every transition. */
  onTransition(to: OrderStatus | '*', hook: TransitionHook): void {
    transitions.push({ to, hook });
  },
  pricingSteps: (): readonly PricingStep[] => pricing,
  placedHooks: (): readonly PlacedHook[] => placed,
  transitionHooks: (to: OrderStatus): TransitionHook[] => transitions.filter((t) => t.to === '*' || t.to === to).map((t) => t.hook),
};

/**
 * Extra members of the mutation result unions, contributed by the modules whose hooks can refuse.
 * Read lazily when the schema is built, so registering at module load is enough.
 */
export const placeOrderErrorTypes: ClassType<ErrorResult>[] = [];
export const transitionOrderErrorTypes: ClassType<ErrorResult>[] = [];
