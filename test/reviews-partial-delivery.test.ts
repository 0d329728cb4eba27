import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { deliver, logistics, processingOrder, ship, type Logistics } from './support/delivery-fixtures.js';
import { ReviewInvitationsDocument, SubmitReviewDocument } from './generated/graphql.js';

const clock = new ManualClock(new Date('2026-04-01T12:00:00.000Z'));
let t: TestApp;
let ops: string;
let v1: string;
let v2: string;
let l: Logistics;

beforeAll(async () => {
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  [v1, v2] = (await product(t, ops, [{ priceAmount: 1000 }, { priceAmount: 500 }])).variantIds as [string, string];
  l = await logistics(t, ops, [v1, v2]);
});
afterAll(() => t?.stop());

const review = (token: string, orderLineId: string) =>
  t.gql(SubmitReviewDocument, { input: { orderLineId, rating: 4, title: 'Fine', body: 'Arrived and works.' } }, token).then((r) => r.data?.submitReview);
const invitedLines = async (token: string) =>
  (await t.gql(ReviewInvitationsDocument, { first: 10, pendingOnly: false }, token)).data!.reviewInvitations.nodes.map((n) => n.orderLineId).sort();
const orderStatus = async (id: string) => (await t.sql('SELECT status FROM sales_order WHERE id = $1', [id]))[0].status;

describe('reviews per delivered line', () => {
  it('in a partially delivered order, a fully delivered line can be reviewed and a partly or not delivered one cannot', async () => {
    const buyer = await customer(t, 'Partial');
    // Line 1: one unit of v1; line 2: two units of v2.
    const order = await processingOrder(t, ops, buyer.token, l, [{ variantId: v1, quantity: 1 }, { variantId: v2, quantity: 2 }]);
    const [line1, line2] = order.lineIds as [string, string];
    const first = await ship(t, ops, l, order.id, [{ orderLineId: line1, quantity: 1 }, { orderLineId: line2, quantity: 1 }]);

    // Shipped but not delivered yet: nothing can be reviewed.
    expect(await review(buyer.token, line1)).toMatchObject({ __typename: 'ItemNotDeliveredError' });
    expect(await invitedLines(buyer.token)).toEqual([]);

    await deliver(t, ops, l, first.trackingNumber, '2026-04-02T10:00:00Z');
    expect(await orderStatus(order.id)).toBe('PARTIALLY_SHIPPED');
    // The shipment's delivery invites the line it completed, not the half-delivered one.
    expect(await invitedLines(buyer.token)).toEqual([line1]);
    expect(await review(buyer.token, line2)).toMatchObject({ __typename: 'ItemNotDeliveredError' });
    expect(Number((await t.sql('SELECT count(*)::int AS n FROM review WHERE order_line_id = $1', [line2]))[0].n)).toBe(0);
    expect(await review(buyer.token, line1)).toMatchObject({ __typename: 'Review' });

    // The rest arrives: the order is DELIVERED and line 2 becomes reviewable, invited once.
    const rest = await ship(t, ops, l, order.id);
    await deliver(t, ops, l, rest.trackingNumber, '2026-04-03T10:00:00Z');
    expect(await orderStatus(order.id)).toBe('DELIVERED');
    expect(await invitedLines(buyer.token)).toEqual([line1, line2].sort());
    expect(Number((await t.sql('SELECT count(*)::int AS n FROM review_invitation WHERE order_id = $1', [order.id]))[0].n)).toBe(2);
    expect(await review(buyer.token, line2)).toMatchObject({ __typename: 'Review' });
  });
});
