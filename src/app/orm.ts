import path from 'node:path';
import { defineConfig, MikroORM, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities.js';

import { COMPILED as compiled, ROOT as root } from './paths.js';

export const MIGRATIONS_TS = path.join(root, 'migrations');
export const MIGRATIONS_JS = path.join(root, 'dist', 'migrations');

export interface OrmOptions {
  databaseUrl: string;
  poolMax?: number;
  /** Called for every SQL statement (tests count them). */
  onQuery?: (sql: string) => void;
  debug?: boolean;
}

export function ormConfig(opts: OrmOptions): Options {
  return defineConfig({
    clientUrl: opts.databaseUrl,
    entities,
    extensions: [Migrator],
    discovery: { warnWhenNoEntities: true },
    pool: { min: 0, max: opts.poolMax ?? 10 },
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
  return MikroORM.init(ormConfig(opts));
}
