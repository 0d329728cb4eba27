import type { AppModule } from '../common/module.js';
import { identityModule } from '../modules/identity/identity.module.js';
import { customersModule } from '../modules/customers/customers.module.js';
import { channelsModule } from '../modules/channels/channels.module.js';
import { catalogModule } from '../modules/catalog/catalog.module.js';
import { ordersModule } from '../modules/orders/orders.module.js';
import { promotionsModule } from '../modules/promotions/promotions.module.js';
import { crmModule } from '../modules/crm/crm.module.js';
import { trafficModule } from '../modules/traffic/traffic.module.js';
import { marketingModule } from '../modules/marketing/marketing.module.js';

/** Every module of the application, one line each. */
export const modules: AppModule[] = [
  identityModule,
  customersModule,
  channelsModule,
  catalogModule,
  ordersModule,
  promotionsModule,
  crmModule,
  trafficModule,
  marketingModule,
];
