import { childrenLoader } from '../../common/loaders.js';
import { PaymentTransaction } from './payment.entity.js';

export const PaymentsByOrderIdLoader = childrenLoader(PaymentTransaction, 'order', { at: 'ASC', id: 'ASC' }, (p) => p.order.id);
