// Cold start: the compiled server is ~200 ES modules of our own, each resolved, read and linked at start. This
// bundles tsc's output (which keeps the decorator metadata type-graphql and MikroORM read) into one file in place
// of dist/src/main.js; packages stay in node_modules (MikroORM, knex and the migrations load theirs by name).
// Idempotent: bundling the bundle again changes nothing.
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const entry = path.join(root, 'dist/src/main.js');
await build({
  entryPoints: [entry],
  outfile: entry,
  allowOverwrite: true,
  bundle: true,
  packages: 'external',
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'linked',
  // type-graphql and MikroORM name GraphQL types and entities after their classes: esbuild must not rename them.
  keepNames: true,
  logLevel: 'warning',
});
