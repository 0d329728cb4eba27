import type { AppModule } from '../common/module.js';
import './wiring.js';
import { identityModule } from '../modules/identity/identity.module.js';
import { customersModule } from '../modules/customers/customers.module.js';
import { channelsModule } from '../modules/channels/channels.module.js';
import { catalogModule } from '../modules/catalog/catalog.module.js';
import { ordersModule } from '../modules/orders/orders.module.js';
import { procurementModule } from '../modules/procurement/procurement.module.js';
import { researchModule } from '../modules/research/research.module.js';
import { pricingModule } from '../modules/pricing/pricing.module.js';
import { listingsModule } from '../modules/listings/listings.module.js';
import { supportModule } from '../modules/support/support.module.js';
import { reviewsModule } from '../modules/reviews/reviews.module.js';
import { promotionsModule } from '../modules/promotions/promotions.module.js';
import { crmModule } from '../modules/crm/crm.module.js';
import { trafficModule } from '../modules/traffic/traffic.module.js';
import { marketingModule } from '../modules/marketing/marketing.module.js';
import { inventoryModule } from '../modules/inventory/inventory.module.js';
import { shippingModule } from '../modules/shipping/shipping.module.js';
import { paymentsModule } from '../modules/payments/payments.module.js';
import { trackingModule } from '../modules/tracking/tracking.module.js';
import { returnsModule } from '../modules/returns/returns.module.js';
import { analyticsModule } from '../modules/analytics/analytics.module.js';

/** Every module of the application, one line each. */
export const modules: AppModule[] = [
  identityModule,
  customersModule,
  channelsModule,
  catalogModule,
  ordersModule,
  procurementModule,
  researchModule,
  pricingModule,
  listingsModule,
  supportModule,
  reviewsModule,
  promotionsModule,
  crmModule,
  trafficModule,
  marketingModule,
  inventoryModule,
  shippingModule,
  paymentsModule,
  trackingModule,
  returnsModule,
  analyticsModule,
];
