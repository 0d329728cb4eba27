import { createHash } from 'node:crypto';
import { LockMode, UniqueConstraintViolationException, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';
import { viewerMay } from '../../common/auth/access.js';
import { badInput, check, checkId, forbidden, notFound, type ErrorResult } from '../../common/errors.js';
import { recordEvent } from '../../common/events/publish.js';
import { uuidv7 } from '../../common/ids.js';
import { paginate } from '../../common/pagination.js';
import { persistNew } from '../../common/persist.js';
import { inTransaction, rollbackWith } from '../../common/transaction.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { Order, OrderLine } from '../orders/order.entity.js';
import { actorOf } from '../orders/orders.service.js';
import {
  InventoryAlert,
  InventoryAlertStatus,
  ReservationStatus,
  StockLevel,
  StockMovement,
  StockMovementKind,
  StockReservation,
  Warehouse,
} from './inventory.entity.js';
import { IllegalAlertTransitionError, InsufficientStockError, StockChangedError, StockIdempotencyKeyReusedError } from './inventory.errors.js';
import { inventoryAlertLifecycle } from './inventory.lifecycle.js';
import { INVENTORY_ALERT_RAISED, type InventoryAlertRaisedPayload } from './inventory.topics.js';
import type {
  AdjustStockInput,
  CreateWarehouseInput,
  InventoryAlertsArgs,
  ReceiveStockInput,
  SetStockPolicyInput,
  StockLevelsArgs,
  StockMovementsArgs,
  TransferStockInput,
  TransitionInventoryAlertInput,
  WarehousesArgs,
} from './inventory.types.js';
import { queryRows } from '../../common/rows.js';

export const MAX_UNITS = 1_000_000;

/** A stock_level row locked FOR UPDATE in the current transaction. */
interface LockedLevel {
  id: string;
  variantId: string;
  warehouseId: string;
  onHand: number;
  reserved: number;
  reorderPoint: number;
}

const toLocked = (r: any): LockedLevel => ({
  id: r.id,
  variantId: r.variant_id,
  warehouseId: r.warehouse_id,
  onHand: Number(r.on_hand),
  reserved: Number(r.reserved),
  reorderPoint: Number(r.reorder_point),
});

/** Locks (creating it at zero if needed) the stock row of a SKU in a warehouse. */
async function lockLevel(em: EntityManager, variantId: string, warehouseId: string, now: Date): Promise<LockedLevel> {
  await em.execute(
    `INSERT INTO stock_level (id, variant_id, warehouse_id, on_hand, reserved, reorder_point, safety_stock, updated_at)
     VALUES (?, ?, ?, 0, 0, 0, 0, ?) ON CONFLICT ON CONSTRAINT stock_level_variant_warehouse_unique DO NOTHING`,
    [uuidv7(), variantId, warehouseId, now],
  );
  const [row] = await em.execute(
    `SELECT id, variant_id, warehouse_id, on_hand, reserved, reorder_point FROM stock_level WHERE variant_id = ? AND warehouse_id = ? FOR UPDATE`,
    [variantId, warehouseId],
  );
  return toLocked(row);
}

/**
 * Applies a change to a locked row and raises a low-stock alert when available falls to the reorder point.
 * The partial unique index on unresolved alerts makes "raised once" hold even across instances.
 */
async function changeLevel(ctx: Context, em: EntityManager, level: LockedLevel, onHandDelta: number, reservedDelta: number): Promise<void> {
  const before = level.onHand - level.reserved;
  level.onHand += onHandDelta;
  level.reserved += reservedDelta;
  const now = ctx.now();
  await em.execute(`UPDATE stock_level SET on_hand = ?, reserved = ?, updated_at = ? WHERE id = ?`, [level.onHand, level.reserved, now, level.id]);
  const after = level.onHand - level.reserved;
  if (after < before && after <= level.reorderPoint) {
    const id = uuidv7();
    const rows = await em.execute(
      `INSERT INTO inventory_alert (id, variant_id, warehouse_id, status, available_at_raise, reorder_point, raised_at)
       VALUES (?, ?, ?, 'OPEN', ?, ?, ?)
       ON CONFLICT (variant_id, warehouse_id) WHERE status <> 'RESOLVED' DO NOTHING RETURNING id`,
      [id, level.variantId, level.warehouseId, after, level.reorderPoint, now],
    );
    if (rows.length) {
      recordEvent<InventoryAlertRaisedPayload>(em, INVENTORY_ALERT_RAISED, {
        alertId: id,
        variantId: level.variantId,
        warehouseId: level.warehouseId,
        available: after,
        reorderPoint: level.reorderPoint,
        raisedAt: now.toISOString(),
      });
    }
  }
}

function writeMovement(
  ctx: Context,
  em: EntityManager,
  level: LockedLevel,
  m: { quantity: number; kind: StockMovementKind; reference: string; reason?: string | null; idempotencyKey?: string | null; requestHash?: string | null },
): StockMovement {
  const actor = actorOf(ctx);
  return persistNew(em, StockMovement, {
    variant: em.getReference(ProductVariant, level.variantId),
    warehouse: em.getReference(Warehouse, level.warehouseId),
    quantity: m.quantity,
    kind: m.kind,
    reference: m.reference,
    reason: m.reason ?? null,
    actorKind: actor.kind,
    actorId: actor.id,
    idempotencyKey: m.idempotencyKey ?? null,
    requestHash: m.requestHash ?? null,
    at: ctx.now(),
  });
}

export interface StockMovementRequest {
  variantId: string;
  warehouseId: string;
  /** Signed change of on hand. */
  quantity: number;
  kind: 'RECEIPT' | 'RETURN_RESTOCK' | 'ADJUSTMENT' | 'SHIPMENT' | 'TRANSFER_OUT' | 'TRANSFER_IN';
  /** What caused it (PO number, return id…). */
  reference: string;
  reason?: string | null;
}

/**
 * Seam for other modules (procurement receiving, returns restock): records one ledger entry and moves on hand
 * with it, inside the caller's transaction. A decrease below what is reserved refuses with
 * `rollbackWith(InsufficientStockError)`. Returns the row's new figures.
 */
export async function recordStockMovement(ctx: Context, em: EntityManager, req: StockMovementRequest): Promise<{ onHand: number; reserved: number; available: number }> {
  check(Number.isInteger(req.quantity) && req.quantity !== 0 && Math.abs(req.quantity) <= MAX_UNITS, 'quantity', `must be a non-zero integer of at most ${MAX_UNITS} units`);
  const level = await lockLevel(em, req.variantId, req.warehouseId, ctx.now());
  await applyMovement(ctx, em, level, { ...req, kind: req.kind as StockMovementKind });
  return { onHand: level.onHand, reserved: level.reserved, available: level.onHand - level.reserved };
}

async function applyMovement(
  ctx: Context,
  em: EntityManager,
  level: LockedLevel,
  m: { quantity: number; kind: StockMovementKind; reference: string; reason?: string | null; idempotencyKey?: string | null; requestHash?: string | null },
  reservedDelta = 0,
): Promise<void> {
  if (level.onHand + m.quantity < level.reserved + reservedDelta) {
    const variant = await em.findOneOrFail(ProductVariant, { id: level.variantId });
    rollbackWith(InsufficientStockError.create('quantity', level.variantId, variant.sku, -m.quantity, level.onHand - level.reserved));
  }
  writeMovement(ctx, em, level, m);
  await changeLevel(ctx, em, level, m.quantity, reservedDelta);
}

/** Available units per variant, summed over active warehouses (variants without stock get 0). */
const AVAILABLE_SQL = `SELECT sl.variant_id, sum(sl.on_hand - sl.reserved)::int AS available
  FROM stock_level sl JOIN warehouse w ON w.id = sl.warehouse_id
  WHERE w.active AND sl.variant_id = ANY($1) GROUP BY sl.variant_id`;

export async function availableStock(ctx: Context, variantIds: readonly string[]): Promise<Map<string, number>> {
  const result = new Map<string, number>(variantIds.map((id) => [id, 0]));
  if (variantIds.length === 0) return result;
  // Outside a transaction (the read path: Variant.availableQuantity) as a fixed parameterised statement (common/rows.ts).
  const em = ctx.reader;
  const rows = em.getTransactionContext()
    ? await em.execute(
        `SELECT sl.variant_id, sum(sl.on_hand - sl.reserved)::int AS available
         FROM stock_level sl JOIN warehouse w ON w.id = sl.warehouse_id
         WHERE w.active AND sl.variant_id IN (?) GROUP BY sl.variant_id`,
        [[...variantIds]],
      )
    : await queryRows(em, AVAILABLE_SQL, [variantIds]);
  for (const r of rows) result.set(r.variant_id, Number(r.available));
  return result;
}

// ───────────────────────────── warehouses ─────────────────────────────

export async function createWarehouse(ctx: Context, input: CreateWarehouseInput): Promise<Warehouse> {
  const code = input.code.trim();
  check(/^[A-Za-z0-9_-]{1,32}$/.test(code), 'code', 'must be 1 to 32 letters, digits, "-" or "_"');
  check(input.name.trim().length >= 1 && input.name.length <= 200, 'name', 'must be 1 to 200 characters');
  check(input.city.trim().length >= 1 && input.city.length <= 200, 'city', 'must be 1 to 200 characters');
  check(/^[A-Z]{2}$/.test(input.country), 'country', 'must be an ISO 3166-1 alpha-2 code in upper case');
  if (await ctx.em.count(Warehouse, { code })) throw badInput('code', 'is already used by another warehouse');
  const result = await inTransaction(ctx.em, async (em) =>
    persistNew(em, Warehouse, { code, name: input.name.trim(), type: input.type, city: input.city.trim(), country: input.country, active: input.active ?? true, createdAt: ctx.now() }),
  );
  return result as Warehouse;
}

export async function setWarehouseActive(ctx: Context, id: string, active: boolean): Promise<Warehouse> {
  checkId('id', id);
  const result = await inTransaction(ctx.em, async (em) => {
    const w = await em.findOne(Warehouse, { id });
    if (!w) throw notFound('Warehouse', id);
    w.active = active;
    return w;
  });
  return result as Warehouse;
}

export function listWarehouses(ctx: Context, args: WarehousesArgs) {
  const where: FilterQuery<Warehouse> = {};
  if (args.active != null) where.active = args.active;
  return paginate(ctx.em, Warehouse, where, { name: 'CODE', property: 'code', direction: 'ASC', kind: 'string' }, args);
}

// ───────────────────────────── stock levels ─────────────────────────────

async function checkVariantAndWarehouse(ctx: Context, variantId: string, warehouseId: string): Promise<void> {
  checkId('variantId', variantId);
  checkId('warehouseId', warehouseId);
  if (!(await ctx.em.count(ProductVariant, { id: variantId }))) throw badInput('variantId', 'does not match any product variant');
  if (!(await ctx.em.count(Warehouse, { id: warehouseId }))) throw badInput('warehouseId', 'does not match any warehouse');
}

async function levelAfter(em: EntityManager, id: string): Promise<StockLevel> {
  return em.findOneOrFail(StockLevel, { id }, { refresh: true });
}

export async function setStockPolicy(ctx: Context, input: SetStockPolicyInput): Promise<StockLevel> {
  await checkVariantAndWarehouse(ctx, input.variantId, input.warehouseId);
  check(Number.isInteger(input.reorderPoint) && input.reorderPoint >= 0 && input.reorderPoint <= MAX_UNITS, 'reorderPoint', `must be 0 to ${MAX_UNITS}`);
  check(Number.isInteger(input.safetyStock) && input.safetyStock >= 0 && input.safetyStock <= MAX_UNITS, 'safetyStock', `must be 0 to ${MAX_UNITS}`);
  const result = await inTransaction(ctx.em, async (em) => {
    const level = await lockLevel(em, input.variantId, input.warehouseId, ctx.now());
    await em.execute(`UPDATE stock_level SET reorder_point = ?, safety_stock = ?, updated_at = ? WHERE id = ?`, [input.reorderPoint, input.safetyStock, ctx.now(), level.id]);
    return levelAfter(em, level.id);
  });
  return result as StockLevel;
}

const hashOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

/**
 * Runs a keyed stock operation once: a retry with the same key and input answers with the row as it is now,
 * without moving stock again; the same key with other input is refused.
 */
async function once(
  ctx: Context,
  key: string | null | undefined,
  hash: string,
  levelKey: { variantId: string; warehouseId: string },
  fn: (em: EntityManager) => Promise<StockLevel>,
  alsoLock: string[] = [],
): Promise<StockLevel | ErrorResult> {
  if (key != null) check(/^[\x21-\x7e]{8,128}$/.test(key), 'idempotencyKey', 'must be 8 to 128 printable ASCII characters');
  const replay = async (em: EntityManager) => {
    if (key == null) return null;
    const prior = await em.findOne(StockMovement, { idempotencyKey: key });
    if (!prior) return null;
    if (prior.requestHash !== hash) return StockIdempotencyKeyReusedError.create();
    return em.findOneOrFail(StockLevel, { variant: levelKey.variantId, warehouse: levelKey.warehouseId }, { refresh: true });
  };
  try {
    return await inTransaction(ctx.em, async (em) => {
      // Locking first serialises retries of one key on the same row, so the second sees the first's movement.
      // Every row the operation touches is locked here, in (variant, warehouse) order: no deadlocks.
      for (const w of [...new Set([levelKey.warehouseId, ...alsoLock])].sort()) await lockLevel(em, levelKey.variantId, w, ctx.now());
      const prior = await replay(em);
      if (prior) return prior as StockLevel;
      return fn(em);
    });
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException && String(err.message).includes('stock_movement_idempotency_unique')) {
      ctx.em.clear();
      const prior = await replay(ctx.em);
      if (prior) return prior;
    }
    throw err;
  }
}

