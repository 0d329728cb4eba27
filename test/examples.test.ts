import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { print } from 'graphql';
import { ManualClock } from '../src/common/clock.js';
import { collect, startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { deliver, logistics, processingOrder, ship } from './support/delivery-fixtures.js';
import { CreateListingChannelDocument, CreateListingDocument, OpenTicketDocument, SubmitReviewDocument, TransitionListingDocument } from './generated/graphql.js';
import {
  ExampleOrderDetailDocument,
  ExampleOrderListDocument,
  ExampleOrderStatusChangedDocument,
  ExampleProductPageDocument,
  ExampleProductReviewsDocument,
  ExampleReviewAddedDocument,
  ExampleShipmentTrackingUpdatedDocument,
  ExampleTicketUpdatedDocument,
} from '../examples/generated/graphql.js';

// The operations in examples/ are what frontend teams copy; running each against a seeded app keeps them working.
const clock = new ManualClock(new Date('2026-06-01T09:00:00Z'));
let t: TestApp;
let ops: string;
let buyer: Awaited<ReturnType<typeof customer>>;
let productId: string;
let listingId: string;
let orderId: string;
let ticketId: string;

beforeAll(async () => {
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  buyer = await customer(t, 'Example Buyer');
  const p = await product(t, ops, [{ priceAmount: 1200 }]);
  productId = p.productId;
  const v = p.variantIds[0]!;
  const l = await logistics(t, ops, [v]);
  const ch = await t.gql(CreateListingChannelDocument, { input: { code: 'examples-web', name: 'Web shop', type: 'OWN_SITE', currency: 'USD' } }, ops);
  const channelId = (ch.data?.createChannel as { id: string }).id;
  const created = await t.gql(
    CreateListingDocument,
    {
      input: {
        productId,
        channelId,
        title: 'Lightweight rain jacket for city cycling',
        description: 'A packable shell that keeps you dry on the ride to work. '.repeat(5),
        keywords: ['rain jacket'],
        images: [1, 2, 3].map((i) => ({ url: `https://img.example/${i}.jpg`, altText: `Jacket view ${i}` })),
      },
    },
    ops,
  );
  if (created.data?.createListing.__typename !== 'Listing') throw new Error(JSON.stringify(created));
  listingId = created.data.createListing.id;
  const published = await t.gql(TransitionListingDocument, { input: { listingId, to: 'PUBLISHED' } }, ops);
  if (published.data?.transitionListing.__typename !== 'Listing') throw new Error(JSON.stringify(published));

  const order = await processingOrder(t, ops, buyer.token, l, [{ variantId: v, quantity: 1 }]);
  orderId = order.id;
  const shipment = await ship(t, ops, l, orderId);
  await deliver(t, ops, l, shipment.trackingNumber, '2026-06-02T15:00:00Z');
  const review = await t.gql(SubmitReviewDocument, { input: { orderLineId: order.lineIds[0]!, rating: 5, title: 'Dry all week', body: 'Kept me dry on every ride.' } }, buyer.token);
  if (review.data?.submitReview.__typename !== 'Review') throw new Error(JSON.stringify(review));
  const ticket = await t.gql(OpenTicketDocument, { input: { category: 'LOGISTICS', subject: 'Box was dented', body: 'The jacket is fine, the box was not.', orderId, shipmentId: shipment.id } }, buyer.token);
  if (ticket.data?.openTicket.__typename !== 'Ticket') throw new Error(JSON.stringify(ticket));
  ticketId = ticket.data.openTicket.id;
});
afterAll(() => t?.stop());

describe('example queries', () => {
  it('order list: lines, customer and shipments', async () => {
    const res = await t.gql(ExampleOrderListDocument, { first: 10 }, buyer.token);
    expect(res.errors).toBeUndefined();
    const o = res.data!.orders.nodes.find((n) => n.id === orderId)!;
    expect(o).toMatchObject({ status: 'DELIVERED', customer: { id: buyer.id }, lines: [{ quantity: 1 }], shipments: [{ status: 'DELIVERED' }] });
  });

  it('order detail with tracking', async () => {
    const res = await t.gql(ExampleOrderDetailDocument, { id: orderId }, buyer.token);
    expect(res.errors).toBeUndefined();
    expect(res.data!.order.shipments[0]!.events.map((e) => e.status)).toContain('DELIVERED');
    expect(res.data!.order.total.amount).toBe(1200 + res.data!.order.shippingTotal.amount);
  });

  it('product page and reviews, anonymously', async () => {
    const page = await t.gql(ExampleProductPageDocument, { listingId });
    expect(page.errors).toBeUndefined();
    expect(page.data!.listing.product).toMatchObject({ id: productId, ratingSummary: { count: 1, average: 5 } });
    expect(page.data!.listing.product!.variants[0]!.price.amount).toBe(1200);
    const reviews = await t.gql(ExampleProductReviewsDocument, { productId });
    expect(reviews.errors).toBeUndefined();
    expect(reviews.data!.reviews.nodes).toMatchObject([{ rating: 5, title: 'Dry all week', verifiedPurchase: true }]);
  });
});

describe('example subscriptions connect and replay', () => {
  const firstEvent = async (token: string, doc: Parameters<typeof print>[0], vars: Record<string, unknown>) => {
    const sub = collect<Record<string, any>>(t.ws(token), print(doc), { afterEventId: 0, ...vars });
    try {
      const [item] = await sub.waitFor(1);
      expect(item!.errors).toBeUndefined();
      return item!.data!;
    } finally {
      sub.dispose();
    }
  };

  it('orderStatusChanged', async () => {
    const d = await firstEvent(buyer.token, ExampleOrderStatusChangedDocument, { orderId });
    expect(d.orderStatusChanged).toMatchObject({ orderId, order: { id: orderId } });
  });

  it('shipmentTrackingUpdated', async () => {
    const d = await firstEvent(buyer.token, ExampleShipmentTrackingUpdatedDocument, { orderId });
    expect(d.shipmentTrackingUpdated).toMatchObject({ orderId, eventStatus: 'LABEL_CREATED' });
  });

  it('reviewAdded', async () => {
    const d = await firstEvent(ops, ExampleReviewAddedDocument, { productId });
    expect(d.reviewAdded).toMatchObject({ productId, rating: 5, review: { title: 'Dry all week' } });
  });

  it('ticketUpdated', async () => {
    const d = await firstEvent(buyer.token, ExampleTicketUpdatedDocument, { ticketId });
    expect(d.ticketUpdated).toMatchObject({ ticketId, ticket: { id: ticketId } });
  });
});
