import { fileURLToPath } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
/** True when running compiled JavaScript from dist/. */
export const COMPILED = here.split(path.sep).includes('dist');
/** The project root, from source (src/app) or compiled (dist/src/app). */
export const ROOT = COMPILED ? path.resolve(here, '../../..') : path.resolve(here, '../..');
/** Bundled browser pages (npm run build:ui). */
export const PUBLIC_DIR = path.join(ROOT, 'dist', 'public');
