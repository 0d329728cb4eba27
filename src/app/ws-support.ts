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
 * every socket is pinged once per `intervalMs`, and terminated if it did not answer its previous ping.
 *
 * Sockets are dealt round-robin into `slices` groups, and the timer visits one group every `intervalMs / slices`:
 * pinging 10,000 sockets at once is 10,000 writes (and as many pongs to read) in one burst, and a status change
 * fanned out during that burst waited behind it (~150–300 ms more at p99 for the change that met it, with two
 * instances on two cores). Returns the function that stops it.
 */
export function heartbeat(wsServer: WebSocketServer, intervalMs: number, slices = 12): () => void {
  const silent = new WeakSet<WebSocket>();
  const groups = Array.from({ length: slices }, () => new Set<WebSocket>());
  const groupOf = new WeakMap<WebSocket, Set<WebSocket>>();
  let dealt = 0;
  // Shared handlers (no closure per socket): an idle subscriber's memory is most of what a console server holds.
  const onPong = function (this: WebSocket) {
    silent.delete(this);
  };
  const onClose = function (this: WebSocket) {
    groupOf.get(this)?.delete(this);
  };
  wsServer.on('connection', (socket) => {
    const group = groups[dealt++ % slices]!;
    group.add(socket);
    groupOf.set(socket, group);
    socket.on('pong', onPong);
    socket.once('close', onClose);
  });
  let tick = 0;
  const timer = setInterval(
    () => {
      for (const socket of groups[tick++ % slices]!) {
        if (socket.readyState !== socket.OPEN) continue;
        if (silent.has(socket)) {
          socket.terminate();
          continue;
        }
        silent.add(socket);
        socket.ping();
      }
    },
    Math.max(1, Math.round(intervalMs / slices)),
  );
  timer.unref();
  return () => clearInterval(timer);
}

const TEXT = { binary: false } as const;
const EMPTY = Buffer.alloc(0);

/** What liveSender reaches under a ws WebSocket: its net.Socket and its frame sender (ws 8 internals, pinned). */
interface WsInternals {
  _socket?: { write(chunk: Buffer, cb?: (err?: Error | null) => void): boolean };
  _sender?: { _state: number; _queue: unknown[] };
}

/**
 * Whole WebSocket frames (header + payload) by shared message. Server frames are not masked, so one frame serves
 * every socket: a fan-out writes the same bytes 10,000 times instead of framing the message 10,000 times.
 */
const frames = new WeakMap<Buffer, Buffer>();
export function frameOf(message: Buffer): Buffer {
  let frame = frames.get(message);
  if (!frame) {
    // RFC 6455 §5.2: FIN + text opcode, no mask, then the payload length in 7, 7+16 or 7+64 bits.
    const n = message.length;
    const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
    frame = Buffer.allocUnsafe(head + n);
    frame[0] = 0x81;
    if (n < 126) frame[1] = n;
    else if (n < 65536) {
      frame[1] = 126;
      frame.writeUInt16BE(n, 2);
    } else {
      frame[1] = 127;
      frame.writeBigUInt64BE(BigInt(n), 2);
    }
    message.copy(frame, head);
    frames.set(message, frame);
  }
  return frame;
}

/**
 * Sends a subscription's pre-serialised `next` messages straight to its socket (sharedSubscribe uses it for live
 * events). It sends nothing once the socket is no longer open, and makes the subscription wait until its message is
 * written before it takes the next event, so a peer that does not read holds at most one unsent message per
 * subscription.
 *
 * On a socket with nothing queued, the common case, the message's ready-made frame is written to the TCP socket
 * directly, without a write callback, and the kernel takes it at once: there is nothing to wait for. Against
 * `socket.send` with a callback this halves the JavaScript per subscriber of a fan-out (no framing, no cork/writev,
 * no per-write completion state). It is safe because ws's sender queues nothing itself here (no compression, no Blob
 * data: checked), so frames stay in order; and since the socket had nothing queued, one message cannot take it over
 * the slow-consumer limit. Only if the kernel did not take it all does the subscription wait, on an empty write
 * queued behind it. A socket that already has data queued gets the message through `socket.send` with a callback,
 * where the slow-consumer guard sees it.
 */
export function liveSender(socket: WebSocket, id: string): LiveSender {
  const ws = socket as unknown as WsInternals;
  const written = (resolve: () => void, reject: (err: Error) => void) => (err?: Error | null) => (err ? reject(err) : resolve());
  return {
    id,
    send(message) {
      if (socket.readyState !== socket.OPEN) return undefined;
      const raw = ws._socket;
      if (raw && socket.bufferedAmount === 0 && ws._sender?._state === 0 && ws._sender._queue.length === 0) {
        raw.write(frameOf(message));
        if (socket.bufferedAmount === 0) return undefined;
        return new Promise<void>((resolve, reject) => void raw.write(EMPTY, written(resolve, reject)));
      }
      return new Promise<void>((resolve, reject) => socket.send(message, TEXT, written(resolve, reject)));
    },
  };
}
