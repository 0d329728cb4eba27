import { byIdLoader, childrenLoader, rowChildrenLoader } from '../../common/loaders.js';
import { Shipment, ShipmentItem, TrackingEvent } from './tracking.entity.js';

export const ShipmentByIdLoader = byIdLoader(Shipment);
export const ShipmentsByOrderIdLoader = childrenLoader(Shipment, 'order', { createdAt: 'ASC', id: 'ASC' }, (s) => s.order.id);
/** Read-only rows for the `Order.shipments` field (see common/rows.ts). */
export const ShipmentRowsByOrderIdLoader = rowChildrenLoader(Shipment, 'order', { order: 'ASC', createdAt: 'ASC', id: 'ASC' }, (s) => s.order.id);
export const ItemsByShipmentIdLoader = childrenLoader(ShipmentItem, 'shipment', { id: 'ASC' }, (i) => i.shipment.id);
export const TrackingEventsByShipmentIdLoader = childrenLoader(TrackingEvent, 'shipment', { occurredAt: 'ASC', id: 'ASC' }, (e) => e.shipment.id);
