/**
 * P2 load client, one per worker thread: holds its share of the graphql-ws subscribers, so 10,000 sockets are not
 * parsed by one event loop (which would add its own queueing to the measured latency).
 *
 * Receipt times are `performance.timeOrigin + performance.now()`: an absolute clock with sub-millisecond resolution
 * that the main thread (which sends the mutation) reads the same way.
 */
import { parentPort, workerData } from 'node:worker_threads';
import WebSocket from 'ws';

// Plain JavaScript: worker threads do not inherit the tsx loader the bench runs under.
/** @type {{ urls: string[], token: string, count: number, offset: number, query: string, afterEventId: number }} */
const { urls, token, count, offset, query, afterEventId } = workerData;
const now = () => performance.timeOrigin + performance.now();

/** Per order id: when each subscriber got it (one entry per subscriber, duplicates counted separately). */
/** @type {Map<string, number[]>} */
const received = new Map();
/** @type {Map<string, number>} */
const duplicates = new Map();
/** @type {Map<string, () => void>} */
const waiting = new Map();
/** @type {WebSocket[]} */
const sockets = [];

/** @param {string} url */
function subscribe(url) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url.replace('http', 'ws'), 'graphql-transport-ws', { perMessageDeflate: false });
    const seen = new Set();
    const timer = setTimeout(() => reject(new Error('subscribe timeout')), 120_000);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
    ws.on('message', (raw) => {
      const t = now();
      const m = JSON.parse(String(raw));
      if (m.type === 'next') {
        const e = m.payload?.data?.orderStatusChanged;
        if (!e) return;
        if (seen.has(e.orderId)) {
          duplicates.set(e.orderId, (duplicates.get(e.orderId) ?? 0) + 1);
          return;
        }
        seen.add(e.orderId);
        let list = received.get(e.orderId);
        if (!list) received.set(e.orderId, (list = []));
        list.push(t);
        if (list.length === count) waiting.get(e.orderId)?.();
      } else if (m.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables: { afterEventId } } }));
        // graphql-ws has no "subscribed" ack; the outbox replay from afterEventId covers the gap.
        clearTimeout(timer);
        resolve();
      } else if (m.type === 'error') reject(new Error(JSON.stringify(m.payload)));
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    sockets.push(ws);
  });
}

parentPort.on('message', async (msg) => {
  if (msg.type === 'connect') {
    for (let i = 0; i < count; i += 250) {
      await Promise.all(Array.from({ length: Math.min(250, count - i) }, (_, j) => subscribe(urls[(offset + i + j) % urls.length])));
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
    parentPort.postMessage({ type: 'collected', orderId, times, missing: count - times.length, duplicates: duplicates.get(orderId) ?? 0 });
  } else if (msg.type === 'close') {
    for (const ws of sockets) ws.terminate();
    parentPort.postMessage({ type: 'closed' });
  }
});
