import { byIdLoader, childrenLoader } from '../../common/loaders.js';
import { StaffUser } from '../identity/staff-user.entity.js';
import { Ticket, TicketMessage, TicketProduct } from './ticket.entity.js';

export const TicketByIdLoader = byIdLoader(Ticket);
export const MessagesByTicketIdLoader = childrenLoader(TicketMessage, 'ticket', { createdAt: 'ASC', id: 'ASC' }, (m) => m.ticket.id);
export const ProductLinksByTicketIdLoader = childrenLoader(TicketProduct, 'ticket', { id: 'ASC' }, (l) => l.ticket.id);
export const StaffUserByIdLoader = byIdLoader(StaffUser);
