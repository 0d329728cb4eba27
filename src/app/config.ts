/**
 * Process configuration, read once from the environment and validated before anything starts.
 * A bad value stops the process with one line that names the variable and what it expects.
 */
export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly expectation: string,
  ) {
    super(`Invalid configuration: ${variable} ${expectation}`);
    this.name = 'ConfigError';
  }
}

export type NodeEnv = 'development' | 'production' | 'test';

export interface Config {
  nodeEnv: NodeEnv;
  port: number;
  host: string;
  /** Absent: an embedded PostgreSQL is started in `embeddedPgDir`. */
  databaseUrl?: string;
  embeddedPgDir: string;
  embeddedPgPort: number;
  /** Absent: events go through an in-process bus (single instance only). */
  redisUrl?: string;
  /** Prefix of every Redis key and channel this deployment uses (lets several deployments share one Redis). */
  redisPrefix: string;
  /** HMAC secret for access tokens; generated per process when absent outside production. */
  authSecret: string;
  authSecretGenerated: boolean;
  accessTokenTtlSeconds: number;
  /** Run pending migrations at start. */
  migrateOnStart: boolean;
  /** How often the outbox relay polls when no notification arrived (ms). */
  relayPollMs: number;
  /** How often analytics slot rollups are brought up to date (ms; 0 = never on a timer). KPIs are exact either way; a longer lag only makes them slower. */
  analyticsRollupMs: number;
  dbPoolMax: number;
  /** V8 old-generation growth per major GC, in percent (0 = V8's own heuristic); applied by main.ts. */
  heapGrowingPercent: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Bootstrap admin, created at start when no staff user exists yet. */
  bootstrapAdminEmail?: string;
  bootstrapAdminPassword?: string;
  /** Counts SQL statements (tests and benchmarks read it). */
  countQueries: boolean;
  /** Grace period for in-flight work on SIGTERM (ms). */
  shutdownGraceMs: number;
  limits: {
    maxDepth: number;
    maxCost: number;
    maxAliases: number;
    maxDirectives: number;
    maxTokens: number;
    maxBodyBytes: number;
  };
  rateLimit: { perToken: number; perIp: number; windowSeconds: number };
  /** Express "trust proxy": hops of proxies whose X-Forwarded-For is believed (0: none). */
  trustProxy: number;
  /** graphql-ws: close a socket that sends no connection_init within this time (4408). */
  wsInitTimeoutMs: number;
  /** graphql-ws: close a socket whose unsent data exceeds this many bytes (a client that stopped reading) with 4413. */
  wsMaxBufferedBytes: number;
  /** Serve GraphiQL to browsers at GET /graphql (default: on, except in production). */
  graphiql: boolean;
  /** Path of a trusted-documents manifest: when set, only its documents run. */
  trustedDocumentsFile?: string;
  /** Schema introspection (default: on, except in production). */
  introspection: boolean;
  /** Hide "did you mean" field suggestions in errors (default: on in production). */
  hideSchemaDetails: boolean;
}

