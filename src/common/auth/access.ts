import { Authorized, Extensions, type AuthChecker } from 'type-graphql';
import type { Context } from '../context.js';
import { forbidden, unauthenticated } from '../errors.js';
import { type Access, Role } from './roles.js';
import { hasRole, isExpired, type Viewer } from './viewer.js';

/**
 * Declares who may use a field. Every Query, Mutation and Subscription field carries exactly one of
 * `@Allow(...)` or `@Public()`; a test walks the schema to keep it so. `CUSTOMER` admits signed-in
 * customers, whose services then restrict them to their own data.
 */
export function Allow(...access: Access[]): MethodDecorator & PropertyDecorator {
  if (access.length === 0) throw new Error('@Allow needs at least one role');
  const authorized = Authorized(...access);
  const ext = Extensions({ access });
  return ((target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    ext(target, key, descriptor as any);
    authorized(target, key, descriptor as any);
  }) as MethodDecorator & PropertyDecorator;
}

/** Declares a field open to anyone, including anonymous callers. */
export function Public(): MethodDecorator & PropertyDecorator {
  const ext = Extensions({ access: ['PUBLIC'] });
  return ((target: object, key: string | symbol, descriptor?: PropertyDescriptor) => {
    ext(target, key, descriptor as any);
  }) as MethodDecorator & PropertyDecorator;
}

export function viewerMay(viewer: Viewer, access: readonly Access[]): boolean {
  if (viewer.kind === 'customer') return access.includes('CUSTOMER');
  if (viewer.kind === 'staff' || viewer.kind === 'token') {
    // A customer-only field (e.g. writing one's own review) is closed to every staff role, ADMIN included.
    const staffRoles = access.filter((a) => a !== 'CUSTOMER') as Role[];
    return staffRoles.length > 0 && hasRole(viewer, ...staffRoles);
  }
  return false;
}

/** Throws UNAUTHENTICATED for anonymous or expired viewers, FORBIDDEN for the wrong role. */
export function assertAccess(viewer: Viewer, access: readonly Access[]): void {
  if (viewer.kind === 'anonymous' || isExpired(viewer)) throw unauthenticated();
  if (!viewerMay(viewer, access)) throw forbidden(`This operation requires one of: ${access.join(', ')}`);
}

export const authChecker: AuthChecker<Context, Access> = ({ context }, roles) => {
  assertAccess(context.viewer, roles);
  return true;
};
