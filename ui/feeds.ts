/** The console's live panes: one subscription each, with how to describe and when to highlight an event. */
export interface Feed {
  key: string;
  title: string;
  field: string;
  query: string;
  describe(e: Record<string, any>): string;
  time(e: Record<string, any>): string;
  highlight?(e: Record<string, any>): boolean;
  /** Events of the subscription this pane shows (all when absent). */
  accept?(e: Record<string, any>): boolean;
}

export const FEEDS: Feed[] = [
  {
    key: 'orders',
    title: 'Order status',
    field: 'orderStatusChanged',
    query: `subscription ConsoleOrders($afterEventId: SafeInt) {
      orderStatusChanged(afterEventId: $afterEventId) { eventId orderId previousStatus status reason changedAt order { displayNumber } }
    }`,
    describe: (e) => `${e.order?.displayNumber ?? e.orderId}: ${e.previousStatus ?? 'placed'} → ${e.status}${e.reason ? ` (${e.reason})` : ''}`,
    time: (e) => e.changedAt,
    highlight: (e) => e.status === 'CANCELLED',
  },
  {
    key: 'tracking',
    title: 'Shipment tracking',
    field: 'shipmentTrackingUpdated',
    query: `subscription ConsoleTracking($afterEventId: SafeInt) {
      shipmentTrackingUpdated(afterEventId: $afterEventId) { eventId trackingNumber eventStatus shipmentStatus location occurredAt order { displayNumber } }
    }`,
    describe: (e) => `${e.order?.displayNumber ?? ''} ${e.trackingNumber}: ${e.eventStatus}${e.location ? ` at ${e.location}` : ''} (shipment ${e.shipmentStatus})`,
    time: (e) => e.occurredAt,
    highlight: (e) => ['EXCEPTION', 'DELAYED', 'RETURNED_TO_SENDER'].includes(e.eventStatus),
  },
  {
    key: 'reviews',
    title: 'New reviews',
    field: 'reviewAdded',
    query: `subscription ConsoleReviews($afterEventId: SafeInt) {
      reviewAdded(afterEventId: $afterEventId) { eventId rating status createdAt review { title product { name } } }
    }`,
    describe: (e) => `${'★'.repeat(e.rating)}${'☆'.repeat(5 - e.rating)} ${e.review?.product?.name ?? ''}: ${e.review?.title ?? ''}${e.status === 'PENDING' ? ' (held for moderation)' : ''}`,
    time: (e) => e.createdAt,
    highlight: (e) => e.rating <= 2,
  },
  {
    key: 'sla',
    title: 'Tickets breaching SLA',
    field: 'ticketUpdated',
    query: `subscription ConsoleTickets($afterEventId: SafeInt) {
      ticketUpdated(afterEventId: $afterEventId) { eventId kind breach status at ticket { displayNumber subject priority } }
    }`,
    accept: (e) => e.kind === 'SLA_BREACH',
    describe: (e) => `${e.ticket?.displayNumber ?? ''} ${e.ticket?.priority ?? ''}: ${e.breach === 'FIRST_RESPONSE' ? 'first response' : 'resolution'} overdue — ${e.ticket?.subject ?? ''}`,
    time: (e) => e.at,
    highlight: () => true,
  },
];
