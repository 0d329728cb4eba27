import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { HeaderMap, type ApolloServer, type HTTPGraphQLResponse } from '@apollo/server';
import type { Context } from '../common/context.js';
import type { Logger } from '../common/logger.js';
import type { RateLimiter } from './rate-limit.js';

/** What both HTTP paths to Apollo share (server.ts builds it once). */
export interface GraphqlHttpDeps {
  apollo: ApolloServer<Context>;
  maxBodyBytes: number;
  limiter: RateLimiter;
  /** True once shutdown has begun: new requests are refused with 503. */
  stopping: () => boolean;
  /** With trusted documents: puts the trusted text in the body's query, or gives the error body to answer 400 with. */
  resolveDocument?: (body: any) => { error: unknown } | undefined;
  context: (req: IncomingMessage, requestId: string) => Promise<Context>;
  logger: Logger;
}

/** The error bodies of requests that never reach GraphQL, in GraphQL's error shape (one place, both paths). */
export const httpErrors = {
  stopping: { errors: [{ message: 'The server is shutting down; retry on another instance', extensions: { code: 'SERVICE_UNAVAILABLE' } }] },
  tooLarge: (max: number) => ({ errors: [{ message: `Request body is larger than ${max} bytes`, extensions: { code: 'PAYLOAD_TOO_LARGE' } }] }),
  malformed: { errors: [{ message: 'Malformed request body', extensions: { code: 'BAD_REQUEST' } }] },
  internal: { errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] },
};

/** The caller's X-Request-Id when it is a sane token, otherwise a fresh one. */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
}

/** The request as Apollo takes it, whichever path read the body. */
export function apolloRequest(req: IncomingMessage, body: unknown) {
  const headers = new HeaderMap();
  for (const key in req.headers) {
    const value = req.headers[key];
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const q = req.url!.indexOf('?');
  return { method: req.method!.toUpperCase(), headers, search: q < 0 ? '' : req.url!.slice(q), body };
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/** Writes Apollo's answer (a whole body, or the parts of an incremental one). */
export async function sendApolloResponse(res: ServerResponse, response: HTTPGraphQLResponse): Promise<void> {
  for (const [key, value] of response.headers) res.setHeader(key, value);
  res.statusCode = response.status || 200;
  if (response.body.kind === 'complete') {
    res.setHeader('content-length', Buffer.byteLength(response.body.string));
    res.end(response.body.string);
    return;
  }
  for await (const chunk of response.body.asyncIterator) res.write(chunk);
  res.end();
}

/** `application/json`, with no charset or UTF-8: the only body this path reads itself. */
function isPlainJson(contentType: string | undefined): boolean {
  if (!contentType) return false;
  const semi = contentType.indexOf(';');
  const type = (semi < 0 ? contentType : contentType.slice(0, semi)).trim().toLowerCase();
  if (type !== 'application/json') return false;
  if (semi < 0) return true;
  const params = contentType.slice(semi + 1).toLowerCase().replace(/\s+/g, '');
  return params === '' || params === 'charset=utf-8' || params === 'charset="utf-8"';
}

/**
 * POST /graphql with a JSON body, served from node:http straight into Apollo, in front of Express. Express's router
 * visits every route and middleware layer for each request, and its body parser and `res.send` add their own
 * machinery: on a product page that was about a quarter of the server's CPU per request (bench P1). This path does
 * the same steps in the same order — refuse while stopping, request id, rate limit, body within the size limit,
 * strict JSON, trusted documents, Apollo — with the same answers (see httpErrors, rate-limit.ts, sendApolloResponse).
 *
 * Anything else (GET, other content types or charsets, a compressed body, other paths) returns false and goes to
 * Express, which keeps the full behaviour of its middleware for those.
 */
export function directGraphqlHandler(deps: GraphqlHttpDeps, path = '/graphql'): (req: IncomingMessage, res: ServerResponse) => boolean {
  return (req, res) => {
    if (req.method !== 'POST') return false;
    const url = req.url ?? '';
    if (!(url === path || (url.startsWith(path) && url[path.length] === '?'))) return false;
    if (!isPlainJson(req.headers['content-type'])) return false;
    const encoding = req.headers['content-encoding'];
    if (encoding !== undefined && encoding.toLowerCase() !== 'identity') return false;
    void serve(deps, req, res).catch((err) => {
      deps.logger.error('request failed before GraphQL', { err });
      if (!res.headersSent) sendJson(res, 500, httpErrors.internal);
      else res.destroy();
    });
    return true;
  };
}

async function serve(deps: GraphqlHttpDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (deps.stopping()) {
    // Shutdown half-closes idle keep-alive sockets, but a request already sent on one is still parsed: executing it
    // would commit a change whose response can no longer be delivered. Refuse it before it touches anything.
    res.setHeader('connection', 'close');
    sendJson(res, 503, httpErrors.stopping);
    return;
  }
  const requestId = requestIdOf(req);
  res.setHeader('x-request-id', requestId);
  const decision = await deps.limiter(req);
  for (const [name, value] of decision.headers) res.setHeader(name, value);
  if (decision.refusal) {
    req.resume(); // the body is not read: let it drain so the connection stays usable
    sendJson(res, decision.refusal.status, decision.refusal.body);
    return;
  }
  const declared = Number(req.headers['content-length']);
  if (declared > deps.maxBodyBytes) {
    req.resume();
    sendJson(res, 413, httpErrors.tooLarge(deps.maxBodyBytes));
    return;
  }
  const text = await readBody(req, deps.maxBodyBytes);
  if (text === undefined) return; // the client went away
  if (text === null) {
    sendJson(res, 413, httpErrors.tooLarge(deps.maxBodyBytes));
    return;
  }
  // As Express's JSON parser in strict mode: an empty body is {}, anything but an object or array is malformed.
  let body: unknown = {};
  if (text.trim() !== '') {
    const first = text.trimStart()[0];
    try {
      if (first !== '{' && first !== '[') throw new SyntaxError('not an object or array');
      body = JSON.parse(text);
    } catch {
      sendJson(res, 400, httpErrors.malformed);
      return;
    }
  }
  if (deps.resolveDocument) {
    const refused = deps.resolveDocument(body);
    if (refused) {
      sendJson(res, 400, refused.error);
      return;
    }
  }
  const response = await deps.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: apolloRequest(req, body),
    context: () => deps.context(req, requestId),
  });
  await sendApolloResponse(res, response);
}

/** The body as UTF-8 text; null when it grows past `max` bytes (the rest is drained), undefined if the request aborts. */
function readBody(req: IncomingMessage, max: number): Promise<string | null | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    const onData = (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > max) {
        over = true;
        chunks.length = 0;
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => {
      if (!over) resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    });
    req.once('aborted', () => resolve(undefined));
    req.once('error', () => resolve(undefined));
  });
}
