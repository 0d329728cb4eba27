import { Role } from '../../common/auth/roles.js';
import { Lifecycle } from '../../common/lifecycle.js';
import { InventoryAlertStatus } from './inventory.entity.js';

const OPS = [Role.OPERATIONS] as const;

/** Low-stock alerts: someone acknowledges (is on it), then resolves (restocked or accepted). */
export const inventoryAlertLifecycle = new Lifecycle<InventoryAlertStatus>('InventoryAlert', {
  OPEN: { ACKNOWLEDGED: { by: OPS }, RESOLVED: { by: OPS } },
  ACKNOWLEDGED: { RESOLVED: { by: OPS } },
  RESOLVED: {},
});
