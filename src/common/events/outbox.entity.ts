import { BigIntType, Entity, Index, PrimaryKey, Property } from '@mikro-orm/postgresql';

/**
 * Transactional outbox. A row is written in the same transaction as the change it describes; the relay
 * gives it its delivery number `seq` after commit (in commit-visibility order, under one advisory lock across
 * all instances) and publishes it. Subscribers resume with `afterEventId` = the last `seq` they saw.
 */
@Entity({ tableName: 'event_outbox' })
@Index({ name: 'event_outbox_topic_seq_idx', properties: ['topic', 'seq'] })
@Index({
  name: 'event_outbox_unsequenced_idx',
  expression: 'create index "event_outbox_unsequenced_idx" on "event_outbox" ("id") where "seq" is null',
})
@Index({
  name: 'event_outbox_unpublished_idx',
  expression: 'create index "event_outbox_unpublished_idx" on "event_outbox" ("seq") where "seq" is not null and "published_at" is null',
})
export class OutboxEvent {
  @PrimaryKey({ type: new BigIntType('number'), autoincrement: true })
  id!: number;

  @Property({ type: 'text' })
  topic!: string;

  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  createdAt: Date = new Date();

  /** Delivery order; assigned by the relay after commit. */
  @Property({ type: new BigIntType('number'), nullable: true, unique: 'event_outbox_seq_unique' })
  seq?: number | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  publishedAt?: Date | null;
}
