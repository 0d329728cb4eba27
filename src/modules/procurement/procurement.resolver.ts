import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Connection } from '../../common/pagination.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { VariantByIdLoader } from '../catalog/catalog.loaders.js';
import * as procurement from './procurement.service.js';
import {
  LinesByPurchaseOrderIdLoader,
  OffersBySupplierIdLoader,
  OffersByVariantIdLoader,
  ReceiptLinesByReceiptIdLoader,
  ReceiptsByPurchaseOrderIdLoader,
  StatusChangesByPurchaseOrderIdLoader,
  StatusChangesBySupplierIdLoader,
  SupplierByIdLoader,
} from './procurement.loaders.js';
import { PurchaseOrder, PurchaseOrderLine, PurchaseOrderReceipt, PurchaseOrderReceiptLine, PurchaseOrderStatusChange } from './purchase-order.entity.js';
import { Supplier, SupplierOffer, SupplierStatusChange } from './supplier.entity.js';
import {
  CreatePurchaseOrderInput,
  CreatePurchaseOrderResult,
  CreatePurchaseOrdersFromSuggestionsInput,
  CreatePurchaseOrdersFromSuggestionsResult,
  CreateSupplierInput,
  PurchaseOrdersArgs,
  ReceivePurchaseOrderInput,
  ReceivePurchaseOrderResult,
  SupplierScorecard,
  SupplierScorecardArgs,
  SuppliersArgs,
  TransitionPurchaseOrderInput,
  TransitionPurchaseOrderResult,
  TransitionSupplierInput,
  TransitionSupplierResult,
  UpsertSupplierOfferInput,
  UpsertSupplierOfferResult,
} from './procurement.types.js';

export const SupplierConnection = Connection('Supplier', Supplier);
export const PurchaseOrderConnection = Connection('PurchaseOrder', PurchaseOrder);

/** Procurement is done by OPERATIONS; MERCHANDISING also manages suppliers and offers; ANALYST reads. */
const READERS = [Role.OPERATIONS, Role.MERCHANDISING, Role.ANALYST] as const;
const SUPPLIER_WRITERS = [Role.OPERATIONS, Role.MERCHANDISING] as const;

@Resolver(() => Supplier)
export class SupplierResolver {
  @Allow(...READERS)
  @Query(() => Supplier, { description: 'One supplier.' })
  supplier(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Id of the item.' }) id: string) {
    return procurement.getSupplier(ctx, id);
  }

  @Allow(...READERS)
  @Query(() => SupplierConnection, { description: 'Suppliers by name.' })
  suppliers(@Ctx() ctx: Context, @Args(() => SuppliersArgs) args: SuppliersArgs) {
    return procurement.listSuppliers(ctx, args);
  }

  @Allow(...READERS)
  @Query(() => SupplierScorecard, { description: 'Delivery performance of a supplier over a period, computed from its purchase orders and receipts.' })
  supplierScorecard(@Ctx() ctx: Context, @Args(() => SupplierScorecardArgs) args: SupplierScorecardArgs) {
    return procurement.supplierScorecard(ctx, args);
  }

  @Allow(...SUPPLIER_WRITERS)
  @Mutation(() => Supplier, { description: 'Create a supplier in PROSPECT.' })
  createSupplier(@Ctx() ctx: Context, @Arg('input', () => CreateSupplierInput, { description: 'What to do; see the input type.' }) input: CreateSupplierInput) {
    return procurement.createSupplier(ctx, input);
  }

  @Allow(...SUPPLIER_WRITERS)
  @Mutation(() => TransitionSupplierResult, { description: 'Move a supplier along PROSPECT → APPROVED → SUSPENDED / BLOCKED (and back where allowed; see Supplier.nextStates).' })
  transitionSupplier(@Ctx() ctx: Context, @Arg('input', () => TransitionSupplierInput, { description: 'What to do; see the input type.' }) input: TransitionSupplierInput) {
    return procurement.transitionSupplier(ctx, input);
  }

  @Allow(...SUPPLIER_WRITERS)
  @Mutation(() => UpsertSupplierOfferResult, { description: 'Create or replace a supplier’s offer for a variant. Blocked suppliers are refused.' })
  upsertSupplierOffer(@Ctx() ctx: Context, @Arg('input', () => UpsertSupplierOfferInput, { description: 'What to do; see the input type.' }) input: UpsertSupplierOfferInput) {
    return procurement.upsertSupplierOffer(ctx, input);
  }

  @FieldResolver(() => [SupplierOffer], { description: 'What the supplier offers, oldest first.' })
  offers(@Root() supplier: Supplier, @Ctx() ctx: Context) {
    return ctx.loader(OffersBySupplierIdLoader).load(supplier.id);
  }

  @FieldResolver(() => [SupplierStatusChange], { description: 'Every status change, oldest first, starting with creation.' })
  statusHistory(@Root() supplier: Supplier, @Ctx() ctx: Context) {
    return ctx.loader(StatusChangesBySupplierIdLoader).load(supplier.id);
  }
}

@Resolver(() => SupplierOffer)
export class SupplierOfferResolver {
  @FieldResolver(() => ProductVariant, { description: 'The variant offered.' })
  variant(@Root() offer: SupplierOffer, @Ctx() ctx: Context) {
    return ctx.loader(VariantByIdLoader).load(offer.variant.id);
  }

  @FieldResolver(() => Supplier, { description: 'The supplier making the offer.' })
  supplier(@Root() offer: SupplierOffer, @Ctx() ctx: Context) {
    return ctx.loader(SupplierByIdLoader).load(offer.supplier.id);
  }
}

