/**
 * Migration commands.
 *   create [name]  diff the entities against a scratch database migrated to head; write a new migration
 *   check          fail when the entities differ from what the migrations build (an entity change without a migration)
 *   up             apply pending migrations to DATABASE_URL
 */
import 'reflect-metadata';
import { initOrm } from '../src/app/orm.js';
import { withScratchDatabase } from './pg-admin.js';

const [command, name] = process.argv.slice(2);

async function main() {
  if (command === 'up') {
    const url = process.env.DATABASE_URL;
    if (!url) throw new Error('DATABASE_URL is required for "up"');
    const orm = await initOrm({ databaseUrl: url });
    const applied = await orm.getMigrator().up();
    console.log(applied.length ? `applied: ${applied.map((m) => m.name).join(', ')}` : 'database is up to date');
    await orm.close();
    return;
  }
  if (command !== 'create' && command !== 'check') throw new Error('usage: migrations.ts create [name] | check | up');
  await withScratchDatabase('ecom_migrations', async (url) => {
    const orm = await initOrm({ databaseUrl: url });
    try {
      await orm.getMigrator().up();
      const diff = await orm.getSchemaGenerator().getUpdateSchemaSQL({ wrap: false });
      if (command === 'check') {
        if (diff.trim()) {
          console.error('Entities differ from the schema the migrations build. Run `npm run migration:create -- <name>`. Missing SQL:\n' + diff);
          process.exitCode = 1;
        } else {
          console.log('migrations match the entities');
        }
        return;
      }
      if (!diff.trim()) {
        console.log('no changes: entities already match the migrations');
        return;
      }
      const result = await orm.getMigrator().createMigration(undefined, false, false, name);
      console.log(`created migrations/${result.fileName}`);
    } finally {
      await orm.close(true);
    }
  });
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
