import { createSourceEventStream, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { Context } from '../context.js';
import type { Viewer } from '../auth/viewer.js';
import { DIRECT, type DirectCapable, type DirectOutcome } from './stream.js';
import type { EventEnvelope } from './envelope.js';

type Execution = ExecutionResult | Promise<ExecutionResult>;

/**
 * One execution of an event for one key, with what every subscriber of that key needs to send it: the settled result
 * (so subscribers that come after the first do not wait a microtask for it) and the serialised `next` message per
 * subscription id, encoded once.
 */
interface SharedResult {
  result: Execution;
  settled?: ExecutionResult;
  /** The execution threw instead of returning a result (graphql-js does not, but the path is kept safe). */
  failed?: boolean;
  /** Direct deliveries waiting for `settled`; run together, in one synchronous loop, when it is there. */
  waiters?: (() => void)[];
  /** `"payload":<result JSON>}`, the tail of every `next` message carrying this result. */
  tail?: string;
  /** Whole `next` messages by subscription id (nearly every client uses the same id, e.g. "1"). */
  frames?: Map<string, Buffer>;
}

/**
 * Results of per-event execution, by the event object the bus handed to every listener. A live event reaches all
 * matching subscribers as the same object, so the entry is found by each of them and dies with the event.
 * Replayed events are read per subscriber and are never shared.
 */
const executions = new WeakMap<object, Map<string, SharedResult>>();
/** The entry of the event the bus is handing out right now: thousands of subscribers in a row look up the same one. */
let lastEvent: object | undefined;
let lastByKey: Map<string, SharedResult> | undefined;
const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 1;
/** Distinct subscription ids whose message is kept per shared result; further ids are serialised per send. */
const FRAME_IDS = 8;

function documentId(document: DocumentNode): number {
  let id = documentIds.get(document);
  if (id === undefined) documentIds.set(document, (id = nextDocumentId++));
  return id;
}

/**
 * Writes an already serialised graphql-ws message to one subscriber's socket. The subscription waits until it is
 * written before it takes its next event (as with graphql-ws's own send, so it never has more than one unsent message).
 */
export interface LiveSender {
  /** The subscription id of the graphql-transport-ws `subscribe` message. */
  readonly id: string;
  /** Undefined when the message is already written; otherwise settles when it is. */
  send(message: Buffer): Promise<void> | undefined;
}

/** Execution arguments of a subscription that may send its events itself (see sharedSubscribe). */
export interface SharedSubscribeArgs extends ExecutionArgs {
  liveSender?: LiveSender;
}

/**
 * The `next` message graphql-ws would send for `result` (`{id, type, payload}` with the result minus absent errors):
 * the payload is serialised once per shared result, and the message once per distinct subscription id.
 */
function nextMessage(shared: SharedResult, result: ExecutionResult, id: string): Buffer {
  const cached = shared.frames?.get(id);
  if (cached) return cached;
  shared.tail ??= `"payload":${JSON.stringify(result)}}`;
  const frame = Buffer.from(`{"id":${JSON.stringify(id)},"type":"next",${shared.tail}`);
  shared.frames ??= new Map();
  if (shared.frames.size < FRAME_IDS) shared.frames.set(id, frame);
  return frame;
}

/**
 * What a subscriber may see of an event, as a key: two subscribers with the same key get the same result for the
 * same event, document and variables. Per-event resolvers depend on the viewer only through these: staff and API
 * tokens through their roles (field `@Allow` checks), customers through their customer id (own-data scoping).
 * Anonymous viewers never reach per-event execution (every subscription requires a role).
 */
export function visibilityKey(viewer: Viewer): string | undefined {
  switch (viewer.kind) {
    case 'staff':
    case 'token':
      return `staff:${[...viewer.roles].sort().join(',')}`;
    case 'customer':
      return `customer:${viewer.customerId}`;
    default:
      return undefined;
  }
}

/**
 * graphql-ws `subscribe`: like graphql-js `subscribe` (the subscription's own resolver authorises and builds the
 * per-subscriber source stream: filtering, replay, ordering, expiry), but each live event is executed once per
 * (event, document, operation, variables, visibility) and the result is shared by every subscriber with that key,
 * instead of once per subscriber. The shared execution gets its own fresh Context (EntityManager, loaders), so
 * "the order as it is now" is read once per event, not once per subscriber.
 */
export async function sharedSubscribe(args: SharedSubscribeArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const { liveSender, ...executionArgs } = args;
  const stream = await createSourceEventStream(executionArgs);
  if (!(Symbol.asyncIterator in Object(stream))) return stream as ExecutionResult;
  const source = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  const ctx = executionArgs.contextValue instanceof Context ? executionArgs.contextValue : undefined;
  const visibility = ctx && visibilityKey(ctx.viewer);
  const key =
    visibility === undefined
      ? undefined
      : `${documentId(executionArgs.document)}\u0000${executionArgs.operationName ?? ''}\u0000${JSON.stringify(executionArgs.variableValues ?? {})}\u0000${visibility}`;

  const run = (event: unknown): SharedResult => {
    if (key === undefined || typeof event !== 'object' || event === null) return { result: execute({ ...executionArgs, rootValue: event }) };
    let byKey = event === lastEvent ? lastByKey : executions.get(event);
    if (!byKey) executions.set(event, (byKey = new Map()));
    lastEvent = event;
    lastByKey = byKey;
    let shared = byKey.get(key);
    if (!shared) {
      const result = execute({ ...executionArgs, rootValue: event, contextValue: new Context(ctx!.app, ctx!.viewer, ctx!.requestId) });
      const entry: SharedResult = (shared = { result });
      if (result instanceof Promise) {
        const wake = () => {
          const waiters = entry.waiters;
          entry.waiters = undefined;
          if (waiters) for (const w of waiters) w();
        };
        void result.then(
          (r) => {
            entry.settled = r;
            wake();
          },
          () => {
            entry.failed = true;
            wake();
          },
        );
      } else entry.settled = result;
      byKey.set(key, shared);
    }
    return shared;
  };

  // Live events for an idle subscription are taken straight from the bus (see DIRECT in stream.ts): the first
  // subscriber of an event starts its shared execution, every subscriber queues one callback on it, and when it
  // settles all of them are written in one synchronous loop. A result with errors, or a failed execution, goes back
  // to the stream and reaches graphql-ws through next() below. While a write is pending the subscription holds.
  const control = liveSender && key !== undefined ? (source as DirectCapable)[DIRECT]?.((event) => direct(event)) : undefined;
  const deliver = (shared: SharedResult): DirectOutcome => {
    if (!control!.active) return 'sent'; // ended meanwhile: nothing more is sent for it
    const result = shared.settled;
    if (!result || result.errors) return 'pass';
    const sending = liveSender!.send(nextMessage(shared, result, liveSender!.id));
    if (!sending) return 'sent';
    const release = () => control!.release();
    sending.then(release, release); // a failed write also closes the socket, which ends the subscription
    return 'held';
  };
  // The one event this subscription holds while its shared result is computed (the stream offers no other meanwhile),
  // and one callback per subscription for it: a fan-out allocates nothing per subscriber here.
  let heldShared: SharedResult | undefined;
  let heldEvent: EventEnvelope | undefined;
  const onSettled = () => {
    const shared = heldShared!;
    const event = heldEvent!;
    heldShared = heldEvent = undefined;
    let outcome: DirectOutcome = 'pass';
    try {
      outcome = deliver(shared);
    } catch {
      // handed back below: next() surfaces it
    }
    if (outcome === 'sent') control!.release();
    else if (outcome === 'pass') control!.release(event);
  };
  const direct = (event: EventEnvelope): DirectOutcome => {
    const shared = run(event);
    if (shared.settled || shared.failed) return deliver(shared);
    heldShared = shared;
    heldEvent = event;
    (shared.waiters ??= []).push(onSettled);
    return 'held';
  };

  const done = (): Promise<IteratorResult<ExecutionResult>> => Promise.resolve({ value: undefined, done: true });
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    // With a live sender, results without errors are written to the socket here, as one shared pre-serialised
    // message, and the loop goes on to the next event: graphql-ws would serialise the same payload once per
    // subscriber and take several more promise hops each, which for thousands of subscribers of one event is most
    // of the fan-out. Results with errors are handed to graphql-ws (its onNext formats them).
    async next() {
      try {
        for (;;) {
          const r = await source.next();
          if (r.done) return { value: undefined, done: true };
          const shared = run(r.value);
          const result = shared.settled ?? (await shared.result);
          if (!liveSender || result.errors) return { value: result, done: false };
          const sending = liveSender.send(nextMessage(shared, result, liveSender.id));
          if (sending) await sending;
        }
      } catch (err) {
        // `for await` does not call return() on an iterator whose next() threw (e.g. a write to a socket that was
        // destroyed), and graphql-ws forgets the subscription: release the source here or its bus listener leaks.
        await source.return?.().catch(() => undefined);
        throw err;
      }
    },
    async return() {
      if (source.return) await source.return();
      return done();
    },
    async throw(err) {
      if (source.throw) await source.throw(err);
      throw err;
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}
