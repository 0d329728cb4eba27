import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Creates an entity with its class defaults, assigns `data` and schedules it for insert at the next flush.
 * (Used instead of `em.create` so that getters and defaulted columns need no OptionalProps bookkeeping.)
 */
export function persistNew<T extends object>(em: EntityManager, cls: new () => T, data: Partial<T>): T {
  const entity = Object.assign(new cls(), data);
  em.persist(entity);
  return entity;
}