export async function receiveStock(ctx: Context, input: ReceiveStockInput): Promise<StockLevel | ErrorResult> {
  await checkVariantAndWarehouse(ctx, input.variantId, input.warehouseId);
  check(Number.isInteger(input.quantity) && input.quantity >= 1 && input.quantity <= MAX_UNITS, 'quantity', `must be an integer from 1 to ${MAX_UNITS}`);
  const reference = input.reference.trim();
  check(reference.length >= 1 && reference.length <= 200, 'reference', 'must be 1 to 200 characters');
  const hash = hashOf(['receive', input.variantId, input.warehouseId, input.quantity, reference]);
  return once(ctx, input.idempotencyKey, hash, input, async (em) => {
    const level = await lockLevel(em, input.variantId, input.warehouseId, ctx.now());
    await applyMovement(ctx, em, level, { quantity: input.quantity, kind: StockMovementKind.RECEIPT, reference, idempotencyKey: input.idempotencyKey, requestHash: hash });
    return levelAfter(em, level.id);
  });
}

/**
 * A count correction. Protected against lost updates by compare-and-set (`expectedOnHand` must equal on hand)
 * and/or an idempotency key; at least one is required.
 */
export async function adjustStock(ctx: Context, input: AdjustStockInput): Promise<StockLevel | ErrorResult> {
  await checkVariantAndWarehouse(ctx, input.variantId, input.warehouseId);
  check(Number.isInteger(input.quantityChange) && input.quantityChange !== 0 && Math.abs(input.quantityChange) <= MAX_UNITS, 'quantityChange', `must be a non-zero integer of at most ${MAX_UNITS} units`);
  const reason = input.reason.trim();
  check(reason.length >= 1 && reason.length <= 1000, 'reason', 'must be 1 to 1000 characters');
  check(input.expectedOnHand != null || input.idempotencyKey != null, 'expectedOnHand', 'or idempotencyKey is required, so a retried or concurrent adjustment cannot apply twice');
  if (input.expectedOnHand != null) check(Number.isInteger(input.expectedOnHand) && input.expectedOnHand >= 0, 'expectedOnHand', 'must be a non-negative integer');
  const hash = hashOf(['adjust', input.variantId, input.warehouseId, input.quantityChange, input.expectedOnHand ?? null, reason]);
  return once(ctx, input.idempotencyKey, hash, input, async (em) => {
    const level = await lockLevel(em, input.variantId, input.warehouseId, ctx.now());
    if (input.expectedOnHand != null && input.expectedOnHand !== level.onHand) rollbackWith(StockChangedError.create(input.expectedOnHand, level.onHand));
    await applyMovement(ctx, em, level, {
      quantity: input.quantityChange,
      kind: StockMovementKind.ADJUSTMENT,
      reference: 'adjustment',
      reason,
      idempotencyKey: input.idempotencyKey,
      requestHash: hash,
    });
    return levelAfter(em, level.id);
  });
}

