import type { AppModule } from '../../common/module.js';
import { InventoryAlert, StockLevel, StockMovement, StockReservation, Warehouse } from './inventory.entity.js';
import { registerInventoryHooks } from './inventory.hooks.js';
import { Context } from '../../common/context.js';
import { ANONYMOUS } from '../../common/auth/viewer.js';
import { expireReservations } from './inventory.service.js';
import {
  InventoryAlertRaisedEventResolver,
  InventoryAlertResolver,
  InventoryResolver,
  OrderAllocationResolver,
  StockReservationResolver,
  StockLevelResolver,
  StockMovementResolver,
  VariantStockResolver,
} from './inventory.resolver.js';

registerInventoryHooks();

export const inventoryModule: AppModule = {
  name: 'inventory',
  entities: [Warehouse, StockLevel, StockMovement, StockReservation, InventoryAlert],
  resolvers: [InventoryResolver, InventoryAlertRaisedEventResolver, StockLevelResolver, StockMovementResolver, InventoryAlertResolver, VariantStockResolver, StockReservationResolver, OrderAllocationResolver],
  jobs: [
    {
      name: 'inventory.expire-reservations',
      intervalMs: 5 * 60_000,
      run: async (services) => {
        await expireReservations(new Context(services, ANONYMOUS, 'job:inventory.expire-reservations'));
      },
    },
  ],
};
