import type { AppModule } from '../../common/module.js';
import { AnalyticsResolver } from './analytics.resolver.js';

/** Read-only KPIs, findings and bulk pulls for BI tools; it owns no tables, only indexes on others'. */
export const analyticsModule: AppModule = {
  name: 'analytics',
  entities: [],
  resolvers: [AnalyticsResolver],
};
