import { byIdLoader, childrenLoader } from '../../common/loaders.js';
import { PurchaseOrder, PurchaseOrderLine, PurchaseOrderReceipt, PurchaseOrderReceiptLine, PurchaseOrderStatusChange } from './purchase-order.entity.js';
import { Supplier, SupplierOffer, SupplierStatusChange } from './supplier.entity.js';

export const SupplierByIdLoader = byIdLoader(Supplier);
export const PurchaseOrderByIdLoader = byIdLoader(PurchaseOrder);
export const OffersBySupplierIdLoader = childrenLoader(SupplierOffer, 'supplier', { id: 'ASC' }, (o) => o.supplier.id);
export const OffersByVariantIdLoader = childrenLoader(SupplierOffer, 'variant', { preferred: 'DESC', unitCostAmount: 'ASC', id: 'ASC' }, (o) => o.variant.id);
export const StatusChangesBySupplierIdLoader = childrenLoader(SupplierStatusChange, 'supplier', { at: 'ASC', id: 'ASC' }, (c) => c.supplier.id);
export const LinesByPurchaseOrderIdLoader = childrenLoader(PurchaseOrderLine, 'purchaseOrder', { position: 'ASC' }, (l) => l.purchaseOrder.id);
export const StatusChangesByPurchaseOrderIdLoader = childrenLoader(PurchaseOrderStatusChange, 'purchaseOrder', { at: 'ASC', id: 'ASC' }, (c) => c.purchaseOrder.id);
export const ReceiptsByPurchaseOrderIdLoader = childrenLoader(PurchaseOrderReceipt, 'purchaseOrder', { receivedAt: 'ASC', id: 'ASC' }, (r) => r.purchaseOrder.id);
export const ReceiptLinesByReceiptIdLoader = childrenLoader(PurchaseOrderReceiptLine, 'receipt', { id: 'ASC' }, (l) => l.receipt.id);
