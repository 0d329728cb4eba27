import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from './support/harness.js';
import { Role, staffToken } from './support/fixtures.js';
import { item } from './support/marketing-fixtures.js';
import {
  CampaignContentDocument,
  ChannelsStorefrontDocument,
  CreateBrandDocument,
  CreateCampaignDocument,
  CreateContentPieceDocument,
  CrmCreateChannelDocument,
  RecordContentMetricsDocument,
  TransitionContentPieceDocument,
  UpdateStorefrontDocument,
} from './generated/graphql.js';

let t: TestApp;
let mkt: string;
let ops: string;

beforeAll(async () => {
  t = await startTestApp();
  mkt = (await staffToken(t, Role.MARKETING)).token;
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
});
afterAll(() => t?.stop());

describe('brands and content', () => {
  it('plans, publishes and measures content for a brand and campaign', async () => {
    const brand = (await t.gql(CreateBrandDocument, { input: { name: 'Nordlicht', story: 'Made in the north', positioning: 'Premium outdoor' } }, mkt)).data!.createBrand as any;
    expect(brand).toMatchObject({ __typename: 'Brand', name: 'Nordlicht', story: 'Made in the north' });
    expect((await t.gql(CreateBrandDocument, { input: { name: 'Nordlicht' } }, mkt)).data?.createBrand).toMatchObject({ __typename: 'MarketingCodeTakenError', field: 'name' });
    const campaign = (await t.gql(CreateCampaignDocument, { input: { name: 'Launch', objective: 'Awareness', startsAt: '2026-03-01T00:00:00Z', endsAt: '2026-04-01T00:00:00Z', budgetAmount: 1000, currency: 'EUR' } }, mkt)).data!.createCampaign;
    const piece = (await t.gql(CreateContentPieceDocument, { input: { type: 'VIDEO', platform: 'YouTube', title: 'Behind the seams', brandId: brand.id, campaignId: campaign.id } }, mkt)).data!.createContentPiece;
    expect(piece).toMatchObject({ status: 'PLANNED', nextStates: ['PUBLISHED', 'ARCHIVED'], platform: 'youtube', brand: { name: 'Nordlicht' } });
    const early = await t.gql(RecordContentMetricsDocument, { input: { contentPieceId: piece.id, views: 1, likes: 0, comments: 0, shares: 0, clicks: 0 } }, mkt);
    expect(early.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'contentPieceId' });
    const pub = (await t.gql(TransitionContentPieceDocument, { input: { contentPieceId: piece.id, to: 'PUBLISHED' } }, mkt)).data!.transitionContentPiece as any;
    expect(pub).toMatchObject({ status: 'PUBLISHED', nextStates: ['ARCHIVED'] });
    expect(pub.publishedAt).toBeTruthy();
    expect((await t.gql(TransitionContentPieceDocument, { input: { contentPieceId: piece.id, to: 'PLANNED' } }, mkt)).data?.transitionContentPiece).toMatchObject({ errorCode: 'ILLEGAL_TRANSITION' });
    const metrics = { contentPieceId: piece.id, views: 1200, likes: 80, comments: 7, shares: 5, clicks: 40 };
    await t.gql(RecordContentMetricsDocument, { input: metrics }, mkt);
    const again = await t.gql(RecordContentMetricsDocument, { input: metrics }, mkt);
    expect(again.data?.recordContentMetrics).toEqual({ views: 1200, likes: 80, comments: 7, shares: 5, clicks: 40 });
    expect((await t.gql(CampaignContentDocument, { id: campaign.id }, mkt)).data?.campaign.content).toEqual([{ id: piece.id, title: 'Behind the seams' }]);
  });
});

describe('storefront settings', () => {
  it('sets banners and featured products on a channel, validated and readable publicly', async () => {
    const ch = (await t.gql(CrmCreateChannelDocument, { input: { code: 'shop-de', name: 'Shop DE', type: 'OWN_SITE', currency: 'EUR' } }, ops)).data!.createChannel as any;
    const p1 = await item(t, ops, 100);
    const p2 = await item(t, ops, 200);
    const input = {
      channelId: ch.id,
      headline: 'Spring is here',
      banners: [{ imageUrl: 'https://cdn.example.com/b1.jpg', linkUrl: '/spring', title: 'Spring' }],
      featuredProductIds: [p2.productId, p1.productId],
    };
    const res = await t.gql(UpdateStorefrontDocument, { input }, mkt);
    expect(res.data?.updateStorefront.storefront).toEqual({
      headline: 'Spring is here',
      banners: [{ imageUrl: 'https://cdn.example.com/b1.jpg', linkUrl: '/spring', title: 'Spring' }],
      featuredProducts: [{ id: p2.productId }, { id: p1.productId }],
    });
    const bad = await t.gql(UpdateStorefrontDocument, { input: { ...input, banners: [{ imageUrl: 'ftp://x' }] } }, mkt);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'banners[0].imageUrl' });
    const unknown = await t.gql(UpdateStorefrontDocument, { input: { ...input, featuredProductIds: ['00000000-0000-7000-8000-000000000000'] } }, mkt);
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'featuredProductIds[0]' });
    const pub = (await t.gql(ChannelsStorefrontDocument, {})).data?.channels.find((c) => c.code === 'shop-de');
    expect(pub?.storefront).toEqual({ headline: 'Spring is here', featuredProducts: [{ id: p2.productId }, { id: p1.productId }] });
    const analyst = (await staffToken(t, Role.ANALYST)).token;
    expect((await t.gql(UpdateStorefrontDocument, { input }, analyst)).errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
