/**
 * Read-only rows for the hot read path: hand-built SQL over the mapped columns, mapped once into objects that
 * carry the entity's prototype (so its getters — `total`, `displayNumber`, … — and `@Field`s work) but are not
 * managed by the ORM: no identity map, no change-set snapshot, no reference wrappers. A many-to-one is `{ id }`,
 * which is all field resolvers read (`order.customer.id`) and what a managed reference also offers.
 *
 * Use them only for data that goes straight to the response. Anything a service changes and flushes must come
 * from the EntityManager. Entities with shapes this mapper does not cover (embeddables, composite keys,
 * formulas) fall back to `em.find`, so a new column never silently goes missing.
 */
import type { EntityManager, EntityMetadata, EntityName, EntityProperty, FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from './context.js';

interface Column {
  prop: string;
  field: string;
  convert?: (value: any) => unknown;
  /** A many-to-one stored as this column: becomes `{ id }`. */
  ref: boolean;
}

export interface RowMapper<T> {
  meta: EntityMetadata<T>;
  /** `"table"` */
  table: string;
  /** `"a", "b", …` (every eager, persisted column) */
  select: string;
  /** The properties behind `select`, for a QueryBuilder. */
  props: string[];
  /** Column name of a property (scalar or many-to-one). */
  column(prop: string): string;
  map(row: Record<string, unknown>): T;
}

const mappers = new WeakMap<object, RowMapper<any> | null>();
const q = (id: string) => `"${id.replace(/"/g, '""')}"`;

/** The mapper of an entity, built once per process from ORM metadata; undefined when the shape is not covered. */
export function rowMapper<T extends object>(em: EntityManager, entity: EntityName<T>): RowMapper<T> | undefined {
  const key = entity as object;
  const cached = mappers.get(key);
  if (cached !== undefined) return cached ?? undefined;
  const built = buildMapper<T>(em, entity);
  mappers.set(key, built ?? null);
  return built;
}

function buildMapper<T extends object>(em: EntityManager, entity: EntityName<T>): RowMapper<T> | undefined {
  const meta = em.getMetadata().get<T>(entity as any);
  const platform = em.getPlatform();
  // Composite keys are fine: a row maps column by column; loaders by id only use single-key entities.
  if (meta.embeddable || meta.virtual) return undefined;
  const columns: Column[] = [];
  for (const prop of meta.props as EntityProperty<T>[]) {
    if (prop.persist === false || prop.lazy) continue;
    if (prop.kind === 'scalar') {
      if (prop.formula || prop.ref || prop.fieldNames?.length !== 1) return undefined;
      const customType = prop.customType;
      let convert: Column['convert'];
      if (customType) convert = (v) => customType.convertToJSValue(v, platform);
      else if (prop.runtimeType === 'boolean') convert = (v) => !!v;
      else if (prop.runtimeType === 'Date' && !platform.isNumericProperty(prop)) convert = (v) => (v instanceof Date ? v : new Date(v));
      columns.push({ prop: prop.name, field: prop.fieldNames[0]!, convert, ref: false });
    } else if (prop.kind === 'm:1' || (prop.kind === '1:1' && prop.owner)) {
      if (prop.fieldNames?.length !== 1 || prop.mapToPk || prop.ref) return undefined;
      columns.push({ prop: prop.name, field: prop.fieldNames[0]!, ref: true });
    } else if (prop.kind === '1:m' || prop.kind === 'm:n' || (prop.kind === '1:1' && !prop.owner)) {
      // Collections and inverse sides are loaded by loaders, never read from the entity on the read path.
      continue;
    } else {
      return undefined;
    }
  }
  const byProp = new Map(columns.map((c) => [c.prop, c.field]));
  return {
    meta,
    table: (meta.schema ? `${q(meta.schema)}.` : '') + q(meta.tableName),
    select: columns.map((c) => q(c.field)).join(', '),
    props: columns.map((c) => c.prop),
    column(prop: string) {
      const field = byProp.get(prop);
      if (!field) throw new Error(`${meta.className}.${prop} is not a mapped column`);
      return field;
    },
    map: compileMap<T>(meta.class.prototype, columns),
  };
}

/**
 * The row → object function of one entity, generated once: an object literal of every column, then the entity's
 * prototype. Assigning the properties one by one to `Object.create(prototype)` would run MikroORM's prototype
 * setters, which give each object a WrappedEntity and redefine every property on it (most of the cost of a page of
 * rows, and most of its garbage); a literal of a fixed shape has own data properties from the start and one hidden
 * class per entity.
 */
function compileMap<T>(proto: object, columns: Column[]): (row: Record<string, unknown>) => T {
  const converters = columns.map((c) => c.convert);
  const body = columns
    .map((c, i) => {
      const v = `r[${JSON.stringify(c.field)}]`;
      const value = c.ref ? `{ id: ${v} }` : c.convert ? `cv[${i}](${v})` : v;
      return `${JSON.stringify(c.prop)}: ${v} == null ? null : ${value}`;
    })
    .join(',\n');
  // eslint-disable-next-line @typescript-eslint/no-implied-eval -- built from ORM metadata only, never from input
  const factory = new Function('proto', 'cv', `return function mapRow(r) {\n const o = {\n${body}\n };\n Object.setPrototypeOf(o, proto);\n return o;\n};`);
  return factory(proto, converters) as (row: Record<string, unknown>) => T;
}

const OPERATORS: Record<string, string> = { $eq: '=', $gt: '>', $gte: '>=', $lt: '<', $lte: '<=' };

/**
 * A WHERE clause with `$n` parameters for the simple filters the read lists build — property equality, `$in`,
 * `$eq`/`$gt`/`$gte`/`$lt`/`$lte`, `null`, nested `$and`/`$or` — over columns of `m` that have no custom type.
 * Undefined for anything else (the caller then lets the ORM build the statement), so an unusual filter is never
 * translated half right. `params` receives the values; their numbers continue from its length.
 */
export function compileWhere(m: RowMapper<any>, where: unknown, params: unknown[]): string | undefined {
  if (where === null || typeof where !== 'object' || Array.isArray(where)) return undefined;
  const parts: string[] = [];
  for (const [key, value] of Object.entries(where as Record<string, unknown>)) {
    if (value === undefined) return undefined;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value)) return undefined;
      const inner: string[] = [];
      for (const w of value) {
        const c = compileWhere(m, w, params);
        if (c === undefined) return undefined;
        if (c !== '') inner.push(`(${c})`);
      }
      // MikroORM drops empty groups: `$and: []` and `$or: []` match everything.
      if (inner.length) parts.push(inner.join(key === '$and' ? ' AND ' : ' OR '));
      continue;
    }
    const prop = (m.meta.properties as Record<string, any>)[key];
    if (!prop || prop.customType || prop.persist === false || !(prop.kind === 'scalar' || prop.kind === 'm:1' || (prop.kind === '1:1' && prop.owner))) return undefined;
    if (prop.fieldNames?.length !== 1) return undefined;
    const col = q(prop.fieldNames[0]);
    const simple = (v: unknown) => v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date;
    if (value === null) {
      parts.push(`${col} IS NULL`);
    } else if (simple(value)) {
      params.push(value);
      parts.push(`${col} = $${params.length}`);
    } else if (typeof value === 'object' && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype) {
      for (const [op, v] of Object.entries(value as Record<string, unknown>)) {
        if (op === '$in') {
          if (!Array.isArray(v) || !v.every((x) => x !== null && simple(x))) return undefined;
          params.push(v);
          parts.push(`${col} = ANY($${params.length})`);
        } else if (OPERATORS[op] && v !== null && v !== undefined && simple(v)) {
          params.push(v);
          parts.push(`${col} ${OPERATORS[op]} $${params.length}`);
        } else {
          return undefined;
        }
      }
    } else {
      return undefined;
    }
  }
  return parts.join(' AND ');
}

