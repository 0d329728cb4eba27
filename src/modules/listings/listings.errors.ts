import { Field, ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';
import { ListingStatus, listingLifecycle } from './listings.lifecycle.js';

@ObjectType({ implements: ErrorResult, description: 'The listing cannot move to that status from its current one. Nothing was changed.' })
export class IllegalListingTransitionError extends ErrorResult {
  @Field(() => ListingStatus, { description: 'Current status.' })
  from!: ListingStatus;

  @Field(() => ListingStatus, { description: 'Requested status.' })
  to!: ListingStatus;

  @Field(() => [ListingStatus], { description: 'Where the listing may go from its current status.' })
  allowed!: ListingStatus[];

  static create(from: ListingStatus, to: ListingStatus): IllegalListingTransitionError {
    const allowed = listingLifecycle.nextStates(from);
    return Object.assign(new IllegalListingTransitionError(), {
      errorCode: 'ILLEGAL_TRANSITION',
      message: `A listing in ${from} cannot move to ${to}; allowed: ${allowed.join(', ') || 'none'}`,
      field: 'to',
      from,
      to,
      allowed,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'Only listings of ACTIVE products can be published. Nothing was changed.' })
export class ListingNotPublishableError extends ErrorResult {
  static create(productStatus: string): ListingNotPublishableError {
    return Object.assign(new ListingNotPublishableError(), {
      errorCode: 'PRODUCT_NOT_ACTIVE',
      message: `The product is ${productStatus}; activate it before publishing its listing`,
      field: 'listingId',
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'The product already has a listing on this channel. Nothing was written.' })
export class DuplicateListingError extends ErrorResult {
  static create(): DuplicateListingError {
    return Object.assign(new DuplicateListingError(), {
      errorCode: 'DUPLICATE_LISTING',
      message: 'This product already has a listing on this channel; update that one instead',
      field: 'channelId',
    });
  }
}
