import { Migration } from '@mikro-orm/migrations';

export class Migration20261125090814_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "channel_type" as enum ('OWN_SITE', 'MARKETPLACE', 'SOCIAL', 'RETAIL');`);
    this.addSql(`create type "channel_status" as enum ('ACTIVE', 'INACTIVE');`);
    this.addSql(`create type "order_status" as enum ('PENDING_PAYMENT', 'PAID', 'CONFIRMED', 'PROCESSING', 'SHIPPED', 'DELIVERED', 'COMPLETED', 'CANCELLED');`);
    this.addSql(`create type "product_status" as enum ('DRAFT', 'ACTIVE', 'ARCHIVED');`);
    this.addSql(`create table "api_token" ("id" uuid not null, "name" text not null, "token_hash" text not null, "display_prefix" text not null, "roles" text[] not null, "created_by_id" uuid null, "created_at" timestamptz not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, constraint "api_token_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_token" add constraint "api_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "category" ("id" uuid not null, "name" text not null, "slug" text not null, "parent_id" uuid null, "path" uuid[] not null, "created_at" timestamptz not null, constraint "category_pkey" primary key ("id"));`);
    this.addSql(`alter table "category" add constraint "category_slug_unique" unique ("slug");`);
    this.addSql(`create index "category_parent_idx" on "category" ("parent_id");`);

    this.addSql(`create table "channel" ("id" uuid not null, "code" text not null, "name" text not null, "type" "channel_type" not null, "currency" char(3) not null, "status" "channel_status" not null default 'ACTIVE', "created_at" timestamptz not null, constraint "channel_pkey" primary key ("id"));`);
    this.addSql(`alter table "channel" add constraint "channel_code_unique" unique ("code");`);

    this.addSql(`create table "customer" ("id" uuid not null, "email" text not null, "name" text not null, "password_hash" text null, "created_at" timestamptz not null, constraint "customer_pkey" primary key ("id"));`);
    this.addSql(`alter table "customer" add constraint "customer_email_unique" unique ("email");`);
    this.addSql(`create index "customer_created_at_idx" on "customer" ("created_at", "id");`);

    this.addSql(`create table "sales_order" ("id" uuid not null, "number" int not null, "customer_id" uuid not null, "channel_id" uuid null, "status" "order_status" not null default 'PENDING_PAYMENT', "currency" char(3) not null, "subtotal_amount" int not null, "discount_amount" int not null default 0, "shipping_amount" int not null default 0, "tax_amount" int not null default 0, "total_amount" int not null, "note" text null, "idempotency_key" text null, "request_hash" text null, "placed_at" timestamptz not null, "updated_at" timestamptz not null, constraint "sales_order_pkey" primary key ("id"));`);
    this.addSql(`alter table "sales_order" add constraint "order_number_unique" unique ("number");`);
    this.addSql(`create index "order_channel_placed_at_idx" on "sales_order" ("channel_id", "placed_at", "id");`);
    this.addSql(`create index "order_customer_placed_at_idx" on "sales_order" ("customer_id", "placed_at", "id");`);
    this.addSql(`create index "order_status_placed_at_idx" on "sales_order" ("status", "placed_at", "id");`);
    this.addSql(`create index "order_total_idx" on "sales_order" ("total_amount", "id");`);
    this.addSql(`create index "order_placed_at_idx" on "sales_order" ("placed_at", "id");`);
    this.addSql(`alter table "sales_order" add constraint "order_customer_idempotency_unique" unique ("customer_id", "idempotency_key");`);

    this.addSql(`create table "order_status_change" ("id" uuid not null, "order_id" uuid not null, "from_status" "order_status" null, "to_status" "order_status" not null, "reason" text null, "actor_kind" text not null, "actor_id" uuid null, "at" timestamptz not null, constraint "order_status_change_pkey" primary key ("id"));`);
    this.addSql(`create index "order_status_change_order_idx" on "order_status_change" ("order_id", "at");`);

    this.addSql(`create table "event_outbox" ("id" bigserial primary key, "topic" text not null, "payload" jsonb not null, "created_at" timestamptz not null, "seq" bigint null, "published_at" timestamptz null);`);
    this.addSql(`alter table "event_outbox" add constraint "event_outbox_seq_unique" unique ("seq");`);
    this.addSql(`create index "event_outbox_unpublished_idx" on "event_outbox" ("seq") where "seq" is not null and "published_at" is null;`);
    this.addSql(`create index "event_outbox_unsequenced_idx" on "event_outbox" ("id") where "seq" is null;`);
    this.addSql(`create index "event_outbox_topic_seq_idx" on "event_outbox" ("topic", "seq");`);

    this.addSql(`create table "product" ("id" uuid not null, "name" text not null, "slug" text not null, "description" text not null default '', "category_id" uuid null, "status" "product_status" not null default 'DRAFT', "created_at" timestamptz not null, constraint "product_pkey" primary key ("id"));`);
    this.addSql(`alter table "product" add constraint "product_slug_unique" unique ("slug");`);
    this.addSql(`create index "product_category_idx" on "product" ("category_id");`);
    this.addSql(`create index "product_status_created_idx" on "product" ("status", "created_at", "id");`);

    this.addSql(`create table "product_variant" ("id" uuid not null, "product_id" uuid not null, "sku" text not null, "name" text not null, "price_amount" int not null, "currency" char(3) not null, "cost_amount" int null, "barcode" text null, "weight_grams" int null, "length_mm" int null, "width_mm" int null, "height_mm" int null, "active" boolean not null default true, constraint "product_variant_pkey" primary key ("id"));`);
    this.addSql(`alter table "product_variant" add constraint "product_variant_sku_unique" unique ("sku");`);
    this.addSql(`create index "product_variant_product_idx" on "product_variant" ("product_id");`);

    this.addSql(`create table "order_line" ("id" uuid not null, "order_id" uuid not null, "variant_id" uuid not null, "position" smallint not null, "sku" text not null, "title" text not null, "quantity" int not null, "unit_price_amount" int not null, "line_total_amount" int not null, "currency" char(3) not null, constraint "order_line_pkey" primary key ("id"));`);
    this.addSql(`create index "order_line_variant_idx" on "order_line" ("variant_id");`);
    this.addSql(`create index "order_line_order_idx" on "order_line" ("order_id", "position");`);

    this.addSql(`create table "staff_user" ("id" uuid not null, "email" text not null, "name" text not null, "password_hash" text not null, "roles" text[] not null, "active" boolean not null default true, "created_at" timestamptz not null, "last_login_at" timestamptz null, constraint "staff_user_pkey" primary key ("id"));`);
    this.addSql(`alter table "staff_user" add constraint "staff_user_email_unique" unique ("email");`);

    this.addSql(`alter table "category" add constraint "category_parent_id_foreign" foreign key ("parent_id") references "category" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "sales_order" add constraint "sales_order_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "sales_order" add constraint "sales_order_channel_id_foreign" foreign key ("channel_id") references "channel" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "order_status_change" add constraint "order_status_change_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "product" add constraint "product_category_id_foreign" foreign key ("category_id") references "category" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "product_variant" add constraint "product_variant_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order_line" add constraint "order_line_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "order_line" add constraint "order_line_variant_id_foreign" foreign key ("variant_id") references "product_variant" ("id") on update cascade;`);

    // Not modelled by entities: the order number sequence, and the trigger that wakes every
    // instance's outbox relay when a transaction that wrote events commits.
    this.addSql(`create index "category_path_gin_idx" on "category" using gin ("path");`);
    this.addSql(`create sequence "order_number_seq" start with 1001;`);
    this.addSql(`create function "notify_event_outbox"() returns trigger language plpgsql as $$ begin perform pg_notify('event_outbox', ''); return null; end $$;`);
    this.addSql(`create trigger "event_outbox_notify" after insert on "event_outbox" for each statement execute function "notify_event_outbox"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "event_outbox_notify" on "event_outbox";`);
    this.addSql(`drop function if exists "notify_event_outbox"();`);
    this.addSql(`drop sequence if exists "order_number_seq";`);
    this.addSql(`alter table "category" drop constraint "category_parent_id_foreign";`);

    this.addSql(`alter table "product" drop constraint "product_category_id_foreign";`);

    this.addSql(`alter table "sales_order" drop constraint "sales_order_channel_id_foreign";`);

    this.addSql(`alter table "sales_order" drop constraint "sales_order_customer_id_foreign";`);

    this.addSql(`alter table "order_status_change" drop constraint "order_status_change_order_id_foreign";`);

    this.addSql(`alter table "order_line" drop constraint "order_line_order_id_foreign";`);

    this.addSql(`alter table "product_variant" drop constraint "product_variant_product_id_foreign";`);

    this.addSql(`alter table "order_line" drop constraint "order_line_variant_id_foreign";`);

    this.addSql(`drop table if exists "api_token" cascade;`);

    this.addSql(`drop table if exists "category" cascade;`);

    this.addSql(`drop table if exists "channel" cascade;`);

    this.addSql(`drop table if exists "customer" cascade;`);

    this.addSql(`drop table if exists "sales_order" cascade;`);

    this.addSql(`drop table if exists "order_status_change" cascade;`);

    this.addSql(`drop table if exists "event_outbox" cascade;`);

    this.addSql(`drop table if exists "product" cascade;`);

    this.addSql(`drop table if exists "product_variant" cascade;`);

    this.addSql(`drop table if exists "order_line" cascade;`);

    this.addSql(`drop table if exists "staff_user" cascade;`);

    this.addSql(`drop type "channel_type";`);
    this.addSql(`drop type "channel_status";`);
    this.addSql(`drop type "order_status";`);
    this.addSql(`drop type "product_status";`);
  }

}
