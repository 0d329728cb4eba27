import DataLoader from 'dataloader';
import type { EntityName, FilterQuery } from '@mikro-orm/postgresql';
import type { Context, LoaderFactory } from './context.js';
import { readerFor, rowsWhereIn } from './rows.js';

/** Rows fetched for a batch of ids, answered in the batch's order (null for ids with no row). */
function byId<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

/** Rows fetched for a batch of parents, grouped per parent in fetch order (empty list for parents without any). */
function byParent<T>(parentIds: readonly string[], rows: T[], parentIdOf: (row: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = parentIdOf(row);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(row);
  }
  return parentIds.map((id) => groups.get(id) ?? []);
}

/** `<Entity>ByIdLoader`: one `WHERE id IN (...)` per request tick, whatever the number of rows asking. */
export function byIdLoader<T extends { id: string }>(entity: EntityName<T>): LoaderFactory<string, T | null> {
  return (ctx: Context) =>
    new DataLoader<string, T | null>(async (ids) =>
      byId(ids, (await ctx.em.find(entity, { id: { $in: [...ids] } } as unknown as FilterQuery<T>)) as T[]),
    );
}

/** `<Entities>By<Parent>IdLoader`: children of many parents in one query, each list in a stable order. */
export function childrenLoader<T extends object>(
  entity: EntityName<T>,
  foreignKey: string,
  orderBy: Record<string, 'ASC' | 'DESC'>,
  parentIdOf: (row: T) => string,
): LoaderFactory<string, T[]> {
  return (ctx: Context) =>
    new DataLoader<string, T[]>(async (parentIds) => {
      const rows = (await ctx.em.find(entity, { [foreignKey]: { $in: [...parentIds] } } as FilterQuery<T>, {
        orderBy: orderBy as any,
      })) as T[];
      return byParent(parentIds, rows, parentIdOf);
    });
}

/**
 * Read-only twin of `byIdLoader` for field resolvers whose result goes straight to the response: plain rows mapped
 * once (common/rows.ts) instead of managed entities, so a page of 50 orders does not pay for identity-map and
 * change-tracking work it never uses. Never hand its values to a service that changes them.
 */
export function rowByIdLoader<T extends { id: string }>(entity: EntityName<T>): LoaderFactory<string, T | null> {
  return (ctx: Context) => new DataLoader<string, T | null>(async (ids) => byId(ids, await rowsWhereIn(readerFor(ctx, entity), entity, 'id', ids)));
}

/** Read-only twin of `childrenLoader` (see `rowByIdLoader`): `foreignKey` is the many-to-one property. */
export function rowChildrenLoader<T extends object>(
  entity: EntityName<T>,
  foreignKey: string,
  orderBy: Record<string, 'ASC' | 'DESC'>,
  parentIdOf: (row: T) => string,
): LoaderFactory<string, T[]> {
  return (ctx: Context) =>
    new DataLoader<string, T[]>(async (parentIds) => byParent(parentIds, await rowsWhereIn(readerFor(ctx, entity), entity, foreignKey, parentIds, orderBy), parentIdOf));
}
