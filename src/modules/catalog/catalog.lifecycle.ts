import { Role } from '../../common/auth/roles.js';
import { Lifecycle } from '../../common/lifecycle.js';
import { ProductStatus } from './product.entity.js';

const MERCH = [Role.MERCHANDISING] as const;

export const productLifecycle = new Lifecycle<ProductStatus>('Product', {
  DRAFT: { ACTIVE: { by: MERCH }, ARCHIVED: { by: MERCH } },
  ACTIVE: { ARCHIVED: { by: MERCH }, DRAFT: { by: MERCH } },
  ARCHIVED: { DRAFT: { by: MERCH } },
});
