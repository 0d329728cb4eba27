import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { print } from 'graphql';
import WebSocket from 'ws';
import { collect, sleep, startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { OrderStatusChangedDocument, PlaceOrderDocument, type OrderStatusChangedSubscription } from './generated/graphql.js';
import type { EventEnvelope } from '../src/common/events/envelope.js';
import { DIRECT, eventStream, MAX_BUFFERED, type DirectOutcome } from '../src/common/events/stream.js';
import { Context } from '../src/common/context.js';
import { frameOf } from '../src/app/ws-support.js';
import { ORDER_STATUS_CHANGED } from '../src/modules/orders/orders.topics.js';

const SUB = print(OrderStatusChangedDocument);
type Ev = OrderStatusChangedSubscription['orderStatusChanged'];

let t: TestApp;
let ops: string;
let support: string;
let buyer: Awaited<ReturnType<typeof customer>>;
let other: Awaited<ReturnType<typeof customer>>;
let orderId: string;

beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  support = (await staffToken(t, Role.SUPPORT)).token;
  buyer = await customer(t, 'Buyer');
  other = await customer(t, 'Other');
  const variant = (await product(t, ops, [{ priceAmount: 1000 }])).variantIds[0]!;
  const res = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: variant, quantity: 1 }] } }, buyer.token);
  if (res.data?.placeOrder?.__typename !== 'Order') throw new Error(JSON.stringify(res));
  orderId = res.data.placeOrder.id;
  await t.drainEvents();
});
afterAll(() => t?.stop());

/** The next event for the buyer's order, handed to this instance's bus as the relay would (no gap to fill). */
function statusEvent(): EventEnvelope {
  const id = t.app.services.bus.lastDeliveredId + 1;
  return {
    id,
    topic: ORDER_STATUS_CHANGED,
    occurredAt: new Date().toISOString(),
    payload: { orderId, customerId: buyer.id, orderNumber: 1, previousStatus: 'PENDING_PAYMENT', status: 'PENDING_PAYMENT', reason: `r${id}`, actorKind: 'system', changedAt: new Date().toISOString() },
  };
}

async function waitForListeners(n: number) {
  const deadline = Date.now() + 10_000;
  while (t.app.services.bus.listenerCount !== n && Date.now() < deadline) await sleep(20);
  expect(t.app.services.bus.listenerCount).toBe(n);
}

