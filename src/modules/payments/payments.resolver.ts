import { Arg, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Order } from '../orders/order.entity.js';
import { PaymentTransaction } from './payment.entity.js';
import { PaymentsByOrderIdLoader } from './payments.loaders.js';
import * as payments from './payments.service.js';
import { CapturePaymentInput, PaymentResult, RefundPaymentInput } from './payments.types.js';

@Resolver(() => Order)
export class PaymentsResolver {
  @Allow(Role.OPERATIONS)
  @Mutation(() => PaymentResult, { description: 'Record a captured payment (e.g. from the payment provider). Capturing the whole total moves the order to PAID.' })
  capturePayment(@Ctx() ctx: Context, @Arg('input', () => CapturePaymentInput) input: CapturePaymentInput) {
    return payments.capturePayment(ctx, input);
  }

  @Allow(Role.OPERATIONS, Role.SUPPORT)
  @Mutation(() => PaymentResult, { description: 'Refund part of what was captured. Refunded never exceeds captured, even under concurrent requests.' })
  refundPayment(@Ctx() ctx: Context, @Arg('input', () => RefundPaymentInput) input: RefundPaymentInput) {
    return payments.refundOrderPayment(ctx, input);
  }

  @FieldResolver(() => [PaymentTransaction], { description: 'Captures and refunds, oldest first.' })
  payments(@Root() order: Order, @Ctx() ctx: Context) {
    return ctx.loader(PaymentsByOrderIdLoader).load(order.id);
  }
}
