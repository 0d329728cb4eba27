import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';
import { customerIdOf } from '../../common/auth/viewer.js';
import { badInput, check, checkId, notFound } from '../../common/errors.js';
import { Money } from '../../common/money.js';
import { persistNew } from '../../common/persist.js';
import { inTransaction, rollbackWith } from '../../common/transaction.js';
import { ProductVariant } from '../catalog/product-variant.entity.js';
import { Order } from '../orders/order.entity.js';
import type { PlacementDraft } from '../orders/orders.hooks.js';
import { Carrier, ShippingRate, ShippingService, ShippingServiceType } from './shipping.entity.js';
import { ShippingServiceUnavailableError } from './shipping.errors.js';
import {
  ShippingExclusion,
  ShippingExclusionReason,
  ShippingPolicy,
  ShippingQuote,
  ShippingQuotes,
  type CreateCarrierInput,
  type CreateShippingServiceInput,
  type ShippingQuotesArgs,
} from './shipping.types.js';

const DAY = 86_400_000;
const sameText = (a: string | null | undefined, b: string | null | undefined) => !!a && !!b && a.trim().toLowerCase() === b.trim().toLowerCase();
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const startOfDayUtc = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** What is shipped, reduced to what carriers price on. */
export interface Parcel {
  weightGrams: number;
  volumeMm3: number;
  longestMm: number;
}

export interface Route {
  destination: { city: string; country: string };
  /** Cities the parcel leaves from, when known (the order's allocated warehouses). */
  originCities: string[];
  /** Without a known origin: whether an active warehouse is in the destination city. */
  warehouseInDestinationCity: boolean;
  currency: string | null;
}

export type Evaluation =
  | { ok: true; priceAmount: number; dispatch: Date; deliver: Date; days: number }
  | { ok: false; reason: ShippingExclusionReason; detail: string };

/** Applies a service's rules to a parcel and route, in a fixed order; the first failed rule is the reason. */
export function evaluate(service: ShippingService, rates: ShippingRate[], parcel: Parcel, route: Route, now: Date, deliverBy: Date | null): Evaluation {
  const dest = route.destination;
  if (service.regions.length > 0 && !service.regions.includes(dest.country)) {
    return { ok: false, reason: ShippingExclusionReason.REGION_NOT_SERVED, detail: `serves ${service.regions.join(', ')}, not ${dest.country}` };
  }
  if (service.type === ShippingServiceType.SAME_CITY) {
    const inCity = route.originCities.length > 0 ? route.originCities.every((c) => sameText(c, dest.city)) : route.warehouseInDestinationCity;
    if (!inCity) return { ok: false, reason: ShippingExclusionReason.SAME_CITY_ONLY, detail: `ships only within the warehouse city; destination is ${dest.city}` };
  }
  const volumetric = Math.ceil(parcel.volumeMm3 / service.volumetricDivisor);
  const chargeable = Math.max(parcel.weightGrams, volumetric);
  if (chargeable > service.maxWeightGrams) {
    return { ok: false, reason: ShippingExclusionReason.TOO_HEAVY, detail: `chargeable weight ${chargeable} g is above the maximum ${service.maxWeightGrams} g` };
  }
  if (parcel.longestMm > service.maxLengthMm) {
    return { ok: false, reason: ShippingExclusionReason.TOO_LARGE, detail: `longest side ${parcel.longestMm} mm is above the maximum ${service.maxLengthMm} mm` };
  }
  const band = [...rates].sort((a, b) => a.upToGrams - b.upToGrams).find((r) => r.upToGrams >= chargeable);
  if (!band) return { ok: false, reason: ShippingExclusionReason.NO_RATE_FOR_WEIGHT, detail: `no rate band covers ${chargeable} g` };
  if (route.currency && route.currency !== service.currency) {
    return { ok: false, reason: ShippingExclusionReason.CURRENCY_MISMATCH, detail: `rates are in ${service.currency}, the order in ${route.currency}` };
  }
  const minuteOfDay = now.getUTCHours() * 60 + now.getUTCMinutes();
  const dispatch = new Date(startOfDayUtc(now).getTime() + (minuteOfDay > service.cutoffMinuteUtc ? DAY : 0));
  const deliver = new Date(dispatch.getTime() + service.transitDays * DAY);
  if (deliverBy && deliver.getTime() > startOfDayUtc(deliverBy).getTime()) {
    return { ok: false, reason: ShippingExclusionReason.MISSES_DELIVER_BY, detail: `would arrive ${isoDay(deliver)}, after ${isoDay(deliverBy)}` };
  }
  return { ok: true, priceAmount: band.priceAmount, dispatch, deliver, days: Math.round((deliver.getTime() - startOfDayUtc(now).getTime()) / DAY) };
}