@Resolver(() => PurchaseOrder)
export class PurchaseOrderResolver {
  @Allow(...READERS)
  @Query(() => PurchaseOrder, { description: 'One purchase order.' })
  purchaseOrder(@Ctx() ctx: Context, @Arg('id', () => ID, { description: 'Id of the item.' }) id: string) {
    return procurement.getPurchaseOrder(ctx, id);
  }

  @Allow(...READERS)
  @Query(() => PurchaseOrderConnection, { description: 'Purchase orders by expected date, earliest first; `filter.late` finds overdue ones.' })
  purchaseOrders(@Ctx() ctx: Context, @Args(() => PurchaseOrdersArgs) args: PurchaseOrdersArgs) {
    return procurement.listPurchaseOrders(ctx, args);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => CreatePurchaseOrderResult, { description: 'Create a DRAFT purchase order for an APPROVED supplier.' })
  createPurchaseOrder(@Ctx() ctx: Context, @Arg('input', () => CreatePurchaseOrderInput, { description: 'What to do; see the input type.' }) input: CreatePurchaseOrderInput) {
    return procurement.createPurchaseOrder(ctx, input);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => CreatePurchaseOrdersFromSuggestionsResult, {
    description:
      'Draft purchase orders from a warehouse’s replenishment suggestions: one DRAFT order per preferred supplier (and currency), lines at the offer’s unit cost and the suggested quantity (at least the MOQ). Idempotent per key.',
  })
  createPurchaseOrdersFromSuggestions(
    @Ctx() ctx: Context,
    @Arg('input', () => CreatePurchaseOrdersFromSuggestionsInput, { description: 'What to do; see the input type.' }) input: CreatePurchaseOrdersFromSuggestionsInput,
  ) {
    return procurement.createPurchaseOrdersFromSuggestions(ctx, input);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => TransitionPurchaseOrderResult, { description: 'Submit, confirm, cancel or close a purchase order (see PurchaseOrder.nextStates). Submitting re-checks that the supplier is APPROVED.' })
  transitionPurchaseOrder(@Ctx() ctx: Context, @Arg('input', () => TransitionPurchaseOrderInput, { description: 'What to do; see the input type.' }) input: TransitionPurchaseOrderInput) {
    return procurement.transitionPurchaseOrder(ctx, input);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => ReceivePurchaseOrderResult, {
    description: 'Receive a delivery into a warehouse with accepted and rejected units per line; never more than is open. Accepted units are posted to stock in the same transaction.',
  })
  receivePurchaseOrder(@Ctx() ctx: Context, @Arg('input', () => ReceivePurchaseOrderInput, { description: 'What to do; see the input type.' }) input: ReceivePurchaseOrderInput) {
    return procurement.receivePurchaseOrder(ctx, input);
  }

  @FieldResolver(() => Supplier, { description: 'The supplier.' })
  supplier(@Root() po: PurchaseOrder, @Ctx() ctx: Context) {
    return ctx.loader(SupplierByIdLoader).load(po.supplier.id);
  }

  @FieldResolver(() => [PurchaseOrderLine], { description: 'Lines in the order given.' })
  lines(@Root() po: PurchaseOrder, @Ctx() ctx: Context) {
    return ctx.loader(LinesByPurchaseOrderIdLoader).load(po.id);
  }

  @FieldResolver(() => [PurchaseOrderReceipt], { description: 'Deliveries received, oldest first.' })
  receipts(@Root() po: PurchaseOrder, @Ctx() ctx: Context) {
    return ctx.loader(ReceiptsByPurchaseOrderIdLoader).load(po.id);
  }

  @FieldResolver(() => [PurchaseOrderStatusChange], { description: 'Every status change, oldest first, starting with creation.' })
  statusHistory(@Root() po: PurchaseOrder, @Ctx() ctx: Context) {
    return ctx.loader(StatusChangesByPurchaseOrderIdLoader).load(po.id);
  }
}

@Resolver(() => ProductVariant)
export class VariantSupplyResolver {
  @Allow(...READERS)
  @FieldResolver(() => [SupplierOffer], { description: 'Supplier offers for this variant, preferred first, then cheapest. Staff only.' })
  supplierOffers(@Root() variant: ProductVariant, @Ctx() ctx: Context) {
    return ctx.loader(OffersByVariantIdLoader).load(variant.id);
  }
}

@Resolver(() => PurchaseOrderLine)
export class PurchaseOrderLineResolver {
  @FieldResolver(() => ProductVariant, { description: 'The variant ordered.' })
  variant(@Root() line: PurchaseOrderLine, @Ctx() ctx: Context) {
    return ctx.loader(VariantByIdLoader).load(line.variant.id);
  }
}

@Resolver(() => PurchaseOrderReceipt)
export class PurchaseOrderReceiptResolver {
  @FieldResolver(() => [PurchaseOrderReceiptLine], { description: 'Units per line in this delivery.' })
  lines(@Root() receipt: PurchaseOrderReceipt, @Ctx() ctx: Context) {
    return ctx.loader(ReceiptLinesByReceiptIdLoader).load(receipt.id);
  }
}

@Resolver(() => PurchaseOrderReceiptLine)
export class PurchaseOrderReceiptLineResolver {
  @FieldResolver(() => ID, { description: 'The purchase order line received against.' })
  lineId(@Root() line: PurchaseOrderReceiptLine) {
    return line.line.id;
  }
}
