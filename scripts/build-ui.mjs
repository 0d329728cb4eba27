// Bundles the browser pages (GraphiQL and the service console) into dist/public, so the server serves
// every script itself: no CDN, works offline.
import { build } from 'esbuild';
import { cpSync, mkdirSync } from 'node:fs';

const out = 'dist/public';
mkdirSync(out, { recursive: true });
await build({
  entryPoints: { graphiql: 'ui/graphiql.tsx', console: 'ui/console.ts' },
  bundle: true,
  minify: true,
  format: 'iife',
  target: 'es2020',
  outdir: out,
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.woff': 'dataurl', '.woff2': 'dataurl', '.ttf': 'dataurl', '.svg': 'dataurl' },
  jsx: 'automatic',
  logLevel: 'warning',
});
for (const f of ['console.html', 'console.css', 'graphiql.html']) cpSync(`ui/${f}`, `${out}/${f}`);
console.log(`built ${out}`);
