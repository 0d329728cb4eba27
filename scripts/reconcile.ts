/**
 * Checks the ledger invariants and reports drift, one line each; exits 1 when there is drift.
 *   npm run reconcile             report only
 *   npm run reconcile -- --repair recompute the projections (stock levels, order payment totals) from the ledgers, then check again
 * Uses DATABASE_URL, or the embedded PostgreSQL of `npm start` when it is not set.
 */
import { parseArgs } from 'node:util';
import pg from 'pg';
import { loadConfig } from '../src/app/config.js';
import { startEmbeddedPostgres } from '../src/app/database.js';
import { CHECKS, formatDrift, reconcile, repair } from '../src/app/reconcile.js';
import { createLogger } from '../src/common/logger.js';

const { values } = parseArgs({ options: { repair: { type: 'boolean', default: false } } });
const config = loadConfig({ ...process.env, ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.embeddedPgDir, config.embeddedPgPort, createLogger('warn'));
const client = new pg.Client({ connectionString: config.databaseUrl ?? embedded!.url });
await client.connect();
try {
  let drift = await reconcile(client);
  for (const d of drift) console.log(formatDrift(d));
  if (values.repair && drift.some((d) => CHECKS.find((c) => c.name === d.check)?.repairable)) {
    const changed = await repair(client);
    console.log(`repaired: ${changed.stockLevels} stock level rows, ${changed.orders} orders`);
    drift = await reconcile(client);
    for (const d of drift) console.log(`still: ${formatDrift(d)}`);
  }
  console.log(drift.length ? `${drift.length} invariant violation(s)` : `no drift (${CHECKS.length} checks)`);
  process.exitCode = drift.length ? 1 : 0;
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 2;
} finally {
  await client.end();
  await embedded?.stop();
}
