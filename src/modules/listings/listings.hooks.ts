import type { Context } from '../../common/context.js';

/** Units available to sell per variant id; a variant missing from the map counts as 0 available. */
export type StockProvider = (ctx: Context, variantIds: string[]) => Promise<Map<string, number>>;

let provider: StockProvider | null = null;

/**
 * Seam for the inventory module: `listingHooks.setStockProvider(fn)` at module load. Without a provider the
 * "stock available" quality rule reports that availability is unknown and adds no points.
 */
export const listingHooks = {
  setStockProvider(fn: StockProvider | null): void {
    provider = fn;
  },
  stockProvider: (): StockProvider | null => provider,
};
