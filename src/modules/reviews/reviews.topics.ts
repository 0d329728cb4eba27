export const REVIEW_ADDED = 'reviews.review_added';

/** JSON payload of REVIEW_ADDED, written to the outbox with the new review. */
export interface ReviewAddedPayload extends Record<string, unknown> {
  reviewId: string;
  productId: string;
  variantId: string;
  customerId: string;
  rating: number;
  /** Status after the automatic rules: PUBLISHED or PENDING. */
  status: string;
  needsResponse: boolean;
  createdAt: string;
}