/** Moves units between warehouses at once: TRANSFER_OUT at the source and TRANSFER_IN at the destination, one transaction. */
export async function transferStock(ctx: Context, input: TransferStockInput): Promise<StockLevel | ErrorResult> {
  await checkVariantAndWarehouse(ctx, input.variantId, input.fromWarehouseId);
  checkId('toWarehouseId', input.toWarehouseId);
  check(input.toWarehouseId !== input.fromWarehouseId, 'toWarehouseId', 'must differ from fromWarehouseId');
  const to = await ctx.em.findOne(Warehouse, { id: input.toWarehouseId });
  if (!to) throw badInput('toWarehouseId', 'does not match any warehouse');
  check(to.active, 'toWarehouseId', 'is not an active warehouse');
  check(Number.isInteger(input.quantity) && input.quantity >= 1 && input.quantity <= MAX_UNITS, 'quantity', `must be an integer from 1 to ${MAX_UNITS}`);
  const hash = hashOf(['transfer', input.variantId, input.fromWarehouseId, input.toWarehouseId, input.quantity]);
  return once(ctx, input.idempotencyKey, hash, { variantId: input.variantId, warehouseId: input.fromWarehouseId }, async (em) => {
    const reference = `transfer:${uuidv7()}`;
    // Both rows are already locked by once(), in order; these calls only read them.
    const source = await lockLevel(em, input.variantId, input.fromWarehouseId, ctx.now());
    const target = await lockLevel(em, input.variantId, input.toWarehouseId, ctx.now());
    if (source.onHand - source.reserved < input.quantity) {
      const variant = await em.findOneOrFail(ProductVariant, { id: input.variantId });
      rollbackWith(InsufficientStockError.create('quantity', input.variantId, variant.sku, input.quantity, source.onHand - source.reserved));
    }
    await applyMovement(ctx, em, source, { quantity: -input.quantity, kind: StockMovementKind.TRANSFER_OUT, reference, idempotencyKey: input.idempotencyKey, requestHash: hash });
    await applyMovement(ctx, em, target, { quantity: input.quantity, kind: StockMovementKind.TRANSFER_IN, reference });
    return levelAfter(em, source.id);
  }, [input.toWarehouseId]);
}

