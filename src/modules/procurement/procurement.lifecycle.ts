import { registerEnumType } from 'type-graphql';
import { Role } from '../../common/auth/roles.js';
import { Lifecycle } from '../../common/lifecycle.js';

export enum SupplierStatus {
  PROSPECT = 'PROSPECT',
  APPROVED = 'APPROVED',
  SUSPENDED = 'SUSPENDED',
  BLOCKED = 'BLOCKED',
}
registerEnumType(SupplierStatus, {
  name: 'SupplierStatus',
  description: 'Where a supplier is in its lifecycle. Only APPROVED suppliers get new purchase orders. `Supplier.nextStates` lists the allowed moves.',
  valuesConfig: {
    PROSPECT: { description: 'Being evaluated; no purchase orders yet.' },
    APPROVED: { description: 'May receive purchase orders.' },
    SUSPENDED: { description: 'Temporarily barred from new purchase orders (quality or delivery problems); may be approved again.' },
    BLOCKED: { description: 'Barred from new purchase orders; only a fresh evaluation (back to PROSPECT) reopens it.' },
  },
});

export enum PurchaseOrderStatus {
  DRAFT = 'DRAFT',
  SUBMITTED = 'SUBMITTED',
  CONFIRMED = 'CONFIRMED',
  PARTIALLY_RECEIVED = 'PARTIALLY_RECEIVED',
  RECEIVED = 'RECEIVED',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
}
registerEnumType(PurchaseOrderStatus, {
  name: 'PurchaseOrderStatus',
  description: 'Where a purchase order is in its lifecycle. PARTIALLY_RECEIVED and RECEIVED are reached only by receivePurchaseOrder.',
  valuesConfig: {
    DRAFT: { description: 'Being prepared; lines can still change.' },
    SUBMITTED: { description: 'Sent to the supplier.' },
    CONFIRMED: { description: 'Confirmed by the supplier; goods can be received.' },
    PARTIALLY_RECEIVED: { description: 'Some but not all ordered units were received.' },
    RECEIVED: { description: 'Every ordered unit was received (accepted or rejected).' },
    CLOSED: { description: 'Settled; no further receiving. A partially received order can be short-closed with a reason.' },
    CANCELLED: { description: 'Cancelled before any goods arrived; terminal.' },
  },
});

const SUPPLIER_WRITERS = [Role.OPERATIONS, Role.MERCHANDISING] as const;
const PO_WRITERS = [Role.OPERATIONS] as const;

/** Suspending and blocking need a reason so the history explains why a supplier stopped getting orders. */
export const supplierLifecycle = new Lifecycle<SupplierStatus>('Supplier', {
  PROSPECT: { APPROVED: { by: SUPPLIER_WRITERS }, BLOCKED: { by: SUPPLIER_WRITERS, requiresReason: true } },
  APPROVED: { SUSPENDED: { by: SUPPLIER_WRITERS, requiresReason: true }, BLOCKED: { by: SUPPLIER_WRITERS, requiresReason: true } },
  SUSPENDED: { APPROVED: { by: SUPPLIER_WRITERS }, BLOCKED: { by: SUPPLIER_WRITERS, requiresReason: true } },
  BLOCKED: { PROSPECT: { by: SUPPLIER_WRITERS, requiresReason: true } },
});

/** States that only receiving may enter; transitionPurchaseOrder refuses them as targets. */
export const RECEIVING_STATES: readonly PurchaseOrderStatus[] = [PurchaseOrderStatus.PARTIALLY_RECEIVED, PurchaseOrderStatus.RECEIVED];

export const purchaseOrderLifecycle = new Lifecycle<PurchaseOrderStatus>('PurchaseOrder', {
  DRAFT: { SUBMITTED: { by: PO_WRITERS }, CANCELLED: { by: PO_WRITERS, requiresReason: true } },
  SUBMITTED: { CONFIRMED: { by: PO_WRITERS }, CANCELLED: { by: PO_WRITERS, requiresReason: true } },
  CONFIRMED: {
    PARTIALLY_RECEIVED: { by: PO_WRITERS },
    RECEIVED: { by: PO_WRITERS },
    CANCELLED: { by: PO_WRITERS, requiresReason: true },
  },
  PARTIALLY_RECEIVED: { RECEIVED: { by: PO_WRITERS }, CLOSED: { by: PO_WRITERS, requiresReason: true } },
  RECEIVED: { CLOSED: { by: PO_WRITERS } },
  CLOSED: {},
  CANCELLED: {},
});
