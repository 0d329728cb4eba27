import { Migration } from '@mikro-orm/migrations';

export class Migration20261125100129_gaps extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "purchase_order" add column "replenishment_key" text null, add column "replenishment_hash" text null;`);
    this.addSql(`create index "purchase_order_replenishment_key_idx" on "purchase_order" ("replenishment_key");`);

    // Links written while shipments and returns were plain columns may point nowhere; they cannot satisfy the keys.
    this.addSql(`update "support_ticket" set "shipment_id" = null where "shipment_id" is not null and not exists (select 1 from "shipment" s where s."id" = "shipment_id");`);
    this.addSql(`update "support_ticket" set "return_id" = null where "return_id" is not null and not exists (select 1 from "return_request" r where r."id" = "return_id");`);
    this.addSql(`alter table "support_ticket" add constraint "support_ticket_shipment_id_foreign" foreign key ("shipment_id") references "shipment" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "support_ticket" add constraint "support_ticket_return_id_foreign" foreign key ("return_id") references "return_request" ("id") on update cascade on delete set null;`);
    this.addSql(`create index "support_ticket_return_idx" on "support_ticket" ("return_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "support_ticket" drop constraint "support_ticket_shipment_id_foreign";`);
    this.addSql(`alter table "support_ticket" drop constraint "support_ticket_return_id_foreign";`);

    this.addSql(`drop index "purchase_order_replenishment_key_idx";`);
    this.addSql(`alter table "purchase_order" drop column "replenishment_key", drop column "replenishment_hash";`);

    this.addSql(`drop index "support_ticket_return_idx";`);
  }

}
