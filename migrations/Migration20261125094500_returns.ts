import { Migration } from '@mikro-orm/migrations';

export class Migration20261125094500_returns extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "return_status" as enum ('REQUESTED', 'APPROVED', 'REJECTED', 'IN_TRANSIT', 'RECEIVED', 'INSPECTED', 'REFUNDED', 'EXCHANGED', 'CLOSED', 'CANCELLED');`);
    this.addSql(`create type "return_resolution" as enum ('REFUND', 'EXCHANGE');`);
    this.addSql(`create type "return_refund_status" as enum ('PENDING', 'SUCCEEDED', 'FAILED');`);
    this.addSql(`create type "return_reason_code" as enum ('DAMAGED', 'DEFECTIVE', 'WRONG_ITEM', 'NOT_AS_DESCRIBED', 'WRONG_SIZE', 'NO_LONGER_NEEDED', 'OTHER');`);
    this.addSql(`create type "return_item_condition" as enum ('NEW', 'OPENED', 'USED', 'DAMAGED', 'DEFECTIVE');`);
    this.addSql(`create table "return_policy" ("id" uuid not null, "category_id" uuid null, "channel_id" uuid null, "window_days" int not null, "returnable" boolean not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "return_policy_pkey" primary key ("id"));`);
    this.addSql(`create index "return_policy_created_idx" on "return_policy" ("created_at", "id");`);
    this.addSql(`create index "return_policy_scope_idx" on "return_policy" ("category_id", "channel_id");`);

    this.addSql(`create table "return_request" ("id" uuid not null, "order_id" uuid not null, "customer_id" uuid not null, "status" "return_status" not null default 'REQUESTED', "resolution" "return_resolution" not null, "customer_note" text null, "photo_urls" jsonb not null, "replacement_order_id" uuid null, "exchange_request_hash" text null, "requested_at" timestamptz not null, "updated_at" timestamptz not null, constraint "return_request_pkey" primary key ("id"));`);
    this.addSql(`create index "return_request_replacement_order_idx" on "return_request" ("replacement_order_id");`);
    this.addSql(`create index "return_request_order_requested_idx" on "return_request" ("order_id", "requested_at", "id");`);
    this.addSql(`create index "return_request_customer_requested_idx" on "return_request" ("customer_id", "requested_at", "id");`);
    this.addSql(`create index "return_request_status_requested_idx" on "return_request" ("status", "requested_at", "id");`);
    this.addSql(`create index "return_request_requested_idx" on "return_request" ("requested_at", "id");`);

    this.addSql(`create table "return_status_change" ("id" uuid not null, "return_request_id" uuid not null, "from_status" "return_status" null, "to_status" "return_status" not null, "reason" text null, "actor_kind" text not null, "actor_id" uuid null, "at" timestamptz not null, constraint "return_status_change_pkey" primary key ("id"));`);
    this.addSql(`create index "return_status_change_return_idx" on "return_status_change" ("return_request_id", "at");`);

    this.addSql(`create table "return_refund" ("id" uuid not null, "return_request_id" uuid not null, "status" "return_refund_status" not null default 'PENDING', "requested_amount_minor" int not null, "amount_minor" int not null, "currency" char(3) not null, "return_line_ids" jsonb not null, "includes_shipping" boolean not null, "reason" text not null, "failure_reason" text null, "idempotency_key" text not null, "request_hash" text not null, "payment_transaction_id" uuid null, "created_at" timestamptz not null, "settled_at" timestamptz null, constraint "return_refund_pkey" primary key ("id"));`);
    this.addSql(`create index "return_refund_status_created_idx" on "return_refund" ("status", "created_at", "id");`);
    this.addSql(`create index "return_refund_return_idx" on "return_refund" ("return_request_id", "created_at", "id");`);
    this.addSql(`alter table "return_refund" add constraint "return_refund_key_unique" unique ("return_request_id", "idempotency_key");`);

    this.addSql(`create table "return_line" ("id" uuid not null, "return_request_id" uuid not null, "order_line_id" uuid not null, "position" smallint not null, "quantity" int not null, "reason_code" "return_reason_code" not null, "note" text null, "condition" "return_item_condition" null, "restockable" boolean null, "restock_warehouse_id" uuid null, "replacement_variant_id" uuid null, constraint "return_line_pkey" primary key ("id"));`);
    this.addSql(`create index "return_line_order_line_idx" on "return_line" ("order_line_id");`);
    this.addSql(`create index "return_line_return_idx" on "return_line" ("return_request_id", "position");`);

    this.addSql(`alter table "return_policy" add constraint "return_policy_category_id_foreign" foreign key ("category_id") references "category" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "return_policy" add constraint "return_policy_channel_id_foreign" foreign key ("channel_id") references "channel" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "return_request" add constraint "return_request_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade;`);
    this.addSql(`alter table "return_request" add constraint "return_request_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "return_request" add constraint "return_request_replacement_order_id_foreign" foreign key ("replacement_order_id") references "sales_order" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "return_status_change" add constraint "return_status_change_return_request_id_foreign" foreign key ("return_request_id") references "return_request" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "return_refund" add constraint "return_refund_return_request_id_foreign" foreign key ("return_request_id") references "return_request" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "return_refund" add constraint "return_refund_payment_transaction_id_foreign" foreign key ("payment_transaction_id") references "payment_transaction" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "return_line" add constraint "return_line_return_request_id_foreign" foreign key ("return_request_id") references "return_request" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "return_line" add constraint "return_line_order_line_id_foreign" foreign key ("order_line_id") references "order_line" ("id") on update cascade;`);
    this.addSql(`alter table "return_line" add constraint "return_line_restock_warehouse_id_foreign" foreign key ("restock_warehouse_id") references "warehouse" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "return_status_change" drop constraint "return_status_change_return_request_id_foreign";`);

    this.addSql(`alter table "return_refund" drop constraint "return_refund_return_request_id_foreign";`);

    this.addSql(`alter table "return_line" drop constraint "return_line_return_request_id_foreign";`);

    this.addSql(`drop table if exists "return_policy" cascade;`);

    this.addSql(`drop table if exists "return_request" cascade;`);

    this.addSql(`drop table if exists "return_status_change" cascade;`);

    this.addSql(`drop table if exists "return_refund" cascade;`);

    this.addSql(`drop table if exists "return_line" cascade;`);

    this.addSql(`drop type "return_status";`);
    this.addSql(`drop type "return_resolution";`);
    this.addSql(`drop type "return_refund_status";`);
    this.addSql(`drop type "return_reason_code";`);
    this.addSql(`drop type "return_item_condition";`);
  }

}
