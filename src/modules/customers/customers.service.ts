import { UniqueConstraintViolationException, type FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';
import { hashPassword } from '../../common/auth/password.js';
import { check, checkId, forbidden, notFound } from '../../common/errors.js';
import { paginate } from '../../common/pagination.js';
import { EmailTakenError } from '../identity/identity.errors.js';
import { checkEmail, checkPassword, issueCustomerToken, normaliseEmail } from '../identity/identity.service.js';
import type { AuthPayload } from '../identity/identity.types.js';
import { Customer } from './customer.entity.js';
import { CustomerByIdLoader } from './customers.loaders.js';
import type { CreateCustomerInput, CustomersArgs, RegisterCustomerInput, UpdateCustomerInput } from './customers.types.js';

function checkName(name: string) {
  check(name.trim().length > 0 && name.length <= 200, 'name', 'must be 1 to 200 characters');
}

/** Storefront sign-up: creates the customer and signs them in. */
export async function registerCustomer(ctx: Context, input: RegisterCustomerInput): Promise<AuthPayload | EmailTakenError> {
  const email = normaliseEmail(input.email);
  checkEmail('email', email);
  checkName(input.name);
  checkPassword('password', input.password);
  const passwordHash = await hashPassword(input.password);
  const created = await insertCustomer(ctx, email, input.name.trim(), passwordHash);
  return created instanceof EmailTakenError ? created : issueCustomerToken(ctx, created.id);
}

/** Back-office creation (phone orders, imports); the customer has no password until they set one. */
export async function createCustomer(ctx: Context, input: CreateCustomerInput): Promise<Customer | EmailTakenError> {
  const email = normaliseEmail(input.email);
  checkEmail('email', email);
  checkName(input.name);
  return insertCustomer(ctx, email, input.name.trim(), null);
}

async function insertCustomer(ctx: Context, email: string, name: string, passwordHash: string | null): Promise<Customer | EmailTakenError> {
  // INSERT … ON CONFLICT DO NOTHING: two concurrent sign-ups with one email get one account and one EMAIL_TAKEN.
  const rows = await ctx.em.execute(
    `INSERT INTO customer (id, email, name, password_hash, created_at) VALUES (?, ?, ?, ?, now())
     ON CONFLICT ON CONSTRAINT customer_email_unique DO NOTHING RETURNING id`,
    [new Customer().id, email, name, passwordHash],
  );
  if (rows.length === 0) return EmailTakenError.create();
  return (await ctx.em.findOneOrFail(Customer, { id: rows[0].id }));
}

/**
 * Name/email edits. One UPDATE guarded by the unique constraint, so two customers racing for one email get one
 * success and one EMAIL_TAKEN, never a 500; updated_at moves so incremental BI pulls pick the change up.
 */
export async function updateCustomer(ctx: Context, input: UpdateCustomerInput): Promise<Customer | EmailTakenError> {
  checkId('id', input.id);
  if (ctx.viewer.kind === 'customer' && ctx.viewer.customerId !== input.id) throw notFound('Customer', input.id);
  const sets: string[] = [];
  const params: unknown[] = [];
  if (input.email != null) {
    const email = normaliseEmail(input.email);
    checkEmail('email', email);
    sets.push('email = ?');
    params.push(email);
  }
  if (input.name != null) {
    checkName(input.name);
    sets.push('name = ?');
    params.push(input.name.trim());
  }
  check(sets.length > 0, 'input', 'must change at least one of email, name');
  const existing: unknown[] = await ctx.em.execute('SELECT 1 FROM customer WHERE id = ?', [input.id]);
  if (existing.length === 0) throw notFound('Customer', input.id);
  let rows: { id: string }[];
  try {
    rows = await ctx.em.execute(`UPDATE customer SET ${sets.join(', ')}, updated_at = clock_timestamp() WHERE id = ? RETURNING id`, [...params, input.id]);
  } catch (err) {
    if (err instanceof UniqueConstraintViolationException) return EmailTakenError.create();
    throw err;
  }
  if (rows.length === 0) throw notFound('Customer', input.id);
  return ctx.em.findOneOrFail(Customer, { id: input.id }, { refresh: true });
}

/** Staff see any customer; a customer only themself (others look like they do not exist). */
export async function getCustomer(ctx: Context, id: string): Promise<Customer> {
  checkId('id', id);
  if (ctx.viewer.kind === 'customer' && ctx.viewer.customerId !== id) throw notFound('Customer', id);
  const c = await ctx.loader(CustomerByIdLoader).load(id);
  if (!c) throw notFound('Customer', id);
  return c;
}

export function listCustomers(ctx: Context, args: CustomersArgs) {
  if (ctx.viewer.kind === 'customer') throw forbidden();
  const where: FilterQuery<Customer> = {};
  if (args.emailStartsWith) where.email = { $like: `${args.emailStartsWith.toLowerCase().replace(/[\\%_]/g, '\\$&')}%` };
  return paginate(ctx.em, Customer, where, { name: 'CREATED_AT', property: 'createdAt', direction: 'DESC', kind: 'date' }, args);
}
