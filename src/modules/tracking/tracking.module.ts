import type { AppModule } from '../../common/module.js';
import { Shipment, ShipmentItem, TrackingEvent } from './tracking.entity.js';
import { OrderShipmentsResolver, ShipmentItemResolver, ShipmentResolver, ShipmentTrackingUpdatedEventResolver } from './tracking.resolver.js';
import { runStaleShipmentsJob } from './tracking.service.js';

export const trackingModule: AppModule = {
  name: 'tracking',
  entities: [Shipment, ShipmentItem, TrackingEvent],
  resolvers: [ShipmentResolver, ShipmentItemResolver, ShipmentTrackingUpdatedEventResolver, OrderShipmentsResolver],
  jobs: [{ name: 'tracking.stale-shipments', intervalMs: 15 * 60_000, run: runStaleShipmentsJob }],
};
