import { createSourceEventStream, execute, type DocumentNode, type ExecutionArgs, type ExecutionResult } from 'graphql';
import { Context } from '../context.js';
import type { Viewer } from '../auth/viewer.js';

type Execution = ExecutionResult | Promise<ExecutionResult>;

/**
 * Results of per-event execution, by the event object the bus handed to every listener. A live event reaches all
 * matching subscribers as the same object, so the entry is found by each of them and dies with the event.
 * Replayed events are read per subscriber and are never shared.
 */
const executions = new WeakMap<object, Map<string, Execution>>();
const documentIds = new WeakMap<DocumentNode, number>();
let nextDocumentId = 1;

function documentId(document: DocumentNode): number {
  let id = documentIds.get(document);
  if (id === undefined) documentIds.set(document, (id = nextDocumentId++));
  return id;
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
export async function sharedSubscribe(args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> {
  const stream = await createSourceEventStream(args);
  if (!(Symbol.asyncIterator in Object(stream))) return stream as ExecutionResult;
  const source = (stream as AsyncIterable<unknown>)[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  const ctx = args.contextValue instanceof Context ? args.contextValue : undefined;
  const visibility = ctx && visibilityKey(ctx.viewer);
  const key =
    visibility === undefined
      ? undefined
      : `${documentId(args.document)}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}\u0000${visibility}`;

  const run = (event: unknown): Execution => {
    if (key === undefined || typeof event !== 'object' || event === null) return execute({ ...args, rootValue: event });
    let byKey = executions.get(event);
    if (!byKey) executions.set(event, (byKey = new Map()));
    let result = byKey.get(key);
    if (!result) {
      result = execute({ ...args, rootValue: event, contextValue: new Context(ctx!.app, ctx!.viewer, ctx!.requestId) });
      byKey.set(key, result);
    }
    return result;
  };

  const done = (): Promise<IteratorResult<ExecutionResult>> => Promise.resolve({ value: undefined, done: true });
  const iterator: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      const r = await source.next();
      if (r.done) return { value: undefined, done: true };
      return { value: await run(r.value), done: false };
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
