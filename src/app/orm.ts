import path from 'node:path';
import { readdirSync } from 'node:fs';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { entities } from './entities.js';
import { scopeAsyncLocalStorage } from './async-context.js';

import { COMPILED as compiled, ROOT as root } from './paths.js';

export const MIGRATIONS_TS = path.join(root, 'migrations');
export const MIGRATIONS_JS = path.join(root, 'dist', 'migrations');

export interface OrmOptions {
  databaseUrl: string;
  poolMax?: number;
  /** Called for every SQL statement (tests count them). */
  onQuery?: (sql: string) => void;
  debug?: boolean;
  /**
   * Register the migrator (default true). The server starts without it: @mikro-orm/migrations pulls in umzug and
   * its tooling (a third of the modules loaded at start), needed only when a migration is pending.
   */
  migrator?: boolean;
}

/** Session options of every application connection (also used by the bench to run the same SQL the same way). */
export const JIT_OFF = '-c jit=off';

export function ormConfig(opts: OrmOptions, extensions: Options['extensions'] = []): Options {
  return defineConfig({
    clientUrl: opts.databaseUrl,
    entities,
    extensions,
    discovery: { warnWhenNoEntities: true },
    pool: { min: 0, max: opts.poolMax ?? 10 },
    // No JIT compilation: this API runs short statements whose plans can look costly (KPI queries whose raw part is
    // estimated from a few marked slots); PostgreSQL then spends ~1 s compiling for a query that runs in 0.2 s.
    driverOptions: { connection: { options: JIT_OFF } },
    // Relations are loaded by DataLoaders, never implicitly.
    forceUndefined: false,
    implicitTransactions: false,
    debug: opts.onQuery ? ['query'] : false,
    colors: false,
    logger: opts.onQuery ? (message: string) => opts.onQuery!(message) : () => undefined,
    migrations: {
      tableName: 'mikro_orm_migrations',
      path: compiled ? MIGRATIONS_JS : MIGRATIONS_TS,
      pathTs: MIGRATIONS_TS,
      glob: compiled ? '!(*.d).js' : '!(*.d).ts',
      transactional: true,
      allOrNothing: true,
      snapshot: false,
      emit: 'ts',
      fileName: (timestamp: string, name?: string) => `Migration${timestamp}${name ? '_' + name : ''}`,
    },
    schemaGenerator: { disableForeignKeys: false },
  });
}

export async function initOrm(opts: OrmOptions): Promise<MikroORM> {
  // MikroORM's AsyncLocalStorages would otherwise keep a promise hook on for every later request (see async-context.ts).
  scopeAsyncLocalStorage();
  const extensions = opts.migrator === false ? [] : [(await import('@mikro-orm/migrations')).Migrator];
  return MikroORM.init(ormConfig(opts, extensions));
}

/** Names of migrations on disk that the database has not run (all of them when it has run none). */
export async function pendingMigrations(orm: MikroORM): Promise<string[]> {
  const dir = compiled ? MIGRATIONS_JS : MIGRATIONS_TS;
  const ext = compiled ? '.js' : '.ts';
  const onDisk = readdirSync(dir)
    .filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -ext.length));
  let done: Set<string>;
  try {
    const rows: { name: string }[] = await orm.em.getConnection().execute('SELECT name FROM mikro_orm_migrations');
    done = new Set(rows.map((r: { name: string }) => r.name.replace(/\.(js|ts)$/, '')));
  } catch {
    return onDisk; // no migrations table yet
  }
  return onDisk.filter((name) => !done.has(name));
}

/** Applies pending migrations; loads the migrator only when there is something to apply. */
export async function migrateUp(orm: MikroORM): Promise<string[]> {
  if ((await pendingMigrations(orm)).length === 0) return [];
  const { Migrator } = await import('@mikro-orm/migrations');
  if (!orm.config.getExtension('@mikro-orm/migrator')) Migrator.register(orm);
  return (await orm.getMigrator().up()).map((m) => m.name);
}
