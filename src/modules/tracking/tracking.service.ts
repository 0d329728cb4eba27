import { createHash, randomBytes } from 'node:crypto';
import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import { Context, type AppServices } from '../../common/context.js';
import { ANONYMOUS } from '../../common/auth/viewer.js';
import { customerIdOf } from '../../common/auth/viewer.js';
import { badInput, check, checkId, notFound, type ErrorResult } from '../../common/errors.js';
import { recordEvent } from '../../common/events/publish.js';
import { uuidv7 } from '../../common/ids.js';
import { paginate } from '../../common/pagination.js';
import { persistNew } from '../../common/persist.js';
import { inTransaction, rollbackWith } from '../../common/transaction.js';
import { Order, OrderLine } from '../orders/order.entity.js';
import { OrderStatus } from '../orders/order.lifecycle.js';
import { applyOrderTransition } from '../orders/orders.service.js';
import { Warehouse } from '../inventory/inventory.entity.js';
import { consumeForShipment, openReservedByLine } from '../inventory/inventory.service.js';
import { Carrier, ShippingService } from '../shipping/shipping.entity.js';
import { Shipment, ShipmentItem, ShipmentStatus } from './tracking.entity.js';
import { ShipmentIdempotencyKeyReusedError, ShipmentNotAllowedError } from './tracking.errors.js';
import { trackingHooks, type ShipmentFlagReason } from './tracking.hooks.js';
import { SHIPMENT_TRACKING_UPDATED, type ShipmentTrackingUpdatedPayload } from './tracking.topics.js';
import type { CreateShipmentInput, IngestTrackingEventsInput, IngestTrackingResult, ShipmentsArgs } from './tracking.types.js';

/** A shipment not scanned for this long is flagged by the stale-shipments job. */
export const STALE_SCAN_HOURS = 48;
export const MAX_INGEST_BATCH = 500;

/** Position on the normal path; side statuses (EXCEPTION, DELAYED) have none. */
const PROGRESS: Partial<Record<ShipmentStatus, number>> = {
  LABEL_CREATED: 0,
  PICKED_UP: 1,
  IN_TRANSIT: 2,
  OUT_FOR_DELIVERY: 3,
  DELIVERED: 4,
  RETURNED_TO_SENDER: 4,
};
const FINAL = new Set<ShipmentStatus>([ShipmentStatus.DELIVERED, ShipmentStatus.RETURNED_TO_SENDER]);

function trackingEvent(shipment: Shipment, order: { id: string; customerId: string }, eventStatus: ShipmentStatus, location: string | null, at: Date): ShipmentTrackingUpdatedPayload {
  return {
    shipmentId: shipment.id,
    orderId: order.id,
    customerId: order.customerId,
    trackingNumber: shipment.trackingNumber,
    eventStatus,
    shipmentStatus: shipment.status,
    location,
    occurredAt: at.toISOString(),
  };
}

/**
 * Ships (part of) an order from one warehouse: consumes its reservations there (SHIPMENT ledger entries), and moves
 * the order to PARTIALLY_SHIPPED, or SHIPPED once nothing is left to ship.
 */
