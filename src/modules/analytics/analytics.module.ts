import type { AppModule } from '../../common/module.js';
import { AnalyticsCustomerStats, AnalyticsFirstOrder, AnalyticsOrderUnits, AnalyticsStockBalance } from './analytics.entity.js';
import { AnalyticsResolver } from './analytics.resolver.js';

/** Read-only KPIs, findings and bulk pulls for BI tools; it owns only trigger-maintained fact tables and indexes on others'. */
export const analyticsModule: AppModule = {
  name: 'analytics',
  entities: [AnalyticsFirstOrder, AnalyticsOrderUnits, AnalyticsCustomerStats, AnalyticsStockBalance],
  resolvers: [AnalyticsResolver],
};
