/**
 * Request limits checked before any resolver runs, on HTTP (an Apollo plugin) and WebSocket (onSubscribe)
 * alike: aliases, directives, nesting depth and an estimated cost (1 per field, times the page size of each
 * list it is nested in, page sizes read from arguments and variables). Token count and body size are
 * limited by the parser and the HTTP/WS servers.
 */
import {
  GraphQLError,
  Kind,
  visit,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
  getNamedType,
  isListType,
  getNullableType,
  type GraphQLField,
  type GraphQLOutputType,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from './pagination.js';

export interface QueryLimits {
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Estimated cost: 1 per field, times the page size of every list it is nested in. */
  maxCost: number;
}

function limitError(code: string, message: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code } });
}

/** Page size a list field will return at most: its `first`/`last` argument, or the default page size. */
function multiplierOf(field: GraphQLField<unknown, unknown> | undefined, node: { arguments?: readonly any[] }, variables: Record<string, unknown>): number {
  if (!field) return 1;
  const args = node.arguments ?? [];
  for (const name of ['first', 'last']) {
    const arg = args.find((a) => a.name.value === name);
    if (!arg) continue;
    if (arg.value.kind === Kind.INT) return Math.max(1, Number(arg.value.value));
    if (arg.value.kind === Kind.VARIABLE) {
      const v = variables[arg.value.name.value];
      if (typeof v === 'number') return Math.max(1, v);
    }
  }
  const type = getNamedType(field.type);
  // Connections return pages; plain lists (lines of an order) are small, but still count.
  if (type.name.endsWith('Connection')) return DEFAULT_PAGE_SIZE;
  const unwrapped = getNullableType(field.type as GraphQLOutputType);
  return isListType(unwrapped) ? 10 : 1;
}

interface DocumentFacts {
  aliases: number;
  directives: number;
  /** 'query' when a string literal in the document holds a NUL character. */
  nul: string | undefined;
}

/**
 * What depends on the document alone, counted once per parsed document: Apollo (and the WebSocket path for a
 * repeated subscription) hands the same DocumentNode for the same text, so a hot query is not re-visited.
 */
const factsCache = new WeakMap<import('graphql').DocumentNode, DocumentFacts>();
function documentFacts(document: import('graphql').DocumentNode): DocumentFacts {
  let facts = factsCache.get(document);
  if (facts) return facts;
  let aliases = 0;
  let directives = 0;
  let nul: string | undefined;
  visit(document, {
    Field(node) {
      if (node.alias) aliases++;
    },
    Directive() {
      directives++;
    },
    StringValue(node) {
      if (node.value.includes('\u0000')) nul ??= 'query';
    },
  });
  facts = { aliases, directives, nul };
  factsCache.set(document, facts);
  return facts;
}

/** Depth and estimated cost of one operation, following fragments, with page sizes from the variables. */
export function measureOperation(
  schema: import('graphql').GraphQLSchema,
  document: import('graphql').DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): { depth: number; cost: number; aliases: number; directives: number; introspectionOnly: boolean } | undefined {
  const { aliases, directives } = documentFacts(document);
  const fragments = new Map<string, FragmentDefinitionNode>();
  let op: OperationDefinitionNode | undefined;
  for (const def of document.definitions) {
    if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
    if (def.kind === Kind.OPERATION_DEFINITION && (!operationName || def.name?.value === operationName)) op ??= def;
  }
  if (!op) return undefined;
  const root = op.operation === 'query' ? schema.getQueryType() : op.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  let maxDepth = 0;
  const walk = (set: SelectionSetNode, parent: any, depth: number, seen: Set<string>): number => {
    maxDepth = Math.max(maxDepth, depth);
    if (depth > 64) return 0; // deeper than any limit; stop walking
    let cost = 0;
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const fieldDef = parent && typeof parent.getFields === 'function' ? parent.getFields()[sel.name.value] : undefined;
        cost += 1;
        if (sel.selectionSet) {
          const child = fieldDef ? getNamedType(fieldDef.type) : undefined;
          // A connection's page size is counted on the connection field; its edges/nodes are that page.
          const inConnection = typeof parent?.name === 'string' && parent.name.endsWith('Connection');
          cost += (inConnection ? 1 : multiplierOf(fieldDef, sel, variables)) * walk(sel.selectionSet, child, depth + 1, seen);
        }
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        const child = sel.typeCondition ? schema.getType(sel.typeCondition.name.value) : parent;
        cost += walk(sel.selectionSet, child, depth, seen);
      } else {
        const frag = fragments.get(sel.name.value);
        if (!frag || seen.has(frag.name.value)) continue;
        cost += walk(frag.selectionSet, schema.getType(frag.typeCondition.name.value), depth, new Set(seen).add(frag.name.value));
      }
    }
    return cost;
  };
  const cost = walk(op.selectionSet, root, 0, new Set());
  const introspectionOnly = op.selectionSet.selections.every((sel) => sel.kind === Kind.FIELD && sel.name.value.startsWith('__'));
  return { depth: maxDepth, cost, aliases, directives, introspectionOnly };
}

