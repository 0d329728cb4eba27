import { registerEnumType } from 'type-graphql';
import { Role } from '../../common/auth/roles.js';
import { Lifecycle } from '../../common/lifecycle.js';

export enum TicketStatus {
  NEW = 'NEW',
  OPEN = 'OPEN',
  PENDING_CUSTOMER = 'PENDING_CUSTOMER',
  RESOLVED = 'RESOLVED',
  CLOSED = 'CLOSED',
}
registerEnumType(TicketStatus, {
  name: 'TicketStatus',
  description: 'Where a ticket is in its lifecycle. `Ticket.nextStates` lists the moves allowed from the current one.',
  valuesConfig: {
    NEW: { description: 'Opened; no agent has picked it up yet.' },
    OPEN: { description: 'Being worked on by support.' },
    PENDING_CUSTOMER: { description: 'Waiting for the customer; a customer reply moves it back to OPEN.' },
    RESOLVED: { description: 'Support considers it solved; the customer may rate it, reopen it or close it.' },
    CLOSED: { description: 'Final; no further messages or changes.' },
  },
});

export enum TicketChannel {
  EMAIL = 'EMAIL',
  CHAT = 'CHAT',
  PHONE = 'PHONE',
  SOCIAL = 'SOCIAL',
  IN_APP = 'IN_APP',
}
registerEnumType(TicketChannel, { name: 'TicketChannel', description: 'Where the customer contacted us.' });

export enum TicketCategory {
  INQUIRY = 'INQUIRY',
  COMPLAINT = 'COMPLAINT',
  LOGISTICS = 'LOGISTICS',
  RETURN = 'RETURN',
  PRODUCT_QUALITY = 'PRODUCT_QUALITY',
  OTHER = 'OTHER',
}
registerEnumType(TicketCategory, {
  name: 'TicketCategory',
  description: 'What the ticket is about. COMPLAINT and PRODUCT_QUALITY tickets tagged to products count in product-quality figures.',
});

export enum TicketPriority {
  LOW = 'LOW',
  NORMAL = 'NORMAL',
  HIGH = 'HIGH',
  URGENT = 'URGENT',
}
registerEnumType(TicketPriority, {
  name: 'TicketPriority',
  description: 'Urgency; selects the SLA policy that sets the due times (see slaPolicies).',
  valuesConfig: {
    LOW: { description: 'Default targets: first response 24 h, resolution 3 days.' },
    NORMAL: { description: 'Default targets: first response 4 h, resolution 24 h. Tickets customers open start here.' },
    HIGH: { description: 'Default targets: first response 1 h, resolution 8 h. Shipment exceptions start here.' },
    URGENT: { description: 'Default targets: first response 30 min, resolution 4 h.' },
  },
});

export enum MessageAuthorKind {
  CUSTOMER = 'CUSTOMER',
  AGENT = 'AGENT',
  SYSTEM = 'SYSTEM',
}
registerEnumType(MessageAuthorKind, { name: 'MessageAuthorKind', description: 'Who wrote a ticket message.' });

/** Tickets in these states count as open (queues, one system ticket per shipment, open complaints). */
export const OPEN_TICKET_STATES: readonly TicketStatus[] = [TicketStatus.NEW, TicketStatus.OPEN, TicketStatus.PENDING_CUSTOMER];

/** SLA clocks run only in these states; while PENDING_CUSTOMER they are paused and the targets move out by the pause. */
export const SLA_RUNNING_STATES: readonly TicketStatus[] = [TicketStatus.NEW, TicketStatus.OPEN];

const SUPPORT = [Role.SUPPORT] as const;

/**
 * The ticket lifecycle as data. Messages also move tickets (an agent reply opens a NEW ticket, a customer
 * reply brings a PENDING_CUSTOMER or RESOLVED ticket back to OPEN); those moves follow this same table.
 */
export const ticketLifecycle = new Lifecycle<TicketStatus>('Ticket', {
  NEW: {
    OPEN: { by: SUPPORT },
    CLOSED: { by: SUPPORT, requiresReason: true },
  },
  OPEN: {
    PENDING_CUSTOMER: { by: SUPPORT },
    RESOLVED: { by: SUPPORT },
  },
  PENDING_CUSTOMER: {
    OPEN: { by: SUPPORT },
    RESOLVED: { by: SUPPORT },
  },
  RESOLVED: {
    OPEN: { by: [...SUPPORT, 'CUSTOMER'] },
    CLOSED: { by: [...SUPPORT, 'CUSTOMER'] },
  },
  CLOSED: {},
});
