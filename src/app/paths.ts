import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
/** True when running compiled JavaScript from dist/ (tsc output, or the server bundle dist/server.js). */
export const COMPILED = here.split(path.sep).includes('dist');
/** The project root, from source (src/app), compiled (dist/src/app) or bundled (dist/). */
export const ROOT = COMPILED ? path.resolve(here.slice(0, here.lastIndexOf(`${path.sep}dist`))) : path.resolve(here, '../..');
/** Bundled browser pages (npm run build:ui). */
export const PUBLIC_DIR = path.join(ROOT, 'dist', 'public');
