import { Migration } from '@mikro-orm/migrations';

export class Migration20261125091424_procurement extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "supplier_status" as enum ('PROSPECT', 'APPROVED', 'SUSPENDED', 'BLOCKED');`);
    this.addSql(`create type "purchase_order_status" as enum ('DRAFT', 'SUBMITTED', 'CONFIRMED', 'PARTIALLY_RECEIVED', 'RECEIVED', 'CLOSED', 'CANCELLED');`);
    this.addSql(`create table "supplier" ("id" uuid not null, "name" text not null, "country" char(2) not null, "status" "supplier_status" not null default 'PROSPECT', "contacts" jsonb not null, "certifications" text[] not null, "created_at" timestamptz not null, constraint "supplier_pkey" primary key ("id"));`);
    this.addSql(`create index "supplier_status_name_idx" on "supplier" ("status", "name", "id");`);
    this.addSql(`create index "supplier_name_idx" on "supplier" ("name", "id");`);

    this.addSql(`create table "purchase_order" ("id" uuid not null, "supplier_id" uuid not null, "status" "purchase_order_status" not null default 'DRAFT', "currency" char(3) not null, "expected_at" timestamptz not null, "note" text null, "submitted_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "purchase_order_pkey" primary key ("id"));`);
    this.addSql(`create index "purchase_order_supplier_submitted_idx" on "purchase_order" ("supplier_id", "submitted_at");`);
    this.addSql(`create index "purchase_order_expected_idx" on "purchase_order" ("expected_at", "id");`);
    this.addSql(`create index "purchase_order_status_expected_idx" on "purchase_order" ("status", "expected_at", "id");`);
    this.addSql(`create index "purchase_order_created_idx" on "purchase_order" ("created_at", "id");`);

    this.addSql(`create table "purchase_order_status_change" ("id" uuid not null, "purchase_order_id" uuid not null, "from_status" "purchase_order_status" null, "to_status" "purchase_order_status" not null, "reason" text null, "actor_kind" text not null, "actor_id" uuid null, "at" timestamptz not null, constraint "purchase_order_status_change_pkey" primary key ("id"));`);
    this.addSql(`create index "purchase_order_status_change_po_idx" on "purchase_order_status_change" ("purchase_order_id", "at");`);

    this.addSql(`create table "purchase_order_receipt" ("id" uuid not null, "purchase_order_id" uuid not null, "warehouse_id" uuid not null, "received_at" timestamptz not null, "idempotency_key" text not null, "request_hash" text not null, constraint "purchase_order_receipt_pkey" primary key ("id"));`);
    this.addSql(`create index "purchase_order_receipt_po_idx" on "purchase_order_receipt" ("purchase_order_id", "received_at");`);
    this.addSql(`alter table "purchase_order_receipt" add constraint "purchase_order_receipt_idempotency_unique" unique ("purchase_order_id", "idempotency_key");`);

    this.addSql(`create table "purchase_order_line" ("id" uuid not null, "purchase_order_id" uuid not null, "variant_id" uuid not null, "position" smallint not null, "quantity" int not null, "unit_cost_amount" int not null, "currency" char(3) not null, "accepted_quantity" int not null default 0, "rejected_quantity" int not null default 0, constraint "purchase_order_line_pkey" primary key ("id"));`);
    this.addSql(`create index "purchase_order_line_variant_idx" on "purchase_order_line" ("variant_id");`);
    this.addSql(`create index "purchase_order_line_po_idx" on "purchase_order_line" ("purchase_order_id", "position");`);

    this.addSql(`create table "purchase_order_receipt_line" ("id" uuid not null, "receipt_id" uuid not null, "line_id" uuid not null, "accepted_quantity" int not null, "rejected_quantity" int not null, constraint "purchase_order_receipt_line_pkey" primary key ("id"));`);
    this.addSql(`create index "purchase_order_receipt_line_line_idx" on "purchase_order_receipt_line" ("line_id");`);
    this.addSql(`create index "purchase_order_receipt_line_receipt_idx" on "purchase_order_receipt_line" ("receipt_id");`);

    this.addSql(`create table "supplier_offer" ("id" uuid not null, "supplier_id" uuid not null, "variant_id" uuid not null, "unit_cost_amount" int not null, "currency" char(3) not null, "moq" int not null, "lead_time_days" int not null, "preferred" boolean not null default false, "updated_at" timestamptz not null, constraint "supplier_offer_pkey" primary key ("id"));`);
    this.addSql(`create index "supplier_offer_variant_idx" on "supplier_offer" ("variant_id");`);
    this.addSql(`alter table "supplier_offer" add constraint "supplier_offer_supplier_variant_unique" unique ("supplier_id", "variant_id");`);

    this.addSql(`create table "supplier_status_change" ("id" uuid not null, "supplier_id" uuid not null, "from_status" "supplier_status" null, "to_status" "supplier_status" not null, "reason" text null, "actor_kind" text not null, "actor_id" uuid null, "at" timestamptz not null, constraint "supplier_status_change_pkey" primary key ("id"));`);
    this.addSql(`create index "supplier_status_change_supplier_idx" on "supplier_status_change" ("supplier_id", "at");`);

    this.addSql(`alter table "purchase_order" add constraint "purchase_order_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id") on update cascade;`);

    this.addSql(`alter table "purchase_order_status_change" add constraint "purchase_order_status_change_purchase_order_id_foreign" foreign key ("purchase_order_id") references "purchase_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "purchase_order_receipt" add constraint "purchase_order_receipt_purchase_order_id_foreign" foreign key ("purchase_order_id") references "purchase_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "purchase_order_line" add constraint "purchase_order_line_purchase_order_id_foreign" foreign key ("purchase_order_id") references "purchase_order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "purchase_order_line" add constraint "purchase_order_line_variant_id_foreign" foreign key ("variant_id") references "product_variant" ("id") on update cascade;`);

    this.addSql(`alter table "purchase_order_receipt_line" add constraint "purchase_order_receipt_line_receipt_id_foreign" foreign key ("receipt_id") references "purchase_order_receipt" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "purchase_order_receipt_line" add constraint "purchase_order_receipt_line_line_id_foreign" foreign key ("line_id") references "purchase_order_line" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "supplier_offer" add constraint "supplier_offer_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "supplier_offer" add constraint "supplier_offer_variant_id_foreign" foreign key ("variant_id") references "product_variant" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "supplier_status_change" add constraint "supplier_status_change_supplier_id_foreign" foreign key ("supplier_id") references "supplier" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "purchase_order" drop constraint "purchase_order_supplier_id_foreign";`);

    this.addSql(`alter table "supplier_offer" drop constraint "supplier_offer_supplier_id_foreign";`);

    this.addSql(`alter table "supplier_status_change" drop constraint "supplier_status_change_supplier_id_foreign";`);

    this.addSql(`alter table "purchase_order_status_change" drop constraint "purchase_order_status_change_purchase_order_id_foreign";`);

    this.addSql(`alter table "purchase_order_receipt" drop constraint "purchase_order_receipt_purchase_order_id_foreign";`);

    this.addSql(`alter table "purchase_order_line" drop constraint "purchase_order_line_purchase_order_id_foreign";`);

    this.addSql(`alter table "purchase_order_receipt_line" drop constraint "purchase_order_receipt_line_receipt_id_foreign";`);

    this.addSql(`alter table "purchase_order_receipt_line" drop constraint "purchase_order_receipt_line_line_id_foreign";`);

    this.addSql(`drop table if exists "supplier" cascade;`);

    this.addSql(`drop table if exists "purchase_order" cascade;`);

    this.addSql(`drop table if exists "purchase_order_status_change" cascade;`);

    this.addSql(`drop table if exists "purchase_order_receipt" cascade;`);

    this.addSql(`drop table if exists "purchase_order_line" cascade;`);

    this.addSql(`drop table if exists "purchase_order_receipt_line" cascade;`);

    this.addSql(`drop table if exists "supplier_offer" cascade;`);

    this.addSql(`drop table if exists "supplier_status_change" cascade;`);

    this.addSql(`drop type "supplier_status";`);
    this.addSql(`drop type "purchase_order_status";`);
  }

}
