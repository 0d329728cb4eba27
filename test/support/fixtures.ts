import { randomBytes } from 'node:crypto';
import { signAccessToken } from '../../src/common/auth/tokens.js';
import { Role } from '../../src/common/auth/roles.js';
import { createStaffUser } from '../../src/modules/identity/identity.service.js';
import { StaffUser } from '../../src/modules/identity/staff-user.entity.js';
import { CreateProductDocument, RegisterCustomerDocument } from '../generated/graphql.js';
import type { TestApp } from './harness.js';

const uniq = () => randomBytes(4).toString('hex');

/** A real staff user with these roles, and an access token signed like login would sign it. */
export async function staffToken(t: TestApp, ...roles: Role[]): Promise<{ token: string; userId: string }> {
  const em = t.app.services.orm.em.fork();
  const user = await createStaffUser({ em: em as any }, { email: `staff-${uniq()}@example.com`, name: 'Staff', password: randomBytes(12).toString('hex'), roles });
  if (!(user instanceof StaffUser)) throw new Error('could not create staff user');
  const { token } = signAccessToken(t.config.authSecret, { sub: user.id, knd: 's', roles }, 3600);
  return { token, userId: user.id };
}

/** A customer registered through the API, with their token. */
export async function customer(t: TestApp, name = 'Buyer'): Promise<{ token: string; id: string; email: string }> {
  const email = `buyer-${uniq()}@example.com`;
  const res = await t.gql(RegisterCustomerDocument, { input: { email, name, password: 'a-long-password-1' } });
  const r = res.data?.registerCustomer;
  if (r?.__typename !== 'AuthPayload') throw new Error(`register failed: ${JSON.stringify(res)}`);
  return { token: r.accessToken, id: r.me.id!, email };
}

/** An ACTIVE product with the given variants; returns variant ids by SKU. */
export async function product(
  t: TestApp,
  token: string,
  variants: { sku?: string; priceAmount: number; currency?: string }[],
  status: 'ACTIVE' | 'DRAFT' = 'ACTIVE',
): Promise<{ productId: string; variantIds: string[] }> {
  const res = await t.gql(
    CreateProductDocument,
    {
      input: {
        name: `Product ${uniq()}`,
        status,
        variants: variants.map((v, i) => ({ sku: v.sku ?? `SKU-${uniq()}-${i}`, name: `V${i}`, priceAmount: v.priceAmount, currency: v.currency ?? 'USD' })),
      },
    },
    token,
  );
  const p = res.data?.createProduct;
  if (p?.__typename !== 'Product') throw new Error(`createProduct failed: ${JSON.stringify(res)}`);
  // Keep the caller's variant order (the API lists variants by SKU).
  const bySku = new Map(p.variants.map((v) => [v.sku, v.id]));
  const skus = variants.map((v, i) => v.sku ?? p.variants.find((x) => x.sku.endsWith(`-${i}`))!.sku);
  return { productId: p.id, variantIds: skus.map((s) => bySku.get(s)!) };
}

export { Role };
