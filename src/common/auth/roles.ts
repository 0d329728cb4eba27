import { registerEnumType } from 'type-graphql';

/** Staff roles. ADMIN may do everything staff may do. */
export enum Role {
  ADMIN = 'ADMIN',
  OPERATIONS = 'OPERATIONS',
  MERCHANDISING = 'MERCHANDISING',
  MARKETING = 'MARKETING',
  SUPPORT = 'SUPPORT',
  ANALYST = 'ANALYST',
}
registerEnumType(Role, {
  name: 'Role',
  description: 'Staff role. ADMIN implies every other role; ANALYST is read-only.',
});

/** Who may use a field: a staff role, any signed-in customer (acting on their own data), or anyone. */
export type Access = Role | 'CUSTOMER';

export const ALL_STAFF: Role[] = Object.values(Role);
/** Staff roles that may read operational data (every role; ANALYST is read-only by never being granted writes). */
export const STAFF_READ: Access[] = [...ALL_STAFF];
