import { parse, validate, specifiedRules, type DocumentNode, type GraphQLError, type GraphQLSchema, type ValidationRule } from 'graphql';
import type { WebSocketServer, WebSocket } from 'ws';
import type { LiveSender } from '../common/events/shared-execution.js';

/** Documents longer than this are parsed per subscription and not kept. */
const CACHEABLE_SOURCE_CHARS = 20_000;
const CACHE_ENTRIES = 500;

/**
 * Parsed and validated subscription documents by source text. Thousands of subscribers usually send a handful of
 * distinct documents: each is parsed and validated once, and every subscription holds the same AST (which also
 * lets per-event execution be shared by document, see sharedSubscribe). Bounded; the oldest entry goes first.
 */
export class DocumentCache {
  private entries = new Map<string, { document: DocumentNode } | { errors: readonly GraphQLError[] }>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly rules: readonly ValidationRule[],
    private readonly maxTokens: number,
  ) {}

  /** The document, or the parse/validation errors. */
  get(source: string): { document: DocumentNode } | { errors: readonly GraphQLError[] } {
    const hit = this.entries.get(source);
    if (hit) return hit;
    let result: { document: DocumentNode } | { errors: readonly GraphQLError[] };
    try {
      const document = parse(source, { maxTokens: this.maxTokens });
      const errors = validate(this.schema, document, [...specifiedRules, ...this.rules]);
      result = errors.length ? { errors } : { document };
    } catch (err) {
      result = { errors: [err as GraphQLError] };
    }
    if (source.length <= CACHEABLE_SOURCE_CHARS) {
      if (this.entries.size >= CACHE_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(source, result);
    }
    return result;
  }
}

/**
 * Keep-alive for every socket from one timer, instead of graphql-ws's interval (and pong timeout) per connection:
 * each round pings every open socket, and terminates those that did not answer the previous round's ping.
 * Returns the function that stops it.
 */
export function heartbeat(wsServer: WebSocketServer, intervalMs: number): () => void {
  const silent = new WeakSet<WebSocket>();
  const onPong = function (this: WebSocket) {
    silent.delete(this);
  };
  wsServer.on('connection', (socket) => {
    socket.on('pong', onPong);
  });
  const timer = setInterval(() => {
    for (const socket of wsServer.clients) {
      if (socket.readyState !== socket.OPEN) continue;
      if (silent.has(socket)) {
        socket.terminate();
        continue;
      }
      silent.add(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

const TEXT = { binary: false } as const;

/**
 * Sends a subscription's pre-serialised `next` messages straight to its socket (sharedSubscribe uses it for live
 * events). Like graphql-ws's own sends it goes through `socket.send` (so the slow-consumer guard sees it), sends
 * nothing once the socket is no longer open, and makes the subscription wait until its message is written before it
 * takes the next event, so a peer that does not read holds at most one unsent message per subscription. On a socket
 * with nothing queued, the common case, the kernel takes the whole message at once and there is nothing to wait for:
 * no promise per subscriber (its write callback, one per subscription, is then only bookkeeping; a failed write also
 * surfaces as the socket's error and close, which end every subscription of the connection).
 */
export function liveSender(socket: WebSocket, id: string): LiveSender {
  let written = true;
  let waiter: ((err?: Error | null) => void) | undefined;
  const onWritten = (err?: Error | null) => {
    written = true;
    const w = waiter;
    waiter = undefined;
    w?.(err);
  };
  return {
    id,
    send(message) {
      if (socket.readyState !== socket.OPEN) return undefined;
      written = false;
      socket.send(message, TEXT, onWritten);
      if (socket.bufferedAmount === 0) return undefined;
      return new Promise<void>((resolve, reject) => {
        if (written) return resolve();
        waiter = (err) => (err ? reject(err) : resolve());
      });
    },
  };
}
