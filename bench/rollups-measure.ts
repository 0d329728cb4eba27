/**
 * Times the KPI statements the service runs against the raw reference statements on a large database, and checks
 * they give the same rows. Usage: DATABASE_URL=… node --import tsx bench/rollups-measure.ts [raw-only]
 */
import 'reflect-metadata';
import pg from 'pg';
import * as analytics from '../src/modules/analytics/analytics.service.js';
import { KpiBucket, ReturnsBreakdown, SalesBreakdown, TrafficBreakdown } from '../src/modules/analytics/analytics.types.js';

const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
await db.connect();
const rawOnly = process.argv[2] === 'raw-only';
const [{ latest }] = (await db.query('SELECT max(placed_at) AS latest FROM sales_order')).rows;
const to = new Date(latest.getTime() + 1000);
const from = new Date(to.getTime() - 365 * 86_400_000);
const a = analytics as any;
const cases: { name: string; api?: () => analytics.KpiSql; raw: () => analytics.KpiSql }[] = [];
for (const tz of ['Europe/Berlin', 'Asia/Kathmandu']) {
  for (const b of [SalesBreakdown.NONE, SalesBreakdown.CHANNEL]) {
    const args = { from, to, timeZone: tz, bucket: KpiBucket.DAY, breakdown: b };
    cases.push({ name: `salesKpis ${b} DAY 365d ${tz}`, api: () => a.salesKpisSql(args), raw: () => (a.salesKpisRawSql ?? a.salesKpisSql)(args) });
  }
  const targs = { from, to, timeZone: tz, bucket: KpiBucket.DAY, breakdown: TrafficBreakdown.NONE };
  cases.push({ name: `trafficKpis NONE DAY 365d ${tz}`, api: () => a.trafficKpisSql(targs), raw: () => (a.trafficKpisRawSql ?? a.trafficKpisSql)(targs) });
  const rargs = { from, to, timeZone: tz, bucket: KpiBucket.MONTH, breakdown: ReturnsBreakdown.REASON };
  cases.push({ name: `returnKpis REASON MONTH 365d ${tz}`, api: () => a.returnKpisSql(rargs), raw: () => (a.returnKpisRawSql ?? a.returnKpisSql)(rargs) });
}
const time = async (q: analytics.KpiSql) => {
  const pq = analytics.toPgSql(q);
  const t0 = performance.now();
  const r = await db.query(pq.text, pq.values);
  return { ms: performance.now() - t0, rows: r.rows };
};
for (const c of cases) {
  if (rawOnly) {
    const r = await time(c.raw());
    console.log(`${c.name}: raw ${r.ms.toFixed(0)} ms (${r.rows.length} rows)`);
    continue;
  }
  const api = [await time(c.api!()), await time(c.api!()), await time(c.api!())];
  const raw = await time(c.raw());
  const same = JSON.stringify(api[0]!.rows) === JSON.stringify(raw.rows);
  console.log(`${c.name}: service ${api.map((x) => x.ms.toFixed(0)).join('/')} ms, raw ${raw.ms.toFixed(0)} ms, rows ${raw.rows.length}, equal: ${same}`);
}
await db.end();
