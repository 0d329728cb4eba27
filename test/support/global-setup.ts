/**
 * Once per `npm test`: finds PostgreSQL (the local server, or an embedded one when none answers) and Redis,
 * builds a template database migrated to head, and afterwards drops every database this run created.
 * Test files clone the template (CREATE DATABASE … TEMPLATE), so each file has its own database.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import type { TestProject } from 'vitest/node';

const RUN_ID = `ecomtest_${Date.now().toString(36)}_${randomBytes(2).toString('hex')}`;

async function reachable(url: string): Promise<boolean> {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => undefined);
  }
}

async function redisReachable(url: string): Promise<string | null> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, connectTimeout: 2000 });
  r.on('error', () => undefined);
  try {
    await r.connect();
    await r.ping();
    return null;
  } catch (err) {
    return `Redis not reachable at ${url}: ${(err as Error).message}`;
  } finally {
    r.disconnect();
  }
}

let stopEmbedded: (() => Promise<void>) | undefined;

export default async function setup(project: TestProject) {
  let adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await reachable(adminUrl))) {
    const { startEmbeddedPostgres } = await import('../../src/app/database.js');
    const { createLogger } = await import('../../src/common/logger.js');
    const embedded = await startEmbeddedPostgres('.data/test-pg', Number(process.env.TEST_EMBEDDED_PG_PORT ?? 54331), createLogger('warn'), 'postgres');
    adminUrl = embedded.url;
    stopEmbedded = embedded.stop;
    console.log('[test] no PostgreSQL answered; using the embedded one');
  }
  const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const redisProblem = await redisReachable(redisUrl);
  if (redisProblem && process.env.CI === 'true') throw new Error(`${redisProblem} (required when CI=true)`);
  if (redisProblem) console.warn(`[test] ${redisProblem}; tests that need Redis will be skipped`);

  const template = `${RUN_ID}_tmpl`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${template}"`);
  const u = new URL(adminUrl);
  u.pathname = `/${template}`;
  // The real migration command, in a child process (tsx loads the TypeScript migrations).
  execFileSync(process.execPath, ['--import', 'tsx', path.resolve('scripts/migrations.ts'), 'up'], {
    env: { ...process.env, DATABASE_URL: u.toString() },
    stdio: 'pipe',
  });

  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDb', template);
  project.provide('runId', RUN_ID);
  project.provide('redisUrl', redisProblem ? '' : redisUrl);
  project.provide('redisProblem', redisProblem ?? '');

  return async () => {
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname LIKE $1`, [`${RUN_ID}%`]);
    for (const { datname } of rows) {
      await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`).catch(() => undefined);
    }
    await admin.end();
    await stopEmbedded?.();
  };
}

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDb: string;
    runId: string;
    redisUrl: string;
    redisProblem: string;
  }
}
