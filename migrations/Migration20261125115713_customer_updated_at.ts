import { Migration } from '@mikro-orm/migrations';

export class Migration20261125115713_customer_updated_at extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "customer" add column "updated_at" timestamptz not null default now();`);
    // Existing customers last changed when they were created.
    this.addSql(`update "customer" set "updated_at" = "created_at";`);
    this.addSql(`create index "customer_updated_at_idx" on "customer" ("updated_at", "id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "customer_updated_at_idx";`);
    this.addSql(`alter table "customer" drop column "updated_at";`);
  }

}
