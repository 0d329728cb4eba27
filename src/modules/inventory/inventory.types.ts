import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, createUnionType } from 'type-graphql';
import { GraphQLDateTime, GraphQLSafeInt } from 'graphql-scalars';
import { PageArgs } from '../../common/pagination.js';
import { InventoryAlert, InventoryAlertStatus, StockLevel, WarehouseType } from './inventory.entity.js';
import { IllegalAlertTransitionError, InsufficientStockError, StockChangedError, StockIdempotencyKeyReusedError } from './inventory.errors.js';

@InputType({ description: 'A new warehouse.' })
export class CreateWarehouseInput {
  @Field(() => String, { description: 'Unique code: 1 to 32 letters, digits, "-" or "_".' })
  code!: string;
  @Field(() => String, { description: 'Display name, 1 to 200 characters.' })
  name!: string;
  @Field(() => WarehouseType, { description: 'Who runs it.' })
  type!: WarehouseType;
  @Field(() => String, { description: 'City.' })
  city!: string;
  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code in upper case.' })
  country!: string;
  @Field(() => Boolean, { nullable: true, description: 'Default true.' })
  active?: boolean | null;
}

@InputType({ description: 'Reorder point and safety stock of a SKU in a warehouse.' })
export class SetStockPolicyInput {
  @Field(() => ID, { description: 'The variant (SKU).' })
  variantId!: string;
  @Field(() => ID, { description: 'The warehouse.' })
  warehouseId!: string;
  @Field(() => Int, { description: 'Alert when available falls to this or below (0 to 1,000,000).' })
  reorderPoint!: number;
  @Field(() => Int, { description: 'Buffer for replenishment suggestions (0 to 1,000,000).' })
  safetyStock!: number;
}

