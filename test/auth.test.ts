import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { signAccessToken, verifyAccessToken } from '../src/common/auth/tokens.js';
import { createStaffUser } from '../src/modules/identity/identity.service.js';
import {
  CreateApiTokenDocument,
  CreateStaffUserDocument,
  CustomerLoginDocument,
  CustomersDocument,
  LoginDocument,
  MeDocument,
  OrderByIdDocument,
  OrdersDocument,
  PlaceOrderDocument,
  RegisterCustomerDocument,
  RevokeApiTokenDocument,
} from './generated/graphql.js';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  await createStaffUser({ em: t.app.services.orm.em.fork() as any }, { email: 'Root@Example.com', name: 'Root', password: 'correct horse battery', roles: [Role.ADMIN] });
  const res = await t.gql(LoginDocument, { input: { email: 'root@example.com', password: 'correct horse battery' } });
  if (res.data?.login.__typename !== 'AuthPayload') throw new Error(JSON.stringify(res));
  admin = res.data.login.accessToken;
});
afterAll(() => t?.stop());

describe('sign-in', () => {
  it('issues a signed, expiring token for the right password only', async () => {
    const me = await t.gql(MeDocument, {}, admin);
    expect(me.data?.me).toMatchObject({ kind: 'STAFF', roles: ['ADMIN'] });
    const wrong = await t.gql(LoginDocument, { input: { email: 'root@example.com', password: 'wrong password!!' } });
    expect(wrong.data?.login).toMatchObject({ __typename: 'InvalidCredentialsError', errorCode: 'INVALID_CREDENTIALS' });
    const unknown = await t.gql(LoginDocument, { input: { email: 'nobody@example.com', password: 'whatever-password' } });
    expect(unknown.data?.login).toMatchObject({ __typename: 'InvalidCredentialsError' });
    const [row] = await t.sql(`SELECT password_hash FROM staff_user WHERE email = 'root@example.com'`);
    expect(row.password_hash).toMatch(/^scrypt\$32768\$/);
    expect(row.password_hash).not.toContain('correct horse');
  });

  it('registers customers who sign in as customers, and refuses a taken email', async () => {
    const reg = await t.gql(RegisterCustomerDocument, { input: { email: 'Shopper@Example.com', name: 'Shopper', password: 'shopper-password' } });
    expect(reg.data?.registerCustomer).toMatchObject({ __typename: 'AuthPayload', me: { kind: 'CUSTOMER' } });
    const again = await t.gql(RegisterCustomerDocument, { input: { email: 'shopper@example.com', name: 'Other', password: 'another-password' } });
    expect(again.data?.registerCustomer).toMatchObject({ __typename: 'EmailTakenError', field: 'email' });
    const login = await t.gql(CustomerLoginDocument, { input: { email: 'shopper@example.com', password: 'shopper-password' } });
    expect(login.data?.customerLogin).toMatchObject({ __typename: 'AuthPayload', me: { kind: 'CUSTOMER' } });
    const weak = await t.gql(RegisterCustomerDocument, { input: { email: 'weak@example.com', name: 'Weak', password: 'short' } });
    expect(weak.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });
  });

  it('refuses a forged or expired bearer token over HTTP with 401 UNAUTHENTICATED', async () => {
    const forged = signAccessToken('f'.repeat(64), { sub: 'x', knd: 's', roles: [Role.ADMIN] }, 3600).token;
    const expired = signAccessToken(t.config.authSecret, { sub: 'x', knd: 's', roles: [Role.ADMIN] }, 60, Date.now() - 7200_000).token;
    for (const token of [forged, expired, 'garbage']) {
      const res = await t.gql(MeDocument, {}, token);
      expect(res.status).toBe(401);
      expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    }
  });

  it('keeps refusing a token once it expires, and under another secret, after it was accepted (verified tokens are cached)', async () => {
    const now = Date.now();
    const { token } = signAccessToken(t.config.authSecret, { sub: 'cached', knd: 's', roles: [Role.SUPPORT] }, 60, now);
    expect((await t.gql(MeDocument, {}, token)).status).toBe(200);
    expect(verifyAccessToken(t.config.authSecret, token, now)).toMatchObject({ sub: 'cached', roles: [Role.SUPPORT] });
    expect(verifyAccessToken(t.config.authSecret, token, now + 61_000)).toBeNull();
    expect(verifyAccessToken('e'.repeat(64), token, now)).toBeNull();
    // A token altered after signing is not the cached one: its signature is checked and fails.
    const [h, p, s] = token.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ sub: 'cached', knd: 's', roles: [Role.ADMIN], iat: 0, exp: 2 ** 31 })).toString('base64url')}.${s}`;
    expect(p).not.toBe(tampered.split('.')[1]);
    expect(verifyAccessToken(t.config.authSecret, tampered, now)).toBeNull();
    // Every request of a token shares its claims: they cannot be changed in place.
    expect(Object.isFrozen(verifyAccessToken(t.config.authSecret, token, now)!.roles)).toBe(true);
  });
});

describe('roles', () => {
  it('answers UNAUTHENTICATED to anonymous callers and FORBIDDEN to the wrong role', async () => {
    const anon = await t.gql(OrdersDocument, {});
    expect(anon.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(anon.data).toBeNull();
    const merch = (await staffToken(t, Role.MERCHANDISING)).token;
    const wrong = await t.gql(OrdersDocument, {}, merch);
    expect(wrong.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const analyst = (await staffToken(t, Role.ANALYST)).token;
    expect((await t.gql(OrdersDocument, {}, analyst)).errors).toBeUndefined();
    const write = await t.gql(CreateStaffUserDocument, { input: { email: 'x@example.com', name: 'X', password: 'long-enough-pw', roles: ['ADMIN'] } }, analyst);
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('lets ADMIN create staff with roles', async () => {
    const res = await t.gql(CreateStaffUserDocument, { input: { email: 'ops@example.com', name: 'Ops', password: 'ops-password-1', roles: ['OPERATIONS'] } }, admin);
    expect(res.data?.createStaffUser).toMatchObject({ __typename: 'StaffUser', roles: ['OPERATIONS'] });
    const login = await t.gql(LoginDocument, { input: { email: 'ops@example.com', password: 'ops-password-1' } });
    expect(login.data?.login).toMatchObject({ me: { roles: ['OPERATIONS'] } });
  });
});

describe('API tokens', () => {
  it('work until revoked, are stored hashed, and carry their roles', async () => {
    const created = await t.gql(CreateApiTokenDocument, { input: { name: 'BI tool', roles: ['ANALYST'] } }, admin);
    const { secret, apiToken } = created.data!.createApiToken;
    expect(secret).toMatch(/^eco_/);
    expect(secret.startsWith(apiToken.displayPrefix)).toBe(true);
    const rows = await t.sql(`SELECT token_hash FROM api_token WHERE id = $1`, [apiToken.id]);
    expect(rows[0].token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(rows)).not.toContain(secret);

    const me = await t.gql(MeDocument, {}, secret);
    expect(me.data?.me).toMatchObject({ kind: 'API_TOKEN', roles: ['ANALYST'], id: apiToken.id });
    expect((await t.gql(CustomersDocument, { first: 1 }, secret)).errors).toBeUndefined();
    const write = await t.gql(CreateApiTokenDocument, { input: { name: 'escalate', roles: ['ADMIN'] } }, secret);
    expect(write.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const revoked = await t.gql(RevokeApiTokenDocument, { id: apiToken.id }, admin);
    expect(revoked.data?.revokeApiToken.revokedAt).toBeTruthy();
    const after = await t.gql(MeDocument, {}, secret);
    expect(after.status).toBe(401);
    expect(after.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('customer data isolation', () => {
  it('never shows one customer another customer’s order or profile', async () => {
    const ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
    const variant = (await product(t, ops, [{ priceAmount: 700 }])).variantIds[0]!;
    const alice = await customer(t, 'Alice');
    const bob = await customer(t, 'Bob');
    const placed = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: variant, quantity: 1 }] } }, alice.token);
    const orderId = (placed.data!.placeOrder as any).id as string;

    const read = await t.gql(OrderByIdDocument, { id: orderId }, bob.token);
    expect(read.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const list = await t.gql(OrdersDocument, { filter: { customerId: alice.id } }, bob.token);
    expect(list.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const forOther = await t.gql(PlaceOrderDocument, { input: { customerId: alice.id, lines: [{ variantId: variant, quantity: 1 }] } }, bob.token);
    expect(forOther.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const profile = await t.post({ query: 'query($id: ID!) { customer(id: $id) { email } }', variables: { id: alice.id } }, bob.token);
    expect(profile.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const own = await t.post({ query: 'query($id: ID!) { customer(id: $id) { email } }', variables: { id: alice.id } }, alice.token);
    expect(own.data.customer.email).toBe(alice.email);
    const customersList = await t.gql(CustomersDocument, { first: 5 }, alice.token);
    expect(customersList.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('error hygiene', () => {
  it('answers an internal failure with a generic message: no SQL, no stack trace', async () => {
    const ops = (await staffToken(t, Role.OPERATIONS)).token;
    await t.sql('ALTER TABLE customer RENAME TO customer_broken');
    try {
      const res = await t.gql(CustomersDocument, { first: 1 }, ops);
      expect(res.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      const text = JSON.stringify(res);
      expect(text).not.toMatch(/select|relation|customer_broken|stack|at .*\.ts/i);
    } finally {
      await t.sql('ALTER TABLE customer_broken RENAME TO customer');
    }
  });

  it('never includes stack traces for request errors', async () => {
    const res = await t.post({ query: '{ orders(first: "x") { totalCount } }' }, admin);
    expect(res.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect(JSON.stringify(res)).not.toContain('stacktrace');
  });
});
