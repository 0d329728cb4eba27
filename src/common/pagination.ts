import type { EntityManager, EntityName, FilterQuery } from '@mikro-orm/postgresql';
import { Kind, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { badInput } from './errors.js';
import { Context } from './context.js';
import { compileWhere, queryRows, rowMapper, type RowMapper } from './rows.js';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

@ArgsType()
export class PageArgs {
  @Field(() => Int, { nullable: true, description: `Page forward: at most this many items (0–${MAX_PAGE_SIZE}; default ${DEFAULT_PAGE_SIZE}).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Page forward: items after this cursor.' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Page backward: at most this many items (0–${MAX_PAGE_SIZE}).` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Page backward: items before this cursor.' })
  before?: string | null;
}

@ObjectType({ description: 'Relay page information.' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;
  @Field(() => Boolean)
  hasPreviousPage!: boolean;
  @Field(() => String, { nullable: true })
  startCursor!: string | null;
  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Page<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  /** A function, so the count query runs only when the client selects `totalCount`. */
  totalCount: () => Promise<number>;
}

/** Builds the `XConnection` and `XEdge` object types for a node type. */
export function Connection<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String, { description: 'Opaque cursor of this item for `after` / `before`.' })
    cursor!: string;
    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${name} items in a stable order.` })
  class ConnectionType implements Page<T> {
    @Field(() => [Edge])
    edges!: Edge[];
    @Field(() => [node], { description: 'The items of `edges`, without cursors.' })
    nodes!: T[];
    @Field(() => PageInfo)
    pageInfo!: PageInfo;
    // `simple` hands the field to graphql-js' default resolver, which calls function-valued properties:
    // the count query runs only when a client selects totalCount.
    @Field(() => Int, { simple: true, description: 'Items matching the filter, across all pages.' })
    totalCount!: () => Promise<number>;
  }
  return ConnectionType;
}

/** A sortable column: the property, its direction, and how its value survives a cursor. */
export interface SortSpec {
  /** Name used in cursors so a cursor from another ordering is refused. */
  name: string;
  property: string;
  direction: 'ASC' | 'DESC';
  kind: 'date' | 'number' | 'string';
}

interface CursorData {
  s: string;
  v: string | number;
  id: string;
}

export function encodeCursor(sort: SortSpec, value: unknown, id: string): string {
  const v = value instanceof Date ? value.toISOString() : (value as string | number);
  return Buffer.from(JSON.stringify({ s: sort.name, v, id } satisfies CursorData)).toString('base64url');
}

export function decodeCursor(field: string, cursor: string, sort: SortSpec): { value: unknown; id: string } {
  let data: CursorData;
  try {
    data = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as CursorData;
  } catch {
    throw badInput(field, 'is not a valid cursor (use a cursor returned by this list)');
  }
  if (!data || typeof data !== 'object' || typeof data.id !== 'string' || (typeof data.v !== 'string' && typeof data.v !== 'number')) {
    throw badInput(field, 'is not a valid cursor (use a cursor returned by this list)');
  }
  if (data.s !== sort.name) throw badInput(field, `is a cursor for ordering ${data.s}, not ${sort.name}`);
  let value: unknown = data.v;
  if (sort.kind === 'date') {
    const d = new Date(String(data.v));
    if (Number.isNaN(d.getTime())) throw badInput(field, 'is not a valid cursor (use a cursor returned by this list)');
    value = d;
  } else if (sort.kind === 'number' && typeof data.v !== 'number') {
    throw badInput(field, 'is not a valid cursor (use a cursor returned by this list)');
  }
  return { value, id: data.id };
}

export function pageSize(args: PageArgs): { size: number; backward: boolean } {
  if (args.first != null && args.last != null) throw badInput('last', 'cannot be combined with first');
  if (args.after != null && args.before != null) throw badInput('before', 'cannot be combined with after');
  const backward = args.last != null || (args.before != null && args.first == null);
  const raw = backward ? (args.last ?? DEFAULT_PAGE_SIZE) : (args.first ?? DEFAULT_PAGE_SIZE);
  const field = backward ? 'last' : 'first';
  if (!Number.isInteger(raw) || raw < 0 || raw > MAX_PAGE_SIZE) {
    throw badInput(field, `must be between 0 and ${MAX_PAGE_SIZE}`);
  }
  return { size: raw, backward };
}

/**
 * Whether the client selected `totalCount` on the connection this resolver returns (through fragments too). A list
 * that knows it before reading can fetch its page and its count in one statement (see `paginate`'s `withCount`).
 */
export function selectsTotalCount(info: GraphQLResolveInfo): boolean {
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>): boolean => {
    for (const sel of set?.selections ?? []) {
      if (sel.kind === Kind.FIELD) {
        if (sel.name.value === 'totalCount') return true;
      } else if (sel.kind === Kind.INLINE_FRAGMENT) {
        if (visit(sel.selectionSet, seen)) return true;
      } else if (!seen.has(sel.name.value)) {
        seen.add(sel.name.value);
        if (visit(info.fragments[sel.name.value]?.selectionSet, seen)) return true;
      }
    }
    return false;
  };
  return info.fieldNodes.some((node) => visit(node.selectionSet, new Set()));
}

/**
 * Keyset pagination over one entity: `ORDER BY sort, id` with a row-value comparison on the cursor,
 * so page N costs the same as page 1. Fetches one extra row to know whether another page exists.
 */
export async function paginate<T extends { id: string }>(
  /** A request context lets the hand-built path read without forking an EntityManager (Context.reader). */
  source: Context | EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  sort: SortSpec,
  args: PageArgs,
  opts: {
    rows?: boolean;
    /**
     * The client selected totalCount (selectsTotalCount): on the hand-built path the page and the count are read in
     * one statement, one round trip instead of two in a row (the count would otherwise be asked for only once the
     * page has been resolved).
     */
    withCount?: boolean;
  } = {},
): Promise<Page<T>> {
  const { size, backward } = pageSize(args);
  const cursorArg = backward ? args.before : args.after;
  const cursor = cursorArg != null ? decodeCursor(backward ? 'before' : 'after', cursorArg, sort) : undefined;
  // Paging backward walks the reverse order and flips the result.
  const dir = backward ? (sort.direction === 'ASC' ? 'DESC' : 'ASC') : sort.direction;
  const op = dir === 'ASC' ? '$gt' : '$lt';
  const conditions: any[] = [where];
  if (cursor) {
    conditions.push({
      $or: [{ [sort.property]: { [op]: cursor.value } }, { [sort.property]: cursor.value, id: { [op]: cursor.id } }],
    });
  }
  const orderBy = { [sort.property]: dir, id: dir } as any;
  const reader = source instanceof Context ? source.reader : source;
  const mapper = opts.rows ? rowMapper(reader, entity) : undefined;
  // Read-only lists outside a transaction: hand-built statements on the ORM's pool (common/rows.ts), when the
  // filter is one compileWhere understands; the ORM builds them otherwise. Same WHERE, ORDER BY and LIMIT either way.
  const direct =
    mapper && !reader.getTransactionContext() ? directList(mapper, where, { $and: conditions }, sort.property, dir, !!opts.withCount && size > 0) : undefined;
  // The ORM paths below need the request's own EntityManager.
  const em = direct ? reader : source instanceof Context ? source.em : source;
  let rows: T[];
  let total: number | undefined;
  if (size === 0) rows = [];
  else if (direct?.withCount) {
    // One row per item, each carrying the count; one row of NULL item columns when the page is empty.
    const found = await queryRows(em, direct.page, [...direct.pageParams, size + 1]);
    total = Number(found[0]!.__total);
    rows = found[0]!.__item === null ? [] : found.map((r) => mapper!.map(r));
  } else if (direct) {
    const found = await queryRows(em, direct.page, [...direct.pageParams, size + 1]);
    rows = found.map((r) => mapper!.map(r));
  } else if (mapper) {
    // Read-only lists: plain rows mapped once (common/rows.ts); the same WHERE, ORDER BY and LIMIT as em.find.
    const qb = em.createQueryBuilder(entity).select(mapper.props as any).where({ $and: conditions } as any).orderBy(orderBy).limit(size + 1);
    rows = ((await qb.execute('all', false)) as Record<string, unknown>[]).map((r) => mapper.map(r));
  } else {
    rows = (await em.find(entity, { $and: conditions } as FilterQuery<T>, { orderBy, limit: size + 1 })) as T[];
  }
  const more = rows.length > size;
  const slice = rows.slice(0, size);
  if (backward) slice.reverse();
  const cursorOf = (node: T) => encodeCursor(sort, (node as any)[sort.property], node.id);
  let edges: { cursor: string; node: T }[] | undefined;
  let counted: Promise<number> | undefined = total === undefined ? undefined : Promise.resolve(total);
  return {
    // Built when read: a client selecting only `nodes` does not pay for a cursor per row.
    get edges() {
      return (edges ??= slice.map((node) => ({ cursor: cursorOf(node), node })));
    },
    nodes: slice,
    pageInfo: {
      hasNextPage: backward ? cursor !== undefined : more,
      hasPreviousPage: backward ? more : cursor !== undefined,
      startCursor: slice.length ? cursorOf(slice[0]!) : null,
      endCursor: slice.length ? cursorOf(slice[slice.length - 1]!) : null,
    },
    totalCount: () =>
      (counted ??= direct ? queryRows(em, direct.count, direct.countParams).then((r) => Number(r[0]!.n)) : em.count(entity, where)),
  };
}

/**
 * The hand-built page and count statements (undefined when compileWhere cannot express the filter). With `withCount`
 * the page statement also carries the count (`__total`, `__item` null on an empty page): the count's parameters come
 * first and the page's are numbered on from them. The page's LIMIT is the one parameter left for the caller.
 */
function directList(m: RowMapper<any>, where: unknown, pageWhere: unknown, sortProperty: string, dir: 'ASC' | 'DESC', withCount: boolean) {
  const countParams: unknown[] = [];
  const countWhere = compileWhere(m, where, countParams);
  const pageParams: unknown[] = withCount ? [...countParams] : [];
  const pageCond = compileWhere(m, pageWhere, pageParams);
  if (countWhere === undefined || pageCond === undefined) return undefined;
  const sortColumn = `"${m.column(sortProperty)}"`;
  const idColumn = `"${m.column('id')}"`;
  const order = (prefix: string) => `${prefix}${sortColumn} ${dir}, ${prefix}${idColumn} ${dir}`;
  const page = `SELECT ${m.select} FROM ${m.table}${pageCond ? ` WHERE ${pageCond}` : ''} ORDER BY ${order('')} LIMIT $${pageParams.length + 1}`;
  const count = `SELECT count(*) AS n FROM ${m.table}${countWhere ? ` WHERE ${countWhere}` : ''}`;
  return {
    withCount,
    page: withCount ? `SELECT c.n AS "__total", p.${idColumn} AS "__item", p.* FROM (${count}) c LEFT JOIN LATERAL (${page}) p ON true ORDER BY ${order('p.')}` : page,
    pageParams,
    count,
    countParams,
  };
}
