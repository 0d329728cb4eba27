import type { AppModule } from '../../common/module.js';
import { Competitor, CompetitorListing, CompetitorPriceObservation, MarketStudy, OutOfStockViewSignal, SearchTermSignal } from './research.entity.js';
import { CompetitorListingResolver, CompetitorResolver, MarketStudyResolver, OutOfStockDemandResolver } from './research.resolver.js';

export const researchModule: AppModule = {
  name: 'research',
  entities: [Competitor, CompetitorListing, CompetitorPriceObservation, MarketStudy, SearchTermSignal, OutOfStockViewSignal],
  resolvers: [CompetitorResolver, CompetitorListingResolver, MarketStudyResolver, OutOfStockDemandResolver],
};
