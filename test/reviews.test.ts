import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { print } from 'graphql';
import { collect, sleep, startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { orderUpTo } from './support/reviews-fixtures.js';
import { ManualClock } from '../src/common/clock.js';
import {
  ModerateReviewDocument,
  ProductRatingSummaryDocument,
  ReplyToReviewDocument,
  ReviewAddedDocument,
  ReviewByIdDocument,
  ReviewInvitationsDocument,
  ReviewModerationDocument,
  ReviewsDocument,
  SubmitReviewDocument,
  UpdateReviewDocument,
  VoteReviewHelpfulDocument,
  type ReviewAddedSubscription,
  type SubmitReviewInput,
} from './generated/graphql.js';

const clock = new ManualClock(new Date('2026-04-01T12:00:00.000Z'));
const SUB = print(ReviewAddedDocument);
type Ev = ReviewAddedSubscription['reviewAdded'];
type Buyer = Awaited<ReturnType<typeof customer>>;

let t: TestApp;
let ops: string;
let agent: string;
let merch: string;
let analyst: string;
let productA: string;
let productB: string;
let a1: string;
let a2: string;
let b1: string;
let alice: Buyer & { lines: string[] };
let bob: Buyer & { lines: string[] };
let carol: Buyer & { lines: string[] };
let dave: Buyer & { lines: string[] };

beforeAll(async () => {
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  agent = (await staffToken(t, Role.SUPPORT)).token;
  merch = (await staffToken(t, Role.MERCHANDISING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  const pa = await product(t, ops, [{ priceAmount: 1000 }, { priceAmount: 1200 }]);
  const pb = await product(t, ops, [{ priceAmount: 500 }]);
  productA = pa.productId;
  productB = pb.productId;
  [a1, a2] = pa.variantIds as [string, string];
  b1 = pb.variantIds[0]!;
  const buyer = async (name: string, variants: string[], until: 'DELIVERED' | 'SHIPPED' = 'DELIVERED') => {
    const c = await customer(t, name);
    return { ...c, lines: (await orderUpTo(t, ops, c.token, variants, until)).lineIds };
  };
  alice = await buyer('Alice', [a1, a2, b1]);
  bob = await buyer('Bob', [a1, b1]);
  carol = await buyer('Carol', [a1]);
  dave = await buyer('Dave', [a1], 'SHIPPED');
});
afterAll(() => t?.stop());

const count = async (sql: string, params: unknown[] = []) => Number((await t.sql(`SELECT count(*)::int AS n FROM ${sql}`, params))[0].n);
const snapshot = async () => ({ reviews: await count('review'), votes: await count('review_vote'), events: await count('event_outbox') });

async function submit(token: string, input: Partial<SubmitReviewInput> & { orderLineId: string }) {
  return (await t.gql(SubmitReviewDocument, { input: { rating: 5, title: 'Great', body: 'Works as described.', ...input } }, token)).data?.submitReview;
}
async function review(token: string, input: Partial<SubmitReviewInput> & { orderLineId: string }) {
  const r = await submit(token, input);
  if (r?.__typename !== 'Review') throw new Error(JSON.stringify(r));
  return r;
}
const moderate = (reviewId: string, to: any, reason?: string, token = agent) => t.gql(ModerateReviewDocument, { input: { reviewId, to, reason } }, token);
const summary = async (productId: string) => (await t.gql(ProductRatingSummaryDocument, { productId })).data!.productRatingSummary;
/** The same figures straight from the rows, to prove the API's figures exact. */
async function recomputed(productId: string) {
  const rows = await t.sql<{ rating: number }>(`SELECT rating FROM review WHERE product_id = $1 AND status = 'PUBLISHED'`, [productId]);
  const sum = rows.reduce((s, r) => s + r.rating, 0);
  return {
    productId,
    count: rows.length,
    ratingSum: sum,
    average: rows.length ? sum / rows.length : null,
    distribution: [1, 2, 3, 4, 5].map((rating) => ({ rating, count: rows.filter((r) => r.rating === rating).length })),
  };
}
const dist = (...counts: number[]) => counts.map((count, i) => ({ rating: i + 1, count }));

describe('review invitations', () => {
  it('are created at delivery, one per line, and list what awaits review', async () => {
    const inv = (await t.gql(ReviewInvitationsDocument, { first: 10 }, alice.token)).data!.reviewInvitations;
    expect(inv.totalCount).toBe(3);
    expect(inv.nodes.map((n) => n.orderLineId).sort()).toEqual([...alice.lines].sort());
    expect(inv.nodes.find((n) => n.orderLineId === alice.lines[2])).toMatchObject({ product: { id: productB }, variant: { id: b1 }, review: null, createdAt: clock.now().toISOString() });
    expect((await t.gql(ReviewInvitationsDocument, { first: 10 }, dave.token)).data!.reviewInvitations.totalCount).toBe(0);
    const forStaff = await t.gql(ReviewInvitationsDocument, { first: 10, customerId: bob.id }, agent);
    expect(forStaff.data!.reviewInvitations.totalCount).toBe(2);
    expect((await t.gql(ReviewInvitationsDocument, { first: 10, customerId: bob.id }, alice.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('submitting reviews', () => {
  it('refuses a non-buyer and an undelivered item with typed errors, writing nothing', async () => {
    const before = await snapshot();
    expect(await submit(bob.token, { orderLineId: alice.lines[0]! })).toMatchObject({ __typename: 'NotVerifiedPurchaseError', errorCode: 'NOT_VERIFIED_PURCHASE', field: 'orderLineId' });
    expect(await submit(bob.token, { orderLineId: '0192f3a0-0000-7000-8000-00000000abcd' })).toMatchObject({ __typename: 'NotVerifiedPurchaseError' });
    expect(await submit(dave.token, { orderLineId: dave.lines[0]! })).toMatchObject({ __typename: 'ItemNotDeliveredError', errorCode: 'ITEM_NOT_DELIVERED' });
    expect(await snapshot()).toEqual(before);
  });

  it('refuses bad input naming the field; staff cannot write reviews', async () => {
    const line = alice.lines[0]!;
    const cases: [Partial<SubmitReviewInput>, string][] = [
      [{ rating: 0 }, 'rating'],
      [{ rating: 6 }, 'rating'],
      [{ title: ' ' }, 'title'],
      [{ body: 'x'.repeat(5001) }, 'body'],
      [{ mediaUrls: ['https://cdn.example.com/a.jpg', 'http://insecure.example.com/b.jpg'] }, 'mediaUrls[1]'],
    ];
    for (const [input, field] of cases) {
      const res = await t.gql(SubmitReviewDocument, { input: { orderLineId: line, rating: 5, title: 't', body: 'b', ...input } }, alice.token);
      expect(res.errors?.[0]?.extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
    const byStaff = await t.gql(SubmitReviewDocument, { input: { orderLineId: line, rating: 5, title: 't', body: 'b' } }, agent);
    expect(byStaff.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(await count('review')).toBe(0);
  });

  it('publishes a verified review at once; a second review of the same line is refused, also when concurrent', async () => {
    const r = await review(alice.token, { orderLineId: alice.lines[0]!, rating: 5, mediaUrls: ['https://cdn.example.com/a.jpg'] });
    expect(r).toMatchObject({ status: 'PUBLISHED', verifiedPurchase: true, needsResponse: false, authorName: 'Alice', product: { id: productA }, variant: { id: a1 }, mediaUrls: ['https://cdn.example.com/a.jpg'], nextStates: ['REJECTED'] });
    const before = await snapshot();
    expect(await submit(alice.token, { orderLineId: alice.lines[0]!, rating: 1 })).toMatchObject({ __typename: 'AlreadyReviewedError', errorCode: 'ALREADY_REVIEWED', reviewId: r.id });
    expect(await snapshot()).toEqual(before);

    const [x, y] = await Promise.all([
      submit(bob.token, { orderLineId: bob.lines[0]!, rating: 2, title: 'Meh', body: 'Broke after a week.' }),
      submit(bob.token, { orderLineId: bob.lines[0]!, rating: 2, title: 'Meh', body: 'Broke after a week.' }),
    ]);
    expect([x?.__typename, y?.__typename].sort()).toEqual(['AlreadyReviewedError', 'Review']);
    expect(await count('review WHERE order_line_id = $1', [bob.lines[0]])).toBe(1);

    // The invitation now points at the review and no longer awaits one.
    const inv = (await t.gql(ReviewInvitationsDocument, { first: 10, pendingOnly: false }, alice.token)).data!.reviewInvitations;
    expect(inv.nodes.find((n) => n.orderLineId === alice.lines[0])!.review).toEqual({ id: r.id });
    expect((await t.gql(ReviewInvitationsDocument, { first: 10 }, alice.token)).data!.reviewInvitations.totalCount).toBe(2);
  });

  it('automatic rules: banned words hold a review for a moderator; low ratings are flagged until the merchant replies', async () => {
    const held = await review(carol.token, { orderLineId: carol.lines[0]!, rating: 1, title: 'Total SCAM', body: 'Do not buy.' });
    expect(held).toMatchObject({ status: 'PENDING', needsResponse: true, publishedAt: null });
    expect((await t.gql(ReviewModerationDocument, { id: held.id }, agent)).data!.review.moderationReason).toBe('held automatically: contains "scam"');
    expect((await t.gql(ReviewModerationDocument, { id: held.id }, carol.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');

    const bobs = (await t.gql(ReviewsDocument, { filter: { mine: true } }, bob.token)).data!.reviews.nodes[0]!;
    const flagged = await t.gql(ReviewsDocument, { filter: { needsResponse: true }, first: 10 }, agent);
    expect(flagged.data!.reviews.nodes.map((n) => n.id).sort()).toEqual([bobs.id, held.id].sort());
    const reply = await t.gql(ReplyToReviewDocument, { input: { reviewId: bobs.id, body: 'Sorry! We sent you a replacement.' } }, merch);
    expect(reply.data?.replyToReview).toMatchObject({ __typename: 'Review', needsResponse: false, replyBody: 'Sorry! We sent you a replacement.' });
    expect((await t.gql(ReplyToReviewDocument, { input: { reviewId: bobs.id, body: 'x' } }, bob.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('moderation and rating figures', () => {
  it('keeps the rating summary exact through moderation and edits', async () => {
    // So far on product A: Alice 5 (published), Bob 2 (published), Carol 1 (held).
    expect(await summary(productA)).toEqual({ productId: productA, count: 2, ratingSum: 7, average: 3.5, distribution: dist(0, 1, 0, 0, 1) });
    expect(await summary(productA)).toEqual(await recomputed(productA));

    const carols = (await t.gql(ReviewsDocument, { filter: { mine: true } }, carol.token)).data!.reviews.nodes[0]!;
    clock.advance(60_000);
    const published = await moderate(carols.id, 'PUBLISHED');
    expect(published.data?.moderateReview).toMatchObject({ status: 'PUBLISHED', publishedAt: clock.now().toISOString() });
    expect(await summary(productA)).toEqual({ productId: productA, count: 3, ratingSum: 8, average: 8 / 3, distribution: dist(1, 1, 0, 0, 1) });

    const alices = (await t.gql(ReviewsDocument, { filter: { mine: true, productId: productA } }, alice.token)).data!.reviews.nodes[0]!;
    const edited = await t.gql(UpdateReviewDocument, { input: { reviewId: alices.id, rating: 4, body: 'Good, but the strap wore out.' } }, alice.token);
    expect(edited.data?.updateReview).toMatchObject({ status: 'PUBLISHED', rating: 4 });
    expect(await summary(productA)).toEqual({ productId: productA, count: 3, ratingSum: 7, average: 7 / 3, distribution: dist(1, 1, 0, 1, 0) });

    // Another review held for a word does not count until a moderator publishes it.
    await review(alice.token, { orderLineId: alice.lines[1]!, rating: 3, title: 'ok', body: 'stupid zipper' });
    expect((await summary(productA)).count).toBe(3);

    const bobs = (await t.gql(ReviewsDocument, { filter: { mine: true, productId: productA } }, bob.token)).data!.reviews.nodes[0]!;
    expect((await moderate(bobs.id, 'REJECTED')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect((await moderate(bobs.id, 'REJECTED', 'mentions a competitor')).data?.moderateReview).toMatchObject({ status: 'REJECTED', nextStates: [] });
    expect(await summary(productA)).toEqual({ productId: productA, count: 2, ratingSum: 5, average: 2.5, distribution: dist(1, 0, 0, 1, 0) });

    // An edit that trips the rules takes a published review back to moderation.
    const reheld = await t.gql(UpdateReviewDocument, { input: { reviewId: alices.id, title: 'Crap strap' } }, alice.token);
    expect(reheld.data?.updateReview).toMatchObject({ status: 'PENDING', rating: 4 });
    expect(await summary(productA)).toEqual({ productId: productA, count: 1, ratingSum: 1, average: 1, distribution: dist(1, 0, 0, 0, 0) });
    expect(await summary(productA)).toEqual(await recomputed(productA));
    expect(await summary(productB)).toEqual({ productId: productB, count: 0, ratingSum: 0, average: null, distribution: dist(0, 0, 0, 0, 0) });
  });

  it('refuses illegal moderation moves and non-moderators, changing nothing', async () => {
    const rejected = (await t.gql(ReviewsDocument, { filter: { status: ['REJECTED'] } }, agent)).data!.reviews.nodes[0]!;
    const published = (await t.gql(ReviewsDocument, { filter: { status: ['PUBLISHED'] } }, agent)).data!.reviews.nodes[0]!;
    const before = await t.sql('SELECT id, status, updated_at FROM review ORDER BY id');
    expect((await moderate(rejected.id, 'PUBLISHED')).data?.moderateReview).toMatchObject({ __typename: 'IllegalReviewTransitionError', errorCode: 'ILLEGAL_TRANSITION', from: 'REJECTED', to: 'PUBLISHED', allowed: [] });
    expect((await moderate(published.id, 'PENDING')).data?.moderateReview).toMatchObject({ __typename: 'IllegalReviewTransitionError', from: 'PUBLISHED', allowed: ['REJECTED'] });
    expect((await moderate(published.id, 'REJECTED', 'x', merch)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await moderate(published.id, 'REJECTED', 'x', analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await moderate(published.id, 'REJECTED', 'x', alice.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bobsEdit = await t.gql(UpdateReviewDocument, { input: { reviewId: rejected.id, rating: 5 } }, bob.token);
    expect(bobsEdit.data?.updateReview).toMatchObject({ __typename: 'ReviewNotEditableError' });
    const replyToRejected = await t.gql(ReplyToReviewDocument, { input: { reviewId: rejected.id, body: 'Thanks' } }, merch);
    expect(replyToRejected.data?.replyToReview).toMatchObject({ __typename: 'ReviewNotEditableError', errorCode: 'REVIEW_NOT_EDITABLE' });
    const notMine = await t.gql(UpdateReviewDocument, { input: { reviewId: published.id, rating: 5 } }, dave.token);
    expect(notMine.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(await t.sql('SELECT id, status, updated_at FROM review ORDER BY id')).toEqual(before);
  });

  it('shows only published reviews to the public; authors see their own; staff filter the moderation queue', async () => {
    const anon = (await t.gql(ReviewsDocument, { first: 50 })).data!.reviews;
    expect(anon.nodes.every((n) => n.status === 'PUBLISHED')).toBe(true);
    expect(anon.totalCount).toBe(await count(`review WHERE status = 'PUBLISHED'`));
    expect((await t.gql(ReviewsDocument, { filter: { status: ['PENDING'] } })).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const pending = (await t.gql(ReviewsDocument, { filter: { status: ['PENDING'] }, first: 50 }, agent)).data!.reviews;
    expect(pending.totalCount).toBe(await count(`review WHERE status = 'PENDING'`));
    const mine = (await t.gql(ReviewsDocument, { filter: { mine: true }, first: 50 }, alice.token)).data!.reviews.nodes;
    const held = mine.find((n) => n.status === 'PENDING')!;
    expect(held).toBeDefined();
    expect((await t.gql(ReviewByIdDocument, { id: held.id })).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await t.gql(ReviewByIdDocument, { id: held.id }, bob.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect((await t.gql(ReviewByIdDocument, { id: held.id }, alice.token)).data?.review).toMatchObject({ id: held.id, status: 'PENDING' });
  });
});

describe('helpful votes', () => {
  it('one vote per customer (also when concurrent), never on your own review; the count equals the votes', async () => {
    const target = await review(bob.token, { orderLineId: bob.lines[1]!, rating: 4, title: 'Nice', body: 'Good value.' });
    expect((await t.gql(VoteReviewHelpfulDocument, { reviewId: target.id }, alice.token)).data?.voteReviewHelpful).toEqual({ __typename: 'Review', id: target.id, helpfulCount: 1 });
    const before = await snapshot();
    expect((await t.gql(VoteReviewHelpfulDocument, { reviewId: target.id }, alice.token)).data?.voteReviewHelpful).toMatchObject({ __typename: 'AlreadyVotedError' });
    expect((await t.gql(VoteReviewHelpfulDocument, { reviewId: target.id }, bob.token)).data?.voteReviewHelpful).toMatchObject({ __typename: 'OwnReviewVoteError' });
    expect(await snapshot()).toEqual(before);
    const results = await Promise.all([1, 2, 3].map(() => t.gql(VoteReviewHelpfulDocument, { reviewId: target.id }, carol.token)));
    expect(results.map((r) => r.data?.voteReviewHelpful.__typename).sort()).toEqual(['AlreadyVotedError', 'AlreadyVotedError', 'Review']);
    const [row] = await t.sql('SELECT helpful_count, (SELECT count(*)::int FROM review_vote WHERE review_id = $1) AS votes FROM review WHERE id = $1', [target.id]);
    expect(row).toEqual({ helpful_count: 2, votes: 2 });
    const held = (await t.gql(ReviewsDocument, { filter: { status: ['PENDING'] } }, agent)).data!.reviews.nodes[0]!;
    expect((await t.gql(VoteReviewHelpfulDocument, { reviewId: held.id }, dave.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const byHelpful = (await t.gql(ReviewsDocument, { first: 1, orderBy: { field: 'HELPFUL', direction: 'DESC' } })).data!.reviews.nodes;
    expect(byHelpful[0]!.id).toBe(target.id);
  });

  it('lists reviews with nested product, figures and author in a constant number of queries', async () => {
    const small = await t.countQueries(() => t.gql(ReviewsDocument, { first: 1 }, agent));
    const large = await t.countQueries(() => t.gql(ReviewsDocument, { first: 50 }, agent));
    expect(large).toBe(small);
  });
});

describe('reviewAdded', () => {
  it('pushes new reviews matching product and maximum rating, replays with afterEventId, and is closed to customers', async () => {
    const erin = await customer(t, 'Erin');
    const lines = (await orderUpTo(t, ops, erin.token, [a1, b1, a2])).lineIds;
    const low = collect<{ reviewAdded: Ev }>(t.ws(agent), SUB, { productId: productA, maxRating: 2 });
    const all = collect<{ reviewAdded: Ev }>(t.ws(merch), SUB, {});
    await sleep(300);
    await review(erin.token, { orderLineId: lines[0]!, rating: 5 }); // product A, high: filtered out
    await review(erin.token, { orderLineId: lines[1]!, rating: 1 }); // product B: filtered out
    const wanted = await review(erin.token, { orderLineId: lines[2]!, rating: 2, title: 'Small', body: 'Runs small.' });
    const [ev] = (await low.waitFor(1)).map((r) => r.data!.reviewAdded);
    expect(ev).toMatchObject({ reviewId: wanted.id, productId: productA, rating: 2, status: 'PUBLISHED', needsResponse: true, review: { id: wanted.id, title: 'Small' } });
    expect((await all.waitFor(3)).map((r) => r.data!.reviewAdded.rating)).toEqual([5, 1, 2]);
    await sleep(300);
    expect(low.items).toHaveLength(1);
    low.dispose();
    all.dispose();

    // Replay from the start: every low rating on product A ever written, in order (Bob 2, Carol 1, Erin 2).
    const replay = collect<{ reviewAdded: Ev }>(t.ws(analyst), SUB, { productId: productA, maxRating: 2, afterEventId: 0 });
    const replayed = (await replay.waitFor(3)).map((r) => r.data!.reviewAdded);
    expect(replayed.map((e) => e.rating)).toEqual([2, 1, 2]);
    expect(replayed[2]!.reviewId).toBe(wanted.id);
    await sleep(300);
    expect(replay.items).toHaveLength(3);
    replay.dispose();

    const byCustomer = collect<{ reviewAdded: Ev }>(t.ws(erin.token), SUB, { maxRating: 2 });
    await byCustomer.settled();
    expect(byCustomer.errors[0]?.message).toMatch(/requires one of/);
    const bad = collect<{ reviewAdded: Ev }>(t.ws(agent), SUB, { maxRating: 9 });
    await bad.settled();
    expect(bad.errors[0]?.message).toMatch(/maxRating/);
  });
});
