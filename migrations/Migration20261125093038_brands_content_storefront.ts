import { Migration } from '@mikro-orm/migrations';

export class Migration20261125093038_brands_content_storefront extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "content_type" as enum ('ARTICLE', 'VIDEO', 'SOCIAL_POST', 'LIVESTREAM', 'EMAIL');`);
    this.addSql(`create type "content_status" as enum ('PLANNED', 'PUBLISHED', 'ARCHIVED');`);
    this.addSql(`create table "brand" ("id" uuid not null, "name" text not null, "story" text not null default '', "positioning" text not null default '', "guidelines" text not null default '', "created_at" timestamptz not null, constraint "brand_pkey" primary key ("id"));`);
    this.addSql(`alter table "brand" add constraint "brand_name_unique" unique ("name");`);

    this.addSql(`create table "channel_storefront" ("id" uuid not null, "channel_id" uuid not null, "headline" text null, "banners" jsonb not null, "featured_product_ids" uuid[] not null, "updated_at" timestamptz not null, constraint "channel_storefront_pkey" primary key ("id"));`);
    this.addSql(`alter table "channel_storefront" add constraint "channel_storefront_channel_unique" unique ("channel_id");`);

    this.addSql(`create table "content_piece" ("id" uuid not null, "brand_id" uuid null, "campaign_id" uuid null, "type" "content_type" not null, "platform" text not null, "title" text not null, "status" "content_status" not null default 'PLANNED', "planned_for" timestamptz null, "published_at" timestamptz null, "views" int not null default 0, "likes" int not null default 0, "comments" int not null default 0, "shares" int not null default 0, "clicks" int not null default 0, "created_at" timestamptz not null, constraint "content_piece_pkey" primary key ("id"));`);
    this.addSql(`create index "content_piece_brand_idx" on "content_piece" ("brand_id");`);
    this.addSql(`create index "content_piece_campaign_idx" on "content_piece" ("campaign_id", "created_at", "id");`);
    this.addSql(`create index "content_piece_created_idx" on "content_piece" ("created_at", "id");`);

    this.addSql(`alter table "channel_storefront" add constraint "channel_storefront_channel_id_foreign" foreign key ("channel_id") references "channel" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "content_piece" add constraint "content_piece_brand_id_foreign" foreign key ("brand_id") references "brand" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "content_piece" add constraint "content_piece_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "content_piece" drop constraint "content_piece_brand_id_foreign";`);

    this.addSql(`drop table if exists "brand" cascade;`);

    this.addSql(`drop table if exists "channel_storefront" cascade;`);

    this.addSql(`drop table if exists "content_piece" cascade;`);

    this.addSql(`drop type "content_type";`);
    this.addSql(`drop type "content_status";`);
  }

}
