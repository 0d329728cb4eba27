import type { AppModule } from '../../common/module.js';
import { Listing, ListingDailyMetric, ListingImage, ListingStatusChange } from './listing.entity.js';
import { ListingPerformanceResolver, ListingResolver } from './listings.resolver.js';

export const listingsModule: AppModule = {
  name: 'listings',
  entities: [Listing, ListingImage, ListingStatusChange, ListingDailyMetric],
  resolvers: [ListingResolver, ListingPerformanceResolver],
};
