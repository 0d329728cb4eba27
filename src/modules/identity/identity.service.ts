import { persistNew } from '../../common/persist.js';
import type { AppServices, Context } from '../../common/context.js';
import { Role } from '../../common/auth/roles.js';
import { API_TOKEN_PREFIX, generateApiToken, hashApiToken, signAccessToken, verifyAccessToken } from '../../common/auth/tokens.js';
import { hashPassword, PASSWORD_MIN_LENGTH, verifyPassword } from '../../common/auth/password.js';
import { ANONYMOUS, type Viewer } from '../../common/auth/viewer.js';
import { check, checkId, notFound } from '../../common/errors.js';
import { paginate, type PageArgs } from '../../common/pagination.js';
import { Customer } from '../customers/customer.entity.js';
import { ApiToken } from './api-token.entity.js';
import { EmailTakenError, InvalidCredentialsError } from './identity.errors.js';
import { AuthPayload, Me, ViewerKind, type CreateApiTokenInput, type CreateStaffUserInput, type LoginInput } from './identity.types.js';
import { StaffUser } from './staff-user.entity.js';

export const normaliseEmail = (email: string) => email.trim().toLowerCase();
const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

export function checkEmail(field: string, email: string): void {
  check(EMAIL_RE.test(email) && email.length <= 254, field, 'must be a valid email address');
}
export function checkPassword(field: string, password: string): void {
  check(password.length >= PASSWORD_MIN_LENGTH && password.length <= 256, field, `must be ${PASSWORD_MIN_LENGTH} to 256 characters`);
}

/** The token cannot be used: wrong signature, expired, revoked or unknown. */
export class InvalidTokenError extends Error {}

/**
 * Resolves an `Authorization` value (with or without the `Bearer ` prefix) to a viewer.
 * No token: anonymous. A token that does not verify: InvalidTokenError (never silently anonymous).
 */
export async function authenticate(app: AppServices, authorization: string | undefined | null): Promise<Viewer> {
  if (!authorization) return ANONYMOUS;
  const token = authorization.replace(/^Bearer\s+/i, '').trim();
  if (!token) return ANONYMOUS;
  if (token.startsWith(API_TOKEN_PREFIX)) {
    const row = await app.orm.em.fork().findOne(ApiToken, { tokenHash: hashApiToken(token) });
    const now = Date.now();
    if (!row || row.revokedAt || (row.expiresAt && row.expiresAt.getTime() <= now)) throw new InvalidTokenError('unknown, revoked or expired API token');
    touchApiToken(app, row);
    return { kind: 'token', tokenId: row.id, roles: row.roles, expiresAt: row.expiresAt?.getTime() };
  }
  const claims = verifyAccessToken(app.config.authSecret, token);
  if (!claims) throw new InvalidTokenError('invalid or expired access token');
  if (claims.knd === 's') return { kind: 'staff', userId: claims.sub, roles: claims.roles ?? [], expiresAt: claims.exp * 1000 };
  return { kind: 'customer', customerId: claims.sub, expiresAt: claims.exp * 1000 };
}

const lastTouched = new Map<string, number>();
/** Records API token use at most once a minute per token, off the request path. */
function touchApiToken(app: AppServices, token: ApiToken): void {
  const now = Date.now();
  if ((lastTouched.get(token.id) ?? 0) > now - 60_000) return;
  lastTouched.set(token.id, now);
  void app.orm.em
    .fork()
    .nativeUpdate(ApiToken, { id: token.id }, { lastUsedAt: new Date(now) })
    .catch((err) => app.logger.warn('could not record API token use', { err: (err as Error).message }));
}

export function meOf(viewer: Viewer): Me {
  const me = new Me();
  switch (viewer.kind) {
    case 'staff':
      Object.assign(me, { kind: ViewerKind.STAFF, roles: viewer.roles, id: viewer.userId });
      break;
    case 'token':
      Object.assign(me, { kind: ViewerKind.API_TOKEN, roles: viewer.roles, id: viewer.tokenId });
      break;
    case 'customer':
      Object.assign(me, { kind: ViewerKind.CUSTOMER, roles: [], id: viewer.customerId });
      break;
    default:
      Object.assign(me, { kind: ViewerKind.ANONYMOUS, roles: [], id: null });
  }
  return me;
}

function issue(ctx: Context, viewer: Viewer & { kind: 'staff' | 'customer' }): AuthPayload {
  const { token, expiresAt } =
    viewer.kind === 'staff'
      ? signAccessToken(ctx.config.authSecret, { sub: viewer.userId, knd: 's', roles: viewer.roles }, ctx.config.accessTokenTtlSeconds)
      : signAccessToken(ctx.config.authSecret, { sub: viewer.customerId, knd: 'c' }, ctx.config.accessTokenTtlSeconds);
  return Object.assign(new AuthPayload(), {
    accessToken: token,
    expiresAt,
    me: meOf({ ...viewer, expiresAt: expiresAt.getTime() }),
  });
}

