import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { print } from 'graphql';
import { collect, sleep, startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { ManualClock } from '../src/common/clock.js';
import { logistics, processingOrder, ship } from './support/delivery-fixtures.js';
import {
  AddTicketMessageDocument,
  AssignTicketDocument,
  OpenShipmentExceptionTicketDocument,
  OpenTicketDocument,
  PlaceOrderDocument,
  ProductQualityFiguresDocument,
  RateTicketDocument,
  SetSlaPolicyDocument,
  SlaPoliciesDocument,
  TicketBreachesDocument,
  TicketByIdDocument,
  TicketsDocument,
  TicketUpdatedDocument,
  TransitionTicketDocument,
  UpdateTicketDocument,
  type OpenTicketInput,
  type TicketUpdatedSubscription,
} from './generated/graphql.js';

const MIN = 60_000;
const T0 = new Date('2026-03-02T09:00:00.000Z');
const clock = new ManualClock(T0);
const at = (ms: number) => new Date(T0.getTime() + ms).toISOString();
const SUB = print(TicketUpdatedDocument);
type Ev = TicketUpdatedSubscription['ticketUpdated'];

let t: TestApp;
let agent: { token: string; userId: string };
let agent2: { token: string; userId: string };
let ops: string;
let admin: string;
let analyst: string;
let alice: Awaited<ReturnType<typeof customer>>;
let bob: Awaited<ReturnType<typeof customer>>;
let productA: string;
let productB: string;
let variantA: string;

beforeAll(async () => {
  t = await startTestApp({ clock });
  agent = await staffToken(t, Role.SUPPORT);
  agent2 = await staffToken(t, Role.SUPPORT);
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  admin = (await staffToken(t, Role.ADMIN)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  alice = await customer(t, 'Alice');
  bob = await customer(t, 'Bob');
  const a = await product(t, ops, [{ priceAmount: 1000 }]);
  productA = a.productId;
  variantA = a.variantIds[0]!;
  productB = (await product(t, ops, [{ priceAmount: 500 }])).productId;
});
afterAll(() => t?.stop());

const count = async (sql: string, params: unknown[] = []) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);
const snapshot = async () => ({
  tickets: await count('support_ticket'),
  messages: await count('support_ticket_message'),
  links: await count('support_ticket_product'),
  events: await count('event_outbox'),
});

async function open(token: string, input: Partial<OpenTicketInput> = {}) {
  const res = await t.gql(OpenTicketDocument, { input: { subject: 'Where is my parcel?', body: 'It has been a week.', category: 'INQUIRY', ...input } }, token);
  const r = res.data?.openTicket;
  if (r?.__typename !== 'Ticket') throw new Error(JSON.stringify(res));
  return r;
}
const message = (ticketId: string, body: string, token: string, internal?: boolean) => t.gql(AddTicketMessageDocument, { input: { ticketId, body, internal } }, token);
const move = (ticketId: string, to: any, token = agent.token, reason?: string) => t.gql(TransitionTicketDocument, { input: { ticketId, to, reason } }, token);
const runBreaches = () => t.app.runJob('support.sla-breaches');

describe('opening tickets', () => {
  it('a customer opens their own ticket: NEW, NORMAL, due times from the policy at the clock time', async () => {
    clock.set(T0);
    const ticket = await open(alice.token, { channel: 'EMAIL', productIds: [productA] });
    expect(ticket.status).toBe('NEW');
    expect(ticket.priority).toBe('NORMAL');
    expect(ticket.channel).toBe('EMAIL');
    expect(ticket.customer.id).toBe(alice.id);
    expect(ticket.displayNumber).toBe(`T-${ticket.number}`);
    expect(ticket.createdAt).toBe(at(0));
    // Seeded NORMAL policy: first response 240 min, resolution 1440 min.
    expect(ticket.firstResponseDueAt).toBe(at(240 * MIN));
    expect(ticket.resolutionDueAt).toBe(at(1440 * MIN));
    expect(ticket.nextDueAt).toBe(at(240 * MIN));
    expect(ticket.nextStates).toEqual(['OPEN', 'CLOSED']);
    expect(ticket.messages.map((m) => [m.authorKind, m.body, m.internal])).toEqual([['CUSTOMER', 'It has been a week.', false]]);
    expect(ticket.products.map((p) => p.id)).toEqual([productA]);
  });

  it('staff open tickets for a customer with a priority; URGENT gets the URGENT targets', async () => {
    clock.set(T0);
    const ticket = await open(agent.token, { customerId: bob.id, priority: 'URGENT', channel: 'PHONE', tags: ['VIP', 'vip', 'refund'] });
    expect(ticket.customer.id).toBe(bob.id);
    expect(ticket.firstResponseDueAt).toBe(at(30 * MIN));
    expect(ticket.resolutionDueAt).toBe(at(240 * MIN));
    expect(ticket.tags).toEqual(['vip', 'refund']);
    expect(ticket.messages[0]!.authorKind).toBe('AGENT');
  });

  it('refuses bad input naming the field, and writes nothing', async () => {
    const before = await snapshot();
    const orderRes = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: variantA, quantity: 1 }] } }, bob.token);
    const bobsOrder = orderRes.data?.placeOrder;
    if (bobsOrder?.__typename !== 'Order') throw new Error(JSON.stringify(orderRes));
    const base = { subject: 'x', body: 'y', category: 'INQUIRY' as const };
    const cases: [string, any, string][] = [
      [alice.token, { ...base, priority: 'URGENT' }, 'priority'],
      [alice.token, { ...base, orderId: bobsOrder.id }, 'orderId'],
      [alice.token, { ...base, subject: '  ' }, 'subject'],
      [alice.token, { ...base, productIds: [productA, 'nope'] }, 'productIds[1]'],
      [agent.token, { ...base }, 'customerId'],
      [agent.token, { ...base, customerId: alice.id, tags: ['bad tag!'] }, 'tags[0]'],
    ];
    for (const [token, input, field] of cases) {
      const res = await t.gql(OpenTicketDocument, { input }, token);
      expect(res.errors?.[0]?.extensions?.code, field).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.field).toBe(field);
    }
    const afterOrder = { ...before, events: before.events + 1 }; // the order placement event
    expect(await snapshot()).toEqual(afterOrder);
  });

  it('customers cannot open tickets for someone else or read them; analysts cannot open tickets', async () => {
    const res = await t.gql(OpenTicketDocument, { input: { customerId: bob.id, subject: 'x', body: 'y', category: 'OTHER' } }, alice.token);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bobs = await open(bob.token);
    const read = await t.gql(TicketByIdDocument, { id: bobs.id }, alice.token);
    expect(read.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const byAnalyst = await t.gql(OpenTicketDocument, { input: { customerId: bob.id, subject: 'x', body: 'y', category: 'OTHER' } }, analyst);
    expect(byAnalyst.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const list = await t.gql(TicketsDocument, { first: 100 }, alice.token);
    expect(list.data!.tickets.nodes.every((n) => n.customer.id === alice.id)).toBe(true);
  });
});

