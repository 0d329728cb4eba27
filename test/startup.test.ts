import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { print } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { ConfigError, loadConfig } from '../src/app/config.js';
import { sleep, startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { runServerToExit, spawnServer } from './support/processes.js';
import { OrderStatusChangedDocument, PlaceOrderDocument, TransitionOrderDocument } from './generated/graphql.js';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

describe('configuration', () => {
  it.each([
    [{ PORT: 'abc' }, 'PORT must be an integer between 0 and 65535, got "abc"'],
    [{ PORT: '70000' }, 'PORT must be an integer between 0 and 65535, got "70000"'],
    [{ DATABASE_URL: 'localhost:5432/db' }, 'DATABASE_URL must be a URL like postgres://user:password@host:5432/dbname'],
    [{ REDIS_URL: 'http://x' }, 'REDIS_URL must be a URL like redis://127.0.0.1:6379'],
    [{ NODE_ENV: 'prod' }, 'NODE_ENV must be one of development, production, test, got "prod"'],
    [{ NODE_ENV: 'production' }, 'AUTH_SECRET is required when NODE_ENV=production (at least 32 characters)'],
    [{ ADMIN_EMAIL: 'admin@example.com' }, 'ADMIN_PASSWORD is required when ADMIN_EMAIL is set'],
  ])('refuses %j naming the variable and what it expects', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(`Invalid configuration: ${message}`);
  });

  it('stops the process with one line and exit code 2 on a bad value', async () => {
    const { code, stderr, stdout } = await runServerToExit({ PORT: 'abc' });
    expect(code).toBe(2);
    expect(stderr.trim()).toBe('Invalid configuration: PORT must be an integer between 0 and 65535, got "abc"');
    expect(stdout).toBe('');
  });

  it('explains an unreachable database or Redis in one line, without a stack trace', async () => {
    const closed = await freePort();
    const db = await runServerToExit({ DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/nope` });
    expect(db.code).toBe(1);
    expect(db.stderr.trim().split('\n')).toHaveLength(1);
    expect(db.stderr).toMatch(new RegExp(`^Cannot reach PostgreSQL at 127\\.0\\.0\\.1:${closed}/nope \\(DATABASE_URL\\): `));
    expect(db.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('the server process', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t?.stop());

  it('explains an unreachable Redis in one line', async () => {
    const closed = await freePort();
    const r = await runServerToExit({ DATABASE_URL: t.dbUrl, MIGRATE_ON_START: 'false', REDIS_URL: `redis://127.0.0.1:${closed}` });
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toMatch(new RegExp(`^Cannot reach Redis at 127\\.0\\.0\\.1:${closed} \\(REDIS_URL\\): [^\\n]+$`));
  });

  it('reports liveness and readiness', async () => {
    const base = t.app.url.replace(/\/graphql$/, '');
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok' } });
  });

  it('on SIGTERM finishes in-flight requests, closes sockets with 1001 and exits 0', async () => {
    const ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
    const buyer = await customer(t);
    const variant = (await product(t, ops, [{ priceAmount: 100 }])).variantIds[0]!;
    const placed = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: variant, quantity: 1 }] } }, buyer.token);
    const orderId = (placed.data!.placeOrder as any).id;

    const server = await spawnServer({ DATABASE_URL: t.dbUrl, AUTH_SECRET: t.config.authSecret, MIGRATE_ON_START: 'false', NODE_ENV: 'test' });
    // Hold the order row so the request below is still running when the signal arrives.
    const blocker = new pg.Client({ connectionString: t.dbUrl });
    await blocker.connect();
    await blocker.query('BEGIN');
    await blocker.query('SELECT 1 FROM sales_order WHERE id = $1 FOR UPDATE', [orderId]);

    let closeCode: number | undefined;
    const ws = createClient({
      url: server.wsUrl,
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${ops}` },
      retryAttempts: 0,
      on: { closed: (e: any) => (closeCode = e.code) },
    });
    ws.subscribe({ query: print(OrderStatusChangedDocument) }, { next: () => undefined, error: () => undefined, complete: () => undefined });
    await sleep(300);

    const inFlight = fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${ops}` },
      body: JSON.stringify({ query: print(TransitionOrderDocument), variables: { input: { orderId, to: 'PAID' } } }),
    }).then((r) => r.json());
    await sleep(300);
    const exited = server.stop('SIGTERM');
    await sleep(300);
    await blocker.query('COMMIT');
    await blocker.end();

    const body = (await inFlight) as any;
    expect(body.data.transitionOrder.status).toBe('PAID');
    expect(await exited).toBe(0);
    expect(closeCode).toBe(1001);
    expect(server.output()).toContain('"msg":"stopped"');
  });
});

describe('without DATABASE_URL', () => {
  it('starts an embedded PostgreSQL in the data folder, migrates and answers queries', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ecom-embedded-'));
    chmodSync(dir, 0o755); // as root, the cluster runs as the postgres user, who must reach the folder
    const pgPort = await freePort();
    const server = await spawnServer({ EMBEDDED_PG_DIR: path.join(dir, 'pg'), EMBEDDED_PG_PORT: String(pgPort), NODE_ENV: 'test' }, 90_000);
    try {
      const res = await fetch(server.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ me { kind } channels { code } }' }) });
      expect(await res.json()).toEqual({ data: { me: { kind: 'ANONYMOUS' }, channels: [] } });
      expect(server.output()).toContain('no DATABASE_URL: using embedded PostgreSQL');
      expect(server.output()).toContain('events: in-process bus (no REDIS_URL)');
      expect(server.output()).toContain('migrations applied');
    } finally {
      expect(await server.stop()).toBe(0);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
