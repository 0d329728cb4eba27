import { randomUUID } from 'node:crypto';
import { isEnumType, isInputObjectType, isListType, isNonNullType, isScalarType, type GraphQLInputType } from 'graphql';

/**
 * A syntactically valid value of any input type (required fields only), for tests that call every field of
 * the schema: ids are fresh UUIDs unless `fixedId` is given; strings are `text`.
 */
export function sampleValue(type: GraphQLInputType, opts: { fixedId?: string; text?: string } = {}): unknown {
  if (isNonNullType(type)) return sampleValue(type.ofType, opts);
  if (isListType(type)) return [sampleValue(type.ofType, opts)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(type.getFields())) if (isNonNullType(f.type) && f.defaultValue === undefined) out[f.name] = sampleValue(f.type, opts);
    return out;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return opts.fixedId ?? randomUUID();
      case 'Int':
      case 'Float':
      case 'SafeInt':
        return 1;
      case 'Boolean':
        return true;
      case 'DateTime':
      case 'DateTimeISO':
        return '2026-01-01T00:00:00.000Z';
      case 'JSON':
      case 'JSONObject':
        return {};
      default:
        return opts.text ?? 'x';
    }
  }
  return null;
}
