import type { AppModule } from '../../common/module.js';
import { Brand, ChannelStorefront, ContentPiece } from './brand.entity.js';
import { CampaignContentResolver, ChannelStorefrontResolver, ContentResolver, ProductBrandResolver, StorefrontResolver } from './content.resolver.js';
import { AdCampaign, AdDailyMetric, Campaign, Collaboration, Influencer } from './marketing.entity.js';
import { AdCampaignResolver, CampaignResolver, CollaborationResolver } from './marketing.resolver.js';

export const marketingModule: AppModule = {
  name: 'marketing',
  entities: [Campaign, Influencer, Collaboration, AdCampaign, AdDailyMetric, Brand, ContentPiece, ChannelStorefront],
  resolvers: [CampaignResolver, CollaborationResolver, AdCampaignResolver, ContentResolver, ProductBrandResolver, CampaignContentResolver, ChannelStorefrontResolver, StorefrontResolver],
};
