import { byIdLoader, childrenLoader, rowChildrenLoader } from '../../common/loaders.js';
import { Order, OrderLine, OrderNote, OrderStatusChange } from './order.entity.js';

export const OrderByIdLoader = byIdLoader(Order);
export const LinesByOrderIdLoader = childrenLoader(OrderLine, 'order', { order: 'ASC', position: 'ASC' }, (l) => l.order.id);
export const StatusChangesByOrderIdLoader = childrenLoader(OrderStatusChange, 'order', { at: 'ASC', id: 'ASC' }, (c) => c.order.id);
/** Read-only rows for the `Order.lines` field (see common/rows.ts). */
export const LineRowsByOrderIdLoader = rowChildrenLoader(OrderLine, 'order', { order: 'ASC', position: 'ASC' }, (l) => l.order.id);
export const NotesByOrderIdLoader = childrenLoader(OrderNote, 'order', { at: 'ASC', id: 'ASC' }, (n) => n.order.id);
