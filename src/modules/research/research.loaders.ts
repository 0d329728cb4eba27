import DataLoader from 'dataloader';
import type { Context } from '../../common/context.js';
import { byIdLoader, childrenLoader } from '../../common/loaders.js';
import { Competitor, CompetitorListing, CompetitorPriceObservation } from './research.entity.js';

export const CompetitorByIdLoader = byIdLoader(Competitor);
export const CompetitorListingByIdLoader = byIdLoader(CompetitorListing);
export const CompetitorListingsByCompetitorIdLoader = childrenLoader(CompetitorListing, 'competitor', { createdAt: 'ASC', id: 'ASC' }, (l) => l.competitor.id);

/** The newest observation of each listing, one DISTINCT ON query per request tick. */
export const LatestObservationByListingIdLoader = (ctx: Context) =>
  new DataLoader<string, CompetitorPriceObservation | null>(async (listingIds) => {
    const rows = await ctx.em.execute(
      `SELECT DISTINCT ON (listing_id) id FROM competitor_price_observation WHERE listing_id IN (${listingIds.map(() => '?').join(', ')}) ORDER BY listing_id, observed_at DESC`,
      [...listingIds],
    );
    const found = await ctx.em.find(CompetitorPriceObservation, { id: { $in: rows.map((r: any) => r.id as string) } });
    const byListing = new Map(found.map((o) => [o.listing.id, o]));
    return listingIds.map((id) => byListing.get(id) ?? null);
  });
