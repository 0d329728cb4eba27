import DataLoader from 'dataloader';
import { byIdLoader, childrenLoader } from '../../common/loaders.js';
import type { Context } from '../../common/context.js';
import { InventoryAlert, StockReservation, Warehouse } from './inventory.entity.js';
import { availableStock } from './inventory.service.js';

export const WarehouseByIdLoader = byIdLoader(Warehouse);
export const InventoryAlertByIdLoader = byIdLoader(InventoryAlert);
/** Available units over active warehouses, one query for every variant of the request. */
export const AvailableByVariantIdLoader = (ctx: Context) =>
  new DataLoader<string, number>(async (ids) => {
    const map = await availableStock(ctx, ids);
    return ids.map((id) => map.get(id) ?? 0);
  });
export const ReservationsByOrderIdLoader = childrenLoader(StockReservation, 'order', { createdAt: 'ASC', id: 'ASC' }, (r) => r.order.id);
