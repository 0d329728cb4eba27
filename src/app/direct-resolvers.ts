import { getMetadataStorage } from 'type-graphql';
import { GraphQLObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

/**
 * type-graphql runs every object-type field through its own wrapper, even when the field has no middleware and
 * no auth rule: per call it builds a resolver-data object, looks the resolver instance up by a linear search of its
 * container, sorts the parameter list and maps it to an argument array. On a page of 50 orders that is a few
 * thousand calls per request (a large share of the allocations of the read path). This replaces, after the schema
 * is built, the wrapper of exactly those fields that the wrapper adds nothing to:
 *
 * - plain fields (properties and getters) with no middleware and no roles: `root[name]`, what the wrapper returns;
 * - `@Field` getters of the object type (type-graphql's "internal" field resolvers — `Order.total`, …) with no
 *   middleware and no roles, on a root of that type: the getter's value (methods still go through type-graphql);
 * - `@FieldResolver` methods of resolver classes with no middleware and no roles whose parameters are only
 *   `@Root()`, `@Ctx()` and `@Info()`: the same method on the same kind of instance with the same arguments.
 *
 * Anything else — fields with `@Authorized`/`@Allow`, middlewares, `@Arg`/`@Args` (validation and conversion),
 * custom parameters, interface fields, root fields — keeps type-graphql's resolver untouched. A root value that is
 * not already an instance of the `@Root()` type also goes through the original, which converts it.
 */
export function installDirectResolvers(schema: GraphQLSchema, resolverClasses: readonly Function[]): { plain: number; getters: number; methods: number } {
  const storage = getMetadataStorage() as any;
  const instances = new Map<Function, object>();
  const instanceOf = (cls: Function) => {
    let i = instances.get(cls);
    if (!i) instances.set(cls, (i = new (cls as new () => object)()));
    return i;
  };
  const counts = { plain: 0, getters: 0, methods: 0 };
  const byMethod = new Map<string, any[]>();
  for (const r of storage.fieldResolvers as any[]) {
    const list = byMethod.get(r.methodName);
    if (list) list.push(r);
    else byMethod.set(r.methodName, [r]);
  }
  for (const ot of storage.objectTypes as any[]) {
    const type = schema.getType(ot.name);
    if (!(type instanceof GraphQLObjectType)) continue;
    const gqlFields = type.getFields();
    for (const f of ot.fields as any[]) {
      if (f.target !== ot.target) continue;
      const gqlField = gqlFields[f.schemaName];
      if (!gqlField?.resolve) continue;
      if (f.roles !== undefined || f.middlewares?.length) continue;
      // As type-graphql matches them: internal ones, or external ones of a resolver class the schema was built with.
      const resolvers = (byMethod.get(f.name) ?? []).filter(
        (r) => r.getObjectType?.() === f.target && (r.kind === 'internal' || resolverClasses.includes(r.target)),
      );
      if (resolvers.length === 0) {
        const name: string = f.name;
        gqlField.resolve = (root: any) => root[name];
        counts.plain++;
        continue;
      }
      if (resolvers.length !== 1) continue;
      const r = resolvers[0];
      if (r.roles !== undefined || r.middlewares?.length) continue;
      if (r.kind === 'internal') {
        // A getter (or method) of the object type itself; type-graphql converts the root to that type, reads the
        // property and calls it with its parameters when it is a method. Getters of a root of that type: read it.
        const original = gqlField.resolve;
        const objectType = r.getObjectType() as Function;
        const name: string = r.methodName;
        gqlField.resolve = (root, args, context, info) => {
          if (root == null || !(root instanceof objectType)) return original(root, args, context, info);
          const value = (root as any)[name];
          return typeof value === 'function' ? original(root, args, context, info) : value;
        };
        counts.getters++;
        continue;
      }
      if (r.kind !== 'external') continue;
      const params = [...((r.params ?? []) as any[])].sort((a, b) => a.index - b.index);
      if (!params.every((p, i) => p.index === i && (p.kind === 'context' || p.kind === 'info' || p.kind === 'root'))) continue;
      const method = r.target.prototype[r.methodName] as Function | undefined;
      if (typeof method !== 'function') continue;
      const rootParam = params.find((p) => p.kind === 'root');
      const rootType = rootParam?.getType?.();
      if (rootParam && rootParam.propertyName !== undefined) continue;
      const original = gqlField.resolve;
      const target = r.target as Function;
      const getters = params.map((p) => p.kind);
      const direct: GraphQLFieldResolver<any, any> = (root, args, context, info) => {
        // The original converts a root that is not an instance of the declared type; leave that case to it.
        if (typeof rootType === 'function' && root != null && !(root instanceof rootType)) return original(root, args, context, info);
        const argv = new Array(getters.length);
        for (let i = 0; i < getters.length; i++) {
          const k = getters[i];
          argv[i] = k === 'root' ? root : k === 'context' ? (params[i].propertyName ? context[params[i].propertyName] : context) : info;
        }
        return method.apply(instanceOf(target), argv);
      };
      gqlField.resolve = direct;
      counts.methods++;
    }
  }
  return counts;
}
