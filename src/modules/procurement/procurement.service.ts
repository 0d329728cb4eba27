import { createHash } from 'node:crypto';
import { LockMode, type FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';
import { viewerMay } from '../../common/auth/access.js';
import { badInput, check, checkId, forbidden, notFound, type ErrorResult } from '../../common/errors.js';
import { CURRENCY_RE } from '../../common/money.js';
import { paginate } from '../../common/pagination.js';
import { persistNew } from '../../common/persist.js';
import { inTransaction, rollbackWith } from '../../common/transaction.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { Warehouse } from '../inventory/inventory.entity.js';
import { replenishmentSuggestions } from '../inventory/inventory.service.js';
import { PurchaseOrderStatus, RECEIVING_STATES, SupplierStatus, purchaseOrderLifecycle, supplierLifecycle } from './procurement.lifecycle.js';
import {
  IllegalPurchaseOrderTransitionError,
  IllegalSupplierTransitionError,
  ReceiptIdempotencyKeyReusedError,
  ReceivingExceedsOrderedError,
  ReplenishmentIdempotencyKeyReusedError,
  SupplierNotApprovedError,
} from './procurement.errors.js';
import { procurementHooks } from './procurement.hooks.js';
import { PurchaseOrderByIdLoader, SupplierByIdLoader } from './procurement.loaders.js';
import { PurchaseOrder, PurchaseOrderLine, PurchaseOrderReceipt, PurchaseOrderReceiptLine, PurchaseOrderStatusChange } from './purchase-order.entity.js';
import { Supplier, SupplierOffer, SupplierStatusChange } from './supplier.entity.js';
import {
  SupplierScorecard,
  PurchaseOrdersFromSuggestions,
  type CreatePurchaseOrderInput,
  type CreatePurchaseOrdersFromSuggestionsInput,
  type CreateSupplierInput,
  type PurchaseOrdersArgs,
  type ReceivePurchaseOrderInput,
  type SupplierScorecardArgs,
  type SuppliersArgs,
  type TransitionPurchaseOrderInput,
  type TransitionSupplierInput,
  type UpsertSupplierOfferInput,
} from './procurement.types.js';

const MAX_AMOUNT = 1_000_000_000;
const MAX_QTY = 1_000_000;
const MAX_LINES = 200;
const EMAIL_RE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function actorOf(ctx: Context): { kind: string; id: string | null } {
  const v = ctx.viewer;
  if (v.kind === 'staff') return { kind: 'staff', id: v.userId };
  if (v.kind === 'token') return { kind: 'token', id: v.tokenId };
  return { kind: 'system', id: null };
}

function cleanReason(reason: string | null | undefined): string | null {
  const r = reason?.trim() || null;
  if (r) check(r.length <= 1000, 'reason', 'must be at most 1000 characters');
  return r;
}

export async function createSupplier(ctx: Context, input: CreateSupplierInput): Promise<Supplier> {
  const name = input.name.trim();
  check(name.length > 0 && name.length <= 200, 'name', 'must be 1 to 200 characters');
  check(/^[A-Z]{2}$/.test(input.country), 'country', 'must be a two-letter upper-case ISO 3166-1 code');
  const contacts = input.contacts ?? [];
  check(contacts.length <= 20, 'contacts', 'must contain at most 20 contacts');
  contacts.forEach((c, i) => {
    check(c.name.trim().length > 0 && c.name.length <= 200, `contacts[${i}].name`, 'must be 1 to 200 characters');
    if (c.email != null) check(EMAIL_RE.test(c.email) && c.email.length <= 320, `contacts[${i}].email`, 'must be an e-mail address');
    if (c.phone != null) check(c.phone.length <= 40, `contacts[${i}].phone`, 'must be at most 40 characters');
    if (c.role != null) check(c.role.length <= 100, `contacts[${i}].role`, 'must be at most 100 characters');
  });
  const certifications = input.certifications ?? [];
  check(certifications.length <= 50, 'certifications', 'must contain at most 50 entries');
  certifications.forEach((c, i) => check(c.trim().length > 0 && c.length <= 100, `certifications[${i}]`, 'must be 1 to 100 characters'));
  return ctx.em.transactional(async (em) => {
    const now = ctx.now();
    const supplier = persistNew(em, Supplier, {
      name,
      country: input.country,
      contacts: contacts.map((c) => ({ name: c.name.trim(), email: c.email ?? null, phone: c.phone ?? null, role: c.role ?? null })),
      certifications: certifications.map((c) => c.trim()),
      createdAt: now,
    });
    const actor = actorOf(ctx);
    persistNew(em, SupplierStatusChange, { supplier, fromStatus: null, toStatus: supplier.status, reason: null, actorKind: actor.kind, actorId: actor.id, at: now });
    return supplier;
  });
}

/** The row is locked, so two concurrent moves from the same state cannot both apply. */
export async function transitionSupplier(ctx: Context, input: TransitionSupplierInput): Promise<Supplier | ErrorResult> {
  checkId('supplierId', input.supplierId);
  const reason = cleanReason(input.reason);
  return inTransaction(ctx.em, async (em) => {
    const supplier = await em.findOne(Supplier, { id: input.supplierId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!supplier) throw notFound('Supplier', input.supplierId);
    const from = supplier.status;
    const rule = supplierLifecycle.rule(from, input.to);
    if (!rule) rollbackWith(IllegalSupplierTransitionError.create(from, input.to));
    if (!viewerMay(ctx.viewer, rule.by)) throw forbidden(`Moving a supplier from ${from} to ${input.to} requires one of: ${rule.by.join(', ')}`);
    if (rule.requiresReason && !reason) throw badInput('reason', `is required to move a supplier to ${input.to}`);
    supplier.status = input.to;
    const actor = actorOf(ctx);
    persistNew(em, SupplierStatusChange, { supplier, fromStatus: from, toStatus: input.to, reason, actorKind: actor.kind, actorId: actor.id, at: ctx.now() });
    return supplier;
  });
}

export async function upsertSupplierOffer(ctx: Context, input: UpsertSupplierOfferInput): Promise<SupplierOffer | ErrorResult> {
  checkId('supplierId', input.supplierId);
  checkId('variantId', input.variantId);
  check(Number.isInteger(input.unitCostAmount) && input.unitCostAmount >= 0 && input.unitCostAmount <= MAX_AMOUNT, 'unitCostAmount', `must be an integer from 0 to ${MAX_AMOUNT}`);
  check(CURRENCY_RE.test(input.currency), 'currency', 'must be a three-letter upper-case ISO 4217 code');
  check(Number.isInteger(input.moq) && input.moq >= 1 && input.moq <= MAX_QTY, 'moq', `must be an integer from 1 to ${MAX_QTY}`);
  check(Number.isInteger(input.leadTimeDays) && input.leadTimeDays >= 0 && input.leadTimeDays <= 365, 'leadTimeDays', 'must be an integer from 0 to 365');
  return inTransaction(ctx.em, async (em) => {
    // Locks the supplier so a concurrent block cannot slip between the check and the write.
    const supplier = await em.findOne(Supplier, { id: input.supplierId }, { lockMode: LockMode.PESSIMISTIC_READ });
    if (!supplier) throw badInput('supplierId', 'does not match any supplier');
    if (supplier.status === SupplierStatus.BLOCKED) rollbackWith(SupplierNotApprovedError.create('supplierId', supplier.id, supplier.status));
    if (!(await em.count(ProductVariant, { id: input.variantId }))) throw badInput('variantId', 'does not match any variant');
    if (input.preferred) {
      await em.nativeUpdate(SupplierOffer, { variant: input.variantId, preferred: true, supplier: { $ne: supplier.id } }, { preferred: false });
    }
    let offer = await em.findOne(SupplierOffer, { supplier: supplier.id, variant: input.variantId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!offer) offer = persistNew(em, SupplierOffer, { supplier, variant: em.getReference(ProductVariant, input.variantId) });
    Object.assign(offer, {
      unitCostAmount: input.unitCostAmount,
      currency: input.currency,
      moq: input.moq,
      leadTimeDays: input.leadTimeDays,
      preferred: input.preferred ?? false,
      updatedAt: ctx.now(),
    });
    return offer;
  });
}

export async function getSupplier(ctx: Context, id: string): Promise<Supplier> {
  checkId('id', id);
  const s = await ctx.loader(SupplierByIdLoader).load(id);
  if (!s) throw notFound('Supplier', id);
  return s;
}

export function listSuppliers(ctx: Context, args: SuppliersArgs) {
  const where: FilterQuery<Supplier> = {};
  if (args.status) {
    check(args.status.length > 0, 'status', 'must list at least one status when given');
    where.status = { $in: args.status };
  }
  return paginate(ctx.em, Supplier, where, { name: 'NAME', property: 'name', direction: 'ASC', kind: 'string' }, args);
}

export async function createPurchaseOrder(ctx: Context, input: CreatePurchaseOrderInput): Promise<PurchaseOrder | ErrorResult> {
  checkId('supplierId', input.supplierId);
  check(CURRENCY_RE.test(input.currency), 'currency', 'must be a three-letter upper-case ISO 4217 code');
  check(input.lines.length > 0, 'lines', 'must contain at least one line');
  check(input.lines.length <= MAX_LINES, 'lines', `must contain at most ${MAX_LINES} lines`);
  if (input.note != null) check(input.note.length <= 2000, 'note', 'must be at most 2000 characters');
  const seen = new Set<string>();
  input.lines.forEach((l, i) => {
    checkId(`lines[${i}].variantId`, l.variantId);
    check(!seen.has(l.variantId), `lines[${i}].variantId`, 'is repeated in this order');
    seen.add(l.variantId);
    check(Number.isInteger(l.quantity) && l.quantity >= 1 && l.quantity <= MAX_QTY, `lines[${i}].quantity`, `must be an integer from 1 to ${MAX_QTY}`);
    check(Number.isInteger(l.unitCostAmount) && l.unitCostAmount >= 0 && l.unitCostAmount <= MAX_AMOUNT, `lines[${i}].unitCostAmount`, `must be an integer from 0 to ${MAX_AMOUNT}`);
  });
  return inTransaction(ctx.em, async (em) => {
    // A shared lock: a concurrent suspension waits for this order to commit (or this order sees the suspension).
    const supplier = await em.findOne(Supplier, { id: input.supplierId }, { lockMode: LockMode.PESSIMISTIC_READ });
    if (!supplier) throw badInput('supplierId', 'does not match any supplier');
    if (supplier.status !== SupplierStatus.APPROVED) rollbackWith(SupplierNotApprovedError.create('supplierId', supplier.id, supplier.status));
    const variants = await em.find(ProductVariant, { id: { $in: [...seen] } }, { fields: ['id'] });
    const known = new Set(variants.map((v) => v.id));
    input.lines.forEach((l, i) => check(known.has(l.variantId), `lines[${i}].variantId`, 'does not match any variant'));
    const now = ctx.now();
    const po = persistNew(em, PurchaseOrder, { supplier, currency: input.currency, expectedAt: input.expectedAt, note: input.note ?? null, createdAt: now, updatedAt: now });
    input.lines.forEach((l, position) =>
      persistNew(em, PurchaseOrderLine, {
        purchaseOrder: po,
        variant: em.getReference(ProductVariant, l.variantId),
        position,
        quantity: l.quantity,
        unitCostAmount: l.unitCostAmount,
        currency: input.currency,
      }),
    );
    const actor = actorOf(ctx);
    persistNew(em, PurchaseOrderStatusChange, { purchaseOrder: po, fromStatus: null, toStatus: po.status, reason: null, actorKind: actor.kind, actorId: actor.id, at: now });
    return po;
  });
}

export async function transitionPurchaseOrder(ctx: Context, input: TransitionPurchaseOrderInput): Promise<PurchaseOrder | ErrorResult> {
  checkId('purchaseOrderId', input.purchaseOrderId);
  const reason = cleanReason(input.reason);
  check(!RECEIVING_STATES.includes(input.to), 'to', 'PARTIALLY_RECEIVED and RECEIVED are reached by receivePurchaseOrder');
  return inTransaction(ctx.em, async (em) => {
    const po = await em.findOne(PurchaseOrder, { id: input.purchaseOrderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!po) throw notFound('PurchaseOrder', input.purchaseOrderId);
    const from = po.status;
    const rule = purchaseOrderLifecycle.rule(from, input.to);
    if (!rule) rollbackWith(IllegalPurchaseOrderTransitionError.create(from, input.to));
    if (!viewerMay(ctx.viewer, rule.by)) throw forbidden(`Moving a purchase order from ${from} to ${input.to} requires one of: ${rule.by.join(', ')}`);
    if (rule.requiresReason && !reason) throw badInput('reason', `is required to move a purchase order to ${input.to}`);
    const now = ctx.now();
    if (input.to === PurchaseOrderStatus.SUBMITTED) {
      // Submitting is when the supplier gets the order: refuse if it was suspended or blocked since the draft.
      const supplier = await em.findOneOrFail(Supplier, { id: po.supplier.id }, { lockMode: LockMode.PESSIMISTIC_READ });
      if (supplier.status !== SupplierStatus.APPROVED) rollbackWith(SupplierNotApprovedError.create('purchaseOrderId', supplier.id, supplier.status));
      po.submittedAt = now;
    }
    po.status = input.to;
    po.updatedAt = now;
    const actor = actorOf(ctx);
    persistNew(em, PurchaseOrderStatusChange, { purchaseOrder: po, fromStatus: from, toStatus: input.to, reason, actorKind: actor.kind, actorId: actor.id, at: now });
    return po;
  });
}

function receiptHash(input: ReceivePurchaseOrderInput): string {
  const lines = [...input.lines].sort((a, b) => a.lineId.localeCompare(b.lineId)).map((l) => [l.lineId, l.acceptedQuantity, l.rejectedQuantity]);
  return createHash('sha256').update(JSON.stringify([input.warehouseId, lines])).digest('hex');
}

/**
 * Receives a delivery. The purchase order row is locked for the whole transaction, so concurrent deliveries
 * are applied one after the other against up-to-date open quantities and can never exceed what was ordered.
 */
export async function receivePurchaseOrder(ctx: Context, input: ReceivePurchaseOrderInput): Promise<PurchaseOrder | ErrorResult> {
  checkId('purchaseOrderId', input.purchaseOrderId);
  checkId('warehouseId', input.warehouseId);
  const key = input.idempotencyKey.trim();
  check(key.length > 0 && key.length <= 200, 'idempotencyKey', 'must be 1 to 200 characters');
  check(input.lines.length > 0, 'lines', 'must contain at least one line');
  check(input.lines.length <= MAX_LINES, 'lines', `must contain at most ${MAX_LINES} lines`);
  const seen = new Set<string>();
  input.lines.forEach((l, i) => {
    checkId(`lines[${i}].lineId`, l.lineId);
    check(!seen.has(l.lineId), `lines[${i}].lineId`, 'is repeated in this receipt');
    seen.add(l.lineId);
    check(Number.isInteger(l.acceptedQuantity) && l.acceptedQuantity >= 0 && l.acceptedQuantity <= MAX_QTY, `lines[${i}].acceptedQuantity`, `must be an integer from 0 to ${MAX_QTY}`);
    check(Number.isInteger(l.rejectedQuantity) && l.rejectedQuantity >= 0 && l.rejectedQuantity <= MAX_QTY, `lines[${i}].rejectedQuantity`, `must be an integer from 0 to ${MAX_QTY}`);
    check(l.acceptedQuantity + l.rejectedQuantity > 0, `lines[${i}].acceptedQuantity`, 'accepted + rejected must be at least 1');
  });
  const hash = receiptHash(input);
  return inTransaction(ctx.em, async (em) => {
    const po = await em.findOne(PurchaseOrder, { id: input.purchaseOrderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!po) throw notFound('PurchaseOrder', input.purchaseOrderId);
    const prior = await em.findOne(PurchaseOrderReceipt, { purchaseOrder: po.id, idempotencyKey: key });
    if (prior) {
      if (prior.requestHash !== hash) rollbackWith(ReceiptIdempotencyKeyReusedError.create());
      return po;
    }
    if (po.status !== PurchaseOrderStatus.CONFIRMED && po.status !== PurchaseOrderStatus.PARTIALLY_RECEIVED) {
      rollbackWith(IllegalPurchaseOrderTransitionError.create(po.status, PurchaseOrderStatus.RECEIVED, 'purchaseOrderId'));
    }
    const lines = await em.find(PurchaseOrderLine, { purchaseOrder: po.id }, { orderBy: { position: 'ASC' } });
    const byId = new Map(lines.map((l) => [l.id, l]));
    input.lines.forEach((l, i) => check(byId.has(l.lineId), `lines[${i}].lineId`, 'is not a line of this purchase order'));
    for (const [i, l] of input.lines.entries()) {
      const line = byId.get(l.lineId)!;
      const requested = l.acceptedQuantity + l.rejectedQuantity;
      if (requested > line.openQuantity) rollbackWith(ReceivingExceedsOrderedError.create(`lines[${i}].acceptedQuantity`, line.id, line.openQuantity, requested));
    }
    for (const l of input.lines) {
      const line = byId.get(l.lineId)!;
      line.acceptedQuantity += l.acceptedQuantity;
      line.rejectedQuantity += l.rejectedQuantity;
    }
    const from = po.status;
    const to = lines.every((l) => l.openQuantity === 0) ? PurchaseOrderStatus.RECEIVED : PurchaseOrderStatus.PARTIALLY_RECEIVED;
    const now = ctx.now();
    const receipt = persistNew(em, PurchaseOrderReceipt, { purchaseOrder: po, warehouseId: input.warehouseId, receivedAt: now, idempotencyKey: key, requestHash: hash });
    for (const l of input.lines) {
      persistNew(em, PurchaseOrderReceiptLine, { receipt, line: byId.get(l.lineId)!, acceptedQuantity: l.acceptedQuantity, rejectedQuantity: l.rejectedQuantity });
    }
    if (from !== to) {
      const actor = actorOf(ctx);
      persistNew(em, PurchaseOrderStatusChange, { purchaseOrder: po, fromStatus: from, toStatus: to, reason: null, actorKind: actor.kind, actorId: actor.id, at: now });
    }
    po.status = to;
    po.updatedAt = now;
    const goods = {
      purchaseOrderId: po.id,
      receiptId: receipt.id,
      warehouseId: input.warehouseId,
      lines: input.lines.map((l) => {
        const line = byId.get(l.lineId)!;
        return { variantId: line.variant.id, acceptedQuantity: l.acceptedQuantity, rejectedQuantity: l.rejectedQuantity, unitCostAmount: line.unitCostAmount, currency: line.currency };
      }),
    };
    // Flush first so the hooks (stock ledger) can reference the receipt rows in SQL.
    await em.flush();
    for (const hook of procurementHooks.receivedHooks()) await hook(ctx, em, goods);
    return po;
  });
}

export async function getPurchaseOrder(ctx: Context, id: string): Promise<PurchaseOrder> {
  checkId('id', id);
  const po = await ctx.loader(PurchaseOrderByIdLoader).load(id);
  if (!po) throw notFound('PurchaseOrder', id);
  return po;
}

const OPEN_STATES = [PurchaseOrderStatus.SUBMITTED, PurchaseOrderStatus.CONFIRMED, PurchaseOrderStatus.PARTIALLY_RECEIVED];

export function listPurchaseOrders(ctx: Context, args: PurchaseOrdersArgs) {
  const f = args.filter ?? {};
  const and: FilterQuery<PurchaseOrder>[] = [];
  if (f.status) {
    check(f.status.length > 0, 'filter.status', 'must list at least one status when given');
    and.push({ status: { $in: f.status } });
  }
  if (f.supplierId) {
    checkId('filter.supplierId', f.supplierId);
    and.push({ supplier: f.supplierId });
  }
  if (f.late) and.push({ status: { $in: OPEN_STATES }, expectedAt: { $lt: ctx.now() } });
  return paginate(ctx.em, PurchaseOrder, and.length ? { $and: and } : {}, { name: 'EXPECTED_AT', property: 'expectedAt', direction: 'ASC', kind: 'date' }, args);
}

/** Every figure is one SQL aggregate over the supplier's real purchase order lines and receipts. */
export async function supplierScorecard(ctx: Context, args: SupplierScorecardArgs): Promise<SupplierScorecard> {
  checkId('supplierId', args.supplierId);
  check(args.from < args.to, 'to', 'must be after from');
  await getSupplier(ctx, args.supplierId);
  const params = [args.supplierId, args.from, args.to];
  const scope = `po.supplier_id = ? AND po.submitted_at >= ? AND po.submitted_at < ? AND po.status <> 'CANCELLED'`;
  const [units] = await ctx.em.execute(
    `SELECT count(DISTINCT po.id)::int AS orders,
            coalesce(sum(l.quantity), 0)::bigint AS ordered,
            coalesce(sum(l.accepted_quantity), 0)::bigint AS accepted,
            coalesce(sum(l.rejected_quantity), 0)::bigint AS rejected
       FROM purchase_order po JOIN purchase_order_line l ON l.purchase_order_id = po.id
      WHERE ${scope}`,
    params,
  );
  const [deliveries] = await ctx.em.execute(
    `SELECT count(*)::int AS receipts,
            count(*) FILTER (WHERE r.received_at <= po.expected_at)::int AS on_time,
            avg(extract(epoch FROM r.received_at - po.submitted_at) / 86400.0)::float8 AS lead_days
       FROM purchase_order po JOIN purchase_order_receipt r ON r.purchase_order_id = po.id
      WHERE ${scope}`,
    params,
  );
  const ordered = Number(units.ordered);
  const accepted = Number(units.accepted);
  const rejected = Number(units.rejected);
  const receipts = Number(deliveries.receipts);
  return Object.assign(new SupplierScorecard(), {
    supplierId: args.supplierId,
    from: args.from,
    to: args.to,
    purchaseOrderCount: Number(units.orders),
    receiptCount: receipts,
    onTimeDeliveryRate: receipts ? Number(deliveries.on_time) / receipts : null,
    fillRate: ordered ? accepted / ordered : null,
    defectRate: accepted + rejected ? rejected / (accepted + rejected) : null,
    averageLeadTimeDays: receipts ? Number(deliveries.lead_days) : null,
  });
}

/**
 * Drafts purchase orders from the warehouse's replenishment suggestions: one DRAFT order per preferred
 * supplier and offer currency, each line the suggested quantity (already raised to the MOQ) at the offer's
 * unit cost, expected after the longest lead time among its lines. Suggestions without a preferred offer
 * from an approved supplier are reported, not ordered. Retries with the same key return the first run's orders.
 */
export async function createPurchaseOrdersFromSuggestions(
  ctx: Context,
  input: CreatePurchaseOrdersFromSuggestionsInput,
): Promise<PurchaseOrdersFromSuggestions | ErrorResult> {
  checkId('warehouseId', input.warehouseId);
  const key = input.idempotencyKey.trim();
  check(key.length > 0 && key.length <= 200, 'idempotencyKey', 'must be 1 to 200 characters');
  const variantIds = input.variantIds ? [...new Set(input.variantIds)].sort() : null;
  const hash = createHash('sha256')
    .update(JSON.stringify([input.warehouseId, variantIds, input.coverDays, input.windowDays, input.leadTimeDays]))
    .digest('hex');
  const suggest = () =>
    replenishmentSuggestions(ctx, {
      warehouseId: input.warehouseId,
      variantIds,
      leadTimeDays: input.leadTimeDays,
      coverDays: input.coverDays,
      windowDays: input.windowDays,
    });
  return inTransaction(ctx.em, async (em) => {
    // Serialises runs with the same key, so two concurrent retries cannot both draft orders.
    await em.execute('SELECT pg_advisory_xact_lock(hashtext(?))', [`po-replenishment:${key}`]);
    const prior = await em.find(PurchaseOrder, { replenishmentKey: key }, { orderBy: { id: 'ASC' } });
    if (prior.length > 0) {
      if (prior[0]!.replenishmentHash !== hash) rollbackWith(ReplenishmentIdempotencyKeyReusedError.create());
      const rows = await suggest();
      return Object.assign(new PurchaseOrdersFromSuggestions(), { purchaseOrders: prior, unassignedVariantIds: rows.filter((r) => !r.supplierId).map((r) => r.variantId) });
    }
    const warehouse = await em.findOne(Warehouse, { id: input.warehouseId });
    if (!warehouse || !warehouse.active) throw badInput('warehouseId', 'does not match any active warehouse');
    const rows = await suggest();
    const unassigned = rows.filter((r) => !r.supplierId).map((r) => r.variantId);
    const groups = new Map<string, typeof rows>();
    for (const r of rows) {
      if (!r.supplierId) continue;
      const g = `${r.supplierId}:${r.currency}`;
      groups.set(g, [...(groups.get(g) ?? []), r]);
    }
    const now = ctx.now();
    const actor = actorOf(ctx);
    const created: PurchaseOrder[] = [];
    for (const lines of groups.values()) {
      // A shared lock, as in createPurchaseOrder: a concurrent suspension waits for this draft or is seen by it.
      const supplier = await em.findOne(Supplier, { id: lines[0]!.supplierId! }, { lockMode: LockMode.PESSIMISTIC_READ });
      if (!supplier || supplier.status !== SupplierStatus.APPROVED) {
        unassigned.push(...lines.map((l) => l.variantId));
        continue;
      }
      lines.sort((a, b) => (a.variantId < b.variantId ? -1 : 1));
      const leadDays = Math.max(...lines.map((l) => l.leadTimeDays));
      const po = persistNew(em, PurchaseOrder, {
        supplier,
        currency: lines[0]!.currency!,
        expectedAt: new Date(now.getTime() + leadDays * 86_400_000),
        note: `Drafted from replenishment suggestions for warehouse ${input.warehouseId}`,
        createdAt: now,
        updatedAt: now,
        replenishmentKey: key,
        replenishmentHash: hash,
      });
      lines.forEach((l, position) =>
        persistNew(em, PurchaseOrderLine, {
          purchaseOrder: po,
          variant: em.getReference(ProductVariant, l.variantId),
          position,
          quantity: l.suggestedQuantity,
          unitCostAmount: l.unitCostAmount!,
          currency: l.currency!,
        }),
      );
      persistNew(em, PurchaseOrderStatusChange, { purchaseOrder: po, fromStatus: null, toStatus: po.status, reason: null, actorKind: actor.kind, actorId: actor.id, at: now });
      created.push(po);
    }
    created.sort((a, b) => (a.id < b.id ? -1 : 1));
    return Object.assign(new PurchaseOrdersFromSuggestions(), { purchaseOrders: created, unassignedVariantIds: unassigned.sort() });
  });
}