type Env = Record<string, string | undefined>;

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be an integer between ${min} and ${max}, got "${raw}"`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be an integer between ${min} and ${max}, got "${raw}"`);
  return value;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (/^(1|true|yes|on)$/i.test(raw)) return true;
  if (/^(0|false|no|off)$/i.test(raw)) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function url(env: Env, name: string, protocols: string[], example: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be a URL like ${example}`);
  }
  if (!protocols.includes(parsed.protocol) || !parsed.hostname) {
    throw new ConfigError(name, `must be a URL like ${example}`);
  }
  return raw;
}

function oneOf<T extends string>(env: Env, name: string, values: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!values.includes(raw as T)) throw new ConfigError(name, `must be one of ${values.join(', ')}, got "${raw}"`);
  return raw as T;
}

export function loadConfig(env: Env = process.env, generateSecret: () => string = defaultSecret): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'] as const, 'development');
  const databaseUrl = url(env, 'DATABASE_URL', ['postgres:', 'postgresql:'], 'postgres://user:password@host:5432/dbname');
  const redisUrl = url(env, 'REDIS_URL', ['redis:', 'rediss:'], 'redis://127.0.0.1:6379');
  let authSecret = env.AUTH_SECRET;
  let authSecretGenerated = false;
  if (authSecret !== undefined && authSecret.length < 32) {
    throw new ConfigError('AUTH_SECRET', 'must be at least 32 characters');
  }
  if (!authSecret) {
    if (nodeEnv === 'production') throw new ConfigError('AUTH_SECRET', 'is required when NODE_ENV=production (at least 32 characters)');
    authSecret = generateSecret();
    authSecretGenerated = true;
  }
  const adminEmail = env.ADMIN_EMAIL || undefined;
  const adminPassword = env.ADMIN_PASSWORD || undefined;
  if (adminEmail && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) throw new ConfigError('ADMIN_EMAIL', 'must be an email address');
  if (adminEmail && !adminPassword) throw new ConfigError('ADMIN_PASSWORD', 'is required when ADMIN_EMAIL is set');
  if (adminPassword && adminPassword.length < 12) throw new ConfigError('ADMIN_PASSWORD', 'must be at least 12 characters');

  return {
    nodeEnv,
    port: int(env, 'PORT', 4000, 0, 65535),
    host: env.HOST || '0.0.0.0',
    databaseUrl,
    embeddedPgDir: env.EMBEDDED_PG_DIR || '.data/pg',
    embeddedPgPort: int(env, 'EMBEDDED_PG_PORT', 54329, 1, 65535),
    redisUrl,
    redisPrefix: env.REDIS_PREFIX || 'ecom',
    authSecret,
    authSecretGenerated,
    accessTokenTtlSeconds: int(env, 'ACCESS_TOKEN_TTL_SECONDS', 3600, 1, 30 * 24 * 3600),
    migrateOnStart: bool(env, 'MIGRATE_ON_START', true),
    relayPollMs: int(env, 'RELAY_POLL_MS', 1000, 10, 60_000),
    analyticsRollupMs: int(env, 'ANALYTICS_ROLLUP_MS', 5000, 0, 3_600_000),
    dbPoolMax: int(env, 'DB_POOL_MAX', 10, 1, 500),
    heapGrowingPercent: int(env, 'HEAP_GROWING_PERCENT', 50, 0, 1000),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'] as const, 'info'),
    bootstrapAdminEmail: adminEmail,
    bootstrapAdminPassword: adminPassword,
    countQueries: bool(env, 'COUNT_QUERIES', false),
    shutdownGraceMs: int(env, 'SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
    limits: {
      maxDepth: int(env, 'MAX_QUERY_DEPTH', 12, 1, 100),
      maxCost: int(env, 'MAX_QUERY_COST', 25_000, 1, 10_000_000),
      maxAliases: int(env, 'MAX_QUERY_ALIASES', 30, 0, 10_000),
      maxDirectives: int(env, 'MAX_QUERY_DIRECTIVES', 30, 0, 10_000),
      maxTokens: int(env, 'MAX_QUERY_TOKENS', 10_000, 100, 1_000_000),
      maxBodyBytes: int(env, 'MAX_BODY_BYTES', 10_000_000, 1_000, 100_000_000), // batch ingests carry up to 10,000 events
    },
    rateLimit: {
      perToken: int(env, 'RATE_LIMIT_PER_TOKEN', 1200, 1, 10_000_000),
      perIp: int(env, 'RATE_LIMIT_PER_IP', 300, 1, 10_000_000),
      windowSeconds: int(env, 'RATE_LIMIT_WINDOW_SECONDS', 60, 1, 3600),
    },
    trustProxy: int(env, 'TRUST_PROXY_HOPS', 0, 0, 10),
    wsInitTimeoutMs: int(env, 'WS_INIT_TIMEOUT_MS', 10_000, 100, 600_000),
    wsMaxBufferedBytes: int(env, 'WS_MAX_BUFFERED_BYTES', 4 * 1024 * 1024, 1024, 1024 * 1024 * 1024),
    graphiql: bool(env, 'GRAPHIQL', nodeEnv !== 'production'),
    trustedDocumentsFile: env.TRUSTED_DOCUMENTS || undefined,
    introspection: bool(env, 'INTROSPECTION', nodeEnv !== 'production'),
    hideSchemaDetails: bool(env, 'HIDE_SCHEMA_DETAILS', nodeEnv === 'production'),
  };
}

function defaultSecret(): string {
  // Lazy import keeps this module free of side effects for tests of the parser.
  return globalThis.crypto.getRandomValues(new Uint8Array(32)).reduce((s, b) => s + b.toString(16).padStart(2, '0'), '');
}
