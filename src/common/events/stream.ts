import type { Context } from '../context.js';
import { AppError, ErrorCodes, badInput, unauthenticated } from '../errors.js';
import { isExpired } from '../auth/viewer.js';
import type { EventEnvelope } from './envelope.js';
import { rowToEnvelope } from './relay.js';

/** Replay reads at most this many events; a subscriber further behind should reload and subscribe afresh. */
export const REPLAY_MAX = 10_000;
/** Events waiting for a slow subscriber beyond this end its subscription instead of growing memory. */
export const MAX_BUFFERED = 1_000;
const PAGE = 500;

/**
 * What a direct consumer did with a live event it was offered (see DIRECT): 'sent' — done; 'held' — accepted but
 * still in progress (its shared result is being computed, or its message is being written): later events wait in
 * the stream's buffer until the consumer calls release(); 'pass' — not taken: it goes to next() as usual.
 */
export type DirectOutcome = 'sent' | 'held' | 'pass';
export type DirectConsumer = (event: EventEnvelope) => DirectOutcome;
export interface DirectControl {
  /** Ends a 'held' delivery. With an event (one the consumer could not send after all), that event goes to next() first. */
  release(event?: EventEnvelope): void;
  /** False once the stream has ended or failed: nothing more may be sent for it. */
  readonly active: boolean;
}
/**
 * Lets the stream's consumer take live events synchronously while it is idle (waiting in next()): a fan-out of one
 * event to thousands of subscribers then costs a function call each instead of a promise resolution and an async
 * resumption each. Order is kept: only an idle consumer is offered an event, and while it holds one every later
 * event queues in the buffer (with the same MAX_BUFFERED bound) and reaches it through next() afterwards.
 */
export const DIRECT = Symbol('eventStream.direct');
export interface DirectCapable {
  [DIRECT]?: (consumer: DirectConsumer) => DirectControl;
}

export interface StreamOptions<P> {
  topic: string;
  /** Replay events with a greater id first, then go live. */
  afterEventId?: number | null;
  /** Payload equality conditions, applied in SQL during replay and in memory live. */
  match?: Partial<Record<keyof P & string, string | number | boolean>>;
  /** Further in-memory condition (authorization, ranges). */
  predicate?: (payload: P) => boolean;
}

/**
 * A subscription's source: replays what the subscriber missed from the outbox, then passes on live events,
 * each exactly once and in order. Before each event is handed to GraphQL execution the context gets a fresh
 * EntityManager and loaders.
 */
