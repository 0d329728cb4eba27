import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';
import type { Shipment } from './tracking.entity.js';

/** Why a shipment needs attention: the carrier reported an exception, or it has not been scanned for too long. */
export type ShipmentFlagReason = 'EXCEPTION' | 'NO_SCAN';

export type ShipmentExceptionHook = (ctx: Context, em: EntityManager, shipment: Shipment, reason: ShipmentFlagReason, detail: string) => Promise<void>;

export type ShipmentDeliveredHook = (ctx: Context, em: EntityManager, shipment: Shipment) => Promise<void>;

const exceptionHooks: ShipmentExceptionHook[] = [];
const deliveredHooks: ShipmentDeliveredHook[] = [];

/**
 * Seam for other modules (support opens a logistics ticket). Hooks run inside the transaction that flags the
 * shipment, once per flagging; a hook that throws rolls the flagging back.
 */
export const trackingHooks = {
  onException(fn: ShipmentExceptionHook): void {
    exceptionHooks.push(fn);
  },
  exceptionHooks: (): readonly ShipmentExceptionHook[] => exceptionHooks,
  /** Runs once per shipment reaching DELIVERED, in the ingest transaction, after its order may have become DELIVERED. */
  onDelivered(fn: ShipmentDeliveredHook): void {
    deliveredHooks.push(fn);
  },
  deliveredHooks: (): readonly ShipmentDeliveredHook[] => deliveredHooks,
};
