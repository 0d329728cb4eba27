import type { AppModule } from '../../common/module.js';
import { orderHooks, transitionOrderErrorTypes } from '../orders/orders.hooks.js';
import { OrderStatus } from '../orders/order.lifecycle.js';
import { PaymentTransaction } from './payment.entity.js';
import { PaymentAmountExceededError, PaymentIdempotencyKeyReusedError } from './payments.errors.js';
import { PaymentsResolver } from './payments.resolver.js';
import { refundOnCancel } from './payments.service.js';

orderHooks.onTransition(OrderStatus.CANCELLED, (ctx, em, order, _from, _to, reason) => refundOnCancel(ctx, em, order, reason));
transitionOrderErrorTypes.push(PaymentAmountExceededError, PaymentIdempotencyKeyReusedError);

export const paymentsModule: AppModule = {
  name: 'payments',
  entities: [PaymentTransaction],
  resolvers: [PaymentsResolver],
};
