import { GraphQLError } from 'graphql';
import { Field, InterfaceType } from 'type-graphql';

/**
 * Codes carried in `extensions.code` of errors that are thrown (not returned):
 * the request could not be served at all.
 */
export const ErrorCodes = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  CONFLICT: 'CONFLICT',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ThrownErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** An error we raise on purpose; its message is safe to show to the caller. */
export class AppError extends GraphQLError {
  constructor(code: ThrownErrorCode, message: string, extra: Record<string, unknown> = {}) {
    super(message, { extensions: { code, ...extra } });
    this.name = 'AppError';
  }
}

export const unauthenticated = (message = 'Authentication required: send a valid token as "Authorization: Bearer <token>"') =>
  new AppError(ErrorCodes.UNAUTHENTICATED, message);

export const forbidden = (message = 'Your role does not allow this operation') => new AppError(ErrorCodes.FORBIDDEN, message);

export const notFound = (entity: string, id: string) =>
  new AppError(ErrorCodes.NOT_FOUND, `${entity} "${id}" was not found`, { entity, id });

/** Bad input: names the field (a path like `lines[0].quantity`) and the rule it broke. */
export const badInput = (field: string, rule: string) =>
  new AppError(ErrorCodes.BAD_USER_INPUT, `${field}: ${rule}`, { field, rule });

export const conflict = (message: string, extra: Record<string, unknown> = {}) =>
  new AppError(ErrorCodes.CONFLICT, message, extra);

/** Throws `badInput(field, rule)` unless `condition` holds. */
export function check(condition: unknown, field: string, rule: string): asserts condition {
  if (!condition) throw badInput(field, rule);
}

/**
 * Common shape of business-rule failures that mutations *return* as members of their result union.
 * They are expected outcomes (an illegal transition, too little stock), not malfunctions.
 */
@InterfaceType({ description: 'A business rule refused the operation. Returned in a mutation result union, never thrown.' })
export abstract class ErrorResult {
  @Field(() => String, { description: 'Stable machine-readable code, e.g. ILLEGAL_TRANSITION.' })
  errorCode!: string;

  @Field(() => String, { description: 'Human-readable explanation, safe to show.' })
  message!: string;

  @Field(() => String, { nullable: true, description: 'Input field the error refers to, when there is one.' })
  field?: string | null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are UUIDs; anything else is refused before it reaches SQL. */
export function checkId(field: string, id: string): void {
  check(UUID_RE.test(id), field, 'must be an id (UUID) returned by this API');
}
