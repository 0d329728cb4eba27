import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, Role, staffToken } from './support/fixtures.js';
import { advanceOrder, cancelOrder, item } from './support/marketing-fixtures.js';
import {
  AddCustomerAddressDocument,
  CreateMembershipTierDocument,
  CreateSegmentDocument,
  CrmCreateChannelDocument,
  CustomerProfileDocument,
  CustomerRfmDocument,
  PlaceOrderPricedDocument,
  SegmentListDocument,
  SegmentMembersDocument,
  UpdateCustomerProfileDocument,
  type SegmentRulesInput,
} from './generated/graphql.js';

const NOW = Date.parse('2026-06-01T00:00:00Z');
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();
let t: TestApp;
let ops: string;
let mkt: string;
let analyst: string;
type Buyer = Awaited<ReturnType<typeof customer>>;
let c1: Buyer, c2: Buyer, c3: Buyer, c4: Buyer, c5: Buyer;
let channelId: string;
let bronzeId: string;
let v1000: string;

async function order(b: Buyer, variantId: string, quantity: number, ago: number, channel?: string) {
  const res = await t.gql(PlaceOrderPricedDocument, { input: { lines: [{ variantId, quantity }], channelId: channel } }, b.token);
  if (res.data?.placeOrder.__typename !== 'Order') throw new Error(JSON.stringify(res));
  await t.sql('UPDATE sales_order SET placed_at = $2 WHERE id = $1', [res.data.placeOrder.id, daysAgo(ago)]);
  return res.data.placeOrder.id;
}

// C1: 3 orders 1000/2000/3000, last 5 days ago · C2: one 5000 order 10 days ago on the channel ·
// C3: two 1000 orders, last 200 days ago · C4: one 1000 order 60 days ago (completed) + a cancelled one · C5: none
beforeAll(async () => {
  t = await startTestApp({ clock: new ManualClock(new Date(NOW)) });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING, Role.MARKETING)).token;
  mkt = (await staffToken(t, Role.MARKETING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  [c1, c2, c3, c4, c5] = [await customer(t, 'C1'), await customer(t, 'C2'), await customer(t, 'C3'), await customer(t, 'C4'), await customer(t, 'C5')];
  v1000 = (await item(t, ops, 1000)).variantId;
  const ch = await t.gql(CrmCreateChannelDocument, { input: { code: 'web-x', name: 'Web X', type: 'OWN_SITE', currency: 'USD' } }, ops);
  channelId = (ch.data?.createChannel as any).id;
  const tier = await t.gql(CreateMembershipTierDocument, { input: { name: 'Bronze', thresholdAmount: 500, currency: 'USD' } }, mkt);
  bronzeId = (tier.data?.createMembershipTier as any).id;
  await order(c1, v1000, 1, 5);
  await order(c1, v1000, 2, 40);
  await order(c1, v1000, 3, 100);
  await order(c2, v1000, 5, 10, channelId);
  await order(c3, v1000, 1, 200);
  await order(c3, v1000, 1, 300);
  const done = await order(c4, v1000, 1, 60);
  await advanceOrder(t, ops, done);
  await cancelOrder(t, ops, await order(c4, v1000, 1, 1));
});
afterAll(() => t?.stop());