async function activeServices(em: EntityManager): Promise<{ services: ShippingService[]; ratesOf: (s: ShippingService) => ShippingRate[] }> {
  const services = await em.find(ShippingService, { active: true, carrier: { active: true } }, { orderBy: { code: 'ASC', id: 'ASC' } });
  const rates = services.length ? await em.find(ShippingRate, { service: { $in: services.map((s) => s.id) } }) : [];
  return { services, ratesOf: (s) => rates.filter((r) => r.service.id === s.id) };
}

async function warehouseInCity(em: EntityManager, city: string, country: string): Promise<boolean> {
  const rows = await em.execute(`SELECT 1 FROM warehouse WHERE active AND lower(city) = lower(?) AND country = ? LIMIT 1`, [city.trim(), country]);
  return rows.length > 0;
}

/** Weight, volume and longest side of an order, computed in SQL from its lines and the variants' dimensions. */
async function orderParcel(em: EntityManager, orderId: string): Promise<Parcel> {
  const [r] = await em.execute(
    `SELECT coalesce(sum(coalesce(v.weight_grams, 0)::bigint * l.quantity), 0) AS w,
            coalesce(sum(coalesce(v.length_mm, 0)::bigint * coalesce(v.width_mm, 0) * coalesce(v.height_mm, 0) * l.quantity), 0) AS vol,
            coalesce(max(greatest(coalesce(v.length_mm, 0), coalesce(v.width_mm, 0), coalesce(v.height_mm, 0))), 0) AS longest
     FROM order_line l JOIN product_variant v ON v.id = l.variant_id WHERE l.order_id = ?`,
    [orderId],
  );
  return { weightGrams: Number(r.w), volumeMm3: Number(r.vol), longestMm: Number(r.longest) };
}

function rank(policy: ShippingPolicy, options: { service: ShippingService; e: Extract<Evaluation, { ok: true }> }[]) {
  const dense = (values: number[]) => {
    const sorted = [...new Set(values)].sort((a, b) => a - b);
    return (v: number) => sorted.indexOf(v) + 1;
  };
  const priceRank = dense(options.map((o) => o.e.priceAmount));
  const dayRank = dense(options.map((o) => o.e.deliver.getTime()));
  const byPrice = (a: (typeof options)[0], b: (typeof options)[0]) => a.e.priceAmount - b.e.priceAmount;
  const byDay = (a: (typeof options)[0], b: (typeof options)[0]) => a.e.deliver.getTime() - b.e.deliver.getTime();
  const byCode = (a: (typeof options)[0], b: (typeof options)[0]) => a.service.code.localeCompare(b.service.code) || a.service.id.localeCompare(b.service.id);
  return [...options].sort((a, b) => {
    if (policy === ShippingPolicy.CHEAPEST) return byPrice(a, b) || byDay(a, b) || byCode(a, b);
    if (policy === ShippingPolicy.FASTEST) return byDay(a, b) || byPrice(a, b) || byCode(a, b);
    const score = (o: (typeof options)[0]) => priceRank(o.e.priceAmount) + dayRank(o.e.deliver.getTime());
    return score(a) - score(b) || byPrice(a, b) || byDay(a, b) || byCode(a, b);
  });
}

function checkDestination(field: string, d: { city: string; country: string }) {
  check(d.city.trim().length >= 1 && d.city.length <= 200, `${field}.city`, 'must be 1 to 200 characters');
  check(/^[A-Z]{2}$/.test(d.country), `${field}.country`, 'must be an ISO 3166-1 alpha-2 code in upper case');
}

