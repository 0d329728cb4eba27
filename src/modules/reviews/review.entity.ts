import { ArrayType, Entity, Enum, Index, ManyToOne, PrimaryKey, Property, Unique } from '@mikro-orm/postgresql';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Customer } from '../customers/customer.entity.js';
import { Order, OrderLine } from '../orders/order.entity.js';
import { Product } from '../catalog/product.entity.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { StaffUser } from '../identity/staff-user.entity.js';
import { ReviewStatus, reviewLifecycle } from './reviews.lifecycle.js';

@Entity({ tableName: 'review' })
@Unique({ name: 'review_order_line_unique', properties: ['orderLine'] })
@Index({ name: 'review_product_status_created_idx', properties: ['product', 'status', 'createdAt', 'id'] })
@Index({ name: 'review_product_status_helpful_idx', properties: ['product', 'status', 'helpfulCount', 'id'] })
@Index({ name: 'review_product_status_rating_idx', properties: ['product', 'status', 'rating', 'id'] })
@Index({ name: 'review_status_created_idx', properties: ['status', 'createdAt', 'id'] })
@Index({ name: 'review_customer_created_idx', properties: ['customer', 'createdAt', 'id'] })
@Index({ name: 'review_needs_response_idx', expression: 'create index "review_needs_response_idx" on "review" ("created_at", "id") where "needs_response"' })
@ObjectType({ description: 'A verified-purchase review of a product variant, tied to the order line it was bought on.' })
export class Review {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id (UUID).' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Product })
  product!: Product;

  @ManyToOne({ entity: () => ProductVariant })
  variant!: ProductVariant;

  @ManyToOne({ entity: () => Customer })
  customer!: Customer;

  @ManyToOne({ entity: () => OrderLine })
  orderLine!: OrderLine;

  @Property({ type: 'smallint' })
  @Field(() => Int, { description: 'Stars, 1 to 5.' })
  rating!: number;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Headline.' })
  title!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'Review text.' })
  body!: string;

  @Property({ type: ArrayType, columnType: 'text[]' })
  @Field(() => [String], { description: 'Photo or video URLs (https).' })
  mediaUrls: string[] = [];

  @Enum({ items: () => ReviewStatus, nativeEnumName: 'review_status' })
  @Field(() => ReviewStatus, { description: 'Moderation state.' })
  status: ReviewStatus = ReviewStatus.PENDING;

  /** Why the automatic rules held it, or why a moderator rejected it. */
  @Property({ type: 'text', nullable: true })
  moderationReason?: string | null;

  /** Low ratings wait for a merchant reply. */
  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'A low rating (1–2) not yet answered by the merchant.' })
  needsResponse: boolean = false;

  @Property({ type: 'integer' })
  @Field(() => Int, { description: 'Customers who found it helpful (one vote each).' })
  helpfulCount: number = 0;

  @Property({ type: 'text', nullable: true })
  @Field(() => String, { nullable: true, description: 'The merchant’s public reply.' })
  replyBody?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the merchant replied.' })
  repliedAt?: Date | null;

  @ManyToOne({ entity: () => StaffUser, nullable: true })
  repliedBy?: StaffUser | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When it was written (application clock).' })
  createdAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'Last edit or moderation.' })
  updatedAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When it was last published.' })
  publishedAt?: Date | null;

  @Field(() => Boolean, { description: 'Always true: only buyers of a delivered item can review it.' })
  get verifiedPurchase(): boolean {
    return true;
  }

  @Field(() => [ReviewStatus], { description: 'Moderator moves allowed now (before role checks).' })
  get nextStates(): ReviewStatus[] {
    return reviewLifecycle.nextStates(this.status);
  }
}

@Entity({ tableName: 'review_vote' })
@Unique({ name: 'review_vote_unique', properties: ['review', 'customer'] })
export class ReviewVote {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Review, deleteRule: 'cascade' })
  review!: Review;

  @ManyToOne({ entity: () => Customer })
  customer!: Customer;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt!: Date;
}

@Entity({ tableName: 'review_invitation' })
@Unique({ name: 'review_invitation_order_line_unique', properties: ['orderLine'] })
@Index({ name: 'review_invitation_customer_created_idx', properties: ['customer', 'createdAt', 'id'] })
@Index({ name: 'review_invitation_pending_idx', expression: 'create index "review_invitation_pending_idx" on "review_invitation" ("customer_id", "created_at", "id") where "review_id" is null' })
@ObjectType({ description: 'An item delivered to a customer that they are invited to review.' })
export class ReviewInvitation {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID, { description: 'Unique id (UUID).' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Customer })
  customer!: Customer;

  @ManyToOne({ entity: () => Order })
  order!: Order;

  @ManyToOne({ entity: () => OrderLine })
  orderLine!: OrderLine;

  @ManyToOne({ entity: () => Product })
  product!: Product;

  @ManyToOne({ entity: () => ProductVariant })
  variant!: ProductVariant;

  @ManyToOne({ entity: () => Review, nullable: true, deleteRule: 'set null' })
  review?: Review | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime, { description: 'When the item was delivered (application clock).' })
  createdAt!: Date;

  @Field(() => ID, { description: 'The order line to pass to submitReview.' })
  get orderLineId(): string {
    return this.orderLine.id;
  }
}
