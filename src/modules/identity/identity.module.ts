import type { AppModule } from '../../common/module.js';
import { ApiToken } from './api-token.entity.js';
import { IdentityResolver } from './identity.resolver.js';
import { StaffUser } from './staff-user.entity.js';

export const identityModule: AppModule = { name: 'identity', entities: [StaffUser, ApiToken], resolvers: [IdentityResolver] };
