import { byIdLoader, childrenLoader } from '../../common/loaders.js';
import { Competitor, CompetitorListing } from './research.entity.js';

export const CompetitorByIdLoader = byIdLoader(Competitor);
export const CompetitorListingByIdLoader = byIdLoader(CompetitorListing);
export const CompetitorListingsByCompetitorIdLoader = childrenLoader(CompetitorListing, 'competitor', { createdAt: 'ASC', id: 'ASC' }, (l) => l.competitor.id);
