/**
 * Connects modules that must not know each other: each module exposes a seam (a hook registry or a provider
 * slot) and this composition file plugs one module's service into another's seam. Imported once, for its
 * effect, by app/modules.ts, so every entry point (server, scripts, tests) gets the same wiring.
 */
import { badInput } from '../common/errors.js';
import { procurementHooks } from '../modules/procurement/procurement.hooks.js';
import { listingHooks } from '../modules/listings/listings.hooks.js';
import { crmHooks } from '../modules/crm/crm.hooks.js';
import { trackingHooks } from '../modules/tracking/tracking.hooks.js';
import { availableStock, recordStockMovement } from '../modules/inventory/inventory.service.js';
import { Warehouse } from '../modules/inventory/inventory.entity.js';
import { openSystemTicket } from '../modules/support/support.service.js';
import { TicketCategory, TicketPriority } from '../modules/support/support.lifecycle.js';
import { createReviewInvitations } from '../modules/reviews/reviews.service.js';
import { Order } from '../modules/orders/order.entity.js';

// Receiving a purchase order books the accepted units into the chosen warehouse through the stock ledger,
// in the receiving transaction: the receipt and the stock commit or roll back together.
procurementHooks.onReceived(async (ctx, em, receipt) => {
  const warehouse = await em.findOne(Warehouse, { id: receipt.warehouseId });
  if (!warehouse || !warehouse.active) throw badInput('warehouseId', 'does not match any active warehouse');
  for (const line of receipt.lines) {
    if (line.acceptedQuantity <= 0) continue;
    await recordStockMovement(ctx, em, {
      variantId: line.variantId,
      warehouseId: receipt.warehouseId,
      quantity: line.acceptedQuantity,
      kind: 'RECEIPT',
      reference: `po-receipt:${receipt.receiptId}`,
    });
  }
});

// Listings score "stock available" and recommendations leave out what cannot be bought, from real stock.
listingHooks.setStockProvider((ctx, variantIds) => availableStock(ctx, variantIds));
crmHooks.setStockProvider((ctx, variantIds) => availableStock(ctx, variantIds));

// A shipment exception or a shipment gone quiet opens one logistics ticket for the customer (deduplicated
// per shipment while open), in the transaction that flags the shipment.
trackingHooks.onException(async (ctx, em, shipment, reason, detail) => {
  await em.populate(shipment, ['order']);
  const order = shipment.order;
  await openSystemTicket(ctx, em, {
    customerId: order.customer.id,
    orderId: order.id,
    shipmentId: shipment.id,
    category: TicketCategory.LOGISTICS,
    priority: TicketPriority.HIGH,
    subject: reason === 'EXCEPTION' ? `Delivery problem with shipment ${shipment.trackingNumber}` : `No tracking update for shipment ${shipment.trackingNumber}`,
    body: detail,
  });
});

// A delivered shipment invites the customer to review the lines it completed, before the whole order arrives.
trackingHooks.onDelivered(async (ctx, em, shipment) => {
  const order = await em.findOneOrFail(Order, { id: shipment.order.id });
  await createReviewInvitations(ctx, em, order);
});
