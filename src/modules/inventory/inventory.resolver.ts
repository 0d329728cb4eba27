import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow, assertAccess } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { checkId } from '../../common/errors.js';
import type { EventEnvelope } from '../../common/events/envelope.js';
import { eventStream } from '../../common/events/stream.js';
import { Connection } from '../../common/pagination.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { VariantByIdLoader } from '../catalog/catalog.loaders.js';
import { InventoryAlert, StockLevel, StockMovement, StockReservation, Warehouse } from './inventory.entity.js';
import { Order } from '../orders/order.entity.js';
import { AvailableByVariantIdLoader, InventoryAlertByIdLoader, ReservationsByOrderIdLoader, WarehouseByIdLoader } from './inventory.loaders.js';
import * as inventory from './inventory.service.js';
import { INVENTORY_ALERT_RAISED, type InventoryAlertRaisedPayload } from './inventory.topics.js';
import {
  AdjustStockInput,
  CreateWarehouseInput,
  InventoryAlertRaisedArgs,
  InventoryAlertRaisedEvent,
  InventoryAlertsArgs,
  ReceiveStockInput,
  ReplenishmentArgs,
  ReplenishmentSuggestion,
  SetStockPolicyInput,
  StockChangeResult,
  StockLevelsArgs,
  StockMovementsArgs,
  TransferStockInput,
  TransitionInventoryAlertInput,
  TransitionInventoryAlertResult,
  WarehousesArgs,
} from './inventory.types.js';

export const WarehouseConnection = Connection('Warehouse', Warehouse);
export const StockLevelConnection = Connection('StockLevel', StockLevel);
export const StockMovementConnection = Connection('StockMovement', StockMovement);
export const InventoryAlertConnection = Connection('InventoryAlert', InventoryAlert);

const READERS = [Role.OPERATIONS, Role.MERCHANDISING, Role.ANALYST] as const;

@Resolver()
export class InventoryResolver {
  @Allow(...READERS)
  @Query(() => WarehouseConnection, { description: 'Warehouses by code.' })
  warehouses(@Ctx() ctx: Context, @Args(() => WarehousesArgs) args: WarehousesArgs) {
    return inventory.listWarehouses(ctx, args);
  }

  @Allow(...READERS)
  @Query(() => StockLevelConnection, { description: 'Stock per SKU × warehouse.' })
  stockLevels(@Ctx() ctx: Context, @Args(() => StockLevelsArgs) args: StockLevelsArgs) {
    return inventory.listStockLevels(ctx, args);
  }

  @Allow(...READERS)
  @Query(() => StockMovementConnection, { description: 'The stock ledger, newest first.' })
  stockMovements(@Ctx() ctx: Context, @Args(() => StockMovementsArgs) args: StockMovementsArgs) {
    return inventory.listStockMovements(ctx, args);
  }

  @Allow(...READERS)
  @Query(() => InventoryAlertConnection, { description: 'Low-stock alerts, newest first.' })
  inventoryAlerts(@Ctx() ctx: Context, @Args(() => InventoryAlertsArgs) args: InventoryAlertsArgs) {
    return inventory.listInventoryAlerts(ctx, args);
  }

  @Allow(...READERS)
  @Query(() => [ReplenishmentSuggestion], { description: 'What to reorder, from recent sales velocity, supplier lead time and safety stock.' })
  async replenishmentSuggestions(@Ctx() ctx: Context, @Args(() => ReplenishmentArgs) args: ReplenishmentArgs) {
    const rows = await inventory.replenishmentSuggestions(ctx, args);
    return rows.map((r) => Object.assign(new ReplenishmentSuggestion(), r));
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => Warehouse, { description: 'Create a warehouse.' })
  createWarehouse(@Ctx() ctx: Context, @Arg('input', () => CreateWarehouseInput) input: CreateWarehouseInput) {
    return inventory.createWarehouse(ctx, input);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => Warehouse, { description: 'Activate or deactivate a warehouse. Inactive warehouses get no new allocations.' })
  setWarehouseActive(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('active', () => Boolean) active: boolean) {
    return inventory.setWarehouseActive(ctx, id, active);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => StockLevel, { description: 'Set the reorder point and safety stock of a SKU in a warehouse.' })
  setStockPolicy(@Ctx() ctx: Context, @Arg('input', () => SetStockPolicyInput) input: SetStockPolicyInput) {
    return inventory.setStockPolicy(ctx, input);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => StockChangeResult, { description: 'Book goods in (RECEIPT ledger entry).' })
  receiveStock(@Ctx() ctx: Context, @Arg('input', () => ReceiveStockInput) input: ReceiveStockInput) {
    return inventory.receiveStock(ctx, input);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => StockChangeResult, { description: 'Correct on hand (ADJUSTMENT ledger entry with a reason), guarded by compare-and-set or an idempotency key.' })
  adjustStock(@Ctx() ctx: Context, @Arg('input', () => AdjustStockInput) input: AdjustStockInput) {
    return inventory.adjustStock(ctx, input);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => StockChangeResult, { description: 'Move available units to another warehouse (TRANSFER_OUT + TRANSFER_IN); returns the source row.' })
  transferStock(@Ctx() ctx: Context, @Arg('input', () => TransferStockInput) input: TransferStockInput) {
    return inventory.transferStock(ctx, input);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => TransitionInventoryAlertResult, { description: 'Acknowledge or resolve a low-stock alert.' })
  transitionInventoryAlert(@Ctx() ctx: Context, @Arg('input', () => TransitionInventoryAlertInput) input: TransitionInventoryAlertInput) {
    return inventory.transitionInventoryAlert(ctx, input);
  }

