import { registerEnumType } from 'type-graphql';
import { Role } from '../../common/auth/roles.js';
import { Lifecycle } from '../../common/lifecycle.js';

export enum CampaignStatus {
  SCHEDULED = 'SCHEDULED',
  ACTIVE = 'ACTIVE',
  ENDED = 'ENDED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(CampaignStatus, {
  name: 'CampaignStatus',
  description: 'Where a campaign is. `Campaign.nextStates` lists the moves allowed now.',
  valuesConfig: {
    SCHEDULED: { description: 'Planned; not running yet.' },
    ACTIVE: { description: 'Running.' },
    ENDED: { description: 'Finished; terminal.' },
    CANCELLED: { description: 'Called off before it ran; terminal.' },
  },
});

const MKT = [Role.MARKETING] as const;

export const campaignLifecycle = new Lifecycle<CampaignStatus>('Campaign', {
  SCHEDULED: { ACTIVE: { by: MKT }, CANCELLED: { by: MKT, requiresReason: true } },
  ACTIVE: { ENDED: { by: MKT } },
  ENDED: {},
  CANCELLED: {},
});

export enum CollaborationStatus {
  PROPOSED = 'PROPOSED',
  AGREED = 'AGREED',
  LIVE = 'LIVE',
  COMPLETED = 'COMPLETED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(CollaborationStatus, {
  name: 'CollaborationStatus',
  description: 'Where an influencer collaboration is. `Collaboration.nextStates` lists the moves allowed now.',
});

export const collaborationLifecycle = new Lifecycle<CollaborationStatus>('Collaboration', {
  PROPOSED: { AGREED: { by: MKT }, CANCELLED: { by: MKT, requiresReason: true } },
  AGREED: { LIVE: { by: MKT }, CANCELLED: { by: MKT, requiresReason: true } },
  LIVE: { COMPLETED: { by: MKT } },
  COMPLETED: {},
  CANCELLED: {},
});

export enum ContentStatus {
  PLANNED = 'PLANNED',
  PUBLISHED = 'PUBLISHED',
  ARCHIVED = 'ARCHIVED',
}
registerEnumType(ContentStatus, { name: 'ContentStatus', description: 'PLANNED → PUBLISHED → ARCHIVED; a planned piece may also be archived unpublished.' });

export const contentLifecycle = new Lifecycle<ContentStatus>('Content', {
  PLANNED: { PUBLISHED: { by: MKT }, ARCHIVED: { by: MKT } },
  PUBLISHED: { ARCHIVED: { by: MKT } },
  ARCHIVED: {},
});
