import type { Context } from '../../common/context.js';

/** Units available to sell per variant id; variants missing from the map count as out of stock. */
export type StockProvider = (ctx: Context, variantIds: string[]) => Promise<Map<string, number>>;

let stockProvider: StockProvider | null = null;

/**
 * Seams the CRM module offers to modules built elsewhere. The inventory module connects its stock here
 * at merge; until then recommendations are not filtered by stock.
 */
export const crmHooks = {
  setStockProvider(fn: StockProvider | null): void {
    stockProvider = fn;
  },
  stockProvider: (): StockProvider | null => stockProvider,
};
