import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { EventEnvelope } from './envelope.js';

type Listener = (event: EventEnvelope) => void;

/** A payload field and the value a listener needs it to have: the bus then calls it only for such events. */
export type ListenerIndex = readonly [field: string, value: unknown];

/**
 * The listeners of one topic: those that want every event, and those filtered on one payload field, by field and
 * value. An event costs a call for every unfiltered listener plus one lookup per indexed field, not a call for every
 * listener: a customer's subscription is not even called for another customer's order.
 */
interface TopicListeners {
  all: Set<Listener>;
  byField: Map<string, Map<unknown, Set<Listener>>>;
}

/** Reads delivered events with `after < seq < before` from the outbox, in order. */
export type RangeReader = (after: number, before: number) => Promise<EventEnvelope[]>;

/**
 * The instance-local fan-out point. Events reach it from this instance's relay (in-process mode) or from
 * the Redis channel every instance listens on. It keeps the global order: a duplicate is dropped, and a gap
 * (a Redis message this instance never got) is filled from the outbox before the newer event is passed on.
 */
export class EventBus {
  private listeners = new Map<string, TopicListeners>();
  private lastId = 0;
  private chain: Promise<void> = Promise.resolve();
  private subscriberCount = 0;

  constructor(
    private readonly readRange: RangeReader,
    private readonly logger: Logger,
  ) {}

  /**
   * Registers a listener for one topic, optionally only for events whose payload has `index[0]` equal to
   * `index[1]`; returns the function that removes it.
   */
  on(topic: string, listener: Listener, index?: ListenerIndex): () => void {
    let t = this.listeners.get(topic);
    if (!t) this.listeners.set(topic, (t = { all: new Set(), byField: new Map() }));
    let set: Set<Listener>;
    if (index) {
      const [field, value] = index;
      let byValue = t.byField.get(field);
      if (!byValue) t.byField.set(field, (byValue = new Map()));
      let s = byValue.get(value);
      if (!s) byValue.set(value, (s = new Set()));
      set = s;
    } else {
      set = t.all;
    }
    set.add(listener);
    this.subscriberCount++;
    return () => {
      if (!set.delete(listener)) return;
      this.subscriberCount--;
      if (index && set.size === 0) {
        const byValue = t!.byField.get(index[0]);
        if (byValue?.get(index[1]) === set) byValue.delete(index[1]);
      }
    };
  }

  get listenerCount(): number {
    return this.subscriberCount;
  }

  /** The highest event id this instance has passed on (0 before the first). */
  get lastDeliveredId(): number {
    return this.lastId;
  }

  /**
   * Reads everything published since the last event this instance passed on, e.g. after its Redis
   * subscription was interrupted: Redis pub/sub does not keep messages for a disconnected subscriber.
   */
  catchUp(): Promise<void> {
    if (this.lastId === 0) return Promise.resolve();
    this.chain = this.chain
      .then(async () => {
        const missed = await this.readRange(this.lastId, Number.MAX_SAFE_INTEGER);
        if (missed.length) this.logger.info('caught up on events after a reconnect', { count: missed.length });
        for (const m of missed) this.dispatch(m);
      })
      .catch((err) => this.logger.error('event catch-up failed', { err }));
    return this.chain;
  }

  /** Accepts events in delivery order; processing is serialised so gap filling cannot reorder them. */
  ingest(events: EventEnvelope[]): Promise<void> {
    this.chain = this.chain.then(() => this.process(events)).catch((err) => {
      this.logger.error('event bus failed to process events', { err });
    });
    return this.chain;
  }

  private async process(events: EventEnvelope[]): Promise<void> {
    for (const event of events) {
      if (this.lastId !== 0 && event.id <= this.lastId) continue; // duplicate (redelivery after a relay crash)
      if (this.lastId !== 0 && event.id > this.lastId + 1) {
        const missed = await this.readRange(this.lastId, event.id);
        if (missed.length) this.logger.warn('filled a gap in the event stream from the outbox', { from: this.lastId, to: event.id, count: missed.length });
        for (const m of missed) this.dispatch(m);
      }
      this.dispatch(event);
    }
  }

  private dispatch(event: EventEnvelope): void {
    this.lastId = Math.max(this.lastId, event.id);
    const t = this.listeners.get(event.topic);
    if (!t) return;
    this.call(t.all, event);
    for (const [field, byValue] of t.byField) {
      const set = byValue.get(event.payload[field]);
      if (set) this.call(set, event);
    }
  }

  private call(set: Set<Listener>, event: EventEnvelope): void {
    for (const listener of set) {
      try {
        listener(event);
      } catch (err) {
        this.logger.error('event listener failed', { err, topic: event.topic });
      }
    }
  }
}

/** Connects a bus to the shared Redis channel of a deployment. */
export async function attachRedis(bus: EventBus, subscriber: Redis, channel: string, logger: Logger): Promise<void> {
  subscriber.on('message', (ch: string, message: string) => {
    if (ch !== channel) return;
    try {
      const parsed = JSON.parse(message) as EventEnvelope[];
      void bus.ingest(parsed);
    } catch (err) {
      logger.error('malformed event message on redis channel', { err });
    }
  });
  await subscriber.subscribe(channel);
  // Attached after the first connection, so 'ready' means a reconnect. ioredis resubscribes by itself;
  // what was published while we were away comes from the outbox (shortly after, once resubscribed).
  subscriber.on('ready', () => {
    setTimeout(() => void bus.catchUp(), 100).unref();
  });
}
