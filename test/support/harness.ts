import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import pg from 'pg';
import { print, type ExecutionResult } from 'graphql';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadConfig, type Config } from '../../src/app/config.js';
import { startApp, type RunningApp } from '../../src/app/server.js';
import { createLogger } from '../../src/common/logger.js';
import type { Clock } from '../../src/common/clock.js';

let dbCounter = 0;

/** A fresh database cloned from the migrated template; dropped by the global teardown at the latest. */
export async function createTestDatabase(): Promise<{ url: string; name: string; drop: () => Promise<void> }> {
  const adminUrl = inject('pgAdminUrl');
  const name = `${inject('runId')}_${process.pid}_${++dbCounter}_${randomBytes(2).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${inject('templateDb')}"`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await c.end();
    },
  };
}

export interface GqlResponse<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

export interface TestApp {
  app: RunningApp;
  config: Config;
  dbUrl: string;
  /** Run SQL against the test database directly (fixtures, assertions). */
  sql<R = any>(text: string, params?: unknown[]): Promise<R[]>;
  /** A typed GraphQL request over HTTP. */
  gql<R, V>(doc: TypedDocumentNode<R, V>, variables?: V, token?: string): Promise<GqlResponse<R>>;
  /** Raw HTTP POST to /graphql. */
  post(body: unknown, token?: string): Promise<GqlResponse<any>>;
  /** Waits until every committed event has been published (so a subscription opened now sees only later ones). */
  drainEvents(timeoutMs?: number): Promise<void>;
  /** SQL statements the ORM sent while `fn` ran. */
  countQueries(fn: () => Promise<unknown>): Promise<number>;
  ws(token?: string, extra?: Partial<Parameters<typeof createClient>[0]>): Client;
  stop(): Promise<void>;
}

export async function startTestApp(opts: { redis?: boolean; env?: Record<string, string>; clock?: Clock; runJobs?: boolean } = {}): Promise<TestApp> {
  const db = await createTestDatabase();
  const env: Record<string, string> = {
    NODE_ENV: 'test',
    DATABASE_URL: db.url,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    AUTH_SECRET: randomBytes(32).toString('hex'),
    REDIS_PREFIX: `ecomtest:${randomBytes(4).toString('hex')}`,
    RELAY_POLL_MS: '200',
    MIGRATE_ON_START: 'false',
    // Suites fire many requests from one address; the rate-limit test sets its own budget.
    RATE_LIMIT_PER_IP: '1000000',
    RATE_LIMIT_PER_TOKEN: '1000000',
    ...opts.env,
  };
  if (opts.redis) env.REDIS_URL = inject('redisUrl');
  const config = loadConfig(env);
  let counting = 0;
  const app = await startApp(config, {
    clock: opts.clock,
    runJobs: opts.runJobs ?? false,
    logger: createLogger(config.logLevel),
    onQuery: (msg) => {
      if (msg.startsWith('[query]')) counting++;
    },
  });
  const pool = new pg.Pool({ connectionString: db.url, max: 3 });
  // pool.end() resolves once its idle clients are told to close, not once they have: the DROP … WITH (FORCE) that
  // follows can still terminate one, and pg-pool re-emits an idle client's error on the pool (uncaught without this).
  pool.on('error', () => undefined);
  const post = async (body: unknown, token?: string) => {
    const res = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as GqlResponse<any>;
    return { ...json, status: res.status };
  };
  const clients: Client[] = [];
  return {
    app,
    config,
    dbUrl: db.url,
    sql: async (text, params) => (await pool.query(text, params as any[])).rows,
    gql: (doc, variables, token) => post({ query: print(doc), variables }, token),
    post,
    drainEvents: async (timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const [{ n }] = (await pool.query('SELECT count(*)::int AS n FROM event_outbox WHERE published_at IS NULL')).rows;
        if (n === 0) return;
        if (Date.now() > deadline) throw new Error(`${n} events still unpublished after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 25));
      }
    },
    countQueries: async (fn) => {
      const before = counting;
      await fn();
      return counting - before;
    },
    ws: (token, extra) => {
      const client = createClient({
        url: app.wsUrl,
        webSocketImpl: WebSocket,
        connectionParams: token ? { authorization: `Bearer ${token}` } : {},
        retryAttempts: 0,
        lazy: true,
        ...extra,
      });
      clients.push(client);
      return client;
    },
    stop: async () => {
      await Promise.all(clients.map((c) => c.dispose()));
      await app.stop();
      await pool.end();
      await db.drop();
    },
  };
}

/** Collects what a subscription yields. */
export function collect<T>(client: Client, query: string, variables: Record<string, unknown> = {}) {
  const items: ExecutionResult<T>[] = [];
  let error: unknown;
  let completed = false;
  const waiters: (() => void)[] = [];
  const wake = () => waiters.splice(0).forEach((w) => w());
  const dispose = client.subscribe<T>(
    { query, variables },
    {
      next: (v) => {
        items.push(v as ExecutionResult<T>);
        wake();
      },
      error: (e) => {
        error = e;
        wake();
      },
      complete: () => {
        completed = true;
        wake();
      },
    },
  );
  return {
    items,
    get error() {
      return error;
    },
    get completed() {
      return completed;
    },
    dispose,
    /** Resolves when `n` items arrived (or rejects on error/timeout). */
    async waitFor(n: number, timeoutMs = 10_000): Promise<ExecutionResult<T>[]> {
      const deadline = Date.now() + timeoutMs;
      while (items.length < n) {
        if (error) throw new Error(`subscription failed: ${JSON.stringify(error instanceof Error ? error.message : (error as any)?.reason ?? error)}`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${n} events; got ${items.length}: ${JSON.stringify(items)}`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, Math.min(left, 200));
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return items.slice(0, n);
    },
    /** Errors the subscription ended with: an `error` message, or a result carrying errors (subscribe-time refusal). */
    get errors(): { message: string; extensions?: Record<string, any> }[] {
      if (Array.isArray(error)) return error;
      if (error) return [{ message: String((error as any)?.reason ?? (error as any)?.message ?? error) }];
      return items.flatMap((i) => (i.errors ?? []) as any[]);
    },
    /** Waits until the subscription errored or completed. */
    async settled(timeoutMs = 10_000): Promise<void> {
      const deadline = Date.now() + timeoutMs;
      while (!error && !completed) {
        if (Date.now() > deadline) throw new Error('subscription neither errored nor completed');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
