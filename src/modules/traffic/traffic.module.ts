import type { AppModule } from '../../common/module.js';
import { orderHooks } from '../orders/orders.hooks.js';
import { FunnelEvent, OrderAttribution, TrafficSession } from './traffic.entity.js';
import { TrafficResolver } from './traffic.resolver.js';
import { attributeOrder } from './traffic.service.js';

orderHooks.onPlaced(attributeOrder);

export const trafficModule: AppModule = {
  name: 'traffic',
  entities: [TrafficSession, FunnelEvent, OrderAttribution],
  resolvers: [TrafficResolver],
};