export async function staffLogin(ctx: Context, input: LoginInput): Promise<AuthPayload | InvalidCredentialsError> {
  const user = await ctx.em.findOne(StaffUser, { email: normaliseEmail(input.email) }, { populate: ['passwordHash'] });
  const ok = await verifyPassword(input.password, user?.passwordHash);
  if (!user || !ok || !user.active) return InvalidCredentialsError.create();
  await ctx.em.nativeUpdate(StaffUser, { id: user.id }, { lastLoginAt: new Date() });
  return issue(ctx, { kind: 'staff', userId: user.id, roles: user.roles, expiresAt: 0 });
}

export async function customerLogin(ctx: Context, input: LoginInput): Promise<AuthPayload | InvalidCredentialsError> {
  const customer = await ctx.em.findOne(Customer, { email: normaliseEmail(input.email) }, { populate: ['passwordHash'] });
  const ok = await verifyPassword(input.password, customer?.passwordHash);
  if (!customer || !ok) return InvalidCredentialsError.create();
  return issue(ctx, { kind: 'customer', customerId: customer.id, expiresAt: 0 });
}

export function issueCustomerToken(ctx: Context, customerId: string): AuthPayload {
  return issue(ctx, { kind: 'customer', customerId, expiresAt: 0 });
}

function checkRoles(field: string, roles: Role[]): void {
  check(roles.length > 0, field, 'must name at least one role');
  check(new Set(roles).size === roles.length, field, 'must not repeat a role');
}

/** Creates a staff user; also used by the create-admin command and ADMIN_EMAIL bootstrap. */
export async function createStaffUser(ctx: Context | { em: Context['em'] }, input: CreateStaffUserInput): Promise<StaffUser | EmailTakenError> {
  const email = normaliseEmail(input.email);
  checkEmail('email', email);
  check(input.name.trim().length > 0 && input.name.length <= 200, 'name', 'must be 1 to 200 characters');
  checkPassword('password', input.password);
  checkRoles('roles', input.roles);
  const em = ctx.em.fork();
  return em.transactional(async (tx) => {
    if (await tx.count(StaffUser, { email })) return EmailTakenError.create();
    const user = persistNew(tx, StaffUser, {
      email,
      name: input.name.trim(),
      passwordHash: await hashPassword(input.password),
      roles: input.roles,
    });
    await tx.flush();
    return user;
  });
}

export async function createApiToken(ctx: Context, input: CreateApiTokenInput): Promise<{ secret: string; apiToken: ApiToken }> {
  check(input.name.trim().length > 0 && input.name.length <= 200, 'name', 'must be 1 to 200 characters');
  checkRoles('roles', input.roles);
  if (input.expiresAt) check(input.expiresAt.getTime() > Date.now(), 'expiresAt', 'must be in the future');
  const secret = generateApiToken();
  const apiToken = persistNew(ctx.em, ApiToken, {
    name: input.name.trim(),
    tokenHash: hashApiToken(secret),
    displayPrefix: secret.slice(0, API_TOKEN_PREFIX.length + 6),
    roles: input.roles,
    expiresAt: input.expiresAt ?? null,
    createdById: ctx.viewer.kind === 'staff' ? ctx.viewer.userId : null,
  });
  await ctx.em.flush();
  return { secret, apiToken };
}

export async function revokeApiToken(ctx: Context, id: string): Promise<ApiToken> {
  checkId('id', id);
  const token = await ctx.em.findOne(ApiToken, { id });
  if (!token) throw notFound('ApiToken', id);
  token.revokedAt ??= new Date();
  await ctx.em.flush();
  return token;
}

export function listApiTokens(ctx: Context, args: PageArgs) {
  return paginate(ctx.em, ApiToken, {}, { name: 'CREATED_AT', property: 'createdAt', direction: 'DESC', kind: 'date' }, args);
}

export function listStaffUsers(ctx: Context, args: PageArgs) {
  return paginate(ctx.em, StaffUser, {}, { name: 'CREATED_AT', property: 'createdAt', direction: 'DESC', kind: 'date' }, args);
}

/** Creates the first admin from ADMIN_EMAIL / ADMIN_PASSWORD when that account does not exist yet. */
export async function ensureBootstrapAdmin(app: AppServices): Promise<void> {
  const { bootstrapAdminEmail: email, bootstrapAdminPassword: password } = app.config;
  if (!email || !password) return;
  const em = app.orm.em.fork() as Context['em'];
  if (await em.count(StaffUser, { email: normaliseEmail(email) })) return;
  const result = await createStaffUser({ em }, { email, password, name: 'Administrator', roles: [Role.ADMIN] });
  if (result instanceof StaffUser) app.logger.info('bootstrap admin created', { email: result.email });
}
