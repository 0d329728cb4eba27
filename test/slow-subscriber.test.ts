import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { sleep, startTestApp, type TestApp } from './support/harness.js';
import { Role, staffToken } from './support/fixtures.js';
import type { EventEnvelope } from '../src/common/events/envelope.js';
import { ORDER_STATUS_CHANGED } from '../src/modules/orders/orders.topics.js';

const LIMIT = 64 * 1024;
let t: TestApp;
let token: string;
let nextId = 1;

beforeAll(async () => {
  t = await startTestApp({ env: { WS_MAX_BUFFERED_BYTES: String(LIMIT) } });
  token = (await staffToken(t, Role.OPERATIONS)).token;
});
afterAll(() => t?.stop());

/** A raw graphql-transport-ws client with `subscriptions` order status subscriptions open. */
async function subscriber(subscriptions: number) {
  const ws = new WebSocket(t.app.wsUrl, 'graphql-transport-ws');
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  let received = 0;
  await new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('message', (raw) => {
      const msg = JSON.parse(raw.toString());
      if (msg.type === 'connection_ack') resolve();
      if (msg.type === 'next') received++;
    });
    ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${token}` } })));
  });
  for (let i = 0; i < subscriptions; i++) {
    ws.send(JSON.stringify({ id: `s${i}`, type: 'subscribe', payload: { query: 'subscription { orderStatusChanged { eventId reason } }' } }));
  }
  const deadline = Date.now() + 5000;
  while (t.app.services.bus.listenerCount < subscriptions && Date.now() < deadline) await sleep(20);
  expect(t.app.services.bus.listenerCount).toBe(subscriptions);
  return { ws, closed, received: () => received };
}

/** Publishes events with a large payload straight into this instance's bus, as the relay would. */
async function publish(count: number, reasonBytes = 32 * 1024) {
  const reason = 'x'.repeat(reasonBytes);
  const events: EventEnvelope[] = [];
  for (let i = 0; i < count; i++) {
    const id = nextId++;
    events.push({
      id,
      topic: ORDER_STATUS_CHANGED,
      occurredAt: new Date().toISOString(),
      payload: { orderId: '0190e0a0-0000-7000-8000-000000000001', customerId: '0190e0a0-0000-7000-8000-000000000002', orderNumber: id, previousStatus: 'PAID', status: 'CONFIRMED', reason, actorKind: 'system', changedAt: new Date().toISOString() },
    });
  }
  await t.app.services.bus.ingest(events);
}

async function waitFor(cond: () => boolean, ms: number) {
  const deadline = Date.now() + ms;
  while (!cond() && Date.now() < deadline) await sleep(25);
  return cond();
}

describe('slow WebSocket subscriber', () => {
  it('a reading subscriber gets every event and stays connected', async () => {
    const s = await subscriber(1);
    await publish(50);
    expect(await waitFor(() => s.received() === 50, 10_000)).toBe(true);
    expect(s.ws.readyState).toBe(WebSocket.OPEN);
    s.ws.close();
    await s.closed;
    expect(await waitFor(() => t.app.services.bus.listenerCount === 0, 5000)).toBe(true);
  });

  it('a subscriber that stops reading is closed with 4413 and its listeners are released', async () => {
    const s = await subscriber(4);
    (s.ws as any)._socket.pause();
    // 4 subscriptions × 400 events × 32 KB ≈ 50 MB if it were all buffered: far beyond the kernel buffers and the limit.
    await publish(400);
    await sleep(500);
    (s.ws as any)._socket.resume();
    const { code, reason } = await s.closed;
    expect(code).toBe(4413);
    expect(reason).toMatch(/not reading/);
    expect(s.received()).toBeLessThan(4 * 400);
    expect(await waitFor(() => t.app.services.bus.listenerCount === 0, 10_000)).toBe(true);
  });

  it('a subscriber that never reads again is dropped after the grace period', async () => {
    const s = await subscriber(2);
    (s.ws as any)._socket.pause();
    await publish(400);
    expect(await waitFor(() => t.app.services.bus.listenerCount === 0, 15_000)).toBe(true);
    // The socket itself is gone on the server, and with it the messages it could not send.
    const metrics = await (await fetch(t.app.url.replace(/\/graphql$/, '/metrics'))).text();
    expect(metrics).toMatch(/^graphql_ws_connections 0$/m);
    s.ws.terminate();
  }, 30_000);
});
