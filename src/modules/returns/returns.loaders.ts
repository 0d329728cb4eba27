import { byIdLoader, childrenLoader } from '../../common/loaders.js';
import { OrderLine } from '../orders/order.entity.js';
import { ReturnLine, ReturnRefund, ReturnRequest, ReturnStatusChange } from './returns.entity.js';

export const ReturnByIdLoader = byIdLoader(ReturnRequest);
export const ReturnLinesByReturnIdLoader = childrenLoader(ReturnLine, 'returnRequest', { returnRequest: 'ASC', position: 'ASC' }, (l) => l.returnRequest.id);
export const StatusChangesByReturnIdLoader = childrenLoader(ReturnStatusChange, 'returnRequest', { at: 'ASC', id: 'ASC' }, (c) => c.returnRequest.id);
export const RefundsByReturnIdLoader = childrenLoader(ReturnRefund, 'returnRequest', { createdAt: 'ASC', id: 'ASC' }, (r) => r.returnRequest.id);
export const ReturnsByOrderIdLoader = childrenLoader(ReturnRequest, 'order', { requestedAt: 'ASC', id: 'ASC' }, (r) => r.order.id);
export const OrderLineByIdLoader = byIdLoader(OrderLine);
