import { Migration } from '@mikro-orm/migrations';

export class Migration20261125092505_listings extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "listing_status" as enum ('DRAFT', 'PUBLISHED', 'DELISTED');`);
    this.addSql(`create table "listing" ("id" uuid not null, "product_id" uuid not null, "channel_id" uuid not null, "status" "listing_status" not null default 'DRAFT', "title" text not null, "description" text not null, "keywords" text[] not null, "seo_title" text null, "seo_description" text null, "published_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "listing_pkey" primary key ("id"));`);
    this.addSql(`create index "listing_channel_created_idx" on "listing" ("channel_id", "created_at", "id");`);
    this.addSql(`create index "listing_status_created_idx" on "listing" ("status", "created_at", "id");`);
    this.addSql(`create index "listing_created_idx" on "listing" ("created_at", "id");`);
    this.addSql(`alter table "listing" add constraint "listing_product_channel_unique" unique ("product_id", "channel_id");`);

    this.addSql(`create table "listing_status_change" ("id" uuid not null, "listing_id" uuid not null, "from_status" "listing_status" null, "to_status" "listing_status" not null, "reason" text null, "actor_kind" text not null, "actor_id" uuid null, "at" timestamptz not null, constraint "listing_status_change_pkey" primary key ("id"));`);
    this.addSql(`create index "listing_status_change_listing_idx" on "listing_status_change" ("listing_id", "at");`);

    this.addSql(`create table "listing_image" ("id" uuid not null, "listing_id" uuid not null, "position" smallint not null, "url" text not null, "alt_text" text null, constraint "listing_image_pkey" primary key ("id"));`);
    this.addSql(`create index "listing_image_listing_idx" on "listing_image" ("listing_id", "position");`);

    this.addSql(`create table "listing_daily_metric" ("id" uuid not null, "listing_id" uuid not null, "day" date not null, "impressions" int not null, "clicks" int not null, "add_to_carts" int not null, "orders" int not null, "revenue_amount" int not null, "currency" char(3) not null, constraint "listing_daily_metric_pkey" primary key ("id"));`);
    this.addSql(`create index "listing_daily_metric_day_idx" on "listing_daily_metric" ("day");`);
    this.addSql(`alter table "listing_daily_metric" add constraint "listing_daily_metric_listing_day_unique" unique ("listing_id", "day");`);

    this.addSql(`alter table "listing" add constraint "listing_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "listing" add constraint "listing_channel_id_foreign" foreign key ("channel_id") references "channel" ("id") on update cascade;`);

    this.addSql(`alter table "listing_status_change" add constraint "listing_status_change_listing_id_foreign" foreign key ("listing_id") references "listing" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "listing_image" add constraint "listing_image_listing_id_foreign" foreign key ("listing_id") references "listing" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "listing_daily_metric" add constraint "listing_daily_metric_listing_id_foreign" foreign key ("listing_id") references "listing" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "listing_status_change" drop constraint "listing_status_change_listing_id_foreign";`);

    this.addSql(`alter table "listing_image" drop constraint "listing_image_listing_id_foreign";`);

    this.addSql(`alter table "listing_daily_metric" drop constraint "listing_daily_metric_listing_id_foreign";`);

    this.addSql(`drop table if exists "listing" cascade;`);

    this.addSql(`drop table if exists "listing_status_change" cascade;`);

    this.addSql(`drop table if exists "listing_image" cascade;`);

    this.addSql(`drop table if exists "listing_daily_metric" cascade;`);

    this.addSql(`drop type "listing_status";`);
  }

}
