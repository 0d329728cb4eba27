import { byIdLoader, childrenLoader } from '../../common/loaders.js';
import { StaffUser } from '../identity/staff-user.entity.js';
import { Ticket, TicketMessage, TicketProduct, TicketStatusChange } from './ticket.entity.js';

export const TicketByIdLoader = byIdLoader(Ticket);
export const MessagesByTicketIdLoader = childrenLoader(TicketMessage, 'ticket', { createdAt: 'ASC', id: 'ASC' }, (m) => m.ticket.id);
export const ProductLinksByTicketIdLoader = childrenLoader(TicketProduct, 'ticket', { id: 'ASC' }, (l) => l.ticket.id);
export const StaffUserByIdLoader = byIdLoader(StaffUser);
export const StatusChangesByTicketIdLoader = childrenLoader(TicketStatusChange, 'ticket', { at: 'ASC', id: 'ASC' }, (c) => c.ticket.id);
