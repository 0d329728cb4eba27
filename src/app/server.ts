import http from 'node:http';
import path from 'node:path';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import express from 'express';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { WebSocketServer } from 'ws';
import { useServer } from 'graphql-ws/use/ws';
import { GraphQLError, NoSchemaIntrospectionCustomRule, type ExecutionResult } from 'graphql';
import { checkOperationCost } from '../common/limits.js';
import { Redis } from 'ioredis';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from './config.js';
import { assertDatabaseReachable, startEmbeddedPostgres, StartupError, type EmbeddedDatabase } from './database.js';
import { initOrm, migrateUp } from './orm.js';
import { buildAppSchema } from './schema.js';
import { PUBLIC_DIR } from './paths.js';
import { TrustedDocuments, documentIdOf } from './trusted-documents.js';
import { createObservability } from './observability.js';
import { memoryCounter, rateLimit, rateLimiter, redisCounter } from './rate-limit.js';
import { apolloRequest, directGraphqlHandler, httpErrors, requestIdOf, sendApolloResponse, type GraphqlHttpDeps } from './graphql-http.js';
import { modules } from './modules.js';
import { systemClock, type Clock } from '../common/clock.js';
import { Context, type AppServices } from '../common/context.js';
import { createLogger, type Logger } from '../common/logger.js';
import { formatError } from '../common/format-error.js';
import { EventBus, attachRedis } from '../common/events/bus.js';
import { OutboxRelay, rowToEnvelope } from '../common/events/relay.js';
import { sharedSubscribe, type SharedSubscribeArgs } from '../common/events/shared-execution.js';
import { DocumentCache, heartbeat, liveSender } from './ws-support.js';
import type { Viewer } from '../common/auth/viewer.js';
import { authenticate, ensureBootstrapAdmin, InvalidTokenError } from '../modules/identity/identity.service.js';

export interface StartOptions {
  logger?: Logger;
  /** Observe every SQL statement the ORM sends (tests count them). */
  onQuery?: (sql: string) => void;
  clock?: Clock;
  /** Start module jobs on their intervals (tests turn this off and call runJob). */
  runJobs?: boolean;
}

export interface RunningApp {
  url: string;
  wsUrl: string;
  port: number;
  services: AppServices;
  relay: OutboxRelay;
  databaseUrl: string;
  /** Runs one module job now, by name (tests and operators). */
  runJob(name: string): Promise<void>;
  stop(): Promise<void>;
}

async function connectRedis(url: string, name: string): Promise<Redis> {
  const client = new Redis(url, { lazyConnect: true, connectionName: name, maxRetriesPerRequest: 2, enableOfflineQueue: false });
  client.on('error', () => undefined); // reconnects on its own; readiness reports the state
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 5 s')), 5000)),
    ]);
  } catch (err) {
    client.disconnect();
    const u = new URL(url);
    throw new StartupError(`Cannot reach Redis at ${u.hostname}:${u.port || 6379} (REDIS_URL): ${(err as Error).message}`);
  }
  return client;
}

/** Close code for a WebSocket whose client stopped reading (documented in the README). */
export const WS_CLOSE_SLOW_CONSUMER = 4413;
/** Every socket is pinged this often; one that has not answered the previous ping by then is dropped. */
const WS_KEEP_ALIVE_MS = 12_000;
/** After the close frame, how long a stalled peer gets to complete the closing handshake before its socket is dropped. */
const SLOW_CONSUMER_GRACE_MS = 5_000;

/**
 * graphql-ws writes every message without regard for whether the peer reads, so a client that stops reading its
 * socket would make the send buffer grow with every event. Past `maxBytes` of unsent data the socket is closed with
 * 4413; later messages are dropped (ws refuses to send while closing), and if the peer does not answer the close frame
 * its TCP connection is destroyed, which ends its subscriptions and frees their bus listeners.
 */