  @Allow(Role.OPERATIONS, Role.MERCHANDISING, Role.ANALYST)
  @Subscription(() => InventoryAlertRaisedEvent, {
    description: 'Low-stock alerts as they are raised. Pass afterEventId to replay what was missed first.',
    subscribe: ({ args, context }) => {
      const ctx = context as Context;
      assertAccess(ctx.viewer, [Role.OPERATIONS, Role.MERCHANDISING, Role.ANALYST]);
      const a = args as InventoryAlertRaisedArgs;
      if (a.warehouseId) checkId('warehouseId', a.warehouseId);
      return eventStream<InventoryAlertRaisedPayload>(ctx, { topic: INVENTORY_ALERT_RAISED, afterEventId: a.afterEventId, match: { warehouseId: a.warehouseId ?? undefined } });
    },
  })
  inventoryAlertRaised(@Root() event: EventEnvelope<InventoryAlertRaisedPayload>, @Args(() => InventoryAlertRaisedArgs) _args: InventoryAlertRaisedArgs): InventoryAlertRaisedEvent {
    const p = event.payload;
    return Object.assign(new InventoryAlertRaisedEvent(), {
      eventId: event.id,
      alertId: p.alertId,
      variantId: p.variantId,
      warehouseId: p.warehouseId,
      available: p.available,
      reorderPoint: p.reorderPoint,
      raisedAt: new Date(p.raisedAt),
    });
  }
}

@Resolver(() => InventoryAlertRaisedEvent)
export class InventoryAlertRaisedEventResolver {
  @FieldResolver(() => InventoryAlert, { nullable: true, description: 'The alert as it is now.' })
  alert(@Root() e: InventoryAlertRaisedEvent, @Ctx() ctx: Context) {
    return ctx.loader(InventoryAlertByIdLoader).load(e.alertId);
  }
}

@Resolver(() => StockLevel)
export class StockLevelResolver {
  @FieldResolver(() => ProductVariant, { description: 'The SKU.' })
  variant(@Root() l: StockLevel, @Ctx() ctx: Context) {
    return ctx.loader(VariantByIdLoader).load(l.variant.id);
  }

  @FieldResolver(() => Warehouse, { description: 'The warehouse.' })
  warehouse(@Root() l: StockLevel, @Ctx() ctx: Context) {
    return ctx.loader(WarehouseByIdLoader).load(l.warehouse.id);
  }
}

@Resolver(() => StockMovement)
export class StockMovementResolver {
  @FieldResolver(() => ID, { description: 'The SKU’s variant id.' })
  variantId(@Root() m: StockMovement) {
    return m.variant.id;
  }

  @FieldResolver(() => Warehouse, { description: 'The warehouse.' })
  warehouse(@Root() m: StockMovement, @Ctx() ctx: Context) {
    return ctx.loader(WarehouseByIdLoader).load(m.warehouse.id);
  }
}

@Resolver(() => InventoryAlert)
export class InventoryAlertResolver {
  @FieldResolver(() => ProductVariant, { description: 'The SKU.' })
  variant(@Root() a: InventoryAlert, @Ctx() ctx: Context) {
    return ctx.loader(VariantByIdLoader).load(a.variant.id);
  }

  @FieldResolver(() => Warehouse, { description: 'The warehouse.' })
  warehouse(@Root() a: InventoryAlert, @Ctx() ctx: Context) {
    return ctx.loader(WarehouseByIdLoader).load(a.warehouse.id);
  }
}

@Resolver(() => ProductVariant)
export class VariantStockResolver {
  @FieldResolver(() => Int, { description: 'Units available to order, summed over active warehouses.' })
  availableQuantity(@Root() v: ProductVariant, @Ctx() ctx: Context) {
    return ctx.loader(AvailableByVariantIdLoader).load(v.id);
  }
}

@Resolver(() => StockReservation)
export class StockReservationResolver {
  @FieldResolver(() => ID, { description: 'The order line it holds stock for.' })
  orderLineId(@Root() r: StockReservation) {
    return r.orderLine.id;
  }

  @FieldResolver(() => ID, { description: 'The variant.' })
  variantId(@Root() r: StockReservation) {
    return r.variant.id;
  }

  @FieldResolver(() => Warehouse, { description: 'Where the units are held.' })
  warehouse(@Root() r: StockReservation, @Ctx() ctx: Context) {
    return ctx.loader(WarehouseByIdLoader).load(r.warehouse.id);
  }
}

@Resolver(() => Order)
export class OrderAllocationResolver {
  @Allow(Role.OPERATIONS, Role.SUPPORT, Role.ANALYST)
  @FieldResolver(() => [StockReservation], { description: 'Stock allocated to this order per line and warehouse (open, released or consumed), oldest first. Staff only.' })
  allocations(@Root() order: Order, @Ctx() ctx: Context) {
    return ctx.loader(ReservationsByOrderIdLoader).load(order.id);
  }
}