export async function createShipment(ctx: Context, input: CreateShipmentInput): Promise<Shipment | ErrorResult> {
  checkId('orderId', input.orderId);
  checkId('warehouseId', input.warehouseId);
  if (input.serviceId) checkId('serviceId', input.serviceId);
  if (input.trackingNumber != null) check(/^[A-Za-z0-9-]{4,64}$/.test(input.trackingNumber), 'trackingNumber', 'must be 4 to 64 letters, digits or "-"');
  const items = input.items ?? null;
  if (items) {
    check(items.length >= 1 && items.length <= 100, 'items', 'must list 1 to 100 items when given');
    const seen = new Set<string>();
    items.forEach((it, i) => {
      checkId(`items[${i}].orderLineId`, it.orderLineId);
      check(!seen.has(it.orderLineId), `items[${i}].orderLineId`, 'appears twice');
      seen.add(it.orderLineId);
      check(Number.isInteger(it.quantity) && it.quantity >= 1, `items[${i}].quantity`, 'must be a positive integer');
    });
  }
  if (input.idempotencyKey != null) check(/^[\x21-\x7e]{8,128}$/.test(input.idempotencyKey), 'idempotencyKey', 'must be 8 to 128 printable ASCII characters');
  const { idempotencyKey: _key, ...rest } = input;
  const hash = createHash('sha256').update(JSON.stringify(rest)).digest('hex');
  return inTransaction(ctx.em, async (em) => {
    const order = await em.findOne(Order, { id: input.orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!order) throw notFound('Order', input.orderId);
    // The order lock serialises retries, so a retry sees the shipment its first attempt created.
    if (input.idempotencyKey) {
      const prior = await em.findOne(Shipment, { idempotencyKey: input.idempotencyKey });
      if (prior) {
        if (prior.requestHash !== hash) rollbackWith(ShipmentIdempotencyKeyReusedError.create());
        return prior;
      }
    }
    if (order.status !== OrderStatus.PROCESSING && order.status !== OrderStatus.PARTIALLY_SHIPPED) rollbackWith(ShipmentNotAllowedError.create(order.status));
    const warehouse = await em.findOne(Warehouse, { id: input.warehouseId });
    if (!warehouse) throw badInput('warehouseId', 'does not match any warehouse');
    const serviceId = input.serviceId ?? order.shippingService?.id;
    if (!serviceId) throw badInput('serviceId', 'is required: the order has no chosen shipping service');
    const service = await em.findOne(ShippingService, { id: serviceId });
    if (!service) throw badInput('serviceId', 'does not match any shipping service');
    if (items) {
      const lines = await em.find(OrderLine, { id: { $in: items.map((i) => i.orderLineId) }, order: order.id });
      items.forEach((it, i) => check(lines.some((l) => l.id === it.orderLineId), `items[${i}].orderLineId`, 'is not a line of this order'));
    }
    if (input.trackingNumber && (await em.count(Shipment, { carrier: service.carrier.id, trackingNumber: input.trackingNumber }))) {
      throw badInput('trackingNumber', 'is already used by another shipment of this carrier');
    }
    const now = ctx.now();
    const shipment = persistNew(em, Shipment, {
      order,
      warehouse,
      service,
      carrier: em.getReference(Carrier, service.carrier.id),
      trackingNumber: input.trackingNumber ?? `T${randomBytes(8).toString('hex').toUpperCase()}`,
      status: ShipmentStatus.LABEL_CREATED,
      statusAt: now,
      lastScanAt: now,
      createdAt: now,
      idempotencyKey: input.idempotencyKey ?? null,
      requestHash: hash,
    });
    const before = await openReservedByLine(em, order.id);
    await consumeForShipment(
      ctx,
      em,
      order,
      warehouse.id,
      items?.map((it, i) => ({ orderLineId: it.orderLineId, quantity: it.quantity, field: `items[${i}].quantity` })) ?? null,
      `shipment:${shipment.id}`,
    );
    await em.flush(); // the reservation changes above must be visible to the SQL below
    const after = await openReservedByLine(em, order.id);
    let shippedAny = false;
    for (const [lineId, q] of before) {
      const shipped = q - (after.get(lineId) ?? 0);
      if (shipped > 0) {
        shippedAny = true;
        persistNew(em, ShipmentItem, { shipment, orderLine: em.getReference(OrderLine, lineId), quantity: shipped });
      }
    }
    if (!shippedAny) throw badInput('warehouseId', 'nothing of this order is reserved in this warehouse');
    const next = after.size === 0 ? OrderStatus.SHIPPED : OrderStatus.PARTIALLY_SHIPPED;
    if (order.status !== next) await applyOrderTransition(ctx, em, order, next, `shipment ${shipment.trackingNumber}`, { system: true });
    recordEvent(em, SHIPMENT_TRACKING_UPDATED, trackingEvent(shipment, { id: order.id, customerId: order.customer.id }, ShipmentStatus.LABEL_CREATED, warehouse.city, now));
    return shipment;
  });
}

async function flag(ctx: Context, em: EntityManager, shipment: Shipment, reason: ShipmentFlagReason, detail: string): Promise<void> {
  shipment.flaggedAt = ctx.now();
  shipment.flagReason = `${reason}: ${detail}`;
  for (const hook of trackingHooks.exceptionHooks()) await hook(ctx, em, shipment, reason, detail);
}

/**
 * Stores carrier scans once per carrier event id (multi-row INSERT … ON CONFLICT DO NOTHING) and advances the
 * shipments they belong to. A scan older than the one behind the current status, or one that would move the
 * shipment back along its path, is kept in the history but does not change the status.
 */
export async function ingestTrackingEvents(ctx: Context, input: IngestTrackingEventsInput): Promise<IngestTrackingResult> {
  check(input.events.length >= 1 && input.events.length <= MAX_INGEST_BATCH, 'events', `must contain 1 to ${MAX_INGEST_BATCH} events`);
  const seenIds = new Set<string>();
  input.events.forEach((e, i) => {
    check(e.carrierEventId.length >= 1 && e.carrierEventId.length <= 200, `events[${i}].carrierEventId`, 'must be 1 to 200 characters');
    check(!seenIds.has(e.carrierEventId), `events[${i}].carrierEventId`, 'appears twice in this batch');
    seenIds.add(e.carrierEventId);
    check(e.trackingNumber.length >= 1 && e.trackingNumber.length <= 64, `events[${i}].trackingNumber`, 'must be 1 to 64 characters');
    check(e.rawCode.length >= 1 && e.rawCode.length <= 100, `events[${i}].rawCode`, 'must be 1 to 100 characters');
    if (e.location != null) check(e.location.length <= 200, `events[${i}].location`, 'must be at most 200 characters');
    if (e.description != null) check(e.description.length <= 1000, `events[${i}].description`, 'must be at most 1000 characters');
  });
  const carrier = await ctx.em.findOne(Carrier, { code: input.carrierCode });
  if (!carrier) throw badInput('carrierCode', 'does not match any carrier');
  const result = await inTransaction(ctx.em, async (em) => {
    const numbers = [...new Set(input.events.map((e) => e.trackingNumber))];
    // Locked in id order: two batches touching the same shipments cannot deadlock.
    const shipments = await em.find(Shipment, { carrier: carrier.id, trackingNumber: { $in: numbers } }, { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: 'ASC' } });
    const byNumber = new Map(shipments.map((s) => [s.trackingNumber, s]));
    const known = input.events.filter((e) => byNumber.has(e.trackingNumber));
    const unknownTrackingNumbers = numbers.filter((n) => !byNumber.has(n));
    if (known.length === 0) return { accepted: 0, duplicates: 0, unknownTrackingNumbers };
    const now = ctx.now();
    const values: unknown[] = [];
    const rows = known.map((e) => {
      values.push(uuidv7(), byNumber.get(e.trackingNumber)!.id, carrier.id, e.carrierEventId, e.status, e.rawCode, e.location ?? null, e.occurredAt, e.description ?? null, now);
      return '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
    });
    const inserted = await em.execute(
      `INSERT INTO tracking_event (id, shipment_id, carrier_id, carrier_event_id, status, raw_code, location, occurred_at, description, received_at)
       VALUES ${rows.join(', ')} ON CONFLICT ON CONSTRAINT tracking_event_carrier_event_unique DO NOTHING RETURNING carrier_event_id`,
      values,
    );
    const fresh = new Set(inserted.map((r: any) => r.carrier_event_id as string));
    const events = known.filter((e) => fresh.has(e.carrierEventId)).sort((a, b) => a.occurredAt.getTime() - b.occurredAt.getTime());
    const orders = new Map((await em.find(Order, { id: { $in: [...new Set(shipments.map((s) => s.order.id))] } })).map((o) => [o.id, o]));
    const delivered = new Set<string>();
    const deliveredShipments: Shipment[] = [];
    for (const e of events) {
      const s = byNumber.get(e.trackingNumber)!;
      if (e.occurredAt > s.lastScanAt) s.lastScanAt = e.occurredAt;
      const rank = PROGRESS[e.status];
      const late = e.occurredAt < s.statusAt;
      const backwards = rank !== undefined && rank < s.progress;
      if (!FINAL.has(s.status) && !late && !backwards) {
        s.status = e.status;
        s.statusAt = e.occurredAt;
        if (rank !== undefined) s.progress = rank;
        if (e.status === ShipmentStatus.DELIVERED) {
          s.deliveredAt = e.occurredAt;
          delivered.add(s.order.id);
          deliveredShipments.push(s);
        }
        if (e.status === ShipmentStatus.EXCEPTION && !s.flaggedAt) await flag(ctx, em, s, 'EXCEPTION', e.description ?? e.rawCode);
      }
      const order = orders.get(s.order.id)!;
      recordEvent(em, SHIPMENT_TRACKING_UPDATED, trackingEvent(s, { id: order.id, customerId: order.customer.id }, e.status, e.location ?? null, e.occurredAt));
    }
    for (const orderId of delivered) await deliverOrderIfComplete(ctx, em, orderId);
    for (const s of deliveredShipments) for (const hook of trackingHooks.deliveredHooks()) await hook(ctx, em, s);
    return { accepted: events.length, duplicates: known.length - events.length, unknownTrackingNumbers };
  });
  return result as IngestTrackingResult;
}

