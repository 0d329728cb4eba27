import DataLoader from 'dataloader';
import type { EntityName, FilterQuery } from '@mikro-orm/postgresql';
import type { Context, LoaderFactory } from './context.js';

/** `<Entity>ByIdLoader`: one `WHERE id IN (...)` per request tick, whatever the number of rows asking. */
export function byIdLoader<T extends { id: string }>(entity: EntityName<T>): LoaderFactory<string, T | null> {
  return (ctx: Context) =>
    new DataLoader<string, T | null>(async (ids) => {
      const rows = (await ctx.em.find(entity, { id: { $in: [...ids] } } as unknown as FilterQuery<T>)) as T[];
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id) ?? null);
    });
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
      const groups = new Map<string, T[]>();
      for (const row of rows) {
        const key = parentIdOf(row);
        let g = groups.get(key);
        if (!g) groups.set(key, (g = []));
        g.push(row);
      }
      return parentIds.map((id) => groups.get(id) ?? []);
    });
}
