/**
 * Creates a staff user with the ADMIN role.
 *   npm run create-admin -- --email admin@example.com [--name "Ada Admin"]
 * The password is read from ADMIN_PASSWORD, or from standard input when that is not set.
 * Uses DATABASE_URL, or the embedded PostgreSQL of `npm start` when it is not set.
 */
import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline/promises';
import { loadConfig } from '../src/app/config.js';
import { startEmbeddedPostgres } from '../src/app/database.js';
import { initOrm } from '../src/app/orm.js';
import { createLogger } from '../src/common/logger.js';
import { Role } from '../src/common/auth/roles.js';
import { createStaffUser } from '../src/modules/identity/identity.service.js';
import { StaffUser } from '../src/modules/identity/staff-user.entity.js';

const { values } = parseArgs({ options: { email: { type: 'string' }, name: { type: 'string', default: 'Administrator' } } });
if (!values.email) {
  console.error('usage: npm run create-admin -- --email <email> [--name <name>]  (password from ADMIN_PASSWORD or stdin)');
  process.exit(2);
}
let password = process.env.ADMIN_PASSWORD;
if (!password) {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  password = (await rl.question('Password (at least 10 characters): ')).trim();
  rl.close();
}
const config = loadConfig({ ...process.env, ADMIN_EMAIL: '', ADMIN_PASSWORD: '' });
const logger = createLogger('warn');
const embedded = config.databaseUrl ? undefined : await startEmbeddedPostgres(config.embeddedPgDir, config.embeddedPgPort, logger);
const orm = await initOrm({ databaseUrl: config.databaseUrl ?? embedded!.url });
try {
  await orm.getMigrator().up();
  const result = await createStaffUser({ em: orm.em.fork() as any }, { email: values.email, name: values.name!, password, roles: [Role.ADMIN] });
  if (result instanceof StaffUser) console.log(`created ADMIN ${result.email}`);
  else {
    console.error(result.message);
    process.exitCode = 1;
  }
} catch (err) {
  console.error((err as Error).message);
  process.exitCode = 1;
} finally {
  await orm.close(true);
  await embedded?.stop();
}
