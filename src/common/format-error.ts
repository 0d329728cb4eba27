import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { Logger } from './logger.js';
import { ErrorCodes } from './errors.js';

/** Codes whose messages we wrote ourselves or that graphql-js/Apollo produce about the request itself. */
const SAFE_CODES = new Set<string>([
  ...Object.values(ErrorCodes).filter((c) => c !== ErrorCodes.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
  'OPERATION_RESOLUTION_FAILURE',
  'QUERY_TOO_DEEP',
  'QUERY_TOO_COMPLEX',
  'QUERY_TOO_MANY_ALIASES',
  'QUERY_TOO_MANY_DIRECTIVES',
  'PAYLOAD_TOO_LARGE',
  'TRUSTED_DOCUMENT_REQUIRED',
]);

function originalOf(err: unknown): unknown {
  let e: any = err;
  while (e && e.originalError && e.originalError !== e) e = e.originalError;
  return e;
}

/**
 * The only path by which errors leave the server (HTTP and WebSocket). Errors we raised on purpose keep their
 * message, code and field; everything else (database errors, bugs) becomes "Internal server error" with the
 * detail logged, so no stack trace, SQL or secret ever reaches a response.
 */
export function formatError(err: GraphQLError | GraphQLFormattedError, logger: Logger, requestId?: string): GraphQLFormattedError {
  const gqlErr = err instanceof GraphQLError ? err : undefined;
  const code = String(err.extensions?.code ?? '');
  const original = gqlErr ? originalOf(gqlErr) : undefined;
  const isOurs = original instanceof GraphQLError || original === undefined || original === gqlErr;
  if (code && SAFE_CODES.has(code) && isOurs) {
    const { stacktrace: _s, exception: _e, http: _h, ...extensions } = (err.extensions ?? {}) as Record<string, unknown>;
    return { message: err.message, locations: err.locations, path: err.path, extensions };
  }
  // A plain GraphQLError from graphql-js itself (e.g. a non-null field resolved to null, an enum coercion failure)
  // has no code; its message describes the request, not our internals.
  if (!code && gqlErr && (original === gqlErr || original === undefined)) {
    return { message: err.message, locations: err.locations, path: err.path, extensions: { code: ErrorCodes.BAD_USER_INPUT } };
  }
  logger.error('unexpected error while serving a request', { requestId, err: original ?? err, path: err.path });
  return {
    message: 'Internal server error',
    locations: err.locations,
    path: err.path,
    extensions: { code: ErrorCodes.INTERNAL_SERVER_ERROR, requestId },
  };
}
