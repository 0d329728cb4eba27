import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, Role, staffToken } from './support/fixtures.js';
import { AnalyticsBulkCustomersDocument, UpdateCustomerDocument } from './generated/graphql.js';

let t: TestApp;
let support: string;
let analyst: string;

beforeAll(async () => {
  t = await startTestApp();
  support = (await staffToken(t, Role.SUPPORT)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
});
afterAll(() => t?.stop());

describe('updateCustomer', () => {
  it('lets support fix a name and email, normalising the email and moving updatedAt', async () => {
    const c = await customer(t, 'Ana');
    const res = await t.gql(UpdateCustomerDocument, { input: { id: c.id, name: '  Ana Lima ', email: `Ana.Lima-${c.id.slice(0, 8)}@Example.com` } }, support);
    const u = res.data!.updateCustomer;
    if (u.__typename !== 'Customer') throw new Error(JSON.stringify(res));
    expect(u.name).toBe('Ana Lima');
    expect(u.email).toBe(`ana.lima-${c.id.slice(0, 8)}@example.com`);
    expect(new Date(u.updatedAt).getTime()).toBeGreaterThan(new Date(u.createdAt).getTime());
  });

  it('lets a customer change only themselves', async () => {
    const a = await customer(t, 'A');
    const b = await customer(t, 'B');
    const own = await t.gql(UpdateCustomerDocument, { input: { id: a.id, name: 'A renamed' } }, a.token);
    expect(own.data!.updateCustomer).toMatchObject({ __typename: 'Customer', name: 'A renamed' });
    const other = await t.gql(UpdateCustomerDocument, { input: { id: b.id, name: 'hijacked' } }, a.token);
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const [row] = await t.sql('SELECT name FROM customer WHERE id = $1', [b.id]);
    expect(row.name).toBe('B');
  });

  it('answers EMAIL_TAKEN for another customer’s email and refuses bad input by field', async () => {
    const a = await customer(t);
    const b = await customer(t);
    const taken = await t.gql(UpdateCustomerDocument, { input: { id: a.id, email: b.email.toUpperCase() } }, support);
    expect(taken.data!.updateCustomer).toMatchObject({ __typename: 'EmailTakenError', errorCode: 'EMAIL_TAKEN', field: 'email' });
    const badEmail = await t.gql(UpdateCustomerDocument, { input: { id: a.id, email: 'not-an-email' } }, support);
    expect(badEmail.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const badName = await t.gql(UpdateCustomerDocument, { input: { id: a.id, name: '   ' } }, support);
    expect(badName.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });
    const nothing = await t.gql(UpdateCustomerDocument, { input: { id: a.id } }, support);
    expect(nothing.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input' });
  });

  it('is closed to analysts', async () => {
    const a = await customer(t);
    const res = await t.gql(UpdateCustomerDocument, { input: { id: a.id, name: 'x' } }, analyst);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('makes an edit appear once in an incremental bulkCustomers pull', async () => {
    const a = await customer(t);
    const b = await customer(t);
    // Both registered well before the pull mark; only b is edited after it.
    await t.sql(`UPDATE customer SET created_at = now() - interval '2 days', updated_at = now() - interval '2 days' WHERE id = ANY($1)`, [[a.id, b.id]]);
    const mark = new Date(Date.now() - 86_400_000).toISOString();
    const before = await t.gql(AnalyticsBulkCustomersDocument, { first: 1000, updatedAfter: mark }, analyst);
    const beforeIds = before.data!.bulkCustomers.nodes.map((n) => n.id);
    expect(beforeIds).not.toContain(a.id);
    expect(beforeIds).not.toContain(b.id);
    await t.gql(UpdateCustomerDocument, { input: { id: b.id, name: 'Edited' } }, support);
    const after = await t.gql(AnalyticsBulkCustomersDocument, { first: 1000, updatedAfter: mark }, analyst);
    const ids = after.data!.bulkCustomers.nodes.map((n) => n.id);
    expect(ids.filter((id) => id === b.id)).toHaveLength(1);
    expect(ids).not.toContain(a.id);
    // The pull is ordered by change time: the edit comes last.
    expect(ids[ids.length - 1]).toBe(b.id);
  });
});
