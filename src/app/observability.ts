import type { ApolloServerPlugin } from '@apollo/server';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { AppServices, Context } from '../common/context.js';

/** Bounded label values: client-chosen operation names must not grow the metric set without limit. */
function boundedLabel(seen: Set<string>, raw: string | null | undefined): string {
  if (!raw) return 'anonymous';
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(raw)) return 'invalid';
  if (seen.has(raw)) return raw;
  if (seen.size >= 500) return 'other';
  seen.add(raw);
  return raw;
}

/**
 * Prometheus metrics of one server instance, and the Apollo plugin that feeds them and writes one log line
 * per request (request id, operation name and type, duration, error codes, viewer kind).
 */
export function createObservability(services: AppServices, live: { wsConnections: () => number }) {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const names = new Set<string>();
  const duration = new Histogram({
    name: 'graphql_request_duration_seconds',
    help: 'GraphQL request latency by operation',
    labelNames: ['operation', 'type'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const requests = new Counter({
    name: 'graphql_requests_total',
    help: 'GraphQL requests by operation and outcome',
    labelNames: ['operation', 'type', 'outcome'],
    registers: [registry],
  });
  const errors = new Counter({ name: 'graphql_errors_total', help: 'Errors returned, by code', labelNames: ['code'], registers: [registry] });
  new Gauge({
    name: 'graphql_active_subscriptions',
    help: 'Subscriptions currently listening on this instance',
    registers: [registry],
    collect() {
      this.set(services.bus.listenerCount);
    },
  });
  new Gauge({
    name: 'graphql_ws_connections',
    help: 'Open graphql-ws sockets on this instance',
    registers: [registry],
    collect() {
      this.set(live.wsConnections());
    },
  });
  const outboxPending = new Gauge({ name: 'outbox_pending_events', help: 'Events committed but not yet published', registers: [registry] });
  const outboxLag = new Gauge({
    name: 'outbox_lag_seconds',
    help: 'Age of the oldest unpublished event (0 when none)',
    registers: [registry],
    async collect() {
      const [row] = await services.orm.em
        .getConnection()
        .execute(
          `SELECT count(*)::int AS pending, coalesce(extract(epoch FROM now() - min(created_at)), 0)::float AS lag
           FROM event_outbox WHERE seq IS NULL OR (seq IS NOT NULL AND published_at IS NULL)`,
        )
        .catch(() => [{ pending: -1, lag: -1 }]);
      outboxPending.set(row.pending);
      outboxLag.set(row.lag);
    },
  });
  void outboxLag;
  const pool = () => (services.orm.em.getConnection() as any).getKnex().client.pool;
  for (const [name, help, read] of [
    ['db_pool_used', 'Database connections in use', (p: any) => p.numUsed()],
    ['db_pool_free', 'Idle database connections', (p: any) => p.numFree()],
    ['db_pool_pending_acquires', 'Requests waiting for a database connection', (p: any) => p.numPendingAcquires()],
  ] as const) {
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const p = pool();
        if (p) this.set(read(p));
      },
    });
  }

  const plugin: ApolloServerPlugin<Context> = {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse(rc) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          const operation = boundedLabel(names, rc.operationName ?? rc.request.operationName);
          const type = rc.operation?.operation ?? 'unknown';
          const codes = (rc.errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR'));
          duration.observe({ operation, type }, seconds);
          requests.inc({ operation, type, outcome: codes.length ? 'error' : 'ok' });
          for (const code of codes) errors.inc({ code });
          services.logger.info('request', {
            requestId: rc.contextValue?.requestId,
            operation: rc.operationName ?? rc.request.operationName ?? null,
            type,
            durationMs: Math.round(seconds * 1e4) / 10,
            errors: codes.length ? codes : undefined,
            viewer: rc.contextValue?.viewer.kind,
          });
        },
      };
    },
  };
  return { registry, plugin };
}