export function eventStream<P extends Record<string, unknown>>(ctx: Context, opts: StreamOptions<P>): AsyncIterableIterator<EventEnvelope<P>> & DirectCapable {
  const after = opts.afterEventId ?? null;
  if (after !== null && (!Number.isSafeInteger(after) || after < 0)) throw badInput('afterEventId', 'must be a non-negative integer');
  const match = Object.entries(opts.match ?? {}).filter(([, v]) => v !== undefined && v !== null) as [string, unknown][];
  // Called for every listener of every event: the common subscription (no conditions) must not loop or allocate.
  const accepts = match.length === 0 && !opts.predicate ? () => true : (p: P) => match.every(([k, v]) => p[k] === v) && (!opts.predicate || opts.predicate(p));

  const buffer: EventEnvelope<P>[] = [];
  const held: EventEnvelope<P>[] = [];
  let waiting: ((r: IteratorResult<EventEnvelope<P>>) => void) | undefined;
  let failWaiting: ((e: unknown) => void) | undefined;
  let failure: unknown;
  let done = false;
  let replaying = after !== null;
  let last = after ?? 0;

  const finish = () => {
    if (done) return;
    done = true;
    off();
    buffer.length = 0;
    held.length = 0;
  };

  const fail = (err: unknown) => {
    if (done || failure !== undefined) return;
    failure = err;
    // Stop collecting now, not when the consumer next asks: a consumer stuck writing to a socket that is not read
    // may not ask for a long time, and every event kept for it would keep its payload alive. What was buffered is
    // dropped; the error tells where to resume (exactly once from there).
    off();
    buffer.length = 0;
    held.length = 0;
    if (failWaiting) {
      const f = failWaiting;
      waiting = failWaiting = undefined;
      finish();
      f(err);
    }
  };

  let direct: DirectConsumer | undefined;
  let directHolds = false;

  const handOver = (event: EventEnvelope<P>) => {
    const w = waiting!;
    waiting = failWaiting = undefined;
    ctx.renew();
    w({ value: event, done: false });
  };

  const push = (event: EventEnvelope<P>) => {
    if (done || event.id <= last) return;
    last = event.id;
    if (waiting && !directHolds) {
      if (direct && !isExpired(ctx.viewer)) {
        let outcome: DirectOutcome = 'pass';
        try {
          outcome = direct(event);
        } catch {
          // next() gets it and surfaces the failure through the subscription (as an error, not a lost event).
        }
        if (outcome === 'sent') return;
        if (outcome === 'held') {
          directHolds = true;
          return;
        }
      }
      handOver(event);
      return;
    }
    buffer.push(event);
    if (buffer.length > MAX_BUFFERED) {
      fail(new AppError(ErrorCodes.CONFLICT, `Subscriber fell more than ${MAX_BUFFERED} events behind; resubscribe with afterEventId=${buffer[0]!.id - 1}`));
    }
  };

  // The first equality condition lets the bus skip this listener for events that cannot match; all of them are
  // still checked here.
  const off = ctx.app.bus.on(
    opts.topic,
    (event) => {
      const e = event as EventEnvelope<P>;
      if (!accepts(e.payload)) return;
      if (replaying) held.push(e);
      else push(e);
    },
    match[0],
  );

  if (after !== null) {
    void (async () => {
      try {
        // Rows numbered but not yet published are included: they may already have passed this instance's
        // bus before this listener existed. Anything seen twice is dropped by id.
        const conn = ctx.app.orm.em.getConnection();
        const contains = JSON.stringify(Object.fromEntries(match));
        let cursor = after;
        let total = 0;
        for (;;) {
          const rows = await conn.execute(
            `SELECT seq, topic, payload, created_at FROM event_outbox
             WHERE topic = ? AND seq > ? AND payload @> ?::jsonb
             ORDER BY seq LIMIT ?`,
            [opts.topic, cursor, contains, PAGE],
          );
          for (const r of rows) {
            const e = rowToEnvelope({ seq: r.seq, topic: r.topic, payload: r.payload, created_at: new Date(r.created_at) }) as EventEnvelope<P>;
            if (accepts(e.payload)) push(e);
          }
          total += rows.length;
          if (total > REPLAY_MAX) throw badInput('afterEventId', `is more than ${REPLAY_MAX} events behind; load current state and subscribe without it`);
          if (rows.length < PAGE || done) break;
          cursor = Number(rows[rows.length - 1].seq);
        }
        replaying = false;
        for (const e of held.splice(0)) push(e);
      } catch (err) {
        fail(err instanceof AppError ? err : new AppError(ErrorCodes.INTERNAL_SERVER_ERROR, 'Could not replay missed events'));
      }
    })();
  }

  const control: DirectControl = {
    release(event?: EventEnvelope) {
      if (!directHolds) return;
      directHolds = false;
      if (done || failure !== undefined) return;
      if (event) buffer.unshift(event as EventEnvelope<P>);
      if (waiting && buffer.length) handOver(buffer.shift()!);
    },
    get active() {
      return !done && failure === undefined;
    },
  };

  const iterator: AsyncIterableIterator<EventEnvelope<P>> & DirectCapable = {
    [DIRECT](consumer: DirectConsumer) {
      direct = consumer;
      return control;
    },
    next() {
      if (failure !== undefined && buffer.length === 0) {
        const err = failure;
        failure = undefined;
        finish();
        return Promise.reject(err);
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      if (isExpired(ctx.viewer)) {
        finish();
        return Promise.reject(unauthenticated('Your token expired; reconnect with a fresh one and resume with afterEventId'));
      }
      const next = buffer.shift();
      if (next) {
        ctx.renew();
        return Promise.resolve({ value: next, done: false });
      }
      return new Promise((resolve, reject) => {
        waiting = resolve;
        failWaiting = reject;
      });
    },
    return() {
      const w = waiting;
      waiting = failWaiting = undefined;
      finish();
      w?.({ value: undefined, done: true });
      return Promise.resolve({ value: undefined, done: true });
    },
    throw(err) {
      finish();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
