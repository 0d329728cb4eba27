/** Writes docs/authorization-matrix.md from the schema's access declarations. */
import 'reflect-metadata';
import fs from 'node:fs';
import { buildAppSchema } from '../src/app/schema.js';
import { renderMatrix } from '../src/app/authz-matrix.js';

fs.mkdirSync('docs', { recursive: true });
fs.writeFileSync('docs/authorization-matrix.md', renderMatrix(await buildAppSchema()));
console.log('wrote docs/authorization-matrix.md');