export function listStockLevels(ctx: Context, args: StockLevelsArgs) {
  const where: FilterQuery<StockLevel> = {};
  if (args.variantId) {
    checkId('variantId', args.variantId);
    where.variant = args.variantId;
  }
  if (args.warehouseId) {
    checkId('warehouseId', args.warehouseId);
    where.warehouse = args.warehouseId;
  }
  return paginate(ctx.em, StockLevel, where, { name: 'ID', property: 'id', direction: 'ASC', kind: 'string' }, args);
}

export function listStockMovements(ctx: Context, args: StockMovementsArgs) {
  const where: FilterQuery<StockMovement> = {};
  if (args.variantId) {
    checkId('variantId', args.variantId);
    where.variant = args.variantId;
  }
  if (args.warehouseId) {
    checkId('warehouseId', args.warehouseId);
    where.warehouse = args.warehouseId;
  }
  return paginate(ctx.em, StockMovement, where, { name: 'AT', property: 'at', direction: 'DESC', kind: 'date' }, args);
}

// ───────────────────────────── reservations & allocation ─────────────────────────────

interface Candidate extends LockedLevel {
  city: string;
  country: string;
  code: string;
}

const sameText = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();

/**
 * Reserves an order's lines at confirmation. Allocation policy: one warehouse that can serve every line if
 * there is one, preferring the destination city, then the destination country, then warehouse code; otherwise
 * the lines are split over warehouses in that same order. Rows are locked in (variant, warehouse) order, like
 * everywhere in this module, so concurrent stock operations cannot deadlock, and concurrent orders for the last units get exactly what exists and the others
 * `InsufficientStockError`.
 */
