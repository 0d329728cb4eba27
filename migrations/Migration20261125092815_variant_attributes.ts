import { Migration } from '@mikro-orm/migrations';

export class Migration20261125092815_variant_attributes extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "product_variant" add column "attributes" jsonb not null default '{}';`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "product_variant" drop column "attributes";`);
  }

}
