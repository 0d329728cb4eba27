import type { ReturnStatus } from './returns.lifecycle.js';

export const RETURN_STATUS_CHANGED = 'return.status_changed';

/** JSON payload of RETURN_STATUS_CHANGED, written to the outbox with the change. */
export interface ReturnStatusChangedPayload extends Record<string, unknown> {
  returnId: string;
  orderId: string;
  customerId: string;
  /** Null when the return was just requested. */
  previousStatus: ReturnStatus | null;
  status: ReturnStatus;
  reason: string | null;
  actorKind: string;
  changedAt: string;
}
