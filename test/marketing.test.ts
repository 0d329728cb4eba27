import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, Role, staffToken } from './support/fixtures.js';
import { cancelOrder, countRows, item } from './support/marketing-fixtures.js';
import {
  AdPerformanceDocument,
  CampaignDetailDocument,
  CollaborationsPerformanceDocument,
  CreateAdCampaignDocument,
  CreateCampaignDocument,
  CreateCollaborationDocument,
  CreateInfluencerDocument,
  CreatePromotionDocument,
  IngestAdMetricsDocument,
  IngestTrafficDocument,
  PlaceOrderPricedDocument,
  TransitionCampaignDocument,
  TransitionCollaborationDocument,
} from './generated/graphql.js';

let t: TestApp;
let ops: string;
let mkt: string;
let analyst: string;
let buyer: Awaited<ReturnType<typeof customer>>;
let v1000: string;
let v2000: string;
let v3000: string;
let campaignId: string;

beforeAll(async () => {
  t = await startTestApp();
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  mkt = (await staffToken(t, Role.MARKETING)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  buyer = await customer(t);
  v1000 = (await item(t, ops, 1000)).variantId;
  v2000 = (await item(t, ops, 2000)).variantId;
  v3000 = (await item(t, ops, 3000)).variantId;
  const c = await t.gql(CreateCampaignDocument, { input: { name: 'Spring', objective: 'Launch', startsAt: '2026-03-01T00:00:00Z', endsAt: '2026-04-01T00:00:00Z', budgetAmount: 100000, currency: 'USD' } }, mkt);
  campaignId = c.data!.createCampaign.id;
  const visits = [
    { eventId: 'x-1', sessionId: 'sx', step: 'PRODUCT_VIEW' as const, occurredAt: new Date().toISOString(), source: 'instagram', medium: 'influencer', campaign: 'anna-ig', device: 'MOBILE' as const },
    { eventId: 'a-1', sessionId: 'sa', step: 'PRODUCT_VIEW' as const, occurredAt: new Date().toISOString(), source: 'google', medium: 'cpc', campaign: 'spring-sem', device: 'DESKTOP' as const },
  ];
  await t.gql(IngestTrafficDocument, { events: visits }, mkt);
});
afterAll(() => t?.stop());

async function place(variantId: string, extra: { couponCodes?: string[]; sessionId?: string } = {}) {
  const res = await t.gql(PlaceOrderPricedDocument, { input: { lines: [{ variantId, quantity: 1 }], ...extra } }, buyer.token);
  if (res.data?.placeOrder.__typename !== 'Order') throw new Error(JSON.stringify(res));
  return res.data.placeOrder;
}

describe('campaign lifecycle', () => {
  it('SCHEDULED → ACTIVE → ENDED; an illegal move returns a typed error and changes nothing', async () => {
    const c = (await t.gql(CreateCampaignDocument, { input: { name: 'Q', objective: 'Test', startsAt: '2026-03-01T00:00:00Z', endsAt: '2026-03-02T00:00:00Z', budgetAmount: 0, currency: 'USD' } }, mkt)).data!.createCampaign;
    expect(c).toMatchObject({ status: 'SCHEDULED', nextStates: ['ACTIVE', 'CANCELLED'] });
    const move = (to: 'ACTIVE' | 'ENDED' | 'CANCELLED' | 'SCHEDULED', reason?: string) => t.gql(TransitionCampaignDocument, { input: { campaignId: c.id, to, reason } }, mkt);
    expect((await move('ENDED')).data?.transitionCampaign).toMatchObject({ __typename: 'IllegalMarketingTransitionError', errorCode: 'ILLEGAL_TRANSITION', from: 'SCHEDULED', to: 'ENDED', allowed: ['ACTIVE', 'CANCELLED'] });
    expect((await move('CANCELLED')).errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect((await move('ACTIVE')).data?.transitionCampaign).toMatchObject({ status: 'ACTIVE', nextStates: ['ENDED'] });
    expect((await move('ENDED')).data?.transitionCampaign).toMatchObject({ status: 'ENDED', nextStates: [] });
    expect((await move('ACTIVE')).data?.transitionCampaign).toMatchObject({ errorCode: 'ILLEGAL_TRANSITION' });
    const [row] = await t.sql('SELECT status FROM campaign WHERE id = $1', [c.id]);
    expect(row.status).toBe('ENDED');
    expect((await t.gql(TransitionCampaignDocument, { input: { campaignId: c.id, to: 'ACTIVE' } }, analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });

  it('bad dates are refused naming the field', async () => {
    const res = await t.gql(CreateCampaignDocument, { input: { name: 'Q', objective: 'x', startsAt: '2026-03-02T00:00:00Z', endsAt: '2026-03-01T00:00:00Z', budgetAmount: 0, currency: 'USD' } }, mkt);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'endsAt' });
  });
});

describe('influencer collaborations', () => {
  it('attributes orders through the coupon code or the tracking link (each order once, cancelled excluded) and computes ROI', async () => {
    const inf = (await t.gql(CreateInfluencerDocument, { input: { name: 'Anna', platform: 'Instagram', handle: '@anna', tier: 'KOC', followers: 12000, rateAmount: 500, currency: 'USD' } }, mkt)).data!.createInfluencer;
    expect(inf).toMatchObject({ __typename: 'Influencer', tier: 'KOC', followers: 12000 });
    const dup = await t.gql(CreateInfluencerDocument, { input: { name: 'Anna 2', platform: 'instagram', handle: '@anna', tier: 'KOC', followers: 1, rateAmount: 0, currency: 'USD' } }, mkt);
    expect(dup.data?.createInfluencer).toMatchObject({ __typename: 'MarketingCodeTakenError', field: 'handle' });
    const promo = await t.gql(CreatePromotionDocument, { input: { name: 'Anna 10', kind: 'PERCENT_OFF', percent: 10, currency: 'USD', couponCode: 'ANNA10', campaignId } }, mkt);
    expect(promo.data?.createPromotion.__typename).toBe('Promotion');
    const collab = (
      await t.gql(CreateCollaborationDocument, { input: { influencerId: (inf as any).id, campaignId, feeAmount: 500, currency: 'USD', deliverables: '2 reels', couponCode: 'anna10', trackingCode: 'anna-ig' } }, mkt)
    ).data!.createCollaboration as any;
    expect(collab).toMatchObject({ __typename: 'Collaboration', status: 'PROPOSED', couponCode: 'ANNA10' });
    const noCoupon = await t.gql(CreateCollaborationDocument, { input: { influencerId: (inf as any).id, feeAmount: 1, currency: 'USD', deliverables: 'x', couponCode: 'NOSUCH' } }, mkt);
    expect(noCoupon.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'couponCode' });

    await place(v1000, { couponCodes: ['ANNA10'] }); // 900
    await place(v2000, { sessionId: 'sx' }); // 2000
    await place(v1000, { couponCodes: ['ANNA10'], sessionId: 'sx' }); // 900, counted once
    const cancelled = await place(v3000, { couponCodes: ['ANNA10'] });
    await cancelOrder(t, ops, cancelled.id);
    await place(v3000); // unrelated

    const list = (await t.gql(CollaborationsPerformanceDocument, { first: 10 }, analyst)).data!.collaborations.nodes;
    expect(list).toEqual([{ id: collab.id, fee: { amount: 500 }, influencer: { handle: '@anna' }, performance: { orders: 3, revenue: { amount: 3800, currency: 'USD' }, roi: 6.6 } }]);

    const move = (to: 'AGREED' | 'LIVE' | 'COMPLETED' | 'CANCELLED') => t.gql(TransitionCollaborationDocument, { input: { collaborationId: collab.id, to } }, mkt);
    expect((await move('LIVE')).data?.transitionCollaboration).toMatchObject({ errorCode: 'ILLEGAL_TRANSITION' });
    expect((await move('AGREED')).data?.transitionCollaboration).toMatchObject({ status: 'AGREED', nextStates: ['LIVE', 'CANCELLED'] });
    const detail = (await t.gql(CampaignDetailDocument, { id: campaignId }, analyst)).data!.campaign;
    expect(detail.promotions).toHaveLength(1);
  });

  it('loads influencers and performance of a page of collaborations in a fixed number of queries', async () => {
    for (const handle of ['@b', '@c']) {
      const inf = (await t.gql(CreateInfluencerDocument, { input: { name: handle, platform: 'tiktok', handle, tier: 'KOL', followers: 1, rateAmount: 1, currency: 'USD' } }, mkt)).data!.createInfluencer as any;
      await t.gql(CreateCollaborationDocument, { input: { influencerId: inf.id, feeAmount: 100, currency: 'USD', deliverables: 'x', trackingCode: `track${handle}` } }, mkt);
    }
    const q1 = await t.countQueries(() => t.gql(CollaborationsPerformanceDocument, { first: 1 }, analyst));
    let all: any;
    const q3 = await t.countQueries(async () => (all = await t.gql(CollaborationsPerformanceDocument, { first: 3 }, analyst)));
    expect(all.data.collaborations.nodes).toHaveLength(3);
    expect(all.data.collaborations.nodes[0].performance).toEqual({ orders: 0, revenue: { amount: 0, currency: 'USD' }, roi: -1 });
    expect(q3).toBe(q1);
  });
});

describe('ad campaigns', () => {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

  it('CTR, CPC, attributed orders and ROAS exact over the period; re-ingesting a day changes nothing', async () => {
    const ad = (await t.gql(CreateAdCampaignDocument, { input: { name: 'Spring SEM', platform: 'SEARCH', campaignId, budgetAmount: 50000, currency: 'USD', trackingCode: 'spring-sem' } }, mkt)).data!.createAdCampaign as any;
    expect(ad.__typename).toBe('AdCampaign');
    const rows = [
      { adCampaignId: ad.id, day: day(-1), spendAmount: 1000, impressions: 2000, clicks: 50 },
      { adCampaignId: ad.id, day: day(0), spendAmount: 500, impressions: 1000, clicks: 25 },
      { adCampaignId: ad.id, day: day(-3), spendAmount: 9999, impressions: 9999, clicks: 9 },
    ];
    expect((await t.gql(IngestAdMetricsDocument, { rows }, mkt)).data?.ingestAdMetrics.rowsWritten).toBe(3);
    expect((await t.gql(IngestAdMetricsDocument, { rows }, mkt)).data?.ingestAdMetrics.rowsWritten).toBe(3);
    expect(await countRows(t, 'ad_daily_metric')).toBe(3);
    await place(v3000, { sessionId: 'sa' });
    const from = `${day(-1)}T00:00:00.000Z`;
    const to = `${day(1)}T00:00:00.000Z`;
    const perf = (await t.gql(AdPerformanceDocument, { from, to }, analyst)).data!.adPerformance;
    expect(perf).toEqual([
      {
        adCampaign: { id: ad.id, name: 'Spring SEM' },
        spend: { amount: 1500, currency: 'USD' },
        impressions: 3000,
        clicks: 75,
        ctr: 0.025,
        cpc: { amount: 20 },
        orders: 1,
        revenue: { amount: 3000 },
        roas: 2,
      },
    ]);
    const detail = (await t.gql(CampaignDetailDocument, { id: campaignId }, analyst)).data!.campaign;
    expect(detail.adCampaigns).toEqual([{ id: ad.id, trackingCode: 'spring-sem' }]);
  });

  it('a malformed metrics row refuses the whole batch, naming the row and field', async () => {
    const before = await t.sql('SELECT sum(spend_amount)::int AS s, count(*)::int AS n FROM ad_daily_metric');
    const ad = (await t.gql(CreateAdCampaignDocument, { input: { name: 'Other', platform: 'SOCIAL', budgetAmount: 1, currency: 'USD', trackingCode: 'other' } }, mkt)).data!.createAdCampaign as any;
    const res = await t.gql(
      IngestAdMetricsDocument,
      {
        rows: [
          { adCampaignId: ad.id, day: day(0), spendAmount: 1, impressions: 10, clicks: 1 },
          { adCampaignId: ad.id, day: day(-1), spendAmount: 1, impressions: 10, clicks: 11 },
        ],
      },
      mkt,
    );
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rows[1].clicks' });
    const badDay = await t.gql(IngestAdMetricsDocument, { rows: [{ adCampaignId: ad.id, day: '2026-02-30', spendAmount: 1, impressions: 1, clicks: 0 }] }, mkt);
    expect(badDay.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'rows[0].day' });
    expect(await t.sql('SELECT sum(spend_amount)::int AS s, count(*)::int AS n FROM ad_daily_metric')).toEqual(before);
    const dupCode = await t.gql(CreateAdCampaignDocument, { input: { name: 'Again', platform: 'SOCIAL', budgetAmount: 1, currency: 'USD', trackingCode: 'other' } }, mkt);
    expect(dupCode.data?.createAdCampaign).toMatchObject({ __typename: 'MarketingCodeTakenError', field: 'trackingCode' });
  });
});
