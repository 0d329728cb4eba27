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
const EMPTY = Buffer.alloc(0);

/**
 * Sends a subscription's pre-serialised `next` messages straight to its socket (sharedSubscribe uses it for live
 * events). Like graphql-ws's own sends it goes through `socket.send` (so the slow-consumer guard sees it), sends
 * nothing once the socket is no longer open, and makes the subscription wait until its message is written before it
 * takes the next event, so a peer that does not read holds at most one unsent message per subscription.
 *
 * On a socket with nothing queued, the common case, the kernel takes the whole message at once: it is sent without
 * a write callback and there is nothing to wait for. (A callback on every write cost ~3 µs per subscriber of a
 * fan-out: Node then allocates per-write completion state it otherwise shares.) Only if the kernel did not take it
 * all does the subscription wait, on an empty write queued behind the message: its callback runs once everything
 * before it is written. A socket that already has data queued gets the message with a callback, as before.
 */
export function liveSender(socket: WebSocket, id: string): LiveSender {
  const written = (resolve: () => void, reject: (err: Error) => void) => (err?: Error | null) => (err ? reject(err) : resolve());
  return {
    id,
    send(message) {
      if (socket.readyState !== socket.OPEN) return undefined;
      if (socket.bufferedAmount === 0) {
        socket.send(message, TEXT);
        if (socket.bufferedAmount === 0) return undefined;
        const raw = (socket as unknown as { _socket?: { write(chunk: Buffer, cb: (err?: Error | null) => void): boolean } })._socket;
        if (!raw || socket.readyState !== socket.OPEN) return undefined;
        return new Promise<void>((resolve, reject) => void raw.write(EMPTY, written(resolve, reject)));
      }
      return new Promise<void>((resolve, reject) => socket.send(message, TEXT, written(resolve, reject)));
    },
  };
}
