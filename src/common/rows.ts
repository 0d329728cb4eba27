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
  if (meta.primaryKeys.length !== 1 || meta.embeddable || meta.virtual) return undefined;
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
  const proto = meta.class.prototype;
  const plan = columns.map((c) => [c.prop, c.field, c.convert, c.ref] as const);
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
    map(row) {
      const o = Object.create(proto);
      for (const [prop, field, convert, ref] of plan) {
        const v = row[field];
        o[prop] = v == null ? null : ref ? { id: v } : convert ? convert(v) : v;
      }
      return o as T;
    },
  };
}

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
  const order = Object.entries(orderBy).map(([p, dir]) => `${q(m.column(p))} ${dir === 'DESC' ? 'DESC' : 'ASC'}`);
  const sql = `SELECT ${m.select} FROM ${m.table} WHERE ${q(m.column(prop))} IN (?)${order.length ? ` ORDER BY ${order.join(', ')}` : ''}`;
  const rows: Record<string, unknown>[] = await em.execute(sql, [[...keys]]);
  return rows.map((r) => m.map(r));
}