/** Ranked options for an order or a parcel, with the reason for every service left out. */
export async function shippingQuotes(ctx: Context, args: ShippingQuotesArgs): Promise<ShippingQuotes> {
  check(!!args.orderId !== !!args.parcel, 'orderId', 'give either orderId, or parcel and destination');
  let parcel: Parcel;
  let route: Route;
  if (args.orderId) {
    checkId('orderId', args.orderId);
    const order = await ctx.em.findOne(Order, { id: args.orderId });
    const own = customerIdOf(ctx.viewer);
    if (!order || (own && order.customer.id !== own)) throw notFound('Order', args.orderId);
    const dest = order.shippingAddress;
    if (!dest) throw badInput('orderId', 'the order has no shipping address');
    parcel = await orderParcel(ctx.em, order.id);
    const origins = await ctx.em.execute(
      `SELECT DISTINCT w.city FROM stock_reservation r JOIN warehouse w ON w.id = r.warehouse_id WHERE r.order_id = ? AND r.status <> 'RELEASED'`,
      [order.id],
    );
    route = { destination: dest, originCities: origins.map((o: any) => o.city), warehouseInDestinationCity: await warehouseInCity(ctx.em, dest.city, dest.country), currency: order.currency };
  } else {
    const p = args.parcel!;
    for (const f of ['weightGrams', 'lengthMm', 'widthMm', 'heightMm'] as const) check(Number.isInteger(p[f]) && p[f] >= 1 && p[f] <= 10_000_000, `parcel.${f}`, 'must be an integer from 1 to 10,000,000');
    check(args.destination, 'destination', 'is required with parcel');
    checkDestination('destination', args.destination);
    parcel = { weightGrams: p.weightGrams, volumeMm3: p.lengthMm * p.widthMm * p.heightMm, longestMm: Math.max(p.lengthMm, p.widthMm, p.heightMm) };
    let originCities: string[] = [];
    if (args.originWarehouseId) {
      checkId('originWarehouseId', args.originWarehouseId);
      const [w] = await ctx.em.execute(`SELECT city FROM warehouse WHERE id = ?`, [args.originWarehouseId]);
      if (!w) throw badInput('originWarehouseId', 'does not match any warehouse');
      originCities = [w.city];
    }
    route = { destination: args.destination, originCities, warehouseInDestinationCity: await warehouseInCity(ctx.em, args.destination.city, args.destination.country), currency: null };
  }
  const now = ctx.now();
  const { services, ratesOf } = await activeServices(ctx.em);
  const eligible: { service: ShippingService; e: Extract<Evaluation, { ok: true }> }[] = [];
  const excluded: ShippingExclusion[] = [];
  for (const service of services) {
    const e = evaluate(service, ratesOf(service), parcel, route, now, args.deliverBy ?? null);
    if (e.ok) eligible.push({ service, e });
    else excluded.push(Object.assign(new ShippingExclusion(), { service, reason: e.reason, detail: e.detail }));
  }
  const options = rank(args.policy, eligible).map((o, i) =>
    Object.assign(new ShippingQuote(), {
      rank: i + 1,
      service: o.service,
      price: Money.of(o.e.priceAmount, o.service.currency),
      dispatchOn: isoDay(o.e.dispatch),
      deliverOn: isoDay(o.e.deliver),
      daysToDelivery: o.e.days,
    }),
  );
  return Object.assign(new ShippingQuotes(), { policy: args.policy, weightGrams: parcel.weightGrams, options, excluded });
}

/** Pricing step (order 100): the chosen service's rate becomes the order's shipping amount. */
export async function priceShipping(ctx: Context, em: EntityManager, draft: PlacementDraft): Promise<void> {
  const serviceId = draft.input.shippingServiceId;
  if (!serviceId) return;
  const service = await em.findOne(ShippingService, { id: serviceId, active: true, carrier: { active: true } });
  if (!service) throw badInput('shippingServiceId', 'does not match any active shipping service');
  const rates = await em.find(ShippingRate, { service: service.id });
  const variants = await em.find(ProductVariant, { id: { $in: draft.lines.map((l) => l.variantId) } });
  const byId = new Map(variants.map((v) => [v.id, v]));
  const parcel: Parcel = { weightGrams: 0, volumeMm3: 0, longestMm: 0 };
  for (const l of draft.lines) {
    const v = byId.get(l.variantId)!;
    parcel.weightGrams += (v.weightGrams ?? 0) * l.quantity;
    parcel.volumeMm3 += (v.lengthMm ?? 0) * (v.widthMm ?? 0) * (v.heightMm ?? 0) * l.quantity;
    parcel.longestMm = Math.max(parcel.longestMm, v.lengthMm ?? 0, v.widthMm ?? 0, v.heightMm ?? 0);
  }
  const dest = draft.input.shippingAddress!;
  const route: Route = { destination: dest, originCities: [], warehouseInDestinationCity: await warehouseInCity(em, dest.city, dest.country), currency: draft.currency };
  const e = evaluate(service, rates, parcel, route, ctx.now(), null);
  if (!e.ok) rollbackWith(ShippingServiceUnavailableError.create(service.id, e.reason, e.detail));
  draft.shippingAmount = e.priceAmount;
}

