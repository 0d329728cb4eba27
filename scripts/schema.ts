/** emit: write schema/schema.graphql from the code. check: fail when the committed file differs. */
import 'reflect-metadata';
import fs from 'node:fs';
import { printAppSchema } from '../src/app/schema.js';

const FILE = 'schema/schema.graphql';
const sdl = await printAppSchema();
if (process.argv[2] === 'check') {
  const committed = fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : '';
  if (committed !== sdl) {
    console.error(`${FILE} differs from the schema the code emits. Run \`npm run schema:emit\` and commit the result.`);
    process.exit(1);
  }
  console.log(`${FILE} matches the code`);
} else {
  fs.mkdirSync('schema', { recursive: true });
  fs.writeFileSync(FILE, sdl);
  console.log(`wrote ${FILE}`);
}