export async function reserveForOrder(ctx: Context, em: EntityManager, order: Order): Promise<void> {
  const short = await tryReserveForOrder(ctx, em, order);
  if (short) rollbackWith(short);
}

/** Like reserveForOrder, but answers a shortage instead of rolling back; nothing is written then. */
export async function tryReserveForOrder(ctx: Context, em: EntityManager, order: Order): Promise<InsufficientStockError | null> {
  if (await em.count(StockReservation, { order: order.id, status: ReservationStatus.OPEN })) return null; // resumed from a hold, or reserved already
  const lines = await em.find(OrderLine, { order: order.id }, { orderBy: { position: 'ASC' } });
  if (lines.length === 0) return null;
  const rows = await em.execute(
    `SELECT sl.id, sl.variant_id, sl.warehouse_id, sl.on_hand, sl.reserved, sl.reorder_point, w.city, w.country, w.code
     FROM stock_level sl JOIN warehouse w ON w.id = sl.warehouse_id
     WHERE w.active AND sl.variant_id IN (?) ORDER BY sl.variant_id, sl.warehouse_id FOR UPDATE OF sl`,
    [lines.map((l) => l.variant.id)],
  );
  const dest = order.shippingAddress;
  const rank = (c: { city: string; country: string }) => (sameText(c.city, dest?.city) && sameText(c.country, dest?.country) ? 0 : sameText(c.country, dest?.country) ? 1 : 2);
  const candidates: Candidate[] = rows.map((r: any) => ({ ...toLocked(r), city: r.city, country: r.country, code: r.code }));
  candidates.sort((a, b) => rank(a) - rank(b) || a.code.localeCompare(b.code));
  const warehouses = [...new Set(candidates.map((c) => c.warehouseId))];
  const levelOf = (variantId: string, warehouseId: string) => candidates.find((c) => c.variantId === variantId && c.warehouseId === warehouseId);
  const avail = (l: Candidate | undefined) => (l ? l.onHand - l.reserved : 0);

  const plan: { line: OrderLine; level: Candidate; quantity: number }[] = [];
  const single = warehouses.find((w) => lines.every((l) => avail(levelOf(l.variant.id, w)) >= l.quantity));
  if (single) {
    for (const line of lines) plan.push({ line, level: levelOf(line.variant.id, single)!, quantity: line.quantity });
  } else {
    for (const [i, line] of lines.entries()) {
      let left = line.quantity;
      for (const w of warehouses) {
        const level = levelOf(line.variant.id, w);
        const take = Math.min(left, avail(level));
        if (take <= 0) continue;
        plan.push({ line, level: level!, quantity: take });
        left -= take;
        if (left === 0) break;
      }
      if (left > 0) {
        const total = candidates.filter((c) => c.variantId === line.variant.id).reduce((s, c) => s + avail(c), 0);
        return InsufficientStockError.create(`lines[${i}].quantity`, line.variant.id, line.sku, line.quantity, total);
      }
    }
  }
  const now = ctx.now();
  for (const p of plan) {
    await changeLevel(ctx, em, p.level, 0, p.quantity);
    persistNew(em, StockReservation, {
      order,
      orderLine: p.line,
      variant: em.getReference(ProductVariant, p.level.variantId),
      warehouse: em.getReference(Warehouse, p.level.warehouseId),
      quantity: p.quantity,
      status: ReservationStatus.OPEN,
      createdAt: now,
    });
  }
  return null;
}