describe('messages and the lifecycle', () => {
  it('an agent reply meets the first response and opens the ticket; internal notes stay internal', async () => {
    clock.set(T0);
    const ticket = await open(alice.token);
    clock.set(at(10 * MIN));
    const note = await message(ticket.id, 'Customer is a reseller', agent.token, true);
    expect(note.data?.addTicketMessage.__typename).toBe('Ticket');
    const afterNote = await t.gql(TicketByIdDocument, { id: ticket.id }, agent.token);
    expect(afterNote.data!.ticket.status).toBe('NEW');
    expect(afterNote.data!.ticket.firstRespondedAt).toBeNull();

    clock.set(at(25 * MIN));
    const reply = await message(ticket.id, 'We are on it.', agent.token);
    const r = reply.data?.addTicketMessage;
    if (r?.__typename !== 'Ticket') throw new Error(JSON.stringify(reply));
    expect(r.status).toBe('OPEN');
    expect(r.firstRespondedAt).toBe(at(25 * MIN));
    expect(r.nextDueAt).toBe(at(1440 * MIN)); // only the resolution target still runs
    expect(r.messages.map((m) => [m.authorKind, m.internal])).toEqual([
      ['CUSTOMER', false],
      ['AGENT', true],
      ['AGENT', false],
    ]);

    const seenByCustomer = await t.gql(TicketByIdDocument, { id: ticket.id }, alice.token);
    expect(seenByCustomer.data!.ticket.messages.map((m) => m.body)).toEqual(['It has been a week.', 'We are on it.']);

    const customerNote = await message(ticket.id, 'secret', alice.token, true);
    expect(customerNote.errors?.[0]?.extensions?.field).toBe('internal');
  });

  it('walks NEW → OPEN → PENDING_CUSTOMER → (customer reply) OPEN → RESOLVED → reopen → RESOLVED → CLOSED; illegal moves change nothing', async () => {
    clock.set(T0);
    const ticket = await open(alice.token);

    const before = await snapshot();
    const illegal = await move(ticket.id, 'RESOLVED');
    expect(illegal.data?.transitionTicket).toMatchObject({ __typename: 'IllegalTicketTransitionError', errorCode: 'ILLEGAL_TRANSITION', from: 'NEW', to: 'RESOLVED', allowed: ['OPEN', 'CLOSED'] });
    expect(await snapshot()).toEqual(before);

    const byCustomer = await move(ticket.id, 'OPEN', alice.token);
    expect(byCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    expect((await move(ticket.id, 'OPEN')).data?.transitionTicket.__typename).toBe('Ticket');
    const pending = await move(ticket.id, 'PENDING_CUSTOMER');
    expect(pending.data?.transitionTicket).toMatchObject({ status: 'PENDING_CUSTOMER', nextStates: ['OPEN', 'RESOLVED'] });

    const customerReply = await message(ticket.id, 'Here is the photo.', alice.token);
    expect(customerReply.data?.addTicketMessage).toMatchObject({ status: 'OPEN' });

    clock.set(at(100 * MIN));
    const resolved = await move(ticket.id, 'RESOLVED');
    expect(resolved.data?.transitionTicket).toMatchObject({ status: 'RESOLVED', resolvedAt: at(100 * MIN), nextDueAt: null, nextStates: ['OPEN', 'CLOSED'] });

    // The customer reopens: a fresh resolution target from now.
    clock.set(at(200 * MIN));
    const reopened = await move(ticket.id, 'OPEN', alice.token);
    expect(reopened.data?.transitionTicket).toMatchObject({ status: 'OPEN', resolvedAt: null, resolutionDueAt: at((200 + 1440) * MIN) });

    expect((await move(ticket.id, 'RESOLVED')).data?.transitionTicket).toMatchObject({ status: 'RESOLVED' });
    const closed = await move(ticket.id, 'CLOSED', alice.token);
    expect(closed.data?.transitionTicket).toMatchObject({ status: 'CLOSED', nextStates: [] });
    if (closed.data?.transitionTicket.__typename !== 'Ticket') throw new Error('expected a ticket');
    // Moves caused by replies are recorded with the replying author.
    expect(closed.data.transitionTicket.statusHistory.map((h) => [h.fromStatus, h.toStatus, h.actorKind])).toEqual([
      [null, 'NEW', 'customer'],
      ['NEW', 'OPEN', 'staff'],
      ['OPEN', 'PENDING_CUSTOMER', 'staff'],
      ['PENDING_CUSTOMER', 'OPEN', 'customer'],
      ['OPEN', 'RESOLVED', 'staff'],
      ['RESOLVED', 'OPEN', 'customer'],
      ['OPEN', 'RESOLVED', 'staff'],
      ['RESOLVED', 'CLOSED', 'customer'],
    ]);
    expect(closed.data.transitionTicket.statusHistory[4]!.at).toBe(at(100 * MIN));

    const before2 = await snapshot();
    expect((await move(ticket.id, 'OPEN')).data?.transitionTicket).toMatchObject({ __typename: 'IllegalTicketTransitionError', from: 'CLOSED', allowed: [] });
    expect((await message(ticket.id, 'one more thing', alice.token)).data?.addTicketMessage).toMatchObject({ __typename: 'TicketClosedError', errorCode: 'TICKET_CLOSED' });
    expect((await t.gql(AssignTicketDocument, { input: { ticketId: ticket.id, assigneeId: agent.userId } }, agent.token)).data?.assignTicket.__typename).toBe('TicketClosedError');
    expect(await snapshot()).toEqual(before2);
  });

  it('applies exactly one of two concurrent identical moves', async () => {
    const ticket = await open(alice.token);
    await move(ticket.id, 'OPEN');
    const results = await Promise.all([move(ticket.id, 'RESOLVED'), move(ticket.id, 'RESOLVED')]);
    expect(results.map((r) => r.data?.transitionTicket.__typename).sort()).toEqual(['IllegalTicketTransitionError', 'Ticket']);
    expect(await count(`support_ticket_status_change WHERE ticket_id = $1 AND to_status = 'RESOLVED'`, [ticket.id])).toBe(1);
    expect((await move(ticket.id, 'CLOSED', bob.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('a customer reply to a RESOLVED ticket reopens it; closing a NEW ticket needs a reason, kept in the status history', async () => {
    const ticket = await open(alice.token);
    await move(ticket.id, 'OPEN');
    await move(ticket.id, 'RESOLVED');
    expect((await message(ticket.id, 'Still broken', alice.token)).data?.addTicketMessage).toMatchObject({ status: 'OPEN', resolvedAt: null });

    const spam = await open(alice.token);
    const noReason = await move(spam.id, 'CLOSED');
    expect(noReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    const closed = await move(spam.id, 'CLOSED', agent.token, 'duplicate of another ticket');
    expect(closed.data?.transitionTicket).toMatchObject({ status: 'CLOSED' });
    if (closed.data?.transitionTicket.__typename !== 'Ticket') throw new Error('expected a ticket');
    expect(closed.data.transitionTicket.statusHistory.map((h) => [h.fromStatus, h.toStatus, h.reason, h.actorKind])).toEqual([
      [null, 'NEW', null, 'customer'],
      ['NEW', 'CLOSED', 'duplicate of another ticket', 'staff'],
    ]);
  });

  it('satisfaction: only after resolution, once, by the owner', async () => {
    const ticket = await open(alice.token);
    const early = await t.gql(RateTicketDocument, { input: { ticketId: ticket.id, rating: 5 } }, alice.token);
    expect(early.data?.rateTicket).toMatchObject({ __typename: 'TicketNotResolvedError', errorCode: 'TICKET_NOT_RESOLVED' });
    await move(ticket.id, 'OPEN');
    await move(ticket.id, 'RESOLVED');
    const bad = await t.gql(RateTicketDocument, { input: { ticketId: ticket.id, rating: 6 } }, alice.token);
    expect(bad.errors?.[0]?.extensions?.field).toBe('rating');
    const other = await t.gql(RateTicketDocument, { input: { ticketId: ticket.id, rating: 1 } }, bob.token);
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const rated = await t.gql(RateTicketDocument, { input: { ticketId: ticket.id, rating: 4, comment: 'Quick help' } }, alice.token);
    expect(rated.data?.rateTicket).toEqual({ __typename: 'Ticket', id: ticket.id, satisfactionRating: 4, satisfactionComment: 'Quick help' });
    const again = await t.gql(RateTicketDocument, { input: { ticketId: ticket.id, rating: 1 } }, alice.token);
    expect(again.data?.rateTicket).toMatchObject({ __typename: 'TicketAlreadyRatedError' });
    expect((await t.sql('SELECT satisfaction_rating FROM support_ticket WHERE id = $1', [ticket.id]))[0].satisfaction_rating).toBe(4);
  });

  it('assignment takes only active support agents; a priority change recomputes the running targets', async () => {
    clock.set(T0);
    const ticket = await open(alice.token);
    const notAgent = await t.gql(AssignTicketDocument, { input: { ticketId: ticket.id, assigneeId: (await staffToken(t, Role.MARKETING)).userId } }, agent.token);
    expect(notAgent.errors?.[0]?.extensions?.field).toBe('assigneeId');
    const ok = await t.gql(AssignTicketDocument, { input: { ticketId: ticket.id, assigneeId: agent2.userId } }, agent.token);
    expect(ok.data?.assignTicket).toEqual({ __typename: 'Ticket', id: ticket.id, assignee: { id: agent2.userId } });
    const assigneeForCustomer = await t.gql(TicketBreachesDocument, { id: ticket.id }, alice.token);
    expect(assigneeForCustomer.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    clock.set(at(5 * MIN));
    const upd = await t.gql(UpdateTicketDocument, { input: { ticketId: ticket.id, priority: 'HIGH', category: 'COMPLAINT', productIds: [productB], tags: ['Damaged'] } }, agent.token);
    // HIGH: 60 / 480 minutes from opening.
    expect(upd.data?.updateTicket).toMatchObject({ priority: 'HIGH', category: 'COMPLAINT', firstResponseDueAt: at(60 * MIN), resolutionDueAt: at(480 * MIN), nextDueAt: at(60 * MIN), products: [{ id: productB }], tags: ['damaged'] });
    const tagged = await t.gql(TicketsDocument, { first: 10, filter: { tag: 'DAMAGED' } }, agent.token);
    expect(tagged.data!.tickets.nodes.map((n) => n.id)).toEqual([ticket.id]);
    expect(await count('support_ticket_product WHERE ticket_id = $1', [ticket.id])).toBe(1);
  });
});

describe('SLA policies and breaches', () => {
  it('detects breaches at the clock time, once each, and pushes ticketUpdated', async () => {
    clock.set(T0);
    const late = await open(bob.token, { subject: 'late' });
    const answered = await open(bob.token, { subject: 'answered' });
    const staffSub = collect<{ ticketUpdated: Ev }>(t.ws(agent.token), SUB, { ticketId: late.id });
    const customerSub = collect<{ ticketUpdated: Ev }>(t.ws(bob.token), SUB, { ticketId: late.id });
    await sleep(300);

    clock.set(at(100 * MIN));
    await message(answered.id, 'Answer in time', agent.token);

    clock.set(at(240 * MIN - 1000));
    await runBreaches();
    expect((await t.gql(TicketBreachesDocument, { id: late.id }, agent.token)).data!.ticket.firstResponseBreached).toBe(false);

    clock.set(at(240 * MIN));
    await runBreaches();
    await runBreaches(); // a second run must not mark or announce it again
    const breached = await t.gql(TicketBreachesDocument, { id: late.id }, agent.token);
    expect(breached.data!.ticket).toMatchObject({ firstResponseBreached: true, resolutionBreached: false });
    expect((await t.sql('SELECT first_response_breached_at FROM support_ticket WHERE id = $1', [late.id]))[0].first_response_breached_at.toISOString()).toBe(at(240 * MIN));
    expect((await t.gql(TicketBreachesDocument, { id: answered.id }, agent.token)).data!.ticket.firstResponseBreached).toBe(false);
    expect(await count(`event_outbox WHERE topic = 'support.ticket_updated' AND payload->>'kind' = 'SLA_BREACH' AND payload->>'ticketId' = $1`, [late.id])).toBe(1);

    const [ev] = (await staffSub.waitFor(1)).map((r) => r.data!.ticketUpdated);
    expect(ev).toMatchObject({ ticketId: late.id, kind: 'SLA_BREACH', breach: 'FIRST_RESPONSE', at: at(240 * MIN), ticket: { id: late.id, status: 'NEW' } });

    // A new message is pushed to staff and to the owner; the breach (internal) is not shown to the customer.
    await message(late.id, 'Sorry for the wait', agent.token);
    const [, msg] = (await staffSub.waitFor(2)).map((r) => r.data!.ticketUpdated);
    expect(msg).toMatchObject({ kind: 'MESSAGE', status: 'OPEN' });
    const [own] = (await customerSub.waitFor(1)).map((r) => r.data!.ticketUpdated);
    expect(own).toMatchObject({ kind: 'MESSAGE', messageId: msg!.messageId });

    // Resolution target of NORMAL: 1440 minutes.
    clock.set(at(1440 * MIN + 1));
    await runBreaches();
    const [, , res] = (await staffSub.waitFor(3)).map((r) => r.data!.ticketUpdated);
    expect(res).toMatchObject({ kind: 'SLA_BREACH', breach: 'RESOLUTION' });
    await sleep(300);
    expect(staffSub.items).toHaveLength(3);
    expect(customerSub.items).toHaveLength(1);
    staffSub.dispose();
    customerSub.dispose();
  });

  it('marks each breach once when several instances run the detector at the same time', async () => {
    clock.set(T0);
    const tickets = await Promise.all([1, 2, 3].map(() => open(bob.token, { subject: 'concurrent' })));
    clock.set(at(241 * MIN));
    await Promise.all([1, 2, 3, 4].map(() => runBreaches()));
    for (const ticket of tickets) {
      expect(await count(`event_outbox WHERE payload->>'kind' = 'SLA_BREACH' AND payload->>'breach' = 'FIRST_RESPONSE' AND payload->>'ticketId' = $1`, [ticket.id])).toBe(1);
    }
  });

  it('pauses the SLA while waiting for the customer and moves the targets out by the pause', async () => {
    clock.set(T0);
    const ticket = await open(alice.token); // NORMAL: first response +240, resolution +1440
    await move(ticket.id, 'OPEN'); // opened without a reply: the first-response target still runs
    clock.set(at(60 * MIN));
    const pending = await move(ticket.id, 'PENDING_CUSTOMER');
    expect(pending.data?.transitionTicket).toMatchObject({ status: 'PENDING_CUSTOMER', nextDueAt: null });
    expect(await count('support_ticket WHERE id = $1 AND sla_paused_at = $2', [ticket.id, at(60 * MIN)])).toBe(1);

    // Long past both targets, but paused: nothing breaches.
    clock.set(at(2000 * MIN));
    await runBreaches();
    expect((await t.gql(TicketBreachesDocument, { id: ticket.id }, agent.token)).data!.ticket).toMatchObject({ firstResponseBreached: false, resolutionBreached: false });

    // The customer answers after 1940 paused minutes: both running targets move out by that much.
    const back = await message(ticket.id, 'Here are the photos', alice.token);
    expect(back.data?.addTicketMessage).toMatchObject({
      status: 'OPEN',
      firstResponseDueAt: at((240 + 1940) * MIN),
      resolutionDueAt: at((1440 + 1940) * MIN),
      nextDueAt: at((240 + 1940) * MIN),
    });
    clock.set(at((240 + 1940) * MIN));
    await runBreaches();
    expect((await t.gql(TicketBreachesDocument, { id: ticket.id }, agent.token)).data!.ticket).toMatchObject({ firstResponseBreached: true, resolutionBreached: false });
    const breachedAt = await t.gql(TicketBreachesDocument, { id: ticket.id }, agent.token);
    expect(breachedAt.data!.ticket.firstResponseBreachedAt).toBe(at((240 + 1940) * MIN));
  });

  it('replays missed ticket events with afterEventId; customers cannot watch other customers’ tickets', async () => {
    const ticket = await open(alice.token);
    const first = collect<{ ticketUpdated: Ev }>(t.ws(agent.token), SUB, { ticketId: ticket.id });
    await sleep(300);
    await message(ticket.id, 'one', agent.token);
    const [seen] = await first.waitFor(1);
    first.dispose();
    await message(ticket.id, 'two', alice.token);
    await message(ticket.id, 'note', agent.token, true);
    await sleep(500);
    const resumed = collect<{ ticketUpdated: Ev }>(t.ws(agent.token), SUB, { ticketId: ticket.id, afterEventId: seen!.data!.ticketUpdated.eventId });
    expect((await resumed.waitFor(2)).map((r) => r.data!.ticketUpdated.kind)).toEqual(['MESSAGE', 'MESSAGE']);
    resumed.dispose();

    const ownReplay = collect<{ ticketUpdated: Ev }>(t.ws(alice.token), SUB, { ticketId: ticket.id, afterEventId: 0 });
    const got = await ownReplay.waitFor(3);
    await sleep(300);
    // CREATED, "one", "two"; the internal note is not replayed to the customer.
    expect(ownReplay.items.map((r) => r.data!.ticketUpdated.kind)).toEqual(['CREATED', 'MESSAGE', 'MESSAGE']);
    expect(got).toHaveLength(3);
    ownReplay.dispose();

    const spy = collect<{ ticketUpdated: Ev }>(t.ws(bob.token), SUB, { ticketId: ticket.id });
    await spy.settled();
    expect(spy.errors[0]?.message).toMatch(/not found/);
    const anon = collect<{ ticketUpdated: Ev }>(t.ws(), SUB, {});
    await anon.settled();
    expect(anon.errors.length).toBeGreaterThan(0);
  });

  it('policies are per priority; a change applies to tickets opened afterwards; only ADMIN may change them', async () => {
    const policies = (await t.gql(SlaPoliciesDocument, {}, analyst)).data!.slaPolicies;
    expect(policies.map((p) => [p.priority, p.firstResponseMinutes, p.resolutionMinutes])).toEqual([
      ['URGENT', 30, 240],
      ['HIGH', 60, 480],
      ['NORMAL', 240, 1440],
      ['LOW', 1440, 4320],
    ]);
    expect((await t.gql(SetSlaPolicyDocument, { input: { priority: 'LOW', firstResponseMinutes: 10, resolutionMinutes: 20 } }, agent.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await t.gql(SetSlaPolicyDocument, { input: { priority: 'LOW', firstResponseMinutes: 100, resolutionMinutes: 20 } }, admin);
    expect(bad.errors?.[0]?.extensions?.field).toBe('resolutionMinutes');
    clock.set(T0);
    const before = await open(agent.token, { customerId: alice.id, priority: 'LOW' });
    await t.gql(SetSlaPolicyDocument, { input: { priority: 'LOW', firstResponseMinutes: 120, resolutionMinutes: 2880 } }, admin);
    const after = await open(agent.token, { customerId: alice.id, priority: 'LOW' });
    expect(before.firstResponseDueAt).toBe(at(1440 * MIN));
    expect(after.firstResponseDueAt).toBe(at(120 * MIN));
    expect(after.resolutionDueAt).toBe(at(2880 * MIN));
    expect((await t.gql(TicketByIdDocument, { id: before.id }, agent.token)).data!.ticket.firstResponseDueAt).toBe(at(1440 * MIN));
  });
});

describe('agent queues', () => {
  it('UNASSIGNED, MINE and BREACHING_SOON (most urgent first)', async () => {
    await t.sql(`UPDATE support_ticket SET status = 'CLOSED', next_due_at = NULL`); // a clean board for this test
    clock.set(T0);
    const normal = await open(alice.token); // first response due +240
    const urgent = await open(agent.token, { customerId: alice.id, priority: 'URGENT' }); // due +30
    const high = await open(agent.token, { customerId: bob.id, priority: 'HIGH' }); // due +60
    await t.gql(AssignTicketDocument, { input: { ticketId: high.id, assigneeId: agent.userId } }, agent.token);

    const q = async (filter: any, token = agent.token) => (await t.gql(TicketsDocument, { first: 10, filter }, token)).data!.tickets;
    expect((await q({ queue: 'UNASSIGNED' })).nodes.map((n) => n.id).sort()).toEqual([normal.id, urgent.id].sort());
    expect((await q({ queue: 'MINE' })).nodes.map((n) => n.id)).toEqual([high.id]);
    expect((await q({ queue: 'MINE' }, agent2.token)).nodes).toEqual([]);

    clock.set(at(10 * MIN));
    const soon = await q({ queue: 'BREACHING_SOON', breachWithinMinutes: 60 }); // due by +70
    expect(soon.nodes.map((n) => n.id)).toEqual([urgent.id, high.id]);
    expect(soon.totalCount).toBe(2);
    clock.set(at(300 * MIN)); // everything overdue counts, most overdue first
    expect((await q({ queue: 'BREACHING_SOON' })).nodes.map((n) => n.id)).toEqual([urgent.id, high.id, normal.id]);

    const bad = await t.gql(TicketsDocument, { filter: { queue: 'MINE' } }, alice.token);
    expect(bad.errors?.[0]?.extensions?.field).toBe('filter.queue');
  });

  it('lists tickets with nested messages and customers in a constant number of queries', async () => {
    const small = await t.countQueries(() => t.gql(TicketsDocument, { first: 2 }, agent.token));
    const large = await t.countQueries(() => t.gql(TicketsDocument, { first: 20 }, agent.token));
    expect(large).toBe(small);
    const page1 = (await t.gql(TicketsDocument, { first: 2 }, agent.token)).data!.tickets;
    const page2 = (await t.gql(TicketsDocument, { first: 2, after: page1.pageInfo.endCursor }, agent.token)).data!.tickets;
    expect(page2.nodes[0]!.id).not.toBe(page1.nodes[1]!.id);
    const badCursor = await t.gql(TicketsDocument, { first: 2, after: 'garbage' }, agent.token);
    expect(badCursor.errors?.[0]?.extensions?.field).toBe('after');
  });
});

describe('shipment exceptions and product quality', () => {
  it('opens one LOGISTICS ticket per shipment while it is open, also under concurrency', async () => {
    // A real shipment of Alice's: tickets reference shipments by foreign key and check whose they are.
    const l = await logistics(t, ops, [variantA]);
    const shipmentId = (await ship(t, ops, l, (await processingOrder(t, ops, alice.token, l, [{ variantId: variantA, quantity: 1 }])).id)).id;
    const input = { customerId: alice.id, shipmentId, subject: 'Parcel damaged in transit', body: 'Carrier reported: DAMAGED' };
    const [a, b] = await Promise.all([
      t.gql(OpenShipmentExceptionTicketDocument, { input }, ops),
      t.gql(OpenShipmentExceptionTicketDocument, { input }, agent.token),
    ]);
    const ta = a.data?.openShipmentExceptionTicket;
    const tb = b.data?.openShipmentExceptionTicket;
    if (ta?.__typename !== 'Ticket' || tb?.__typename !== 'Ticket') throw new Error(JSON.stringify([a, b]));
    expect(ta.id).toBe(tb.id);
    expect(ta).toMatchObject({ category: 'LOGISTICS', priority: 'HIGH', shipmentId, status: 'NEW' });
    expect(ta.messages).toEqual([{ id: expect.any(String), authorKind: 'SYSTEM', body: 'Carrier reported: DAMAGED', internal: false }]);
    expect(await count('support_ticket WHERE shipment_id = $1', [shipmentId])).toBe(1);
    expect(await count(`event_outbox WHERE payload->>'ticketId' = $1 AND payload->>'kind' = 'CREATED'`, [ta.id])).toBe(1);

    await move(ta.id, 'OPEN');
    await move(ta.id, 'RESOLVED');
    const again = await t.gql(OpenShipmentExceptionTicketDocument, { input }, ops);
    const tc = again.data?.openShipmentExceptionTicket;
    expect(tc?.__typename === 'Ticket' && tc.id).not.toBe(ta.id);
    expect(await count('support_ticket WHERE shipment_id = $1', [shipmentId])).toBe(2);
    expect((await t.gql(OpenShipmentExceptionTicketDocument, { input }, alice.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('counts complaints per product over a period in SQL', async () => {
    const P0 = new Date('2026-05-01T00:00:00Z');
    const inPeriod = (h: number) => clock.set(new Date(P0.getTime() + h * 3600_000));
    inPeriod(1);
    await open(alice.token, { category: 'COMPLAINT', productIds: [productA, productB] });
    inPeriod(2);
    const closedOne = await open(bob.token, { category: 'COMPLAINT', productIds: [productA] });
    await move(closedOne.id, 'CLOSED', agent.token, 'handled by phone');
    inPeriod(3);
    await open(alice.token, { category: 'PRODUCT_QUALITY', productIds: [productA] });
    await open(alice.token, { category: 'INQUIRY', productIds: [productA] }); // not a complaint
    inPeriod(24 * 40); // outside the period
    await open(alice.token, { category: 'COMPLAINT', productIds: [productB] });

    const res = await t.gql(ProductQualityFiguresDocument, { from: P0.toISOString(), to: new Date(P0.getTime() + 24 * 3600_000 * 31).toISOString() }, ops);
    expect(res.data!.productQualityFigures).toEqual([
      { productId: productA, complaintCount: 3, openComplaintCount: 2, product: { id: productA } },
      { productId: productB, complaintCount: 1, openComplaintCount: 1, product: { id: productB } },
    ]);
    const bad = await t.gql(ProductQualityFiguresDocument, { from: P0.toISOString(), to: P0.toISOString() }, ops);
    expect(bad.errors?.[0]?.extensions?.field).toBe('to');
    expect((await t.gql(ProductQualityFiguresDocument, { from: P0.toISOString(), to: P0.toISOString() }, alice.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
