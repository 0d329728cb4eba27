/**
 * `npm run seed -- --size small|large` or `npm run seed -- --customers N --skus N --orders N [--traffic-days N]`.
 * Migrates DATABASE_URL to head, then writes the demo data set (see bench/seed.ts). SEED_TIMINGS=1 prints the
 * slowest statements at the end.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { initOrm } from '../src/app/orm.js';
import { SEED_SIZES, progressBar, seed, type SeedSizes } from './seed.js';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'small' },
    customers: { type: 'string' },
    skus: { type: 'string' },
    orders: { type: 'string' },
    'traffic-days': { type: 'string' },
  },
});

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is required (a freshly migrated or empty database)');
  const base = SEED_SIZES[values.size as 'small' | 'large'];
  if (!base) throw new Error('--size must be small or large');
  const num = (v: string | undefined, fallback: number, name: string) => {
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const sizes: SeedSizes = {
    customers: num(values.customers, base.customers, 'customers'),
    skus: num(values.skus, base.skus, 'skus'),
    orders: num(values.orders, base.orders, 'orders'),
    trafficDays: num(values['traffic-days'], base.trafficDays ?? 90, 'traffic-days'),
  };
  // Distinct variants per order rely on 7919 and 15838 not being multiples of the SKU count.
  if (sizes.skus < 3 || 7919 % sizes.skus === 0 || 15838 % sizes.skus === 0) throw new Error('--skus must be at least 3 and not divide 15838');
  const orm = await initOrm({ databaseUrl: url });
  await orm.getMigrator().up();
  await orm.close(true);
  console.error(`seeding ${sizes.customers} customers, ${sizes.skus} SKUs, ${sizes.orders} orders, ${sizes.trafficDays} days of visit-level traffic`);
  // One progress bar per phase: reference data, orders (with their traffic, returns and tickets), ledgers and metrics.
  const { seconds } = await seed(url, sizes, { phase: (name) => progressBar(name.padEnd(26)), skipForeignKeyChecks: true });
  console.log(`seeded in ${seconds.toFixed(1)} s`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