export async function createCarrier(ctx: Context, input: CreateCarrierInput): Promise<Carrier> {
  const code = input.code.trim();
  check(/^[A-Za-z0-9_-]{1,32}$/.test(code), 'code', 'must be 1 to 32 letters, digits, "-" or "_"');
  check(input.name.trim().length >= 1 && input.name.length <= 200, 'name', 'must be 1 to 200 characters');
  if (await ctx.em.count(Carrier, { code })) throw badInput('code', 'is already used by another carrier');
  return (await inTransaction(ctx.em, async (em) => persistNew(em, Carrier, { code, name: input.name.trim() }))) as Carrier;
}

export async function createShippingService(ctx: Context, input: CreateShippingServiceInput): Promise<ShippingService> {
  checkId('carrierId', input.carrierId);
  const carrier = await ctx.em.findOne(Carrier, { id: input.carrierId });
  if (!carrier) throw badInput('carrierId', 'does not match any carrier');
  const code = input.code.trim();
  check(/^[A-Za-z0-9_-]{1,32}$/.test(code), 'code', 'must be 1 to 32 letters, digits, "-" or "_"');
  check(input.name.trim().length >= 1 && input.name.length <= 200, 'name', 'must be 1 to 200 characters');
  input.regions.forEach((r, i) => check(/^[A-Z]{2}$/.test(r), `regions[${i}]`, 'must be an ISO 3166-1 alpha-2 code in upper case'));
  check(Number.isInteger(input.maxWeightGrams) && input.maxWeightGrams >= 1, 'maxWeightGrams', 'must be a positive integer');
  check(Number.isInteger(input.maxLengthMm) && input.maxLengthMm >= 1, 'maxLengthMm', 'must be a positive integer');
  if (input.volumetricDivisor != null) check(Number.isInteger(input.volumetricDivisor) && input.volumetricDivisor >= 1, 'volumetricDivisor', 'must be a positive integer');
  check(Number.isInteger(input.transitDays) && input.transitDays >= 0 && input.transitDays <= 90, 'transitDays', 'must be 0 to 90');
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(input.cutoffTimeUtc);
  check(m, 'cutoffTimeUtc', 'must be HH:MM (24-hour, UTC)');
  check(/^[A-Z]{3}$/.test(input.currency), 'currency', 'must be an ISO 4217 code');
  check(input.rates.length >= 1 && input.rates.length <= 50, 'rates', 'must have 1 to 50 bands');
  const seen = new Set<number>();
  input.rates.forEach((r, i) => {
    check(Number.isInteger(r.upToGrams) && r.upToGrams >= 1, `rates[${i}].upToGrams`, 'must be a positive integer');
    check(!seen.has(r.upToGrams), `rates[${i}].upToGrams`, 'repeats another band');
    seen.add(r.upToGrams);
    check(Number.isInteger(r.priceAmount) && r.priceAmount >= 0, `rates[${i}].priceAmount`, 'must be a non-negative integer');
  });
  if (await ctx.em.count(ShippingService, { carrier: carrier.id, code })) throw badInput('code', 'is already used by another service of this carrier');
  const result = await inTransaction(ctx.em, async (em) => {
    const service = persistNew(em, ShippingService, {
      carrier,
      code,
      name: input.name.trim(),
      type: input.type,
      regions: input.regions,
      maxWeightGrams: input.maxWeightGrams,
      maxLengthMm: input.maxLengthMm,
      volumetricDivisor: input.volumetricDivisor ?? 5000,
      transitDays: input.transitDays,
      cutoffMinuteUtc: Number(m[1]) * 60 + Number(m[2]),
      currency: input.currency,
    });
    for (const r of input.rates) persistNew(em, ShippingRate, { service, upToGrams: r.upToGrams, priceAmount: r.priceAmount, currency: input.currency });
    return service;
  });
  return result as ShippingService;
}
