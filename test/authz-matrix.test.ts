import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getNamedType, isEnumType, isNonNullType, isScalarType, type GraphQLField, type GraphQLInputType } from 'graphql';
import { buildAppSchema } from '../src/app/schema.js';
import { CALLERS, callerMay, matrixRows, renderMatrix, type Caller } from '../src/app/authz-matrix.js';
import { signAccessToken } from '../src/common/auth/tokens.js';
import { Role } from '../src/common/auth/roles.js';
import { collect, sleep, startTestApp, type TestApp } from './support/harness.js';
import { sampleValue } from './support/schema-values.js';
import { customer } from './support/fixtures.js';

const dummy = (type: GraphQLInputType) => sampleValue(type, { fixedId: '00000000-0000-7000-8000-000000000000' });

function operationFor(kind: 'query' | 'mutation' | 'subscription', field: GraphQLField<unknown, unknown>) {
  const required = field.args.filter((a) => isNonNullType(a.type) && a.defaultValue === undefined);
  const decl = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const named = getNamedType(field.type);
  const selection = isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
  const query = `${kind} Probe${decl ? `(${decl})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
  const variables = Object.fromEntries(required.map((a) => [a.name, dummy(a.type)]));
  return { query, variables };
}

const DENIED = new Set(['UNAUTHENTICATED', 'FORBIDDEN']);

let t: TestApp;
const tokens = new Map<Caller, string | undefined>();

beforeAll(async () => {
  t = await startTestApp();
  tokens.set('anonymous', undefined);
  tokens.set('CUSTOMER', (await customer(t)).token);
  for (const role of Object.values(Role)) tokens.set(role, signAccessToken(t.config.authSecret, { sub: randomUUID(), knd: 's', roles: [role] }, 3600).token);
});
afterAll(() => t?.stop());

describe('authorization matrix', () => {
  it('is committed and current (docs/authorization-matrix.md)', async () => {
    expect(readFileSync('docs/authorization-matrix.md', 'utf8')).toBe(renderMatrix(await buildAppSchema()));
  });

  it('declares every root field', async () => {
    expect(matrixRows(await buildAppSchema()).filter((r) => r.access.length === 0).map((r) => `${r.operation}.${r.field}`)).toEqual([]);
  });

  it('lets exactly the callers in the table past authorization, for every query and mutation', async () => {
    const schema = await buildAppSchema();
    const mismatches: string[] = [];
    for (const [kind, type] of [
      ['query', schema.getQueryType()],
      ['mutation', schema.getMutationType()],
    ] as const) {
      for (const field of Object.values(type?.getFields() ?? {})) {
        const access = (field.extensions?.access as string[]) ?? [];
        const op = operationFor(kind, field);
        await Promise.all(
          CALLERS.map(async (caller) => {
            const res = await t.post(op, tokens.get(caller));
            const denied = (res.errors ?? []).some((e) => e.path?.[0] === field.name && DENIED.has(e.extensions?.code));
            const expected = !callerMay(access, caller);
            if (denied !== expected) mismatches.push(`${type!.name}.${field.name} as ${caller}: ${denied ? 'denied' : 'allowed'}, table says ${expected ? 'denied' : 'allowed'} (${JSON.stringify(res.errors?.[0] ?? null)})`);
          }),
        );
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('lets exactly the callers in the table subscribe', async () => {
    const schema = await buildAppSchema();
    const mismatches: string[] = [];
    for (const field of Object.values(schema.getSubscriptionType()?.getFields() ?? {})) {
      const access = (field.extensions?.access as string[]) ?? [];
      const op = operationFor('subscription', field);
      await Promise.all(
        CALLERS.map(async (caller) => {
          const sub = collect(t.ws(tokens.get(caller)), op.query, op.variables);
          await sleep(400);
          const denied = sub.errors.some((e) => DENIED.has(e.extensions?.code));
          sub.dispose();
          const expected = !callerMay(access, caller);
          if (denied !== expected) mismatches.push(`Subscription.${field.name} as ${caller}: ${denied ? 'denied' : 'allowed'}, table says ${expected ? 'denied' : 'allowed'} (${JSON.stringify(sub.errors[0] ?? null)})`);
        }),
      );
    }
    expect(mismatches).toEqual([]);
  });
});
