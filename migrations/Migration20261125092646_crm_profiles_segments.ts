import { Migration } from '@mikro-orm/migrations';

export class Migration20261125092646_crm_profiles_segments extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "customer_address" ("id" uuid not null, "customer_id" uuid not null, "label" text null, "line1" text not null, "line2" text null, "city" text not null, "postal_code" text not null, "country" char(2) not null, "created_at" timestamptz not null, constraint "customer_address_pkey" primary key ("id"));`);
    this.addSql(`create index "customer_address_customer_idx" on "customer_address" ("customer_id", "created_at", "id");`);

    this.addSql(`create table "customer_profile" ("id" uuid not null, "customer_id" uuid not null, "phone" text null, "email_consent" boolean not null default false, "sms_consent" boolean not null default false, "consent_updated_at" timestamptz null, "tags" text[] not null, "updated_at" timestamptz not null, constraint "customer_profile_pkey" primary key ("id"));`);
    this.addSql(`alter table "customer_profile" add constraint "customer_profile_customer_unique" unique ("customer_id");`);
    this.addSql(`create index "customer_profile_tags_gin_idx" on "customer_profile" using gin ("tags");`);

    this.addSql(`create table "segment" ("id" uuid not null, "name" text not null, "rules" jsonb not null, "currency" char(3) not null, "created_at" timestamptz not null, constraint "segment_pkey" primary key ("id"));`);
    this.addSql(`alter table "segment" add constraint "segment_name_unique" unique ("name");`);
    this.addSql(`create index "segment_created_idx" on "segment" ("created_at", "id");`);

    this.addSql(`alter table "customer_address" add constraint "customer_address_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);

    this.addSql(`alter table "customer_profile" add constraint "customer_profile_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "customer_address" cascade;`);

    this.addSql(`drop table if exists "customer_profile" cascade;`);

    this.addSql(`drop table if exists "segment" cascade;`);
  }

}