function guardSlowConsumers(wsServer: WebSocketServer, maxBytes: number, logger: Logger): void {
  wsServer.on('connection', (socket) => {
    const send = socket.send.bind(socket) as (data: unknown, options?: unknown, cb?: unknown) => void;
    let closing = false;
    // Fixed parameters, not a rest array: this runs once per message per socket (10,000 times for one fan-out).
    socket.send = ((data: unknown, options?: unknown, cb?: unknown) => {
      send(data, options, cb);
      if (closing || socket.bufferedAmount <= maxBytes) return;
      closing = true;
      logger.warn('closing a WebSocket whose client stopped reading', { bufferedBytes: socket.bufferedAmount, limit: maxBytes });
      socket.close(WS_CLOSE_SLOW_CONSUMER, 'Client is not reading: send buffer limit exceeded');
      const timer = setTimeout(() => socket.terminate(), SLOW_CONSUMER_GRACE_MS);
      timer.unref();
      socket.once('close', () => clearTimeout(timer));
    }) as typeof socket.send;
  });
}

/** Starts the whole server: database, migrations, event relay, HTTP and WebSocket on one port. */
export async function startApp(config: Config, opts: StartOptions = {}): Promise<RunningApp> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  // Read before anything starts, so a bad manifest stops the process with nothing to clean up.
  let trusted: TrustedDocuments | undefined;
  if (config.trustedDocumentsFile) {
    try {
      trusted = TrustedDocuments.load(config.trustedDocumentsFile);
    } catch (err) {
      throw new StartupError(`Cannot read trusted documents from ${config.trustedDocumentsFile} (TRUSTED_DOCUMENTS): ${(err as Error).message}`);
    }
    logger.info('trusted documents only', { documents: trusted.size });
  }
  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.databaseUrl;
  if (databaseUrl) {
    await assertDatabaseReachable(databaseUrl);
  } else {
    embedded = await startEmbeddedPostgres(config.embeddedPgDir, config.embeddedPgPort, logger);
    databaseUrl = embedded.url;
    logger.info('no DATABASE_URL: using embedded PostgreSQL', { dir: config.embeddedPgDir, port: config.embeddedPgPort });
  }

  let orm: MikroORM;
  try {
    orm = await initOrm({ databaseUrl, poolMax: config.dbPoolMax, onQuery: opts.onQuery, migrator: false });
  } catch (err) {
    await embedded?.stop();
    throw new StartupError(`Cannot open the database: ${(err as Error).message}`);
  }
  if (config.migrateOnStart) {
    const applied = await migrateUp(orm);
    if (applied.length) logger.info('migrations applied', { migrations: applied });
  }

  let redisPub: Redis | undefined;
  let redisSub: Redis | undefined;
  const channel = `${config.redisPrefix}:events`;
  if (config.redisUrl) {
    redisPub = await connectRedis(config.redisUrl, 'ecom-pub');
    redisSub = await connectRedis(config.redisUrl, 'ecom-sub');
  }

  const readRange = async (after: number, before: number) => {
    const rows = await orm.em
      .getConnection()
      .execute('SELECT seq, topic, payload, created_at FROM event_outbox WHERE seq > ? AND seq < ? ORDER BY seq', [after, before]);
    return rows.map((r: any) => rowToEnvelope({ ...r, created_at: new Date(r.created_at) }));
  };
  const bus = new EventBus(readRange, logger);
  if (redisSub) {
    await attachRedis(bus, redisSub, channel, logger);
    logger.info('events: Redis pub/sub', { channel });
  } else {
    logger.info('events: in-process bus (no REDIS_URL) — subscribers on other instances will not see events');
  }
  const publish = redisPub
    ? async (events: ReturnType<typeof rowToEnvelope>[]) => {
        await redisPub!.publish(channel, JSON.stringify(events));
      }
    : (events: ReturnType<typeof rowToEnvelope>[]) => bus.ingest(events);
  const relay = new OutboxRelay(databaseUrl, publish, logger, config.relayPollMs);
  await relay.start();

  const services: AppServices = { config, orm, bus, logger, clock: opts.clock ?? systemClock };
  const jobs = new Map(modules.flatMap((m) => m.jobs ?? []).map((j) => [j.name, j]));
  const timers: NodeJS.Timeout[] = [];
  const runningJobs = new Set<Promise<void>>();
  const runJob = async (name: string) => {
    const job = jobs.get(name);
    if (!job) throw new Error(`unknown job ${name}`);
    await job.run(services);
  };
  if (opts.runJobs !== false) {
    for (const job of jobs.values()) {
      const intervalMs = typeof job.intervalMs === 'function' ? job.intervalMs(config) : job.intervalMs;
      if (intervalMs <= 0) continue;
      let busy = false;
      const timer = setInterval(() => {
        if (busy) return; // never overlap with itself
        busy = true;
        const p = job
          .run(services)
          .catch((err) => logger.error('job failed', { job: job.name, err }))
          .finally(() => {
            busy = false;
            runningJobs.delete(p);
          });
        runningJobs.add(p);
      }, intervalMs);
      timer.unref();
      timers.push(timer);
    }
  }
  await ensureBootstrapAdmin(services);
  if (config.authSecretGenerated) {
    logger.warn('AUTH_SECRET not set: generated one for this process; tokens will not survive a restart or work across instances');
  }

  const schema = await buildAppSchema();
  const app = express();
  app.disable('x-powered-by');
  // No ETag on responses: GraphQL answers are POSTs (never revalidated), and hashing each body cost ~1 % of the CPU
  // of a list query. Static assets keep theirs (express.static sets its own).
  app.set('etag', false);
  // Behind a load balancer the client address is in X-Forwarded-For.
  app.set('trust proxy', config.trustProxy);
  // POST /graphql with a JSON body goes straight to Apollo (graphql-http.ts); everything else to Express.
  let direct: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined;
  const httpServer = http.createServer((req, res) => {
    if (direct?.(req, res)) return;
    app(req, res);
  });
  let stopping = false;

  // Browser pages: every script is served from here (no CDN); the CSP keeps it that way.
  const sendPage = (file: string) => (_req: express.Request, res: express.Response) => {
    const full = path.join(PUBLIC_DIR, file);
    if (!existsSync(full)) {
      res.status(503).type('text/plain').send('The browser pages are not built: run `npm run build:ui`.');
      return;
    }
    res.setHeader(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self' ws: wss:",
    );
    res.sendFile(full);
  };
  app.use('/assets', express.static(PUBLIC_DIR, { index: false, maxAge: '1h', extensions: [] }));
  app.get('/console', sendPage('console.html'));
  if (config.graphiql) {
    app.get('/graphql', (req, res, next) => {
      if (req.accepts(['application/json', 'application/graphql-response+json', 'text/html']) === 'text/html' && req.query.query === undefined) {
        return sendPage('graphiql.html')(req, res);
      }
      next();
    });
  }

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const checks: Record<string, string> = {};
    try {
      await orm.em.getConnection().execute('SELECT 1');
      checks.database = 'ok';
    } catch {
      checks.database = 'unreachable';
    }
    if (redisPub) {
      try {
        await Promise.race([redisPub.ping(), new Promise((_, r) => setTimeout(() => r(new Error('timeout')), 1000))]);
        checks.redis = 'ok';
      } catch {
        checks.redis = 'unreachable';
      }
    }
    // Without Redis the instance still serves reads and writes (events wait in the outbox): degraded, not down.
    const ok = !stopping && checks.database === 'ok';
    const status = stopping ? 'stopping' : !ok ? 'unavailable' : checks.redis === 'unreachable' ? 'degraded' : 'ready';
    res.status(ok ? 200 : 503).json({ status, checks });
  });

  const limits = config.limits;
  const validationRules = config.introspection ? [] : [NoSchemaIntrospectionCustomRule];

  // Compression stays off (ws's server default, stated here): a deflate context per socket costs far more memory than
  // the small event messages save.
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql', maxPayload: limits.maxBodyBytes, perMessageDeflate: false });
  guardSlowConsumers(wsServer, config.wsMaxBufferedBytes, logger);
  const stopHeartbeat = heartbeat(wsServer, WS_KEEP_ALIVE_MS);
  const wsDocuments = new DocumentCache(schema, validationRules, limits.maxTokens);
  const wsCleanup = useServer<Record<string, unknown>, { viewer?: Viewer }>(
    {
      schema,
      connectionInitWaitTimeout: config.wsInitTimeoutMs,
      subscribe: sharedSubscribe,
      onConnect: async (ctx) => {
        // The upgrade request is not used after the handshake; do not keep it alive for the connection's lifetime.
        delete (ctx.extra as { request?: unknown }).request;
        const params = ctx.connectionParams ?? {};
        const raw = (params.authorization ?? params.Authorization ?? params.token) as string | undefined;
        try {
          ctx.extra.viewer = await authenticate(services, typeof raw === 'string' ? raw : undefined);
          return true;
        } catch (err) {
          if (err instanceof InvalidTokenError) return false; // graphql-ws closes with 4403 Forbidden
          throw err;
        }
      },
      // Parses and validates with the same limits as HTTP, then hands graphql-ws the execution arguments.
      onSubscribe: (ctx, id, payload): SharedSubscribeArgs | readonly GraphQLError[] => {
        let source = payload.query;
        if (trusted) {
          const r = trusted.resolve(payload.query, documentIdOf(payload as any));
          if ('error' in r) return [r.error];
          source = r.query;
        }
        const parsed = wsDocuments.get(source);
        if ('errors' in parsed) return [...parsed.errors];
        const document = parsed.document;
        const costError = checkOperationCost(limits, schema, document, payload.operationName, payload.variables);
        if (costError) return [costError];
        return {
          schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue: new Context(services, ctx.extra.viewer ?? { kind: 'anonymous' }, randomUUID()),
          // Live events without errors are sent by sharedSubscribe itself, serialised once for all their subscribers.
          liveSender: liveSender(ctx.extra.socket, id),
        };
      },
      onNext: (_ctx, _id, _payload, _args, result: ExecutionResult) =>
        result.errors ? { ...result, errors: result.errors.map((e) => formatError(e, logger)) } : undefined,
      onError: (_ctx, _id, _payload, errors) => errors.map((e) => formatError(e, logger)),
    },
    wsServer,
    0, // keep-alive: one timer for all sockets (heartbeat above), not one per connection
  );

  const observability = createObservability(services, { wsConnections: () => wsServer.clients.size });
  app.get('/metrics', async (_req, res) => {
    res.setHeader('content-type', observability.registry.contentType);
    res.send(await observability.registry.metrics());
  });

  const apollo = new ApolloServer<Context>({
    schema,
    introspection: config.introspection,
    hideSchemaDetailsFromClientErrors: config.hideSchemaDetails,
    allowBatchedHttpRequests: false,
    parseOptions: { maxTokens: limits.maxTokens },
    validationRules,
    includeStacktraceInErrorResponses: false,
    stopOnTerminationSignals: false, // main.ts owns signals and stops everything in order
    formatError: (formatted, error) => formatError(error instanceof GraphQLError ? error : formatted, logger),
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer, stopGracePeriodMillis: config.shutdownGraceMs }),
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are used; Apollo's default cache-control plugin would wrap every field resolver for nothing.
      ApolloServerPluginCacheControlDisabled(),
      observability.plugin,
      {
        async requestDidStart() {
          return {
            async didResolveOperation({ document, request, operationName }) {
              const err = checkOperationCost(limits, schema, document, operationName, request.variables);
              if (err) {
                err.extensions.http = { status: 400 };
                throw err;
              }
            },
          };
        },
      },
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await wsCleanup.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  const graphqlHttp: GraphqlHttpDeps = {
    apollo,
    maxBodyBytes: limits.maxBodyBytes,
    limiter: rateLimiter(redisPub ? redisCounter(redisPub, config.redisPrefix) : memoryCounter(), config.rateLimit, logger, config.trustProxy),
    stopping: () => stopping,
    resolveDocument: trusted
      ? (body) => {
          const r = trusted.resolve(body?.query, documentIdOf(body));
          if ('error' in r) return { error: { errors: [{ message: r.error.message, extensions: r.error.extensions }] } };
          if (body && typeof body === 'object') {
            body.query = r.query;
            delete body.documentId;
          }
          return undefined;
        }
      : undefined,
    context: async (req, requestId) => {
      try {
        const viewer = await authenticate(services, req.headers.authorization);
        return new Context(services, viewer, requestId);
      } catch (err) {
        if (err instanceof InvalidTokenError) {
          throw new GraphQLError('The token is invalid, expired or revoked', {
            extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
          });
        }
        throw err;
      }
    },
    logger,
  };
  direct = directGraphqlHandler(graphqlHttp);
  // The same steps through Express, for what the direct path leaves to it (GET, other content types, compressed bodies).
  app.use(
    '/graphql',
    (req, res, next) => {
      if (stopping) {
        res.setHeader('connection', 'close');
        res.status(503).json(httpErrors.stopping);
        return;
      }
      // One id per request, echoed back, in every log line about it.
      const id = requestIdOf(req);
      req.headers['x-request-id'] = id;
      res.setHeader('x-request-id', id);
      next();
    },
    rateLimit(graphqlHttp.limiter),
    express.json({ limit: limits.maxBodyBytes }),
    (req, res, next) => {
      if (!graphqlHttp.resolveDocument) return next();
      const body = req.method === 'GET' ? { query: req.query.query } : req.body;
      const refused = graphqlHttp.resolveDocument(body);
      if (refused) {
        res.status(400).json(refused.error);
        return;
      }
      next();
    },
    async (req, res, next) => {
      try {
        const response = await apollo.executeHTTPGraphQLRequest({
          httpGraphQLRequest: apolloRequest(req, req.body),
          context: () => graphqlHttp.context(req, req.headers['x-request-id'] as string),
        });
        await sendApolloResponse(res, response);
      } catch (err) {
        next(err);
      }
    },
  );

  // Body-parser failures (too large, malformed JSON) answer in GraphQL's error shape, not an HTML page.
  app.use((err: any, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (!err) return next();
    const tooLarge = err.type === 'entity.too.large';
    const status = tooLarge ? 413 : err.status && err.status < 500 ? err.status : 500;
    if (status >= 500) logger.error('request failed before GraphQL', { err });
    if (tooLarge) res.status(413).json(httpErrors.tooLarge(limits.maxBodyBytes));
    else if (status < 500) res.status(status).json(httpErrors.malformed);
    else res.status(500).json(httpErrors.internal);
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', (err: NodeJS.ErrnoException) =>
      reject(new StartupError(err.code === 'EADDRINUSE' ? `Port ${config.port} is already in use (PORT)` : `Cannot listen: ${err.message}`)),
    );
    httpServer.listen(config.port, config.host, () => resolve());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const host = config.host === '0.0.0.0' ? 'localhost' : config.host;
  const url = `http://${host}:${port}/graphql`;
  logger.info('server ready', { url, ws: `ws://${host}:${port}/graphql` });

  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      stopping = true;
      logger.info('shutting down: finishing in-flight requests');
      // Apollo's drain plugin stops accepting connections and waits for in-flight requests;
      // our plugin then closes every WebSocket with 1001 (going away) via graphql-ws.
      for (const client of wsServer.clients) client.close(1001, 'Server shutting down');
      await apollo.stop();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      timers.forEach(clearInterval);
      stopHeartbeat();
      await Promise.allSettled([...runningJobs]);
      await relay.stop();
      redisSub?.disconnect();
      await redisPub?.quit().catch(() => undefined);
      await orm.close(true);
      await embedded?.stop();
      logger.info('stopped');
    })());

  return { url, wsUrl: url.replace(/^http/, 'ws'), port, services, relay, databaseUrl, runJob, stop };
}
