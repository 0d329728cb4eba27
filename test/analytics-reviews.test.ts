import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { orderUpTo } from './support/reviews-fixtures.js';
import { AnalyticsReviewKpisDocument, ModerateReviewDocument, SubmitReviewDocument } from './generated/graphql.js';

/*
 * Published reviews (Asia/Tokyo is UTC+9):
 *   r1 ★5 product X  2026-03-01T23:30Z  Tokyo Mar 2 08:30, UTC Mar 1
 *   r2 ★3 product Y  2026-03-02T10:00Z  Tokyo Mar 2 19:00
 *   r3 ★4 product X  2026-03-02T16:00Z  Tokyo Mar 3 01:00, UTC Mar 2
 *   r4 ★1 product Y  2026-03-02T11:00Z  rejected by a moderator: counts nowhere
 */
const clock = new ManualClock(new Date('2026-03-01T00:00:00Z'));
let t: TestApp;
let analyst: string;
let productX: string;
let productY: string;

beforeAll(async () => {
  t = await startTestApp({ clock });
  const ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  const support = (await staffToken(t, Role.SUPPORT)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  const buyer = await customer(t);
  const x = await product(t, ops, [{ priceAmount: 1000 }, { priceAmount: 1100 }]);
  const y = await product(t, ops, [{ priceAmount: 2000 }, { priceAmount: 2100 }]);
  productX = x.productId;
  productY = y.productId;
  const { lineIds } = await orderUpTo(t, ops, buyer.token, [x.variantIds[0]!, y.variantIds[0]!, x.variantIds[1]!, y.variantIds[1]!]);
  const review = async (orderLineId: string, rating: number, at: string) => {
    clock.set(at);
    const res = await t.gql(SubmitReviewDocument, { input: { orderLineId, rating, title: 'My view', body: 'It is as described, arrived on time.' } }, buyer.token);
    if (res.data?.submitReview?.__typename !== 'Review') throw new Error(JSON.stringify(res));
    return res.data.submitReview.id;
  };
  await review(lineIds[0]!, 5, '2026-03-01T23:30:00Z');
  await review(lineIds[1]!, 3, '2026-03-02T10:00:00Z');
  await review(lineIds[2]!, 4, '2026-03-02T16:00:00Z');
  const r4 = await review(lineIds[3]!, 1, '2026-03-02T11:00:00Z');
  const rejected = await t.gql(ModerateReviewDocument, { input: { reviewId: r4, to: 'REJECTED', reason: 'off topic' } }, support);
  if (rejected.data?.moderateReview?.__typename !== 'Review') throw new Error(JSON.stringify(rejected));
  const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM review WHERE status = 'PUBLISHED'`);
  if (n !== 3) throw new Error(`expected 3 published reviews, found ${n}`);
});
afterAll(() => t?.stop());

const dist = (...counts: number[]) => counts.map((count, i) => ({ rating: i + 1, count }));
const flat = (r: any) => ({ day: r.bucketLabel, dim: r.dimension?.key ?? null, ...r.values });

describe('review KPIs', () => {
  it('average rating and distribution per local day', async () => {
    const res = await t.gql(AnalyticsReviewKpisDocument, { from: '2026-03-01T15:00:00Z', to: '2026-03-03T15:00:00Z', bucket: 'DAY', timeZone: 'Asia/Tokyo' }, analyst);
    expect(res.errors).toBeUndefined();
    expect(res.data!.reviewKpis.map(flat)).toEqual([
      { day: '2026-03-02', dim: null, reviews: 2, averageRating: 4, distribution: dist(0, 0, 1, 0, 1) },
      { day: '2026-03-03', dim: null, reviews: 1, averageRating: 4, distribution: dist(0, 0, 0, 1, 0) },
    ]);
    expect(res.data!.reviewKpis.map((r) => r.bucketStart)).toEqual(['2026-03-01T15:00:00.000Z', '2026-03-02T15:00:00.000Z']);
  });

  it('other days in UTC, and per product', async () => {
    const utc = await t.gql(AnalyticsReviewKpisDocument, { from: '2026-03-01T00:00:00Z', to: '2026-03-03T00:00:00Z', bucket: 'DAY', timeZone: 'UTC' }, analyst);
    expect(utc.data!.reviewKpis.map(flat)).toEqual([
      { day: '2026-03-01', dim: null, reviews: 1, averageRating: 5, distribution: dist(0, 0, 0, 0, 1) },
      { day: '2026-03-02', dim: null, reviews: 2, averageRating: 3.5, distribution: dist(0, 0, 1, 1, 0) },
    ]);
    const week = await t.gql(AnalyticsReviewKpisDocument, { from: '2026-03-01T00:00:00Z', to: '2026-03-08T00:00:00Z', bucket: 'MONTH', timeZone: 'UTC', breakdown: 'PRODUCT' }, analyst);
    const byProduct = Object.fromEntries(week.data!.reviewKpis.map((r) => [r.dimension!.key, [r.values.reviews, r.values.averageRating]]));
    expect(byProduct).toEqual({ [productX]: [2, 4.5], [productY]: [1, 3] });
  });
});
