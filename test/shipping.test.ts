import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { warehouse } from './support/logistics-fixtures.js';
import { CreateCarrierDocument, CreateShippingServiceDocument, PlaceOrderShippingDocument, ShippingQuotesDocument } from './generated/graphql.js';

const clock = new ManualClock(new Date('2026-03-02T10:00:00Z'));
let t: TestApp;
let ops: string;
let buyer: Awaited<ReturnType<typeof customer>>;
let variant: string;
const ids: Record<string, string> = {};

const service = (code: string, type: string, regions: string[], transitDays: number, cutoffTimeUtc: string, rates: [number, number][], limits: { maxWeightGrams?: number; maxLengthMm?: number } = {}) => ({
  code,
  name: code,
  type: type as any,
  regions,
  maxWeightGrams: limits.maxWeightGrams ?? 30_000,
  maxLengthMm: limits.maxLengthMm ?? 1200,
  transitDays,
  cutoffTimeUtc,
  currency: 'USD',
  rates: rates.map(([upToGrams, priceAmount]) => ({ upToGrams, priceAmount })),
});

beforeAll(async () => {
  t = await startTestApp({ clock });
  ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
  buyer = await customer(t);
  variant = (await product(t, ops, [{ priceAmount: 5000 }])).variantIds[0]!;
  // 1000 g, 300 × 200 × 100 mm: volumetric 6,000,000 / 5000 = 1200 g, so 1200 g chargeable.
  await t.sql('UPDATE product_variant SET weight_grams = 1000, length_mm = 300, width_mm = 200, height_mm = 100 WHERE id = $1', [variant]);
  await warehouse(t, ops, { city: 'Berlin', country: 'DE' });
  const carrier = (await t.gql(CreateCarrierDocument, { input: { code: 'fastco', name: 'FastCo' } }, ops)).data!.createCarrier.id;
  for (const s of [
    service('EXP', 'EXPRESS', ['DE', 'FR'], 1, '15:00', [[1000, 1500], [5000, 2000]]),
    service('STD', 'STANDARD', ['DE'], 3, '18:00', [[2000, 700], [10000, 1100]]),
    service('ECO', 'ECONOMY', [], 6, '23:00', [[5000, 450]]),
    service('SC', 'SAME_CITY', ['DE'], 0, '12:00', [[5000, 900]]),
    service('LETTER', 'ECONOMY', [], 4, '23:00', [[500, 100]], { maxWeightGrams: 500 }),
    service('FRONLY', 'STANDARD', ['FR'], 2, '18:00', [[5000, 600]]),
    service('SMALLBOX', 'STANDARD', [], 2, '18:00', [[5000, 500]], { maxLengthMm: 250 }),
  ]) {
    const res = await t.gql(CreateShippingServiceDocument, { input: { ...s, carrierId: carrier } }, ops);
    ids[s.code] = res.data!.createShippingService.id;
  }
});
afterAll(() => t?.stop());

const parcel = { weightGrams: 1000, lengthMm: 300, widthMm: 200, heightMm: 100 };
const quote = (vars: Record<string, unknown>) => t.gql(ShippingQuotesDocument, { parcel, destination: { city: 'Berlin', country: 'DE' }, policy: 'CHEAPEST', ...vars } as any, ops);
const table = (q: any) => q.options.map((o: any) => [o.rank, o.service.code, o.price.amount, o.deliverOn]);
const reasons = (q: any) => Object.fromEntries(q.excluded.map((e: any) => [e.service.code, e.reason]));

