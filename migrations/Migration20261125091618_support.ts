import { Migration } from '@mikro-orm/migrations';

export class Migration20261125091618_support extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "ticket_priority" as enum ('LOW', 'NORMAL', 'HIGH', 'URGENT');`);
    this.addSql(`create type "ticket_channel" as enum ('EMAIL', 'CHAT', 'PHONE', 'SOCIAL', 'IN_APP');`);
    this.addSql(`create type "ticket_category" as enum ('INQUIRY', 'COMPLAINT', 'LOGISTICS', 'RETURN', 'PRODUCT_QUALITY', 'OTHER');`);
    this.addSql(`create type "ticket_status" as enum ('NEW', 'OPEN', 'PENDING_CUSTOMER', 'RESOLVED', 'CLOSED');`);
    this.addSql(`create type "ticket_message_author_kind" as enum ('CUSTOMER', 'AGENT', 'SYSTEM');`);
    this.addSql(`create table "support_sla_policy" ("id" uuid not null, "priority" "ticket_priority" not null, "first_response_minutes" int not null, "resolution_minutes" int not null, "updated_at" timestamptz not null, constraint "support_sla_policy_pkey" primary key ("id"));`);
    this.addSql(`alter table "support_sla_policy" add constraint "support_sla_policy_priority_unique" unique ("priority");`);

    this.addSql(`create table "support_ticket" ("id" uuid not null, "number" int not null, "customer_id" uuid not null, "order_id" uuid null, "shipment_id" uuid null, "return_id" uuid null, "channel" "ticket_channel" not null, "category" "ticket_category" not null, "priority" "ticket_priority" not null, "status" "ticket_status" not null default 'NEW', "subject" text not null, "assignee_id" uuid null, "tags" text[] not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "first_response_due_at" timestamptz not null, "resolution_due_at" timestamptz not null, "first_responded_at" timestamptz null, "resolved_at" timestamptz null, "closed_at" timestamptz null, "first_response_breached_at" timestamptz null, "resolution_breached_at" timestamptz null, "next_due_at" timestamptz null, "satisfaction_rating" smallint null, "satisfaction_comment" text null, "rated_at" timestamptz null, constraint "support_ticket_pkey" primary key ("id"));`);
    this.addSql(`alter table "support_ticket" add constraint "support_ticket_number_unique" unique ("number");`);
    this.addSql(`create index "support_ticket_tags_gin_idx" on "support_ticket" using gin ("tags");`);
    this.addSql(`create index "support_ticket_shipment_idx" on "support_ticket" ("shipment_id", "category");`);
    this.addSql(`create index "support_ticket_order_idx" on "support_ticket" ("order_id");`);
    this.addSql(`create index "support_ticket_next_due_idx" on "support_ticket" ("next_due_at", "id");`);
    this.addSql(`create index "support_ticket_priority_created_idx" on "support_ticket" ("priority", "created_at");`);
    this.addSql(`create index "support_ticket_category_created_idx" on "support_ticket" ("category", "created_at");`);
    this.addSql(`create index "support_ticket_assignee_status_idx" on "support_ticket" ("assignee_id", "status", "created_at");`);
    this.addSql(`create index "support_ticket_customer_created_idx" on "support_ticket" ("customer_id", "created_at", "id");`);
    this.addSql(`create index "support_ticket_status_created_idx" on "support_ticket" ("status", "created_at", "id");`);
    this.addSql(`create index "support_ticket_created_idx" on "support_ticket" ("created_at", "id");`);

    this.addSql(`create table "support_ticket_message" ("id" uuid not null, "ticket_id" uuid not null, "author_kind" "ticket_message_author_kind" not null, "author_id" uuid null, "body" text not null, "internal" boolean not null default false, "created_at" timestamptz not null, constraint "support_ticket_message_pkey" primary key ("id"));`);
    this.addSql(`create index "support_ticket_message_ticket_idx" on "support_ticket_message" ("ticket_id", "created_at", "id");`);

    this.addSql(`create table "support_ticket_product" ("id" uuid not null, "ticket_id" uuid not null, "product_id" uuid not null, constraint "support_ticket_product_pkey" primary key ("id"));`);
    this.addSql(`create index "support_ticket_product_product_idx" on "support_ticket_product" ("product_id", "ticket_id");`);
    this.addSql(`alter table "support_ticket_product" add constraint "support_ticket_product_unique" unique ("ticket_id", "product_id");`);

    this.addSql(`alter table "support_ticket" add constraint "support_ticket_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "support_ticket" add constraint "support_ticket_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "support_ticket" add constraint "support_ticket_assignee_id_foreign" foreign key ("assignee_id") references "staff_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "support_ticket_message" add constraint "support_ticket_message_ticket_id_foreign" foreign key ("ticket_id") references "support_ticket" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "support_ticket_product" add constraint "support_ticket_product_ticket_id_foreign" foreign key ("ticket_id") references "support_ticket" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "support_ticket_product" add constraint "support_ticket_product_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade;`);

    // Not modelled by entities: the ticket number sequence, and a default SLA policy for every priority
    // (policies are only ever updated, so due times can always be computed).
    this.addSql(`create sequence "support_ticket_number_seq" start with 1001;`);
    this.addSql(`insert into "support_sla_policy" ("id", "priority", "first_response_minutes", "resolution_minutes", "updated_at") values
      (gen_random_uuid(), 'URGENT', 30, 240, now()),
      (gen_random_uuid(), 'HIGH', 60, 480, now()),
      (gen_random_uuid(), 'NORMAL', 240, 1440, now()),
      (gen_random_uuid(), 'LOW', 1440, 4320, now());`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop sequence if exists "support_ticket_number_seq";`);
    this.addSql(`alter table "support_ticket_message" drop constraint "support_ticket_message_ticket_id_foreign";`);

    this.addSql(`alter table "support_ticket_product" drop constraint "support_ticket_product_ticket_id_foreign";`);

    this.addSql(`drop table if exists "support_sla_policy" cascade;`);

    this.addSql(`drop table if exists "support_ticket" cascade;`);

    this.addSql(`drop table if exists "support_ticket_message" cascade;`);

    this.addSql(`drop table if exists "support_ticket_product" cascade;`);

    this.addSql(`drop type "ticket_priority";`);
    this.addSql(`drop type "ticket_channel";`);
    this.addSql(`drop type "ticket_category";`);
    this.addSql(`drop type "ticket_status";`);
    this.addSql(`drop type "ticket_message_author_kind";`);
  }

}
