import DataLoader from 'dataloader';
import type { Context } from '../../common/context.js';
import { byIdLoader, childrenLoader } from '../../common/loaders.js';
import { listingHooks } from './listings.hooks.js';
import { Listing, ListingImage, ListingStatusChange } from './listing.entity.js';

export const ListingByIdLoader = byIdLoader(Listing);
export const ImagesByListingIdLoader = childrenLoader(ListingImage, 'listing', { listing: 'ASC', position: 'ASC' }, (i) => i.listing.id);
export const StatusChangesByListingIdLoader = childrenLoader(ListingStatusChange, 'listing', { at: 'ASC', id: 'ASC' }, (c) => c.listing.id);

/** Available units per variant from the registered stock provider, one call per request tick; null without a provider. */
export const AvailableUnitsByVariantIdLoader = (ctx: Context) =>
  new DataLoader<string, number | null>(async (variantIds) => {
    const provider = listingHooks.stockProvider();
    if (!provider) return variantIds.map(() => null);
    const stock = await provider(ctx, [...variantIds]);
    return variantIds.map((id) => stock.get(id) ?? 0);
  });
