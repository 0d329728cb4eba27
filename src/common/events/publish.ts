import type { EntityManager } from '@mikro-orm/postgresql';
import { OutboxEvent } from './outbox.entity.js';

/**
 * Records an event in the outbox as part of the caller's unit of work. It is delivered only if that
 * transaction commits; a database trigger wakes the relay of every instance on commit.
 * Payloads must be JSON: ids and ISO strings, never entities.
 */
export function recordEvent<P extends object>(em: EntityManager, topic: string, payload: P): void {
  const e = new OutboxEvent();
  e.topic = topic;
  e.payload = payload as Record<string, unknown>;
  em.persist(e);
}