describe('live fan-out', () => {
  it('executes an event once per document, variables and visibility, not once per subscriber; customers still see only their own', async () => {
    const opsSubs = Array.from({ length: 12 }, () => collect<{ orderStatusChanged: Ev }>(t.ws(ops), SUB));
    const supportSubs = Array.from({ length: 8 }, () => collect<{ orderStatusChanged: Ev }>(t.ws(support), SUB));
    const own = collect<{ orderStatusChanged: Ev }>(t.ws(buyer.token), SUB);
    const notOwn = collect<{ orderStatusChanged: Ev }>(t.ws(other.token), SUB);
    await waitForListeners(22);

    const event = statusEvent();
    // Each subscription selects `order { id status }`, read from the database when the event is delivered. Three
    // visibilities receive it (OPERATIONS+MERCHANDISING, SUPPORT, the buyer): one order read each, instead of 21.
    const statements = await t.countQueries(async () => {
      await t.app.services.bus.ingest([event]);
      await Promise.all([...opsSubs, ...supportSubs, own].map((s) => s.waitFor(1)));
    });
    expect(statements).toBe(3);

    for (const s of [...opsSubs, ...supportSubs, own]) {
      const e = s.items[0]!.data!.orderStatusChanged;
      expect(e).toMatchObject({ eventId: event.id, orderId, customerId: buyer.id, reason: event.payload.reason, order: { id: orderId, status: 'PENDING_PAYMENT' } });
      expect(s.items).toHaveLength(1);
    }

    // The other customer's subscription gets none of the buyer's events (it is filed under its own customerId in
    // the bus index, and filtered again on delivery).
    await t.app.services.bus.ingest([statusEvent()]);
    await Promise.all([...opsSubs, ...supportSubs, own].map((s) => s.waitFor(2)));
    await sleep(200);
    expect(notOwn.items).toHaveLength(0);
    expect(notOwn.error).toBeUndefined();

    for (const s of [...opsSubs, ...supportSubs, own, notOwn]) s.dispose();
    await waitForListeners(0);
  });

  it('does not share results between different variables of the same document', async () => {
    const all = collect<{ orderStatusChanged: Ev }>(t.ws(ops), SUB);
    const byOrder = collect<{ orderStatusChanged: Ev }>(t.ws(ops), SUB, { orderId });
    await waitForListeners(2);
    const statements = await t.countQueries(async () => {
      await t.app.services.bus.ingest([statusEvent()]);
      await Promise.all([all, byOrder].map((s) => s.waitFor(1)));
    });
    expect(statements).toBe(2);
    expect(all.items[0]!.data).toEqual(byOrder.items[0]!.data);
    all.dispose();
    byOrder.dispose();
    await waitForListeners(0);
  });

  it('sends every live event to every subscription of a socket under its own id, in order and once, as graphql-ws would', async () => {
    // A raw client: it sees the messages as sent, the pre-serialised shared ones included.
    const ws = new WebSocket(t.app.wsUrl, 'graphql-transport-ws');
    const messages: any[] = [];
    await new Promise<void>((resolve, reject) => {
      ws.once('error', reject);
      ws.on('message', (raw) => {
        const msg = JSON.parse(raw.toString());
        if (msg.type === 'connection_ack') resolve();
        else messages.push(msg);
      });
      ws.once('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${ops}` } })));
    });
    const query = 'subscription { orderStatusChanged { eventId reason } }';
    for (const id of ['a', 'b', 'c"\\']) ws.send(JSON.stringify({ id, type: 'subscribe', payload: { query } }));
    // Another socket with the same ids, document and visibility shares the serialised messages.
    const other = collect<{ orderStatusChanged: Ev }>(t.ws(ops), 'subscription { orderStatusChanged { eventId reason } }');
    await waitForListeners(4);

    const events = Array.from({ length: 30 }, (_, i) => {
      const e = statusEvent();
      const id = e.id + i;
      return { ...e, id, payload: { ...e.payload, reason: `r${id}` } };
    });
    await t.app.services.bus.ingest(events.slice(0, 10));
    await t.app.services.bus.ingest(events.slice(10));
    const deadline = Date.now() + 10_000;
    while (messages.length < 90 && Date.now() < deadline) await sleep(20);
    await other.waitFor(30);
    await sleep(100);

    expect(messages).toHaveLength(90);
    for (const id of ['a', 'b', 'c"\\']) {
      const mine = messages.filter((m) => m.id === id);
      expect(mine.every((m) => m.type === 'next' && Object.keys(m).join() === 'id,type,payload')).toBe(true);
      expect(mine.map((m) => m.payload)).toEqual(events.map((e) => ({ data: { orderStatusChanged: { eventId: e.id, reason: e.payload.reason } } })));
    }
    expect(other.items.map((r) => r.data!.orderStatusChanged.eventId)).toEqual(events.map((e) => e.id));

    ws.close();
    other.dispose();
    await waitForListeners(0);
  });

  it('a subscription whose consumer stops pulling releases its listener and events once it is too far behind', async () => {
    const ctx = new Context(t.app.services, { kind: 'token', tokenId: 'bench', roles: [Role.OPERATIONS] }, 'test');
    const before = t.app.services.bus.listenerCount;
    const stream = eventStream(ctx, { topic: ORDER_STATUS_CHANGED });
    expect(t.app.services.bus.listenerCount).toBe(before + 1);
    const first = statusEvent();
    const events = [first];
    for (let i = 1; i < MAX_BUFFERED + 50; i++) events.push({ ...statusEvent(), id: first.id + i });
    await t.app.services.bus.ingest(events);
    // Nobody called next(): the stream gave up at MAX_BUFFERED + 1 waiting events and stopped listening at once,
    // instead of keeping every later event (and its payload) for a consumer that is not reading.
    expect(t.app.services.bus.listenerCount).toBe(before);
    await expect(stream.next()).rejects.toThrow(`resubscribe with afterEventId=${first.id - 1}`);
    expect(await stream.next()).toEqual({ value: undefined, done: true });
  });

  it('offers live events to an idle direct consumer, and while it holds one, queues the rest for next() in order', async () => {
    const ctx = new Context(t.app.services, { kind: 'token', tokenId: 'direct', roles: [Role.OPERATIONS] }, 'test');
    const stream = eventStream(ctx, { topic: ORDER_STATUS_CHANGED });
    const offered: number[] = [];
    let answer: DirectOutcome = 'sent';
    const control = stream[DIRECT]!((e) => {
      offered.push(e.id);
      return answer;
    });
    const ev = (n: number) => Array.from({ length: n }, (_, i) => ({ ...statusEvent(), id: t.app.services.bus.lastDeliveredId + 1 + i }));

    // Nobody is waiting in next(): events are buffered and the consumer is not offered them.
    const early = ev(2);
    await t.app.services.bus.ingest(early);
    expect(offered).toEqual([]);
    expect((await stream.next()).value!.id).toBe(early[0]!.id);
    expect((await stream.next()).value!.id).toBe(early[1]!.id);

    // Idle (parked in next()): each event is offered; 'sent' consumes it, next() stays pending.
    const parked = stream.next();
    const sent = ev(2);
    await t.app.services.bus.ingest(sent);
    expect(offered).toEqual(sent.map((e) => e.id));

    // 'held': later events are not offered but queued; release() hands them to next() in order.
    answer = 'held';
    const held = ev(3);
    await t.app.services.bus.ingest(held);
    expect(offered).toEqual([...sent, held[0]!].map((e) => e.id));
    control.release();
    expect((await parked).value!.id).toBe(held[1]!.id);
    expect((await stream.next()).value!.id).toBe(held[2]!.id);

    // release(event): the consumer could not send it after all; next() gets it first, then what queued behind it.
    const again = stream.next();
    const back = ev(2);
    await t.app.services.bus.ingest(back);
    expect(offered.at(-1)).toBe(back[0]!.id);
    control.release(back[0]);
    expect((await again).value!.id).toBe(back[0]!.id);
    expect((await stream.next()).value!.id).toBe(back[1]!.id);

    // 'pass': the event goes to next() as usual.
    answer = 'pass';
    const passed = stream.next();
    const [p] = ev(1);
    await t.app.services.bus.ingest([p!]);
    expect((await passed).value!.id).toBe(p!.id);
    expect(offered.at(-1)).toBe(p!.id);

    await stream.return!();
    expect(control.active).toBe(false);
  });

  it('frames a shared message once as an unmasked RFC 6455 text frame, for every payload length encoding', () => {
    for (const [n, head] of [
      [5, [0x81, 5]],
      [125, [0x81, 125]],
      [126, [0x81, 126, 0, 126]],
      [65_535, [0x81, 126, 0xff, 0xff]],
      [70_000, [0x81, 127, 0, 0, 0, 0, 0, 1, 0x11, 0x70]],
    ] as const) {
      const message = Buffer.alloc(n, 'x');
      const frame = frameOf(message);
      expect([...frame.subarray(0, head.length)]).toEqual(head);
      expect(frame.length).toBe(head.length + n);
      expect(frame.subarray(head.length).equals(message)).toBe(true);
      expect(frameOf(message)).toBe(frame); // cached per message: one frame for every socket
    }
  });
});
