import type { AppModule } from '../common/module.js';
import { identityModule } from '../modules/identity/identity.module.js';
import { customersModule } from '../modules/customers/customers.module.js';
import { channelsModule } from '../modules/channels/channels.module.js';
import { catalogModule } from '../modules/catalog/catalog.module.js';
import { ordersModule } from '../modules/orders/orders.module.js';
import { inventoryModule } from '../modules/inventory/inventory.module.js';
import { shippingModule } from '../modules/shipping/shipping.module.js';
import { paymentsModule } from '../modules/payments/payments.module.js';
import { returnsModule } from '../modules/returns/returns.module.js';

/** Every module of the application, one line each. */
export const modules: AppModule[] = [
  identityModule,
  customersModule,
  channelsModule,
  catalogModule,
  ordersModule,
  inventoryModule,
  shippingModule,
  paymentsModule,
  returnsModule,
];
