import type { AppModule } from '../../common/module.js';
import { InventoryAlert, StockLevel, StockMovement, StockReservation, Warehouse } from './inventory.entity.js';
import { registerInventoryHooks } from './inventory.hooks.js';
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
};