async function lockLevelsOf(em: EntityManager, reservations: StockReservation[], now: Date): Promise<Map<string, LockedLevel>> {
  const keys = [...new Set(reservations.map((r) => `${r.variant.id}|${r.warehouse.id}`))].sort();
  const map = new Map<string, LockedLevel>();
  for (const k of keys) {
    const [v, w] = k.split('|') as [string, string];
    map.set(k, await lockLevel(em, v, w, now));
  }
  return map;
}

/** Gives back every open reservation of an order (cancellation). */
export async function releaseForOrder(ctx: Context, em: EntityManager, orderId: string): Promise<void> {
  const open = await em.find(StockReservation, { order: orderId, status: ReservationStatus.OPEN }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'ASC' } });
  const levels = await lockLevelsOf(em, open, ctx.now());
  for (const r of open) {
    await changeLevel(ctx, em, levels.get(`${r.variant.id}|${r.warehouse.id}`)!, 0, -r.quantity);
    r.status = ReservationStatus.RELEASED;
    r.closedAt = ctx.now();
  }
}

/**
 * Ships reserved units: each item consumes open reservations of its order line in that warehouse and writes a
 * SHIPMENT ledger entry. `items` null ships everything still reserved (in any warehouse).
 * Refuses with InsufficientStockError when an item asks for more than is reserved there.
 */
export async function consumeForShipment(
  ctx: Context,
  em: EntityManager,
  order: Order,
  warehouseId: string | null,
  items: { orderLineId: string; quantity: number; field: string }[] | null,
  reference: string,
): Promise<void> {
  const where: FilterQuery<StockReservation> = { order: order.id, status: ReservationStatus.OPEN };
  if (warehouseId) where.warehouse = warehouseId;
  const open = await em.find(StockReservation, where, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'ASC' }, populate: ['orderLine'] });
  const levels = await lockLevelsOf(em, open, ctx.now());
  const wanted = items ?? open.map((r) => ({ orderLineId: r.orderLine.id, quantity: r.quantity, field: 'items' }));
  const now = ctx.now();
  for (const item of wanted) {
    let left = item.quantity;
    for (const r of open.filter((x) => x.orderLine.id === item.orderLineId && x.status === ReservationStatus.OPEN)) {
      const take = Math.min(left, r.quantity);
      const level = levels.get(`${r.variant.id}|${r.warehouse.id}`)!;
      writeMovement(ctx, em, level, { quantity: -take, kind: StockMovementKind.SHIPMENT, reference });
      await changeLevel(ctx, em, level, -take, -take);
      if (take === r.quantity) {
        r.status = ReservationStatus.CONSUMED;
        r.closedAt = now;
      } else {
        // Keep the rest open; the consumed part becomes its own row so every row is wholly one status.
        r.quantity -= take;
        persistNew(em, StockReservation, { order, orderLine: r.orderLine, variant: r.variant, warehouse: r.warehouse, quantity: take, status: ReservationStatus.CONSUMED, createdAt: r.createdAt, closedAt: now });
      }
      left -= take;
      if (left === 0) break;
    }
    if (left > 0) {
      const line = await em.findOneOrFail(OrderLine, { id: item.orderLineId });
      rollbackWith(InsufficientStockError.create(item.field, line.variant.id, line.sku, item.quantity, item.quantity - left));
    }
  }
}

