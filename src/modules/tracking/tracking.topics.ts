export const SHIPMENT_TRACKING_UPDATED = 'tracking.shipment_updated';

/** JSON payload of SHIPMENT_TRACKING_UPDATED: one per new scan (and one when the shipment is created). */
export interface ShipmentTrackingUpdatedPayload extends Record<string, unknown> {
  shipmentId: string;
  orderId: string;
  customerId: string;
  trackingNumber: string;
  /** Normalised status of the scan. */
  eventStatus: string;
  /** Shipment status after the scan (a late scan leaves it unchanged). */
  shipmentStatus: string;
  location: string | null;
  occurredAt: string;
}