/** The depth and cost verdict for an operation about to run (HTTP plugin and WebSocket onSubscribe share it). */
export function checkOperationCost(
  limits: QueryLimits,
  schema: import('graphql').GraphQLSchema,
  document: import('graphql').DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown> | null | undefined,
): GraphQLError | undefined {
  const nul = nulPath(variables ?? {}, []) ?? documentFacts(document).nul;
  if (nul !== undefined) {
    return new GraphQLError(`${nul}: must not contain NUL (\\u0000) characters`, { extensions: { code: 'BAD_USER_INPUT', field: nul } });
  }
  const m = measured(schema, document, operationName, variables ?? {});
  if (!m) return undefined;
  if (m.aliases > limits.maxAliases) return limitError('QUERY_TOO_MANY_ALIASES', `The document uses ${m.aliases} aliases; at most ${limits.maxAliases} are allowed`);
  if (m.directives > limits.maxDirectives) {
    return limitError('QUERY_TOO_MANY_DIRECTIVES', `The document uses ${m.directives} directives; at most ${limits.maxDirectives} are allowed`);
  }
  // The standard introspection query (GraphiQL, codegen) nests type references ~14 deep by design; it reads
  // only the schema, never data, and is switched off altogether where introspection is disabled.
  if (m.introspectionOnly) return undefined;
  if (m.depth > limits.maxDepth) return limitError('QUERY_TOO_DEEP', `The operation nests ${m.depth} levels deep; at most ${limits.maxDepth} are allowed`);
  if (m.cost > limits.maxCost) {
    return limitError('QUERY_TOO_COMPLEX', `The operation's estimated cost is ${m.cost}; at most ${limits.maxCost} is allowed (request smaller pages or fewer nested lists)`);
  }
  return undefined;
}

type Measure = ReturnType<typeof measureOperation>;
/**
 * Measures by parsed document (Apollo and the WebSocket document cache hand the same AST for the same text), then
 * by operation name and variables: a frontend sends the same few operations with the same few page sizes, and walking
 * the document against the schema was ~2 % of a small query's CPU. Bounded per document; only for small variables.
 */
const measures = new WeakMap<import('graphql').GraphQLSchema, WeakMap<import('graphql').DocumentNode, Map<string, Measure>>>();
const MEASURES_PER_DOCUMENT = 64;
const MEASURE_KEY_MAX = 2_000;
function measured(
  schema: import('graphql').GraphQLSchema,
  document: import('graphql').DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): Measure {
  const key = `${operationName ?? ''}\u0000${JSON.stringify(variables)}`;
  if (key.length > MEASURE_KEY_MAX) return measureOperation(schema, document, operationName, variables);
  let byDocument = measures.get(schema);
  if (!byDocument) measures.set(schema, (byDocument = new WeakMap()));
  let byKey = byDocument.get(document);
  if (byKey?.has(key)) return byKey.get(key);
  const m = measureOperation(schema, document, operationName, variables);
  if (!byKey) byDocument.set(document, (byKey = new Map()));
  if (byKey.size >= MEASURES_PER_DOCUMENT) byKey.clear();
  byKey.set(key, m);
  return m;
}

/**
 * PostgreSQL text cannot hold NUL characters; a string with one would fail deep inside a write. Refuse it
 * up front for every operation, naming where it was.
 */
function nulPath(value: unknown, path: (string | number)[]): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path.join('.') || '(value)' : undefined;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const p = nulPath(value[i], [...path, i]);
      if (p !== undefined) return p;
    }
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      const p = nulPath(v, [...path, k]);
      if (p !== undefined) return p;
    }
  }
  return undefined;
}
