// CI smoke: the schema a running server (the built bundle `npm start` runs) serves must be exactly the committed
// schema/schema.graphql. Catches build-only breakage that the tests (which run the TypeScript sources) cannot see,
// e.g. a bundler renaming the classes type-graphql names types after.
// Usage: node scripts/check-served-schema.mjs http://127.0.0.1:4599/graphql
import { readFileSync } from 'node:fs';
import { buildClientSchema, buildSchema, getIntrospectionQuery, lexicographicSortSchema, printSchema } from 'graphql';

const url = process.argv[2];
const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: getIntrospectionQuery({ specifiedByUrl: true, directiveIsRepeatable: true, inputValueDeprecation: true }) }) });
const body = await res.json();
if (!body.data) {
  console.error(`introspection failed: ${JSON.stringify(body.errors ?? body)}`);
  process.exit(1);
}
const print = (schema) => printSchema(lexicographicSortSchema(schema));
const served = print(buildClientSchema(body.data));
const committed = print(buildSchema(readFileSync(new URL('../schema/schema.graphql', import.meta.url), 'utf8')));
if (served !== committed) {
  const a = served.split('\n');
  const b = committed.split('\n');
  const i = a.findIndex((line, k) => line !== b[k]);
  console.error(`the running server's schema differs from schema/schema.graphql at line ${i + 1}:\n  served:    ${a[i]}\n  committed: ${b[i]}`);
  process.exit(1);
}
console.log('the running server serves schema/schema.graphql');
