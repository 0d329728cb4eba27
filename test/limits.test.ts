import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { getIntrospectionQuery } from 'graphql';
import { serverAudits } from 'graphql-http';
import { collect, startTestApp, type TestApp } from './support/harness.js';
import { Role, staffToken } from './support/fixtures.js';

let t: TestApp;
let ops: string;

beforeAll(async () => {
  t = await startTestApp({ env: { WS_INIT_TIMEOUT_MS: '300' } });
  ops = (await staffToken(t, Role.OPERATIONS)).token;
});
afterAll(() => t?.stop());

const deep = (levels: number) => {
  let q = 'name';
  for (let i = 0; i < levels; i++) q = i % 2 === 0 ? `variants { product { ${q} } }` : `variants { sku product { ${q} } }`;
  return `{ products(first: 1) { nodes { ${q} } } }`;
};

describe('query limits, enforced before execution', () => {
  it('refuses a document nested too deep', async () => {
    const ok = await t.post({ query: deep(2) }, ops);
    expect(ok.errors).toBeUndefined();
    const res = await t.post({ query: deep(8) }, ops);
    expect(res.status).toBe(400);
    expect(res.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
    expect(res.errors?.[0]?.message).toMatch(/at most 12 are allowed/);
    expect(res.data).toBeUndefined();
  });

  it('lets the standard introspection query through (GraphiQL and codegen need it), but not data nested under it', async () => {
    const intro = await t.post({ query: getIntrospectionQuery() });
    expect(intro.errors).toBeUndefined();
    expect(intro.data.__schema.queryType.name).toBe('Query');
    const mixed = await t.post({ query: `{ __typename ${deep(8).slice(1, -1)} }` }, ops);
    expect(mixed.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_DEEP');
  });

  it('refuses an operation whose estimated cost is too high, counting page sizes from variables', async () => {
    const query = 'query($n: Int) { orders(first: $n) { nodes { lines { variant { product { variants { product { variants { sku } } } } } } } } }';
    const small = await t.post({ query, variables: { n: 1 } }, ops);
    expect(small.errors).toBeUndefined();
    const big = await t.post({ query, variables: { n: 100 } }, ops);
    expect(big.status).toBe(400);
    expect(big.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_COMPLEX');
  });

  it('refuses too many aliases, too many tokens, large bodies and batches', async () => {
    const aliases = `{ ${Array.from({ length: 31 }, (_, i) => `a${i}: me { kind }`).join(' ')} }`;
    const a = await t.post({ query: aliases });
    expect(a.errors?.[0]?.extensions?.code).toBe('QUERY_TOO_MANY_ALIASES');

    const tokens = `{ me { ${'kind '.repeat(10_001)} } }`;
    const tk = await t.post({ query: tokens });
    expect(tk.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(tk.errors?.[0]?.message).toMatch(/more th\w+ 10000 tokens/);

    const large = await t.post({ query: '{ me { kind } }', variables: { pad: 'x'.repeat(10_100_000) } });
    expect(large.status).toBe(413);
    expect(large.errors?.[0]?.extensions?.code).toBe('PAYLOAD_TOO_LARGE');

    const batch = await t.post([{ query: '{ me { kind } }' }, { query: '{ me { kind } }' }]);
    expect(batch.status).toBe(400);
  });

  it('applies the same limits to WebSocket operations', async () => {
    const sub = collect(t.ws(ops), `subscription { orderStatusChanged { order { lines { variant { product { variants { product { variants { product { variants { product { variants { product { name } } } } } } } } } } } } } }`);
    await sub.settled();
    expect(sub.errors.map((e) => e.extensions?.code)).toEqual(['QUERY_TOO_DEEP']);
  });
});

describe('production hardening', () => {
  it('turns introspection and field suggestions off in production', async () => {
    const prod = await startTestApp({ env: { NODE_ENV: 'production' } });
    try {
      const intro = await prod.post({ query: '{ __schema { types { name } } }' });
      expect(intro.errors?.[0]?.message).toMatch(/introspection/i);
      const typo = await prod.post({ query: '{ mee { kind } }' });
      expect(typo.errors?.[0]?.message).not.toMatch(/Did you mean/);
      const dev = await t.post({ query: '{ mee { kind } }' });
      expect(dev.errors?.[0]?.message).toMatch(/Did you mean "me"/);
    } finally {
      await prod.stop();
    }
  });
});

describe('protocol compliance', () => {
  it('passes the graphql-http audit suite (GraphQL over HTTP)', async () => {
    const results = await Promise.all(serverAudits({ url: t.app.url, fetchFn: fetch }).map((audit) => audit.fn()));
    const errors = results.filter((r) => r.status === 'error').map((r) => `${r.name}: ${"reason" in r ? r.reason : ""}`);
    expect(errors).toEqual([]);
  });

  /** Opens a raw graphql-ws socket and resolves with its close code. */
  function rawSocket(send: (ws: WebSocket) => void): Promise<number> {
    return new Promise((resolve) => {
      const ws = new WebSocket(t.app.wsUrl, 'graphql-transport-ws');
      ws.on('open', () => send(ws));
      ws.on('close', (code) => resolve(code));
    });
  }
  const init = JSON.stringify({ type: 'connection_init', payload: {} });
  const subscribe = (id: string) => JSON.stringify({ id, type: 'subscribe', payload: { query: 'subscription { orderStatusChanged { eventId } }' } });

  it('closes 4408 without connection_init, 4401 on subscribe before ack, 4429 on a second init, 4409 on a duplicate id', async () => {
    expect(await rawSocket(() => undefined)).toBe(4408);
    expect(await rawSocket((ws) => ws.send(subscribe('1')))).toBe(4401);
    expect(await rawSocket((ws) => { ws.send(init); ws.send(init); })).toBe(4429);
    const dup = await new Promise<number>((resolve) => {
      const ws = new WebSocket(t.app.wsUrl, 'graphql-transport-ws');
      ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init', payload: { authorization: `Bearer ${ops}` } })));
      ws.on('message', (raw) => {
        if (JSON.parse(String(raw)).type === 'connection_ack') {
          ws.send(subscribe('same'));
          setTimeout(() => ws.send(subscribe('same')), 100);
        }
      });
      ws.on('close', (code) => resolve(code));
    });
    expect(dup).toBe(4409);
  });
});
