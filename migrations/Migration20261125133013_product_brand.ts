import { Migration } from '@mikro-orm/migrations';

export class Migration20261125133013_product_brand extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "product" add column "brand_id" uuid null;`);
    this.addSql(`alter table "product" add constraint "product_brand_id_foreign" foreign key ("brand_id") references "brand" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "product_brand_idx" on "product" ("brand_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "product" drop constraint "product_brand_id_foreign";`);

    this.addSql(`drop index "product_brand_idx";`);
    this.addSql(`alter table "product" drop column "brand_id";`);
  }

}
