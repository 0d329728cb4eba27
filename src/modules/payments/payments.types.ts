import { Field, ID, InputType, createUnionType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';
import { Order } from '../orders/order.entity.js';
import { PaymentAmountExceededError, PaymentIdempotencyKeyReusedError, PaymentNotCapturableError } from './payments.errors.js';

@InputType({ description: 'Record a captured payment for an order.' })
export class CapturePaymentInput {
  @Field(() => ID, { description: 'The order.' })
  orderId!: string;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Minor units; default: the rest of the order total. When the total is captured the order becomes PAID.' })
  amountMinor?: number | null;
  @Field(() => String, { description: 'Makes retries safe: the same key with the same input is applied once.' })
  idempotencyKey!: string;
}

@InputType({ description: 'Refund part or all of what was captured.' })
export class RefundPaymentInput {
  @Field(() => ID, { description: 'The order.' })
  orderId!: string;
  @Field(() => GraphQLSafeInt, { description: 'Minor units, at least 1; refunded never exceeds captured.' })
  amountMinor!: number;
  @Field(() => String, { description: 'Why, 1 to 1000 characters.' })
  reason!: string;
  @Field(() => String, { description: 'Makes retries safe: the same key with the same input is applied once.' })
  idempotencyKey!: string;
}

export const PaymentResult = createUnionType({
  name: 'PaymentResult',
  description: 'The order with its updated captured/refunded amounts, or why nothing was changed.',
  types: () => [Order, PaymentAmountExceededError, PaymentNotCapturableError, PaymentIdempotencyKeyReusedError] as const,
});