/** How long a held order keeps its stock. */
export const HOLD_RESERVATION_TTL_HOURS = 72;

/** Starts (order put ON_HOLD) or stops (hold lifted) the expiry clock of an order's open reservations. */
export async function setReservationExpiry(ctx: Context, em: EntityManager, orderId: string, held: boolean): Promise<void> {
  const expiresAt = held ? new Date(ctx.now().getTime() + HOLD_RESERVATION_TTL_HOURS * 3_600_000) : null;
  const open = await em.find(StockReservation, { order: orderId, status: ReservationStatus.OPEN });
  for (const r of open) r.expiresAt = expiresAt;
}

/**
 * Releases open reservations past their expiry (orders left on hold too long), by the application clock.
 * Claimed with FOR UPDATE SKIP LOCKED so instances running the job concurrently release each one once.
 */
export async function expireReservations(ctx: Context): Promise<number> {
  const result = await inTransaction(ctx.em, async (em) => {
    const rows = await em.execute(
      `SELECT id FROM stock_reservation WHERE status = 'OPEN' AND expires_at IS NOT NULL AND expires_at <= ? ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED`,
      [ctx.now()],
    );
    if (rows.length === 0) return 0;
    const expired = await em.find(StockReservation, { id: { $in: rows.map((r: any) => r.id) } }, { orderBy: { id: 'ASC' } });
    const levels = await lockLevelsOf(em, expired, ctx.now());
    for (const r of expired) {
      await changeLevel(ctx, em, levels.get(`${r.variant.id}|${r.warehouse.id}`)!, 0, -r.quantity);
      r.status = ReservationStatus.RELEASED;
      r.closedAt = ctx.now();
    }
    return expired.length;
  });
  return result as number;
}

/** Units of each order line still reserved (not yet shipped), by line id. */
export async function openReservedByLine(em: EntityManager, orderId: string): Promise<Map<string, number>> {
  const rows = await em.execute(`SELECT order_line_id, sum(quantity)::int AS q FROM stock_reservation WHERE order_id = ? AND status = 'OPEN' GROUP BY order_line_id`, [orderId]);
  return new Map(rows.map((r: any) => [r.order_line_id, Number(r.q)]));
}

// ───────────────────────────── alerts ─────────────────────────────

export function listInventoryAlerts(ctx: Context, args: InventoryAlertsArgs) {
  const where: FilterQuery<InventoryAlert> = {};
  if (args.status) where.status = { $in: args.status };
  return paginate(ctx.em, InventoryAlert, where, { name: 'RAISED_AT', property: 'raisedAt', direction: 'DESC', kind: 'date' }, args);
}

