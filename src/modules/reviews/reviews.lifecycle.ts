import { registerEnumType } from 'type-graphql';
import { Role } from '../../common/auth/roles.js';
import { Lifecycle } from '../../common/lifecycle.js';

export enum ReviewStatus {
  PENDING = 'PENDING',
  PUBLISHED = 'PUBLISHED',
  REJECTED = 'REJECTED',
}
registerEnumType(ReviewStatus, {
  name: 'ReviewStatus',
  description: 'Moderation state. Only PUBLISHED reviews are public and count in rating figures.',
  valuesConfig: {
    PENDING: { description: 'Held for a moderator (the automatic rules found something, or it was edited into something they flag).' },
    PUBLISHED: { description: 'Public; counts in the product’s rating summary.' },
    REJECTED: { description: 'Refused by a moderator; final.' },
  },
});

const MODERATORS = [Role.SUPPORT] as const;

/**
 * Moderator moves. Submission and edits run the automatic rules instead, which put a review in PUBLISHED
 * (verified purchase, nothing flagged) or PENDING (held).
 */
export const reviewLifecycle = new Lifecycle<ReviewStatus>('Review', {
  PENDING: {
    PUBLISHED: { by: MODERATORS },
    REJECTED: { by: MODERATORS, requiresReason: true },
  },
  PUBLISHED: {
    REJECTED: { by: MODERATORS, requiresReason: true },
  },
  REJECTED: {},
});