/** An order whose every item has shipped and every shipment is delivered becomes DELIVERED. */
async function deliverOrderIfComplete(ctx: Context, em: EntityManager, orderId: string): Promise<void> {
  await em.flush();
  const order = await em.findOne(Order, { id: orderId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
  if (!order || order.status !== OrderStatus.SHIPPED) return;
  const [r] = await em.execute(`SELECT count(*)::int AS n FROM shipment WHERE order_id = ? AND status <> 'DELIVERED'`, [orderId]);
  if (Number(r.n) === 0) await applyOrderTransition(ctx, em, order, OrderStatus.DELIVERED, 'all shipments delivered', { system: true });
}

/**
 * Flags open shipments with no scan for STALE_SCAN_HOURS (by the application clock). Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so several instances running the job flag each shipment once.
 */
export async function flagStaleShipments(ctx: Context): Promise<number> {
  const cutoff = new Date(ctx.now().getTime() - STALE_SCAN_HOURS * 3_600_000);
  const result = await inTransaction(ctx.em, async (em) => {
    const rows = await em.execute(
      `SELECT id FROM shipment WHERE status NOT IN ('DELIVERED', 'RETURNED_TO_SENDER') AND flagged_at IS NULL AND last_scan_at < ?
       ORDER BY last_scan_at LIMIT 200 FOR UPDATE SKIP LOCKED`,
      [cutoff],
    );
    if (rows.length === 0) return 0;
    const shipments = await em.find(Shipment, { id: { $in: rows.map((r: any) => r.id) } });
    for (const s of shipments) await flag(ctx, em, s, 'NO_SCAN', `no scan since ${s.lastScanAt.toISOString()}`);
    return shipments.length;
  });
  return result as number;
}

export async function runStaleShipmentsJob(services: AppServices): Promise<void> {
  await flagStaleShipments(new Context(services, ANONYMOUS, 'job:tracking.stale-shipments'));
}

/** Staff see any shipment; a customer only those of their own orders. */
export async function getShipment(ctx: Context, id: string): Promise<Shipment> {
  checkId('id', id);
  const s = await ctx.em.findOne(Shipment, { id }, { populate: ['order'] });
  const own = customerIdOf(ctx.viewer);
  if (!s || (own && s.order.customer.id !== own)) throw notFound('Shipment', id);
  return s;
}

export function listShipments(ctx: Context, args: ShipmentsArgs) {
  const where: FilterQuery<Shipment> = {};
  if (args.flagged != null) where.flaggedAt = args.flagged ? { $ne: null } : null;
  return paginate(ctx.em, Shipment, where, { name: 'CREATED_AT', property: 'createdAt', direction: 'DESC', kind: 'date' }, args);
}
