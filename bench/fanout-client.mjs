/**
 * P2 load client, one per worker thread: holds its share of the graphql-ws subscribers.
 *
 * It speaks WebSocket (RFC 6455) over plain `net` sockets itself instead of through the `ws` package: a subscriber
 * here only needs the opening handshake, masked text frames out, and unmasked frames in (text, ping, close). With
 * 10,000 subscribers on the same 2 cores as the server, the client's own per-message work (ws's receiver stream,
 * event emitters, buffer copies) was queueing delay in the measured latency; this client does a frame parse and a
 * JSON.parse per message and nothing else. Every message is still parsed and checked: a `next` must carry the
 * expected payload, and duplicates and missing deliveries are counted per subscriber.
 *
 * Receipt times are `performance.timeOrigin + performance.now()`, read when the bytes reach JavaScript: an absolute
 * clock with sub-millisecond resolution that the main thread (which sends the mutation) reads the same way.
 */
import { parentPort, workerData } from 'node:worker_threads';
import net from 'node:net';
import { createHash, randomBytes } from 'node:crypto';

/** @type {{ urls: string[], token: string, count: number, offset: number, query: string, afterEventId: number }} */
const { urls, token, count, offset, query, afterEventId } = workerData;
const now = () => performance.timeOrigin + performance.now();
const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';

/** Per order id: when each subscriber got it (one entry per subscriber, duplicates counted separately). */
/** @type {Map<string, number[]>} */
const received = new Map();
/** Per order id, parallel to `received`: the index in `urls` of the instance each delivery came from. */
/** @type {Map<string, number[]>} */
const receivedFrom = new Map();
/** @type {Map<string, number>} */
const duplicates = new Map();
/** @type {Map<string, () => void>} */
const waiting = new Map();
/** @type {net.Socket[]} */
const sockets = [];

/** A masked client frame (RFC 6455 §5.3: every client-to-server frame is masked). */
function clientFrame(opcode, payload) {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const n = data.length;
  const head = n < 126 ? 2 : n < 65536 ? 4 : 10;
  const out = Buffer.allocUnsafe(head + 4 + n);
  out[0] = 0x80 | opcode;
  if (n < 126) out[1] = 0x80 | n;
  else if (n < 65536) {
    out[1] = 0x80 | 126;
    out.writeUInt16BE(n, 2);
  } else {
    out[1] = 0x80 | 127;
    out.writeBigUInt64BE(BigInt(n), 2);
  }
  const mask = randomBytes(4);
  mask.copy(out, head);
  for (let i = 0; i < n; i++) out[head + 4 + i] = data[i] ^ mask[i & 3];
  return out;
}

/** @param {string} url @param {number} instance */
function subscribe(url, instance) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    const socket = net.connect({ host: u.hostname, port: Number(u.port), noDelay: true });
    const key = randomBytes(16).toString('base64');
    const expectedAccept = createHash('sha1').update(key + GUID).digest('base64');
    const seen = new Set();
    let handshaken = false;
    /** @type {Buffer | undefined} */
    let pending;
    const timer = setTimeout(() => fail(new Error('subscribe timeout')), 120_000);
    const fail = (err) => {
      clearTimeout(timer);
      socket.destroy();
      reject(err);
    };
    socket.on('connect', () => {
      socket.write(
        `GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: graphql-transport-ws\r\n\r\n`,
      );
    });
    /** @param {string} text */
    const onText = (text, t) => {
      const m = JSON.parse(text);
      if (m.type === 'next') {
        const e = m.payload?.data?.orderStatusChanged;
        if (!e || m.id !== '1') return;
        if (seen.has(e.orderId)) {
          duplicates.set(e.orderId, (duplicates.get(e.orderId) ?? 0) + 1);
          return;
        }
        seen.add(e.orderId);
        let list = received.get(e.orderId);
        if (!list) received.set(e.orderId, (list = []));
        list.push(t);
        let from = receivedFrom.get(e.orderId);
        if (!from) receivedFrom.set(e.orderId, (from = []));
        from.push(instance);
        if (list.length === count) waiting.get(e.orderId)?.();
      } else if (m.type === 'connection_ack') {
        socket.write(clientFrame(1, JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: { afterEventId } } })));
        // graphql-ws has no "subscribed" ack; the outbox replay from afterEventId covers the gap.
        clearTimeout(timer);
        resolve();
      } else if (m.type === 'error') fail(new Error(JSON.stringify(m.payload)));
    };
    socket.on('data', (chunk) => {
      const t = now();
      let buf = pending ? Buffer.concat([pending, chunk]) : chunk;
      pending = undefined;
      let at = 0;
      if (!handshaken) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) {
          pending = buf;
          return;
        }
        const head = buf.toString('latin1', 0, end);
        if (!head.startsWith('HTTP/1.1 101') || !head.includes(`Sec-WebSocket-Accept: ${expectedAccept}`)) return fail(new Error(`handshake refused: ${head.split('\r\n')[0]}`));
        handshaken = true;
        at = end + 4;
        socket.write(clientFrame(1, JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
      }
      // Server frames: FIN + opcode, unmasked, 7/16/64-bit length. graphql-ws sends whole (unfragmented) messages.
      while (buf.length - at >= 2) {
        const b0 = buf[at];
        let n = buf[at + 1] & 0x7f;
        let head = 2;
        if (n === 126) {
          if (buf.length - at < 4) break;
          n = buf.readUInt16BE(at + 2);
          head = 4;
        } else if (n === 127) {
          if (buf.length - at < 10) break;
          n = Number(buf.readBigUInt64BE(at + 2));
          head = 10;
        }
        if (buf.length - at < head + n) break;
        const start = at + head;
        at = start + n;
        const opcode = b0 & 0x0f;
        if ((b0 & 0x80) === 0) return fail(new Error('fragmented frame'));
        if (opcode === 1) onText(buf.toString('utf8', start, at), t);
        else if (opcode === 9) socket.write(clientFrame(10, buf.subarray(start, at)));
        else if (opcode === 8) socket.end();
      }
      if (at < buf.length) pending = buf.subarray(at);
    });
    socket.on('error', fail);
    sockets.push(socket);
  });
}

parentPort.on('message', async (msg) => {
  if (msg.type === 'connect') {
    for (let i = 0; i < count; i += 250) {
      await Promise.all(Array.from({ length: Math.min(250, count - i) }, (_, j) => subscribe(urls[(offset + i + j) % urls.length], (offset + i + j) % urls.length)));
    }
    parentPort.postMessage({ type: 'connected' });
  } else if (msg.type === 'collect') {
    const orderId = msg.orderId;
    if ((received.get(orderId)?.length ?? 0) < count) {
      await new Promise((resolve) => {
        const timer = setTimeout(resolve, msg.timeoutMs ?? 10_000);
        waiting.set(orderId, () => {
          clearTimeout(timer);
          resolve();
        });
      });
      waiting.delete(orderId);
    }
    const times = received.get(orderId) ?? [];
    parentPort.postMessage({ type: 'collected', orderId, times, from: receivedFrom.get(orderId) ?? [], missing: count - times.length, duplicates: duplicates.get(orderId) ?? 0 });
  } else if (msg.type === 'close') {
    for (const s of sockets) s.destroy();
    parentPort.postMessage({ type: 'closed' });
  }
});
