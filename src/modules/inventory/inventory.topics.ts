export const INVENTORY_ALERT_RAISED = 'inventory.alert_raised';

/** JSON payload of INVENTORY_ALERT_RAISED, written to the outbox with the stock change that caused it. */
export interface InventoryAlertRaisedPayload extends Record<string, unknown> {
  alertId: string;
  variantId: string;
  warehouseId: string;
  available: number;
  reorderPoint: number;
  raisedAt: string;
}
