import pg from 'pg';
import type { Logger } from '../logger.js';
import type { EventEnvelope } from './envelope.js';

/** Arbitrary constant identifying "the outbox relay" among advisory locks of this database. */
const RELAY_LOCK_KEY = 774_411_001;
const BATCH = 500;

export type Publisher = (events: EventEnvelope[]) => Promise<void>;

interface Row {
  seq: string;
  topic: string;
  payload: Record<string, unknown>;
  created_at: Date;
}

export function rowToEnvelope(r: Row): EventEnvelope {
  return { id: Number(r.seq), topic: r.topic, payload: r.payload, occurredAt: r.created_at.toISOString() };
}

/**
 * Moves committed outbox rows to subscribers. Every instance runs one; a session advisory lock makes
 * exactly one of them work at a time, so each event gets one delivery number and one publication,
 * and publications leave in delivery order. It wakes on NOTIFY from the outbox trigger and polls as a
 * fallback (a missed notification, or rows left by an instance that died between commit and publish).
 */
export class OutboxRelay {
  private client?: pg.Client;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;
  private healthy = false;

  constructor(
    private readonly databaseUrl: string,
    private readonly publish: Publisher,
    private readonly logger: Logger,
    private readonly pollMs: number,
  ) {}

  async start(): Promise<void> {
    await this.connect();
    this.timer = setInterval(() => this.wake(), this.pollMs);
    this.timer.unref();
    this.wake();
  }

  private async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: 'outbox-relay' });
    client.on('error', (err) => {
      // The connection died (database restart); the next wake reconnects.
      this.logger.warn('outbox relay connection lost', { err: err.message });
      this.healthy = false;
      if (this.client === client) this.client = undefined;
    });
    client.on('notification', () => this.wake());
    await client.connect();
    await client.query('LISTEN event_outbox');
    this.client = client;
    this.healthy = true;
  }

  get isHealthy(): boolean {
    return this.healthy;
  }

  /** Runs the relay soon; coalesces wake-ups that arrive while it is running. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.loop().finally(() => {
      this.running = undefined;
      if (this.again && !this.stopped) {
        this.again = false;
        this.wake();
      }
    });
  }

  /** Resolves when the relay is idle (tests and shutdown use it). */
  async drain(): Promise<void> {
    while (this.running) await this.running;
  }

  private async loop(): Promise<void> {
    try {
      if (!this.client) await this.connect();
      const client = this.client!;
      const { rows } = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1) AS locked', [RELAY_LOCK_KEY]);
      if (!rows[0]?.locked) return; // another instance is relaying; it will see our rows too
      try {
        while (!this.stopped) {
          const assigned = await this.assign(client);
          const published = await this.publishPending(client);
          if (assigned < BATCH && published < BATCH) break;
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [RELAY_LOCK_KEY]).catch(() => undefined);
      }
    } catch (err) {
      this.logger.warn('outbox relay run failed; will retry', { err: (err as Error).message });
    }
  }

  /** Numbers committed, unnumbered rows in id order after the highest number given so far. */
  private async assign(client: pg.Client): Promise<number> {
    const res = await client.query(
      `WITH picked AS (
         SELECT id FROM event_outbox WHERE seq IS NULL ORDER BY id LIMIT $1 FOR UPDATE
       ), numbered AS (
         SELECT id, row_number() OVER (ORDER BY id) AS rn FROM picked
       ), base AS (
         SELECT coalesce(max(seq), 0) AS m FROM event_outbox
       )
       UPDATE event_outbox e SET seq = base.m + numbered.rn
       FROM numbered, base WHERE e.id = numbered.id`,
      [BATCH],
    );
    return res.rowCount ?? 0;
  }

  /** Publishes numbered, unpublished rows in order, then marks them published. */
  private async publishPending(client: pg.Client): Promise<number> {
    const { rows } = await client.query<Row>(
      `SELECT seq, topic, payload, created_at FROM event_outbox
       WHERE seq IS NOT NULL AND published_at IS NULL ORDER BY seq LIMIT $1`,
      [BATCH],
    );
    if (rows.length === 0) return 0;
    const events = rows.map(rowToEnvelope);
    await this.publish(events);
    await client.query('UPDATE event_outbox SET published_at = now() WHERE seq = ANY($1::bigint[])', [events.map((e) => e.id)]);
    return rows.length;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.drain();
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
    this.healthy = false;
  }
}
