import type { GraphQLSchema } from 'graphql';
import { Role } from '../common/auth/roles.js';

/** Columns of the authorization matrix: every kind of caller. */
export const CALLERS = ['anonymous', 'CUSTOMER', ...Object.values(Role)] as const;
export type Caller = (typeof CALLERS)[number];

/** Whether `caller` passes the declared access of a field (ADMIN passes every staff declaration). */
export function callerMay(access: readonly string[], caller: Caller): boolean {
  if (access.includes('PUBLIC')) return true;
  if (caller === 'anonymous') return false;
  if (caller === 'CUSTOMER') return access.includes('CUSTOMER');
  if (caller === Role.ADMIN) return access.some((a) => a !== 'CUSTOMER');
  return access.includes(caller);
}

export interface MatrixRow {
  operation: 'Query' | 'Mutation' | 'Subscription';
  field: string;
  access: string[];
}

export function matrixRows(schema: GraphQLSchema): MatrixRow[] {
  const rows: MatrixRow[] = [];
  for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
    if (!type) continue;
    for (const field of Object.values(type.getFields()).sort((a, b) => a.name.localeCompare(b.name))) {
      rows.push({ operation: type.name as MatrixRow['operation'], field: field.name, access: (field.extensions?.access as string[]) ?? [] });
    }
  }
  return rows;
}

/** The committed docs/authorization-matrix.md: one row per root field, ✓ where the caller may use it. */
export function renderMatrix(schema: GraphQLSchema): string {
  const head = `| operation | field | ${CALLERS.join(' | ')} |\n|---|---|${CALLERS.map(() => ':-:').join('|')}|`;
  const body = matrixRows(schema)
    .map((r) => `| ${r.operation} | \`${r.field}\` | ${CALLERS.map((c) => (callerMay(r.access, c) ? '✓' : '')).join(' | ')} |`)
    .join('\n');
  return `# Authorization matrix

Who may call each Query, Mutation and Subscription field. Generated from the \`@Allow\` / \`@Public\`
declarations by \`npm run authz:matrix\`; \`test/authz-matrix.test.ts\` fails when this file is stale, when a
field has no declaration, or when a caller is treated differently from this table (it calls every field as
every kind of caller). ADMIN passes every staff declaration; fields for customers only (writing one's
own review) are closed to staff. CUSTOMER means a signed-in customer acting on
their own data; API tokens act with the roles they were given.

${head}
${body}
`;
}
