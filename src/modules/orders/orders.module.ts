import type { AppModule } from '../../common/module.js';
import { Order, OrderLine, OrderNote, OrderStatusChange } from './order.entity.js';
import { OrderLineResolver, OrderResolver, OrderStatusChangedEventResolver } from './orders.resolver.js';

export const ordersModule: AppModule = {
  name: 'orders',
  entities: [Order, OrderLine, OrderStatusChange, OrderNote],
  resolvers: [OrderResolver, OrderLineResolver, OrderStatusChangedEventResolver],
};