describe('customer profile', () => {
  it('derives lifetime value, order count and last order from real orders (cancelled excluded)', async () => {
    const p = (await t.gql(CustomerProfileDocument, {}, c1.token)).data?.customerProfile;
    expect(p).toMatchObject({ customerId: c1.id, email: c1.email, lifetimeValue: [{ amount: 6000, currency: 'USD' }], orderCount: 3, lastOrderAt: daysAgo(5), tags: [] });
    const p4 = (await t.gql(CustomerProfileDocument, { customerId: c4.id }, analyst)).data?.customerProfile;
    expect(p4).toMatchObject({ lifetimeValue: [{ amount: 1000 }], orderCount: 1, lastOrderAt: daysAgo(60) });
    const none = (await t.gql(CustomerProfileDocument, { customerId: c5.id }, analyst)).data?.customerProfile;
    expect(none).toMatchObject({ lifetimeValue: [], orderCount: 0, lastOrderAt: null });
  });

  it('customers edit their contact and consents, not tags; staff set tags; other customers are NOT_FOUND', async () => {
    const res = await t.gql(UpdateCustomerProfileDocument, { input: { phone: '+4915112345678', emailConsent: true } }, c5.token);
    expect(res.data?.updateCustomerProfile).toEqual({ customerId: c5.id, phone: '+4915112345678', emailConsent: true, smsConsent: false, tags: [] });
    expect((await t.gql(UpdateCustomerProfileDocument, { input: { tags: ['vip'] } }, c5.token)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect((await t.gql(UpdateCustomerProfileDocument, { input: { phone: '12' } }, c5.token)).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'phone' });
    expect((await t.gql(CustomerProfileDocument, { customerId: c1.id }, c5.token)).errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const tagged = await t.gql(UpdateCustomerProfileDocument, { input: { customerId: c2.id, tags: ['VIP', 'wholesale'] } }, mkt);
    expect(tagged.data?.updateCustomerProfile.tags).toEqual(['vip', 'wholesale']);
    await t.gql(AddCustomerAddressDocument, { input: { line1: 'Main St 1', city: 'Berlin', postalCode: '10115', country: 'de' } }, c5.token);
    const p = (await t.gql(CustomerProfileDocument, {}, c5.token)).data?.customerProfile;
    expect(p?.addresses).toEqual([{ line1: 'Main St 1', city: 'Berlin', country: 'DE' }]);
    expect(p?.consentUpdatedAt).toBe(new Date(NOW).toISOString());
  });
});

describe('RFM', () => {
  it('scores every customer with orders by percent rank, exactly', async () => {
    const rfm = async (b: Buyer) => (await t.gql(CustomerRfmDocument, { customerId: b.id, currency: 'USD' }, analyst)).data?.customerRfm;
    expect(await rfm(c1)).toMatchObject({ recencyDays: 5, frequency: 3, monetary: { amount: 6000 }, recencyScore: 5, frequencyScore: 5, monetaryScore: 5 });
    expect(await rfm(c2)).toMatchObject({ recencyDays: 10, frequency: 1, monetary: { amount: 5000 }, recencyScore: 4, frequencyScore: 1, monetaryScore: 4 });
    expect(await rfm(c3)).toMatchObject({ recencyDays: 200, frequency: 2, monetary: { amount: 2000 }, recencyScore: 1, frequencyScore: 4, monetaryScore: 2 });
    expect(await rfm(c4)).toMatchObject({ recencyDays: 60, frequency: 1, monetary: { amount: 1000 }, recencyScore: 2, frequencyScore: 1, monetaryScore: 1 });
    expect(await rfm(c5)).toMatchObject({ recencyDays: null, frequency: 0, monetary: { amount: 0 }, recencyScore: null, frequencyScore: null, monetaryScore: null });
    expect((await t.gql(CustomerRfmDocument, { currency: 'USD' }, c3.token)).data?.customerRfm.recencyScore).toBe(1);
  });
});

describe('segments', () => {
  let n = 0;
  async function members(rules: SegmentRulesInput) {
    const res = await t.gql(CreateSegmentDocument, { input: { name: `Seg ${++n}`, currency: 'USD', rules } }, mkt);
    const s = res.data?.createSegment as any;
    if (s?.__typename !== 'Segment') throw new Error(JSON.stringify(res));
    const page = (await t.gql(SegmentMembersDocument, { segmentId: s.id, first: 100 }, analyst)).data!.segmentMembers;
    expect(page.totalCount).toBe(s.memberCount);
    return page.nodes.map((c) => c.id);
  }
  const ids = (...bs: Buyer[]) => bs.map((b) => b.id);

  it('computes membership exactly for each rule', async () => {
    await t.gql(UpdateCustomerProfileDocument, { input: { customerId: c2.id, tags: ['vip'] } }, mkt);
    expect(await members({ minSpend: 5000 })).toEqual(ids(c1, c2));
    expect(await members({ maxSpend: 2000 })).toEqual(ids(c3, c4, c5));
    expect(await members({ minOrders: 2, orderedWithinDays: 30 })).toEqual(ids(c1));
    expect(await members({ maxOrders: 1, minSpend: 1000 })).toEqual(ids(c2, c4));
    expect(await members({ notOrderedForDays: 90 })).toEqual(ids(c3, c5));
    expect(await members({ minRecencyScore: 4, minMonetaryScore: 4 })).toEqual(ids(c1, c2));
    expect(await members({ minFrequencyScore: 4 })).toEqual(ids(c1, c3));
    expect(await members({ tagsAny: ['VIP', 'other'] })).toEqual(ids(c2));
    expect(await members({ tierIds: [bronzeId] })).toEqual(ids(c4));
    expect(await members({ channelIds: [channelId] })).toEqual(ids(c2));
    expect(await members({})).toEqual(ids(c1, c2, c3, c4, c5));
  });

  it('counts the members of every segment in a list exactly, in statements that do not grow with the list', async () => {
    const create = async (name: string, currency: string, rules: SegmentRulesInput) => {
      const res = await t.gql(CreateSegmentDocument, { input: { name, currency, rules } }, mkt);
      if (res.data?.createSegment.__typename !== 'Segment') throw new Error(JSON.stringify(res));
    };
    await create('List big spenders', 'USD', { minSpend: 5000 });
    await create('List EUR spenders', 'EUR', { minSpend: 1 });
    let data: Awaited<ReturnType<typeof list>> | undefined;
    const list = async () => (await t.gql(SegmentListDocument, {}, analyst)).data!.segments;
    const before = await t.countQueries(async () => void (data = await list()));
    expect(data!.find((x) => x.name === 'List big spenders')?.memberCount).toBe(2); // c1 6000, c2 5000
    await create('List lapsed', 'USD', { notOrderedForDays: 90 });
    await create('List everyone', 'USD', {});
    await create('List EUR everyone', 'EUR', {});
    const after = await t.countQueries(async () => void (data = await list()));
    const counts = Object.fromEntries(data!.filter((x) => x.name.startsWith('List ')).map((x) => [x.name, x.memberCount]));
    expect(counts).toEqual({
      'List big spenders': 2,
      'List EUR spenders': 0, // nobody spent in EUR
      'List lapsed': 2, // c3 (200 days), c5 (never)
      'List everyone': 5,
      'List EUR everyone': 5,
    });
    // Three more segments, same statements: one statistics scan per currency, not one per segment.
    expect(after).toBe(before);
  });

  it('pages members with cursors', async () => {
    const res = await t.gql(CreateSegmentDocument, { input: { name: 'Paged', currency: 'USD', rules: { minSpend: 1 } } }, mkt);
    const id = (res.data?.createSegment as any).id;
    const p1 = (await t.gql(SegmentMembersDocument, { segmentId: id, first: 3 }, analyst)).data!.segmentMembers;
    expect(p1).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    const p2 = (await t.gql(SegmentMembersDocument, { segmentId: id, first: 3, after: p1.pageInfo.endCursor }, analyst)).data!.segmentMembers;
    expect([...p1.nodes, ...p2.nodes].map((c) => c.id)).toEqual(ids(c1, c2, c3, c4));
    expect(p2.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses bad rules naming the field, and a taken name', async () => {
    const bad = await t.gql(CreateSegmentDocument, { input: { name: 'Bad', currency: 'USD', rules: { minRecencyScore: 6 } } }, mkt);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rules.minRecencyScore' });
    await t.gql(CreateSegmentDocument, { input: { name: 'Dup', currency: 'USD', rules: {} } }, mkt);
    const dup = await t.gql(CreateSegmentDocument, { input: { name: 'Dup', currency: 'USD', rules: {} } }, mkt);
    expect(dup.data?.createSegment).toMatchObject({ __typename: 'SegmentNameTakenError', field: 'name' });
    expect((await t.gql(CreateSegmentDocument, { input: { name: 'X', currency: 'USD', rules: {} } }, analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
