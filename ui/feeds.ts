/** The console's live panes: one subscription each, with how to describe and when to highlight an event. */
export interface Feed {
  key: string;
  title: string;
  field: string;
  query: string;
  describe(e: Record<string, any>): string;
  time(e: Record<string, any>): string;
  highlight?(e: Record<string, any>): boolean;
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
];
