import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { deliver, logistics, processingOrder, ship } from './support/delivery-fixtures.js';
import { OpenLinkedTicketDocument, RequestReturnDocument, TicketLinksDocument } from './generated/graphql.js';

const clock = new ManualClock(new Date('2026-05-04T09:00:00Z'));
let t: TestApp;
let ops: string;
let agent: string;
let alice: Awaited<ReturnType<typeof customer>>;
let bob: Awaited<ReturnType<typeof customer>>;
let aliceShipment: { id: string; trackingNumber: string };
let bobShipment: { id: string; trackingNumber: string };
let aliceReturn: string;
const UNKNOWN = '0192f3a0-0000-7000-8000-00000000abcd';

beforeAll(async () => {
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  agent = (await staffToken(t, Role.SUPPORT)).token;
  alice = await customer(t, 'Alice');
  bob = await customer(t, 'Bob');
  const v = (await product(t, ops, [{ priceAmount: 1000 }])).variantIds[0]!;
  const l = await logistics(t, ops, [v]);
  const aliceOrder = await processingOrder(t, ops, alice.token, l, [{ variantId: v, quantity: 2 }]);
  aliceShipment = await ship(t, ops, l, aliceOrder.id);
  await deliver(t, ops, l, aliceShipment.trackingNumber, '2026-05-05T10:00:00Z');
  clock.set(new Date('2026-05-06T09:00:00Z'));
  const ret = await t.gql(
    RequestReturnDocument,
    { input: { orderId: aliceOrder.id, resolution: 'REFUND', lines: [{ orderLineId: aliceOrder.lineIds[0]!, quantity: 1, reasonCode: 'WRONG_SIZE' }] } },
    alice.token,
  );
  if (ret.data?.requestReturn.__typename !== 'ReturnRequest') throw new Error(JSON.stringify(ret));
  aliceReturn = ret.data.requestReturn.id;
  const bobOrder = await processingOrder(t, ops, bob.token, l, [{ variantId: v, quantity: 1 }]);
  bobShipment = await ship(t, ops, l, bobOrder.id);
});
afterAll(() => t?.stop());

const tickets = async () => Number((await t.sql('SELECT count(*)::int AS n FROM support_ticket'))[0].n);
const open = (input: Record<string, unknown>, token: string) =>
  t.gql(OpenLinkedTicketDocument, { input: { category: 'LOGISTICS', subject: 'Where is my parcel?', body: 'It has not arrived.', ...input } as any }, token);

describe('tickets linked to shipments and returns', () => {
  it('links the customer’s own shipment and return and exposes them on the ticket', async () => {
    const res = await open({ shipmentId: aliceShipment.id, returnId: aliceReturn }, alice.token);
    expect(res.errors).toBeUndefined();
    expect(res.data?.openTicket).toMatchObject({
      __typename: 'Ticket',
      shipmentId: aliceShipment.id,
      returnId: aliceReturn,
      shipment: { id: aliceShipment.id, trackingNumber: aliceShipment.trackingNumber, status: 'DELIVERED' },
      returnRequest: { id: aliceReturn, status: 'REQUESTED' },
    });
    const staff = await open({ customerId: bob.id, shipmentId: bobShipment.id }, agent);
    expect(staff.data?.openTicket).toMatchObject({ __typename: 'Ticket', shipment: { id: bobShipment.id }, returnRequest: null });
  });

  it('answers NOT_FOUND when a customer links someone else’s shipment or return, and writes nothing', async () => {
    const before = await tickets();
    expect((await open({ shipmentId: aliceShipment.id }, bob.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await open({ returnId: aliceReturn }, bob.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await tickets()).toBe(before);
  });

  it('rejects unknown ids, and staff linking another customer’s shipment, as bad input naming the field', async () => {
    const before = await tickets();
    expect((await open({ shipmentId: UNKNOWN }, alice.token)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'shipmentId' });
    expect((await open({ returnId: UNKNOWN }, alice.token)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'returnId' });
    expect((await open({ customerId: bob.id, shipmentId: aliceShipment.id }, agent)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'shipmentId' });
    expect((await open({ customerId: bob.id, returnId: aliceReturn }, agent)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'returnId' });
    expect(await tickets()).toBe(before);
  });

  it('keeps the links honest in the database: foreign keys refuse a dangling id', async () => {
    const [row] = await t.sql('SELECT id FROM support_ticket LIMIT 1');
    await expect(t.sql('UPDATE support_ticket SET shipment_id = $2 WHERE id = $1', [row.id, UNKNOWN])).rejects.toThrow(/foreign key/);
    await expect(t.sql('UPDATE support_ticket SET return_id = $2 WHERE id = $1', [row.id, UNKNOWN])).rejects.toThrow(/foreign key/);
  });

  it('loads shipments and returns of a ticket list in batches, not per ticket', async () => {
    for (let i = 0; i < 3; i++) await open({ shipmentId: aliceShipment.id, returnId: aliceReturn }, alice.token);
    const one = await t.countQueries(() => t.gql(TicketLinksDocument, { first: 1 }, agent));
    const many = await t.countQueries(() => t.gql(TicketLinksDocument, { first: 5 }, agent));
    expect(many).toBe(one);
    const nodes = (await t.gql(TicketLinksDocument, { first: 5 }, agent)).data!.tickets.nodes;
    expect(nodes.filter((n) => n.shipment?.id === aliceShipment.id).length).toBe(4);
  });
});
