import type { AppModule } from '../../common/module.js';
import { AdCampaign, AdDailyMetric, Campaign, Collaboration, Influencer } from './marketing.entity.js';
import { AdCampaignResolver, CampaignResolver, CollaborationResolver } from './marketing.resolver.js';

export const marketingModule: AppModule = {
  name: 'marketing',
  entities: [Campaign, Influencer, Collaboration, AdCampaign, AdDailyMetric],
  resolvers: [CampaignResolver, CollaborationResolver, AdCampaignResolver],
};