describe('shippingQuotes', () => {
  it('ranks eligible services by policy and says why the others were excluded', async () => {
    clock.set('2026-03-02T10:00:00Z');
    const cheapest = (await quote({ policy: 'CHEAPEST' })).data!.shippingQuotes;
    expect(table(cheapest)).toEqual([
      [1, 'ECO', 450, '2026-03-08'],
      [2, 'STD', 700, '2026-03-05'],
      [3, 'SC', 900, '2026-03-02'],
      [4, 'EXP', 2000, '2026-03-03'],
    ]);
    expect(reasons(cheapest)).toEqual({ LETTER: 'TOO_HEAVY', FRONLY: 'REGION_NOT_SERVED', SMALLBOX: 'TOO_LARGE' });
    expect(cheapest.excluded.find((e) => e.service.code === 'LETTER')!.detail).toBe('chargeable weight 1200 g is above the maximum 500 g');

    const fastest = (await quote({ policy: 'FASTEST' })).data!.shippingQuotes;
    expect(fastest.options.map((o) => [o.service.code, o.daysToDelivery])).toEqual([['SC', 0], ['EXP', 1], ['STD', 3], ['ECO', 6]]);

    // price ranks ECO 1, STD 2, SC 3, EXP 4; delivery ranks SC 1, EXP 2, STD 3, ECO 4 → SC 4, ECO 5, STD 5, EXP 6 (ties by price)
    const best = (await quote({ policy: 'BEST_VALUE' })).data!.shippingQuotes;
    expect(best.options.map((o) => o.service.code)).toEqual(['SC', 'ECO', 'STD', 'EXP']);
  });

  it('offers same-city only within the warehouse city', async () => {
    const munich = (await quote({ destination: { city: 'Munich', country: 'DE' } })).data!.shippingQuotes;
    expect(reasons(munich).SC).toBe('SAME_CITY_ONLY');
    expect(munich.options.map((o) => o.service.code)).not.toContain('SC');
    const hamburgWh = await warehouse(t, ops, { city: 'Hamburg', country: 'DE' });
    // From a known origin in another city, Berlin is not same-city either.
    const fromHamburg = (await quote({ originWarehouseId: hamburgWh })).data!.shippingQuotes;
    expect(reasons(fromHamburg).SC).toBe('SAME_CITY_ONLY');
  });

  it('moves dispatch to the next day after the cut-off', async () => {
    clock.set('2026-03-02T16:00:00Z');
    const late = (await quote({ policy: 'FASTEST' })).data!.shippingQuotes;
    expect(late.options.map((o) => [o.service.code, o.dispatchOn, o.deliverOn])).toEqual([
      ['SC', '2026-03-03', '2026-03-03'],
      ['EXP', '2026-03-03', '2026-03-04'],
      ['STD', '2026-03-02', '2026-03-05'],
      ['ECO', '2026-03-02', '2026-03-08'],
    ]);
    clock.set('2026-03-02T10:00:00Z');
  });

  it('excludes services that miss the deliver-by date', async () => {
    const q = (await quote({ deliverBy: '2026-03-04T09:00:00Z' })).data!.shippingQuotes;
    expect(q.options.map((o) => o.service.code)).toEqual(['SC', 'EXP']);
    expect(reasons(q)).toMatchObject({ STD: 'MISSES_DELIVER_BY', ECO: 'MISSES_DELIVER_BY' });
  });

  it('charges volumetric weight when it exceeds the actual weight', async () => {
    const bulky = (await quote({ parcel: { weightGrams: 100, lengthMm: 400, widthMm: 400, heightMm: 400 } })).data!.shippingQuotes;
    // 64,000,000 mm³ / 5000 = 12,800 g chargeable
    expect(bulky.excluded.find((e) => e.service.code === 'STD')).toMatchObject({ reason: 'NO_RATE_FOR_WEIGHT', detail: 'no rate band covers 12800 g' });
    expect(bulky.options).toEqual([]);
  });

  it('refuses bad input naming the field', async () => {
    const both = await t.gql(ShippingQuotesDocument, { policy: 'CHEAPEST' }, ops);
    expect(both.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'orderId' });
    const bad = await quote({ destination: { city: 'Berlin', country: 'Germany' } });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'destination.country' });
  });
});

describe('shipping method on the order', () => {
  const address = (city: string) => ({ name: 'Ada', line1: 'Street 1', postalCode: '10115', city, country: 'DE' });

  it('stores the chosen service and charges its rate', async () => {
    const res = await t.gql(PlaceOrderShippingDocument, { input: { lines: [{ variantId: variant, quantity: 1 }], shippingAddress: address('Berlin'), shippingServiceId: ids.STD } }, buyer.token);
    expect(res.data?.placeOrder).toMatchObject({ __typename: 'Order', shippingTotal: { amount: 700 }, total: { amount: 5700 }, shippingService: { code: 'STD' }, shippingAddress: { city: 'Berlin', country: 'DE' } });
    const orderId = (res.data!.placeOrder as any).id;
    const q = (await t.gql(ShippingQuotesDocument, { orderId, policy: 'CHEAPEST' }, buyer.token)).data!.shippingQuotes;
    expect(q.weightGrams).toBe(1000);
    expect(table(q)[1]).toEqual([2, 'STD', 700, '2026-03-05']);
  });

  it('refuses a service that cannot serve the address and writes nothing', async () => {
    const [{ n: before }] = await t.sql('SELECT count(*)::int AS n FROM sales_order');
    const res = await t.gql(PlaceOrderShippingDocument, { input: { lines: [{ variantId: variant, quantity: 1 }], shippingAddress: address('Munich'), shippingServiceId: ids.SC } }, buyer.token);
    expect(res.data?.placeOrder).toMatchObject({ __typename: 'ShippingServiceUnavailableError', errorCode: 'SHIPPING_SERVICE_UNAVAILABLE', reason: 'SAME_CITY_ONLY', field: 'shippingServiceId' });
    const [{ n: after }] = await t.sql('SELECT count(*)::int AS n FROM sales_order');
    expect(after).toBe(before);
    const noAddress = await t.gql(PlaceOrderShippingDocument, { input: { lines: [{ variantId: variant, quantity: 1 }], shippingServiceId: ids.STD } }, buyer.token);
    expect(noAddress.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'shippingAddress' });
  });

  it('hides other customers’ orders from quotes', async () => {
    const other = await customer(t, 'Other');
    const res = await t.gql(PlaceOrderShippingDocument, { input: { lines: [{ variantId: variant, quantity: 1 }], shippingAddress: address('Berlin') } }, other.token);
    const q = await t.gql(ShippingQuotesDocument, { orderId: (res.data!.placeOrder as any).id, policy: 'CHEAPEST' }, buyer.token);
    expect(q.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });
});