@InputType({ description: 'Goods received into a warehouse (RECEIPT).' })
export class ReceiveStockInput {
  @Field(() => ID, { description: 'The variant (SKU).' })
  variantId!: string;
  @Field(() => ID, { description: 'The receiving warehouse.' })
  warehouseId!: string;
  @Field(() => Int, { description: 'Units received, 1 to 1,000,000.' })
  quantity!: number;
  @Field(() => String, { description: 'Purchase order or delivery note number, 1 to 200 characters.' })
  reference!: string;
  @Field(() => String, { nullable: true, description: 'Makes retries safe: the same key with the same input is applied once.' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'A count correction (ADJUSTMENT). Needs expectedOnHand (compare-and-set) or an idempotencyKey.' })
export class AdjustStockInput {
  @Field(() => ID, { description: 'The variant (SKU).' })
  variantId!: string;
  @Field(() => ID, { description: 'The warehouse.' })
  warehouseId!: string;
  @Field(() => Int, { description: 'Signed change of on hand, non-zero. On hand may not fall below reserved.' })
  quantityChange!: number;
  @Field(() => String, { description: 'Why (damaged, count correction…), 1 to 1000 characters.' })
  reason!: string;
  @Field(() => Int, { nullable: true, description: 'Apply only if on hand is exactly this now; otherwise STOCK_CHANGED and nothing changes.' })
  expectedOnHand?: number | null;
  @Field(() => String, { nullable: true, description: 'Makes retries safe: the same key with the same input is applied once.' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Move available units from one warehouse to another.' })
export class TransferStockInput {
  @Field(() => ID, { description: 'The variant (SKU).' })
  variantId!: string;
  @Field(() => ID, { description: 'Source warehouse; needs that many available units.' })
  fromWarehouseId!: string;
  @Field(() => ID, { description: 'Destination warehouse; must be active.' })
  toWarehouseId!: string;
  @Field(() => Int, { description: 'Units, 1 to 1,000,000.' })
  quantity!: number;
  @Field(() => String, { nullable: true, description: 'Makes retries safe: the same key with the same input is applied once.' })
  idempotencyKey?: string | null;
}

@InputType({ description: 'Acknowledge or resolve a low-stock alert.' })
export class TransitionInventoryAlertInput {
  @Field(() => ID, { description: 'The alert.' })
  alertId!: string;
  @Field(() => InventoryAlertStatus, { description: 'ACKNOWLEDGED or RESOLVED.' })
  to!: InventoryAlertStatus;
}

export const StockChangeResult = createUnionType({
  name: 'StockChangeResult',
  description: 'The stock row after the change, or why it was refused (nothing was written then).',
  types: () => [StockLevel, InsufficientStockError, StockChangedError, StockIdempotencyKeyReusedError] as const,
});

export const TransitionInventoryAlertResult = createUnionType({
  name: 'TransitionInventoryAlertResult',
  description: 'The alert after the move, or why it was refused.',
  types: () => [InventoryAlert, IllegalAlertTransitionError] as const,
});

@ArgsType()
export class WarehousesArgs extends PageArgs {
  @Field(() => Boolean, { nullable: true, description: 'Only active (true) or inactive (false) warehouses.' })
  active?: boolean | null;
}

@ArgsType()
export class StockLevelsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only this variant.' })
  variantId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only this warehouse.' })
  warehouseId?: string | null;
}

@ArgsType()
export class StockMovementsArgs extends PageArgs {
  @Field(() => ID, { nullable: true, description: 'Only this variant.' })
  variantId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only this warehouse.' })
  warehouseId?: string | null;
}

@ArgsType()
export class InventoryAlertsArgs extends PageArgs {
  @Field(() => [InventoryAlertStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: InventoryAlertStatus[] | null;
}

@ArgsType()
export class ReplenishmentArgs {
  @Field(() => ID, { nullable: true, description: 'Only this warehouse.' })
  warehouseId?: string | null;
  @Field(() => Int, { description: 'Fallback supplier lead time in days (0 to 365), used for variants without a preferred offer from an approved supplier.' })
  leadTimeDays!: number;
  @Field(() => Int, { defaultValue: 14, description: 'Days of demand to cover after the goods arrive (0 to 365).' })
  coverDays!: number;
  @Field(() => Int, { defaultValue: 28, description: 'Days of shipment history the sales velocity is measured over (1 to 365).' })
  windowDays!: number;
}

@ObjectType({ description: 'A suggested reorder for a SKU in a warehouse.' })
export class ReplenishmentSuggestion {
  @Field(() => ID, { description: 'The variant.' })
  variantId!: string;
  @Field(() => ID, { description: 'The warehouse.' })
  warehouseId!: string;
  @Field(() => Int, { description: 'Available now.' })
  available!: number;
  @Field(() => Int, { description: 'Units shipped in the measuring window.' })
  unitsShipped!: number;
  @Field(() => Float, { description: 'Units shipped per day over the window.' })
  dailyVelocity!: number;
  @Field(() => Int, { description: 'ceil(velocity × (lead time + cover days)) + safety stock − available, raised to the preferred offer’s minimum order quantity.' })
  suggestedQuantity!: number;
  @Field(() => Int, { description: 'Lead time used: the preferred offer’s when there is one, else the leadTimeDays argument.' })
  leadTimeDays!: number;
  @Field(() => ID, { nullable: true, description: 'Supplier of the preferred offer (approved suppliers only); null when there is none.' })
  supplierId?: string | null;
  @Field(() => Int, { description: 'Minimum order quantity of the preferred offer; 1 without one.' })
  minimumOrderQuantity!: number;
}

@ArgsType()
export class InventoryAlertRaisedArgs {
  @Field(() => ID, { nullable: true, description: 'Only alerts of this warehouse.' })
  warehouseId?: string | null;
  @Field(() => GraphQLSafeInt, { nullable: true, description: 'Resume: first replay every matching event with a greater eventId, then go live.' })
  afterEventId?: number | null;
}

@ObjectType({ description: 'A low-stock alert was raised.' })
export class InventoryAlertRaisedEvent {
  @Field(() => GraphQLSafeInt, { description: 'Delivery order of this event; pass the last one seen as afterEventId to resume.' })
  eventId!: number;
  @Field(() => ID, { description: 'The alert.' })
  alertId!: string;
  @Field(() => ID, { description: 'The variant.' })
  variantId!: string;
  @Field(() => ID, { description: 'The warehouse.' })
  warehouseId!: string;
  @Field(() => Int, { description: 'Available units when raised.' })
  available!: number;
  @Field(() => Int, { description: 'The reorder point.' })
  reorderPoint!: number;
  @Field(() => GraphQLDateTime, { description: 'When it was raised.' })
  raisedAt!: Date;
}
