import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';

/** What was received, handed to the stock ledger. Quantities are this receipt's, not cumulative. */
export interface ReceivedGoods {
  purchaseOrderId: string;
  receiptId: string;
  warehouseId: string;
  lines: { variantId: string; acceptedQuantity: number; rejectedQuantity: number; unitCostAmount: number; currency: string }[];
}

/**
 * Runs inside the receiving transaction after the receipt is persisted: a stock posting registered here commits
 * or rolls back with the receipt. A hook may refuse with `rollbackWith(typedError)`; the whole receipt is undone.
 */
export type ReceivedHook = (ctx: Context, em: EntityManager, receipt: ReceivedGoods) => Promise<void>;

const received: ReceivedHook[] = [];

/** Seam for the inventory module: `procurementHooks.onReceived(postToLedger)` at module load. */
export const procurementHooks = {
  onReceived(fn: ReceivedHook): void {
    received.push(fn);
  },
  receivedHooks: (): readonly ReceivedHook[] => received,
};
