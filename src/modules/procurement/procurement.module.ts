import type { AppModule } from '../../common/module.js';
import {
  PurchaseOrderLineResolver,
  PurchaseOrderReceiptLineResolver,
  PurchaseOrderReceiptResolver,
  PurchaseOrderResolver,
  SupplierOfferResolver,
  SupplierResolver,
  VariantSupplyResolver,
} from './procurement.resolver.js';
import { PurchaseOrder, PurchaseOrderLine, PurchaseOrderReceipt, PurchaseOrderReceiptLine, PurchaseOrderStatusChange } from './purchase-order.entity.js';
import { Supplier, SupplierOffer, SupplierStatusChange } from './supplier.entity.js';

export const procurementModule: AppModule = {
  name: 'procurement',
  entities: [Supplier, SupplierStatusChange, SupplierOffer, PurchaseOrder, PurchaseOrderLine, PurchaseOrderStatusChange, PurchaseOrderReceipt, PurchaseOrderReceiptLine],
  resolvers: [SupplierResolver, SupplierOfferResolver, PurchaseOrderResolver, PurchaseOrderLineResolver, PurchaseOrderReceiptResolver, PurchaseOrderReceiptLineResolver, VariantSupplyResolver],
};
