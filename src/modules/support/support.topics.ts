export const TICKET_UPDATED = 'support.ticket_updated';

/** What happened to the ticket. */
export type TicketUpdateKindName = 'CREATED' | 'MESSAGE' | 'STATUS_CHANGED' | 'ASSIGNED' | 'UPDATED' | 'SLA_BREACH' | 'RATED';
export type SlaTargetName = 'FIRST_RESPONSE' | 'RESOLUTION';

/** JSON payload of TICKET_UPDATED, written to the outbox with the change. */
export interface TicketUpdatedPayload extends Record<string, unknown> {
  ticketId: string;
  customerId: string;
  assigneeId: string | null;
  kind: TicketUpdateKindName;
  status: string;
  /** Set for MESSAGE. */
  messageId: string | null;
  /** Internal notes and other staff-only changes; never shown to the customer. */
  internal: boolean;
  /** Set for SLA_BREACH. */
  breach: SlaTargetName | null;
  at: string;
}
