import type { AppModule } from '../../common/module.js';
import { AnalyticsCustomerStats, AnalyticsFirstOrder, AnalyticsOrderUnits, AnalyticsReturnsDirty, AnalyticsReturnsSlot, AnalyticsSalesDirty, AnalyticsSalesLineSlot, AnalyticsSalesSlot, AnalyticsTrafficDirty, AnalyticsStockBalance, AnalyticsTrafficSlot } from './analytics.entity.js';
import { AnalyticsResolver } from './analytics.resolver.js';
import { refreshRollups } from './rollups.js';

/** Read-only KPIs, findings and bulk pulls for BI tools; it owns only trigger-maintained fact tables and indexes on others'. */
export const analyticsModule: AppModule = {
  name: 'analytics',
  entities: [AnalyticsFirstOrder, AnalyticsOrderUnits, AnalyticsCustomerStats, AnalyticsStockBalance, AnalyticsSalesSlot, AnalyticsSalesLineSlot, AnalyticsSalesDirty, AnalyticsReturnsSlot, AnalyticsReturnsDirty, AnalyticsTrafficSlot, AnalyticsTrafficDirty],
  resolvers: [AnalyticsResolver],
  // Keeps the slot rollups behind the sales/traffic/returns KPIs close to the data (exactness never depends on it).
  jobs: [{ name: 'analytics.rollups', intervalMs: (config) => config.analyticsRollupMs, run: async (services) => void (await refreshRollups(services)) }],
};
