import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { buildAppSchema } from '../src/app/schema.js';
import { signAccessToken } from '../src/common/auth/tokens.js';
import { Role } from '../src/common/auth/roles.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { sampleValue } from './support/schema-values.js';

/**
 * Every mutation, called as ADMIN (so authorization is not what stops it) with hostile values in each input
 * position in turn: huge and odd strings, extreme numbers, nulls, wrong types. The API must answer with
 * typed errors — never an internal error or HTTP 500 — and a refused call must write nothing.
 */
const HOSTILE_STRINGS = ['', ' ', 'x'.repeat(100_000), 'NUL\u0000byte', '😀👩‍👩‍👧‍👦 ‮rtl‬', "'; DROP TABLE customer; --", '<script>alert(1)</script>', '\\u0000', '../../etc/passwd', '9'.repeat(400)];
const HOSTILE_NUMBERS = [0, -1, 2147483647, -2147483648, 9007199254740991, 1.5];

const base = (type: GraphQLInputType) => sampleValue(type, { text: 'valid-text' });

/** Every (path, hostile value) pair for one argument type: each leaf replaced in turn, plus whole-value attacks. */
function* mutations(type: GraphQLInputType, path: (string | number)[] = []): Generator<{ path: (string | number)[]; value: unknown }> {
  const t = isNonNullType(type) ? type.ofType : type;
  yield { path, value: null };
  if (isListType(t)) {
    yield { path, value: [] };
    yield { path, value: Array.from({ length: 1000 }, () => base(t.ofType)) };
    yield* mutations(t.ofType, [...path, 0]);
    return;
  }
  if (isInputObjectType(t)) {
    for (const f of Object.values(t.getFields())) yield* mutations(f.type, [...path, f.name]);
    return;
  }
  if (isScalarType(t) && ['Int', 'Float', 'SafeInt'].includes(t.name)) {
    for (const n of HOSTILE_NUMBERS) yield { path, value: n };
    yield { path, value: 'not a number' };
    return;
  }
  if (isScalarType(t) || isEnumType(t)) {
    for (const s of HOSTILE_STRINGS) yield { path, value: s };
    yield { path, value: 12345 };
  }
}

function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const copy: any = Array.isArray(root) ? [...root] : { ...(root as object) };
  const [head, ...rest] = path;
  copy[head!] = setAt(copy[head!] ?? (typeof rest[0] === 'number' ? [] : {}), rest, value);
  return copy;
}

let t: TestApp;
let admin: string;
beforeAll(async () => {
  t = await startTestApp();
  admin = signAccessToken(t.config.authSecret, { sub: randomUUID(), knd: 's', roles: [Role.ADMIN] }, 3600).token;
  await installWriteCounter();
});
afterAll(() => t?.stop());

/**
 * Committed writes, counted by a statement-level trigger on every table into a one-row counter that lives in the
 * same transaction (a rolled-back write leaves no trace). The relay's bookkeeping updates of the outbox are not
 * writes of the mutation, so the outbox counts inserts only.
 */
async function installWriteCounter(): Promise<void> {
  await t.sql(`CREATE TABLE test_write_count (n bigint NOT NULL); INSERT INTO test_write_count VALUES (0)`);
  await t.sql(`CREATE FUNCTION test_count_write() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN UPDATE test_write_count SET n = n + 1; RETURN NULL; END $$`);
  const tables = await t.sql<{ tablename: string }>(
    `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('mikro_orm_migrations', 'test_write_count')`,
  );
  for (const { tablename } of tables) {
    const events = tablename === 'event_outbox' ? 'INSERT' : 'INSERT OR UPDATE OR DELETE';
    await t.sql(`CREATE TRIGGER test_count_write AFTER ${events} ON "${tablename}" FOR EACH STATEMENT EXECUTE FUNCTION test_count_write()`);
  }
}
const writes = async () => Number((await t.sql('SELECT n FROM test_write_count'))[0].n);

describe('hostile input', () => {
  it('never produces an internal error, and a refused mutation writes nothing', async () => {
    const schema = await buildAppSchema();
    const failures: string[] = [];
    let calls = 0;
    for (const field of Object.values(schema.getMutationType()!.getFields()) as GraphQLField<unknown, unknown>[]) {
      const named = getNamedType(field.type);
      const selection = isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
      const decl = field.args.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
      const args = field.args.map((a) => `${a.name}: $${a.name}`).join(', ');
      const query = `mutation Fuzz${decl ? `(${decl})` : ''} { ${field.name}${args ? `(${args})` : ''}${selection} }`;
      const valid = Object.fromEntries(field.args.map((a) => [a.name, base(a.type)]));
      for (const arg of field.args) {
        for (const { path, value } of mutations(arg.type)) {
          const variables = { ...valid, [arg.name]: setAt(valid[arg.name], path, value) };
          const before = await writes();
          const res = await t.post({ query, variables }, admin);
          calls++;
          const where = `${field.name}(${[arg.name, ...path].join('.')} = ${JSON.stringify(value)?.slice(0, 40)})`;
          if (res.status >= 500 || (res.errors ?? []).some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')) {
            failures.push(`${where}: ${res.status} ${JSON.stringify(res.errors?.[0])}`);
            continue;
          }
          const payload = res.data?.[field.name];
          const refused = !payload || (typeof payload === 'object' && /Error$/.test(payload.__typename ?? ''));
          if (refused && (await writes()) !== before) failures.push(`${where}: refused but wrote rows`);
        }
      }
    }
    expect(calls).toBeGreaterThan(100);
    expect(failures).toEqual([]);
    // The write detector itself works: an accepted mutation is seen.
    const before = await writes();
    await t.post({ query: 'mutation { createChannel(input: { code: "probe-x", name: "Probe", type: OWN_SITE, currency: "USD" }) { __typename } }' }, admin);
    expect(await writes()).toBeGreaterThan(before);
  }, 300_000);
});
