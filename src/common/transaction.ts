import type { EntityManager } from '@mikro-orm/postgresql';
import type { ErrorResult } from './errors.js';

/** Thrown inside a transaction to roll it back and hand a typed error result to the caller. */
class RollbackWith extends Error {
  constructor(readonly result: ErrorResult) {
    super(result.message);
  }
}

/** Rolls back the surrounding `inTransaction` and makes it return `result`. */
export function rollbackWith(result: ErrorResult): never {
  throw new RollbackWith(result);
}

/**
 * One unit of work: `fn` runs in a transaction that commits with one flush. A business-rule failure
 * raised with `rollbackWith(error)` anywhere inside (also in hooks of other modules) undoes everything
 * and is returned as a value, so a mutation can answer with its typed error union member.
 */
export async function inTransaction<T>(em: EntityManager, fn: (tx: EntityManager) => Promise<T>): Promise<T | ErrorResult> {
  try {
    return await em.transactional(fn);
  } catch (err) {
    if (err instanceof RollbackWith) return err.result;
    throw err;
  }
}
