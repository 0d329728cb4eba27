import http from 'node:http';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';

/**
 * POST /graphql with a JSON body is served by the direct path (src/app/graphql-http.ts); GET, other content types
 * and compressed bodies by the Express chain. Both must answer the same way and share one rate-limit budget.
 */
const me = '{ me { kind } }';

/** A raw HTTP request (fetch cannot send a chunked body of a known size or choose its framing). */
function raw(url: string, opts: { method?: string; headers?: Record<string, string>; chunks?: (string | Buffer)[] }) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: any }>((resolve, reject) => {
    const req = http.request(url, { method: opts.method ?? 'POST', headers: opts.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (c) => parts.push(c));
      res.on('end', () => {
        const text = Buffer.concat(parts).toString('utf8');
        let body: any = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON: kept as text
        }
        resolve({ status: res.statusCode!, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    for (const c of opts.chunks ?? []) req.write(c);
    req.end();
  });
}

describe('GraphQL over HTTP: the direct path and the Express path', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { MAX_BODY_BYTES: '2000' } });
  });
  afterAll(() => t.stop());

  it('answers a query the same way by POST (direct) and by GET (Express), with the request id echoed', async () => {
    const post = await raw(t.app.url, { headers: { 'content-type': 'application/json', 'x-request-id': 'req-post.1' }, chunks: [JSON.stringify({ query: me })] });
    const get = await raw(`${t.app.url}?query=${encodeURIComponent(me)}`, { method: 'GET', headers: { 'apollo-require-preflight': 'true', accept: 'application/json', 'x-request-id': 'req-get.1' } });
    expect(post.status).toBe(200);
    expect(get.status).toBe(200);
    expect(post.body).toEqual({ data: { me: { kind: 'ANONYMOUS' } } });
    expect(get.body).toEqual(post.body);
    expect(post.headers['x-request-id']).toBe('req-post.1');
    expect(get.headers['x-request-id']).toBe('req-get.1');
    expect(post.headers['content-type']).toBe(get.headers['content-type']);
    expect(post.headers['ratelimit-limit']).toBe(get.headers['ratelimit-limit']);
    // An id that is not a sane token is replaced, on both paths.
    const bad = await raw(t.app.url, { headers: { 'content-type': 'application/json', 'x-request-id': 'no spaces allowed' }, chunks: [JSON.stringify({ query: me })] });
    expect(bad.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('refuses malformed and non-object JSON with 400 BAD_REQUEST, and an empty body as Apollo does', async () => {
    for (const body of ['{"query": ', '"just a string"', '42']) {
      const r = await raw(t.app.url, { headers: { 'content-type': 'application/json' }, chunks: [body] });
      expect(r.status, body).toBe(400);
      expect(r.body.errors[0]).toEqual({ message: 'Malformed request body', extensions: { code: 'BAD_REQUEST' } });
    }
    const empty = await raw(t.app.url, { headers: { 'content-type': 'application/json' }, chunks: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].message).toMatch(/POST body/);
  });

  it('refuses a body over MAX_BODY_BYTES with 413, whether its length is declared or it arrives in chunks', async () => {
    const big = JSON.stringify({ query: me, variables: { pad: 'x'.repeat(3000) } });
    const declared = await raw(t.app.url, { headers: { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(big)) }, chunks: [big] });
    const chunked = await raw(t.app.url, { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' }, chunks: [big.slice(0, 1500), big.slice(1500)] });
    for (const r of [declared, chunked]) {
      expect(r.status).toBe(413);
      expect(r.body.errors[0]).toEqual({ message: 'Request body is larger than 2000 bytes', extensions: { code: 'PAYLOAD_TOO_LARGE' } });
    }
    // The server is still fine afterwards.
    expect((await t.post({ query: me })).data).toEqual({ me: { kind: 'ANONYMOUS' } });
  });

  it('leaves compressed bodies and other charsets to Express (gzip is inflated; an unsupported charset is 415)', async () => {
    const gz = await raw(t.app.url, { headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, chunks: [gzipSync(JSON.stringify({ query: me }))] });
    expect(gz.status).toBe(200);
    expect(gz.body).toEqual({ data: { me: { kind: 'ANONYMOUS' } } });
    const latin = await raw(t.app.url, { headers: { 'content-type': 'application/json; charset=iso-8859-1' }, chunks: [JSON.stringify({ query: me })] });
    expect(latin.status).toBe(415);
    expect(latin.body.errors[0].extensions.code).toBe('BAD_REQUEST');
  });
});

describe('rate limiting across both paths', () => {
  it('counts POST (direct) and GET (Express) requests against one budget per address', async () => {
    const t = await startTestApp({ env: { RATE_LIMIT_PER_IP: '4', RATE_LIMIT_WINDOW_SECONDS: '3600' } });
    try {
      const post = () => raw(t.app.url, { headers: { 'content-type': 'application/json' }, chunks: [JSON.stringify({ query: me })] });
      const get = () => raw(`${t.app.url}?query=${encodeURIComponent(me)}`, { method: 'GET', headers: { 'apollo-require-preflight': 'true', accept: 'application/json' } });
      const statuses = [(await post()).status, (await get()).status, (await post()).status, (await get()).status];
      expect(statuses).toEqual([200, 200, 200, 200]);
      const overPost = await post();
      const overGet = await get();
      expect([overPost.status, overGet.status]).toEqual([429, 429]);
      expect(overPost.body).toEqual(overGet.body);
      expect(overPost.body.errors[0].extensions.code).toBe('RATE_LIMITED');
      expect(Number(overPost.headers['retry-after'])).toBeGreaterThan(0);
    } finally {
      await t.stop();
    }
  });

  it('takes the client address from X-Forwarded-For only behind TRUST_PROXY_HOPS proxies', async () => {
    const budget = { RATE_LIMIT_PER_IP: '2', RATE_LIMIT_WINDOW_SECONDS: '3600' };
    const send = (t: TestApp, forwardedFor: string) =>
      raw(t.app.url, { headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor }, chunks: [JSON.stringify({ query: me })] });
    const direct = await startTestApp({ env: { ...budget } });
    const proxied = await startTestApp({ env: { ...budget, TRUST_PROXY_HOPS: '1' } });
    try {
      // No trusted proxy: the header is the client's own claim and is ignored, so three "addresses" share one budget.
      const a = [await send(direct, '10.0.0.1'), await send(direct, '10.0.0.2'), await send(direct, '10.0.0.3')].map((r) => r.status);
      expect(a).toEqual([200, 200, 429]);
      // One trusted proxy: the address it saw is the client, so each gets its own budget; spoofed entries before it
      // do not matter.
      const b = [await send(proxied, '10.0.0.1'), await send(proxied, '10.0.0.1'), await send(proxied, '10.0.0.2'), await send(proxied, '1.2.3.4, 10.0.0.2')];
      expect(b.map((r) => r.status)).toEqual([200, 200, 200, 200]);
      expect((await send(proxied, '10.0.0.1')).status).toBe(429);
      expect((await send(proxied, '9.9.9.9, 10.0.0.2')).status).toBe(429);
    } finally {
      await direct.stop();
      await proxied.stop();
    }
  });
});
