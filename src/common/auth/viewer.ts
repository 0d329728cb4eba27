import { Role } from './roles.js';

/** Who is making the request; resolved once per HTTP request / WebSocket connection. */
export type Viewer =
  | { kind: 'anonymous' }
  | { kind: 'staff'; userId: string; roles: Role[]; expiresAt: number }
  | { kind: 'token'; tokenId: string; roles: Role[]; expiresAt?: number }
  | { kind: 'customer'; customerId: string; expiresAt: number };

export const ANONYMOUS: Viewer = { kind: 'anonymous' };

export function viewerRoles(viewer: Viewer): Role[] {
  return viewer.kind === 'staff' || viewer.kind === 'token' ? viewer.roles : [];
}

export function isStaff(viewer: Viewer): viewer is Extract<Viewer, { kind: 'staff' | 'token' }> {
  return viewer.kind === 'staff' || viewer.kind === 'token';
}

/** The customer id when the viewer is a customer, otherwise undefined. */
export function customerIdOf(viewer: Viewer): string | undefined {
  return viewer.kind === 'customer' ? viewer.customerId : undefined;
}

export function hasRole(viewer: Viewer, ...roles: Role[]): boolean {
  const own = viewerRoles(viewer);
  return own.includes(Role.ADMIN) || roles.some((r) => own.includes(r));
}

export function isExpired(viewer: Viewer, now = Date.now()): boolean {
  return 'expiresAt' in viewer && viewer.expiresAt !== undefined && viewer.expiresAt <= now;
}
