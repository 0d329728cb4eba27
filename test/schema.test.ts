import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildAppSchema, printAppSchema } from '../src/app/schema.js';

describe('schema', () => {
  it('matches the committed schema/schema.graphql', async () => {
    expect(readFileSync('schema/schema.graphql', 'utf8')).toBe(await printAppSchema());
  });

  it('declares who may use every Query, Mutation and Subscription field', async () => {
    const schema = await buildAppSchema();
    const undeclared: string[] = [];
    for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      for (const field of Object.values(type?.getFields() ?? {})) {
        const access = field.extensions?.access as string[] | undefined;
        if (!access || access.length === 0) undeclared.push(`${type!.name}.${field.name}`);
        else expect(field.description).toMatch(/Access: /);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('never gives ANALYST a mutation', async () => {
    const schema = await buildAppSchema();
    const analystWrites = Object.values(schema.getMutationType()!.getFields())
      .filter((f) => (f.extensions?.access as string[]).includes('ANALYST'))
      .map((f) => f.name);
    expect(analystWrites).toEqual([]);
  });
});
