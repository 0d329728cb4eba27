import { ArgsType, Field, Float, ID, InputType, Int, ObjectType, createUnionType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { PageArgs } from '../../common/pagination.js';
import { PurchaseOrderStatus, SupplierStatus } from './procurement.lifecycle.js';
import { PurchaseOrder } from './purchase-order.entity.js';
import { Supplier, SupplierOffer } from './supplier.entity.js';
import {
  IllegalPurchaseOrderTransitionError,
  IllegalSupplierTransitionError,
  ReceiptIdempotencyKeyReusedError,
  ReceivingExceedsOrderedError,
  ReplenishmentIdempotencyKeyReusedError,
  SupplierNotApprovedError,
} from './procurement.errors.js';

@InputType({ description: 'A contact person at a supplier.' })
export class SupplierContactInput {
  @Field(() => String, { description: '1 to 200 characters.' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'E-mail address.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'Phone number, at most 40 characters.' })
  phone?: string | null;

  @Field(() => String, { nullable: true, description: 'What the contact is for, at most 100 characters.' })
  role?: string | null;
}

@InputType({ description: 'A new supplier; it starts as PROSPECT.' })
export class CreateSupplierInput {
  @Field(() => String, { description: '1 to 200 characters.' })
  name!: string;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code, e.g. "DE".' })
  country!: string;

  @Field(() => [SupplierContactInput], { nullable: true, description: 'At most 20 contacts.' })
  contacts?: SupplierContactInput[] | null;

  @Field(() => [String], { nullable: true, description: 'At most 50 certifications, each 1 to 100 characters.' })
  certifications?: string[] | null;
}

@InputType({ description: 'Move a supplier to another status.' })
export class TransitionSupplierInput {
  @Field(() => ID, { description: 'The supplier.' })
  supplierId!: string;

  @Field(() => SupplierStatus, { description: 'Target status; see Supplier.nextStates.' })
  to!: SupplierStatus;

  @Field(() => String, { nullable: true, description: 'Why; required for suspending, blocking and re-opening. At most 1000 characters.' })
  reason?: string | null;
}

@InputType({ description: 'Create or update the offer of a supplier for a variant (one offer per supplier and variant).' })
export class UpsertSupplierOfferInput {
  @Field(() => ID, { description: 'The supplier.' })
  supplierId!: string;

  @Field(() => ID, { description: 'Our variant the supplier delivers.' })
  variantId!: string;

  @Field(() => Int, { description: 'Unit cost in minor units, 0 to 1,000,000,000.' })
  unitCostAmount!: number;

  @Field(() => String, { description: 'ISO 4217 currency of the unit cost.' })
  currency!: string;

  @Field(() => Int, { description: 'Minimum order quantity, 1 to 1,000,000.' })
  moq!: number;

  @Field(() => Int, { description: 'Lead time in days, 0 to 365.' })
  leadTimeDays!: number;

  @Field(() => Boolean, { nullable: true, defaultValue: false, description: 'Make this the preferred offer for the variant (others lose the flag).' })
  preferred?: boolean;
}

@InputType({ description: 'A line of a new purchase order.' })
export class PurchaseOrderLineInput {
  @Field(() => ID, { description: 'Variant to buy.' })
  variantId!: string;

  @Field(() => Int, { description: 'Units, 1 to 1,000,000.' })
  quantity!: number;

  @Field(() => Int, { description: 'Agreed unit cost in minor units of the order currency, 0 to 1,000,000,000.' })
  unitCostAmount!: number;
}

@InputType({ description: 'A new purchase order; it starts as DRAFT.' })
export class CreatePurchaseOrderInput {
  @Field(() => ID, { description: 'An APPROVED supplier.' })
  supplierId!: string;

  @Field(() => String, { description: 'ISO 4217 currency of all unit costs.' })
  currency!: string;

  @Field(() => GraphQLDateTime, { description: 'Promised delivery date.' })
  expectedAt!: Date;

  @Field(() => [PurchaseOrderLineInput], { description: '1 to 200 lines, each variant at most once.' })
  lines!: PurchaseOrderLineInput[];

  @Field(() => String, { nullable: true, description: 'Internal note, at most 2000 characters.' })
  note?: string | null;
}

@InputType({ description: 'Move a purchase order to another status (receiving states are entered by receivePurchaseOrder).' })
export class TransitionPurchaseOrderInput {
  @Field(() => ID, { description: 'The purchase order.' })
  purchaseOrderId!: string;

  @Field(() => PurchaseOrderStatus, { description: 'Target status; see PurchaseOrder.nextStates.' })
  to!: PurchaseOrderStatus;

  @Field(() => String, { nullable: true, description: 'Why; required for cancelling and short-closing. At most 1000 characters.' })
  reason?: string | null;
}

@InputType({ description: 'Units of one purchase order line in a delivery.' })
export class ReceiveLineInput {
  @Field(() => ID, { description: 'The purchase order line.' })
  lineId!: string;

  @Field(() => Int, { description: 'Units accepted at inspection, ≥ 0.' })
  acceptedQuantity!: number;

  @Field(() => Int, { description: 'Units rejected at inspection, ≥ 0.' })
  rejectedQuantity!: number;
}

@InputType({ description: 'A delivery against a CONFIRMED or PARTIALLY_RECEIVED purchase order.' })
export class ReceivePurchaseOrderInput {
  @Field(() => ID, { description: 'The purchase order.' })
  purchaseOrderId!: string;

  @Field(() => ID, { description: 'Warehouse the goods go into.' })
  warehouseId!: string;

  @Field(() => [ReceiveLineInput], { description: '1 to 200 lines, each purchase order line at most once; accepted + rejected must not exceed what is open.' })
  lines!: ReceiveLineInput[];

  @Field(() => String, { description: 'Makes retries safe: the same key with the same input returns the order without receiving twice; with other input it is refused. 1 to 200 characters.' })
  idempotencyKey!: string;
}

export const TransitionSupplierResult = createUnionType({
  name: 'TransitionSupplierResult',
  description: 'The supplier after the move, or why it was refused (nothing changed then).',
  types: () => [Supplier, IllegalSupplierTransitionError] as const,
});

export const UpsertSupplierOfferResult = createUnionType({
  name: 'UpsertSupplierOfferResult',
  description: 'The offer as stored, or why it was refused.',
  types: () => [SupplierOffer, SupplierNotApprovedError] as const,
});

export const CreatePurchaseOrderResult = createUnionType({
  name: 'CreatePurchaseOrderResult',
  description: 'The purchase order created, or why it was refused (nothing was written then).',
  types: () => [PurchaseOrder, SupplierNotApprovedError] as const,
});

export const TransitionPurchaseOrderResult = createUnionType({
  name: 'TransitionPurchaseOrderResult',
  description: 'The purchase order after the move, or why it was refused (nothing changed then).',
  types: () => [PurchaseOrder, IllegalPurchaseOrderTransitionError, SupplierNotApprovedError] as const,
});

export const ReceivePurchaseOrderResult = createUnionType({
  name: 'ReceivePurchaseOrderResult',
  description: 'The purchase order after receiving, or why the delivery was refused (nothing was received then).',
  types: () => [PurchaseOrder, IllegalPurchaseOrderTransitionError, ReceivingExceedsOrderedError, ReceiptIdempotencyKeyReusedError] as const,
});

@ArgsType()
export class SuppliersArgs extends PageArgs {
  @Field(() => [SupplierStatus], { nullable: true, description: 'Only suppliers in any of these statuses.' })
  status?: SupplierStatus[] | null;
}

@InputType({ description: 'Which purchase orders to list.' })
export class PurchaseOrderFilter {
  @Field(() => [PurchaseOrderStatus], { nullable: true, description: 'Any of these statuses.' })
  status?: PurchaseOrderStatus[] | null;

  @Field(() => ID, { nullable: true, description: 'Only this supplier’s orders.' })
  supplierId?: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Only late orders: expected before now and still SUBMITTED, CONFIRMED or PARTIALLY_RECEIVED.' })
  late?: boolean | null;
}

@ArgsType()
export class PurchaseOrdersArgs extends PageArgs {
  @Field(() => PurchaseOrderFilter, { nullable: true, description: 'Filter; ordered by expected date, earliest first.' })
  filter?: PurchaseOrderFilter | null;
}

@ArgsType()
export class SupplierScorecardArgs {
  @Field(() => ID, { description: 'The supplier.' })
  supplierId!: string;

  @Field(() => GraphQLDateTime, { description: 'Purchase orders submitted at or after this instant.' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'Purchase orders submitted strictly before this instant.' })
  to!: Date;
}

@ObjectType({ description: 'Delivery performance of a supplier, computed from the purchase orders submitted in a period and their receipts (cancelled orders excluded).' })
export class SupplierScorecard {
  @Field(() => ID, { description: 'The supplier.' })
  supplierId!: string;

  @Field(() => GraphQLDateTime, { description: 'Start of the period (inclusive).' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'End of the period (exclusive).' })
  to!: Date;

  @Field(() => Int, { description: 'Purchase orders submitted in the period.' })
  purchaseOrderCount!: number;

  @Field(() => Int, { description: 'Receipts (deliveries) against those orders.' })
  receiptCount!: number;

  @Field(() => Float, { nullable: true, description: 'Share of receipts that arrived on or before the order’s expected date (0–1); null without receipts.' })
  onTimeDeliveryRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Accepted units ÷ ordered units (0–1); null without ordered units.' })
  fillRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Rejected units ÷ received units (accepted + rejected) (0–1); null when nothing was received.' })
  defectRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Average days from submission to receipt, over receipts; null without receipts.' })
  averageLeadTimeDays!: number | null;
}

@InputType({ description: 'Draft purchase orders from the replenishment suggestions of one warehouse.' })
export class CreatePurchaseOrdersFromSuggestionsInput {
  @Field(() => ID, { description: 'Warehouse the suggestions are computed for (and the goods will be received into).' })
  warehouseId!: string;

  @Field(() => [ID], { nullable: true, description: 'Only these variants (1 to 500); all suggested variants when omitted.' })
  variantIds?: string[] | null;

  @Field(() => Int, { defaultValue: 14, description: 'Days of demand to cover after the goods arrive (0 to 365).' })
  coverDays!: number;

  @Field(() => Int, { defaultValue: 28, description: 'Days of shipment history the sales velocity is measured over (1 to 365).' })
  windowDays!: number;

  @Field(() => Int, { defaultValue: 14, description: 'Fallback lead time (0 to 365) for variants without a preferred offer; it only decides which of them are reported in unassignedVariantIds.' })
  leadTimeDays!: number;

  @Field(() => String, { description: 'Makes retries safe: the same key with the same input returns the orders drafted the first time; with other input it is refused. 1 to 200 characters.' })
  idempotencyKey!: string;
}

@ObjectType({ description: 'Purchase orders drafted from replenishment suggestions.' })
export class PurchaseOrdersFromSuggestions {
  @Field(() => [PurchaseOrder], { description: 'One DRAFT order per preferred supplier and currency, lines at the offer’s unit cost.' })
  purchaseOrders!: PurchaseOrder[];

  @Field(() => [ID], { description: 'Suggested variants left out because they have no preferred offer from an approved supplier.' })
  unassignedVariantIds!: string[];
}

export const CreatePurchaseOrdersFromSuggestionsResult = createUnionType({
  name: 'CreatePurchaseOrdersFromSuggestionsResult',
  description: 'The drafted purchase orders, or why the run was refused (nothing was written then).',
  types: () => [PurchaseOrdersFromSuggestions, ReplenishmentIdempotencyKeyReusedError] as const,
});