/**
 * The EntityManager a row read of `entity` should use: the context's reader (no fork needed) when the read is a
 * hand-built statement — the entity has a row mapper and no transaction is open — and the request's own otherwise,
 * where rowsWhereIn falls back to the ORM.
 */
export function readerFor(ctx: Context, entity: EntityName<any>): EntityManager {
  const reader = ctx.reader;
  return rowMapper(reader, entity) && !reader.getTransactionContext() ? reader : ctx.em;
}

/** `SELECT … WHERE column = ANY($1) ORDER BY …` texts, built once per entity, key column and order. */
const whereInSql = new Map<string, string>();

/**
 * Rows of `entity` whose `column` is one of `keys`, in `orderBy` order; plain objects (see above), or managed
 * entities when the mapper does not cover the entity. One statement either way.
 */
export async function rowsWhereIn<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  prop: string,
  keys: readonly string[],
  orderBy: Record<string, 'ASC' | 'DESC'> = {},
): Promise<T[]> {
  const m = rowMapper(em, entity);
  if (!m) return (await em.find(entity, { [prop]: { $in: [...keys] } } as FilterQuery<T>, { orderBy: orderBy as any })) as T[];
  if (em.getTransactionContext()) {
    // Inside a transaction only the ORM knows the transaction's connection.
    const order = Object.entries(orderBy).map(([p, dir]) => `${q(m.column(p))} ${dir === 'DESC' ? 'DESC' : 'ASC'}`);
    const sql = `SELECT ${m.select} FROM ${m.table} WHERE ${q(m.column(prop))} IN (?)${order.length ? ` ORDER BY ${order.join(', ')}` : ''}`;
    const rows: Record<string, unknown>[] = await em.execute(sql, [[...keys]]);
    return rows.map((r) => m.map(r));
  }
  const cacheKey = `${m.meta.className}|${prop}|${Object.entries(orderBy).join(';')}`;
  let sql = whereInSql.get(cacheKey);
  if (sql === undefined) {
    const order = Object.entries(orderBy).map(([p, dir]) => `${q(m.column(p))} ${dir === 'DESC' ? 'DESC' : 'ASC'}`);
    sql = `SELECT ${m.select} FROM ${m.table} WHERE ${q(m.column(prop))} = ANY($1)${order.length ? ` ORDER BY ${order.join(', ')}` : ''}`;
    whereInSql.set(cacheKey, sql);
  }
  const rows = await queryRows(em, sql, [keys]);
  const out = new Array<T>(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = m.map(rows[i]!);
  return out;
}

/**
 * Runs a fixed, parameterised statement on a pooled connection of the ORM (same pool, same type parsers) and
 * logs it like the ORM does, so statement counts and query logs still see it. Skips the ORM's per-statement work
 * — building a knex query, inlining and escaping every parameter into the text — that a read of a few hundred ids
 * otherwise pays each time. Not for use inside a transaction (it takes its own connection): callers check
 * `em.getTransactionContext()` and go through the ORM there.
 */
export async function queryRows(em: EntityManager, sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
  const connection = em.getConnection();
  const client = connection.getKnex().client;
  const started = Date.now();
  let rows: Record<string, unknown>[];
  try {
    const conn = await client.acquireConnection();
    try {
      rows = (await conn.query(sql, params)).rows;
    } finally {
      await client.releaseConnection(conn);
    }
  } catch (err) {
    (connection as any).logQuery(sql, { took: Date.now() - started, level: 'error' });
    throw em.getDriver().convertException(err as Error);
  }
  (connection as any).logQuery(sql, { took: Date.now() - started, results: rows.length });
  return rows;
}
