/** What travels from the relay to every instance's bus, and what replay reads back from the outbox. */
export interface EventEnvelope<P = Record<string, unknown>> {
  /** Delivery sequence number; subscribers resume with `afterEventId` set to the last one they saw. */
  id: number;
  topic: string;
  payload: P;
  occurredAt: string;
}
