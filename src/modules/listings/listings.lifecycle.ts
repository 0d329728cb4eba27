import { registerEnumType } from 'type-graphql';
import { Role } from '../../common/auth/roles.js';
import { Lifecycle } from '../../common/lifecycle.js';

export enum ListingStatus {
  DRAFT = 'DRAFT',
  PUBLISHED = 'PUBLISHED',
  DELISTED = 'DELISTED',
}
registerEnumType(ListingStatus, {
  name: 'ListingStatus',
  description: 'Where a listing is in its lifecycle. Customers see PUBLISHED listings only. `Listing.nextStates` lists the allowed moves.',
  valuesConfig: {
    DRAFT: { description: 'Being written; not visible to customers.' },
    PUBLISHED: { description: 'Live on its sales channel.' },
    DELISTED: { description: 'Taken down; may be published again or reworked as a draft.' },
  },
});

const MERCH = [Role.MERCHANDISING] as const;

/** Delisting needs a reason so the history says why a live listing disappeared. */
export const listingLifecycle = new Lifecycle<ListingStatus>('Listing', {
  DRAFT: { PUBLISHED: { by: MERCH } },
  PUBLISHED: { DELISTED: { by: MERCH, requiresReason: true } },
  DELISTED: { PUBLISHED: { by: MERCH }, DRAFT: { by: MERCH } },
});