export async function transitionInventoryAlert(ctx: Context, input: TransitionInventoryAlertInput): Promise<InventoryAlert | ErrorResult> {
  checkId('alertId', input.alertId);
  return inTransaction(ctx.em, async (em) => {
    const alert = await em.findOne(InventoryAlert, { id: input.alertId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!alert) throw notFound('InventoryAlert', input.alertId);
    const rule = inventoryAlertLifecycle.rule(alert.status, input.to);
    if (!rule) rollbackWith(IllegalAlertTransitionError.create(alert.status, input.to));
    if (!viewerMay(ctx.viewer, rule.by)) throw forbidden();
    alert.status = input.to;
    if (input.to === InventoryAlertStatus.ACKNOWLEDGED) alert.acknowledgedAt = ctx.now();
    if (input.to === InventoryAlertStatus.RESOLVED) alert.resolvedAt = ctx.now();
    return alert;
  });
}

// ───────────────────────────── replenishment ─────────────────────────────

export interface ReplenishmentRow {
  variantId: string;
  warehouseId: string;
  available: number;
  unitsShipped: number;
  dailyVelocity: number;
  suggestedQuantity: number;
  leadTimeDays: number;
  supplierId: string | null;
  minimumOrderQuantity: number;
  unitCostAmount: number | null;
  currency: string | null;
}

/**
 * Suggests what to reorder per SKU × warehouse: demand over the lead time plus cover days at the recent daily
 * sales velocity (SHIPMENT movements over `windowDays`), plus safety stock, minus what is available.
 * When the variant has a preferred offer from an APPROVED supplier, that offer's lead time replaces the
 * `leadTimeDays` argument and the quantity is raised to the offer's MOQ; otherwise the argument applies.
 * The supplier_offer table belongs to procurement; it is read here by SQL only so inventory keeps no code
 * dependency on that module. Computed in SQL from the ledger; only positive suggestions are returned.
 */
export async function replenishmentSuggestions(
  ctx: Context,
  args: { warehouseId?: string | null; variantIds?: string[] | null; leadTimeDays: number; coverDays: number; windowDays: number },
): Promise<ReplenishmentRow[]> {
  if (args.warehouseId) checkId('warehouseId', args.warehouseId);
  if (args.variantIds) {
    check(args.variantIds.length > 0 && args.variantIds.length <= 500, 'variantIds', 'must list 1 to 500 variants when given');
    args.variantIds.forEach((id, i) => checkId(`variantIds[${i}]`, id));
  }
  check(Number.isInteger(args.leadTimeDays) && args.leadTimeDays >= 0 && args.leadTimeDays <= 365, 'leadTimeDays', 'must be 0 to 365');
  check(Number.isInteger(args.coverDays) && args.coverDays >= 0 && args.coverDays <= 365, 'coverDays', 'must be 0 to 365');
  check(Number.isInteger(args.windowDays) && args.windowDays >= 1 && args.windowDays <= 365, 'windowDays', 'must be 1 to 365');
  const since = new Date(ctx.now().getTime() - args.windowDays * 86_400_000);
  const rows = await ctx.em.execute(
    `WITH shipped AS (
       SELECT sl.variant_id, sl.warehouse_id, (sl.on_hand - sl.reserved) AS available, sl.safety_stock,
              coalesce(-sum(m.quantity), 0) AS units
       FROM stock_level sl
       JOIN warehouse w ON w.id = sl.warehouse_id AND w.active
       LEFT JOIN stock_movement m ON m.variant_id = sl.variant_id AND m.warehouse_id = sl.warehouse_id AND m.kind = 'SHIPMENT' AND m.at >= ?
       WHERE (?::uuid IS NULL OR sl.warehouse_id = ?::uuid)
         AND (?::text IS NULL OR sl.variant_id = ANY(string_to_array(?::text, ',')::uuid[]))
       GROUP BY sl.id
     ), offered AS (
       SELECT s.*, o.supplier_id, o.unit_cost_amount, o.currency,
              coalesce(o.lead_time_days, ?) AS lead_days, coalesce(o.moq, 1) AS moq
       FROM shipped s
       LEFT JOIN supplier_offer o ON o.variant_id = s.variant_id AND o.preferred
         AND EXISTS (SELECT 1 FROM supplier sup WHERE sup.id = o.supplier_id AND sup.status = 'APPROVED')
     ), suggested AS (
       SELECT *, units::numeric / ? AS velocity,
              ceil(units::numeric / ? * (lead_days + ?))::int + safety_stock - available AS need
       FROM offered
     )
     SELECT variant_id, warehouse_id, available::int, units::int, velocity::float8 AS velocity,
            greatest(need, moq)::int AS quantity, lead_days::int, supplier_id, moq::int, unit_cost_amount, currency
     FROM suggested WHERE need > 0 ORDER BY quantity DESC, variant_id, warehouse_id`,
    [
      since,
      args.warehouseId ?? null,
      args.warehouseId ?? null,
      // Joined into one text parameter: the query builder would expand an array into a list of placeholders.
      args.variantIds?.join(',') ?? null,
      args.variantIds?.join(',') ?? null,
      args.leadTimeDays,
      args.windowDays,
      args.windowDays,
      args.coverDays,
    ],
  );
  return rows.map((r: any) => ({
    variantId: r.variant_id,
    warehouseId: r.warehouse_id,
    available: Number(r.available),
    unitsShipped: Number(r.units),
    dailyVelocity: Number(r.velocity),
    suggestedQuantity: Number(r.quantity),
    leadTimeDays: Number(r.lead_days),
    supplierId: r.supplier_id ?? null,
    minimumOrderQuantity: Number(r.moq),
    unitCostAmount: r.unit_cost_amount == null ? null : Number(r.unit_cost_amount),
    currency: r.currency ?? null,
  }));
}
