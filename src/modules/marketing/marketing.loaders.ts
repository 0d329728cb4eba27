import DataLoader from 'dataloader';
import type { Context } from '../../common/context.js';
import { byIdLoader, childrenLoader } from '../../common/loaders.js';
import { Promotion } from '../promotions/promotion.entity.js';
import { Money } from '../../common/money.js';
import { AdCampaign, Campaign, Influencer } from './marketing.entity.js';
import { ChannelStorefront, ContentPiece } from './brand.entity.js';
import { CollaborationPerformance } from './marketing.types.js';

export const CampaignByIdLoader = byIdLoader(Campaign);
export const InfluencerByIdLoader = byIdLoader(Influencer);
export const PromotionsByCampaignIdLoader = childrenLoader(Promotion, 'campaignId', { createdAt: 'ASC', id: 'ASC' }, (p) => p.campaignId!);
export const AdCampaignsByCampaignIdLoader = childrenLoader(AdCampaign, 'campaign', { createdAt: 'ASC', id: 'ASC' }, (a) => a.campaign!.id);

/**
 * Orders attributed to collaborations, for all collaborations of the request in one statement. An order
 * counts once even if it used the coupon and came through the tracking link.
 */
export const PerformanceByCollaborationIdLoader = (ctx: Context) =>
  new DataLoader<string, CollaborationPerformance>(async (ids) => {
    const rows: { id: string; fee: number; currency: string; orders: number; revenue: string }[] = await ctx.em.execute(
      `SELECT c.id, c.fee_amount AS fee, c.currency, count(so.id)::int AS orders, coalesce(sum(so.total_amount), 0)::bigint AS revenue
         FROM collaboration c
         LEFT JOIN sales_order so ON so.status <> 'CANCELLED' AND so.currency = c.currency AND (
              EXISTS (SELECT 1 FROM promotion_usage pu WHERE pu.order_id = so.id AND pu.coupon_code = c.coupon_code)
           OR EXISTS (SELECT 1 FROM order_attribution oa JOIN traffic_session s ON s.session_key = oa.session_key
                       WHERE oa.order_id = so.id AND s.campaign = c.tracking_code))
        WHERE c.id IN (?)
        GROUP BY c.id, c.fee_amount, c.currency`,
      [[...ids]],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    return ids.map((id) => {
      const r = byId.get(id)!;
      const revenue = Number(r.revenue);
      return Object.assign(new CollaborationPerformance(), {
        orders: r.orders,
        revenue: Money.of(revenue, r.currency),
        roi: r.fee > 0 ? Number(((revenue - r.fee) / r.fee).toFixed(4)) : null,
      });
    });
  });

export const ContentByCampaignIdLoader = childrenLoader(ContentPiece, 'campaign', { createdAt: 'ASC', id: 'ASC' }, (c) => c.campaign!.id);
export const StorefrontByChannelIdLoader = (ctx: Context) =>
  new DataLoader<string, ChannelStorefront | null>(async (ids) => {
    const rows = await ctx.em.find(ChannelStorefront, { channel: { $in: [...ids] } });
    const map = new Map(rows.map((r) => [r.channel.id, r]));
    return ids.map((id) => map.get(id) ?? null);
  });
