import { randomBytes } from 'node:crypto';
import { CreateWarehouseDocument, ReceiveStockDocument } from '../generated/graphql.js';
import type { TestApp } from './harness.js';

const uniq = () => randomBytes(3).toString('hex');

/** An active warehouse created through the API. */
export async function warehouse(t: TestApp, token: string, opts: { city?: string; country?: string; code?: string; type?: 'OWN' | 'THIRD_PARTY' | 'STORE' } = {}): Promise<string> {
  const res = await t.gql(
    CreateWarehouseDocument,
    { input: { code: opts.code ?? `WH-${uniq()}`, name: 'Warehouse', type: opts.type ?? 'OWN', city: opts.city ?? 'Berlin', country: opts.country ?? 'DE' } },
    token,
  );
  if (!res.data?.createWarehouse) throw new Error(`createWarehouse failed: ${JSON.stringify(res)}`);
  return res.data.createWarehouse.id;
}

/** Books `quantity` units in through receiveStock. */
export async function receive(t: TestApp, token: string, variantId: string, warehouseId: string, quantity: number, reference = 'PO-TEST'): Promise<void> {
  const res = await t.gql(ReceiveStockDocument, { input: { variantId, warehouseId, quantity, reference } }, token);
  if (res.data?.receiveStock?.__typename !== 'StockLevel') throw new Error(`receiveStock failed: ${JSON.stringify(res)}`);
}

/** One warehouse with plenty of each variant, so orders of other tests can be confirmed. */
export async function stockUp(t: TestApp, token: string, variantIds: string[], quantity = 100_000): Promise<string> {
  const wh = await warehouse(t, token);
  for (const v of variantIds) await receive(t, token, v, wh, quantity);
  return wh;
}
