import { Migration } from '@mikro-orm/migrations';

export class Migration20261125092049_planning extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "pricing_strategy_kind" as enum ('COST_PLUS', 'COMPETITIVE', 'PREMIUM', 'PENETRATION');`);
    this.addSql(`create type "price_tier" as enum ('BUDGET', 'MID', 'PREMIUM', 'LUXURY');`);
    this.addSql(`create table "competitor" ("id" uuid not null, "name" text not null, "website" text null, "created_at" timestamptz not null, constraint "competitor_pkey" primary key ("id"));`);
    this.addSql(`alter table "competitor" add constraint "competitor_name_unique" unique ("name");`);
    this.addSql(`create index "competitor_name_idx" on "competitor" ("name", "id");`);

    this.addSql(`create table "market_study" ("id" uuid not null, "title" text not null, "period_start" timestamptz not null, "period_end" timestamptz not null, "target_segment" text not null, "findings" text not null, "tags" text[] not null, "created_at" timestamptz not null, constraint "market_study_pkey" primary key ("id"));`);
    this.addSql(`create index "market_study_tags_gin_idx" on "market_study" using gin ("tags");`);
    this.addSql(`create index "market_study_created_idx" on "market_study" ("created_at", "id");`);

    this.addSql(`create table "pricing_strategy" ("id" uuid not null, "product_id" uuid not null, "kind" "pricing_strategy_kind" not null, "target_margin_bps" int null, "competitor_offset_bps" int null, "min_margin_bps" int not null, "updated_at" timestamptz not null, constraint "pricing_strategy_pkey" primary key ("id"));`);
    this.addSql(`alter table "pricing_strategy" add constraint "pricing_strategy_product_unique" unique ("product_id");`);

    this.addSql(`create table "product_positioning" ("id" uuid not null, "product_id" uuid not null, "segment_ids" uuid[] not null, "statement" text not null, "price_tier" "price_tier" not null, "updated_at" timestamptz not null, constraint "product_positioning_pkey" primary key ("id"));`);
    this.addSql(`alter table "product_positioning" add constraint "product_positioning_product_unique" unique ("product_id");`);

    this.addSql(`create table "out_of_stock_view_signal" ("id" uuid not null, "day" date not null, "variant_id" uuid not null, "views" int not null, constraint "out_of_stock_view_signal_pkey" primary key ("id"));`);
    this.addSql(`alter table "out_of_stock_view_signal" add constraint "out_of_stock_view_signal_day_variant_unique" unique ("day", "variant_id");`);

    this.addSql(`create table "competitor_listing" ("id" uuid not null, "competitor_id" uuid not null, "variant_id" uuid not null, "channel" text not null, "url" text not null, "created_at" timestamptz not null, constraint "competitor_listing_pkey" primary key ("id"));`);
    this.addSql(`create index "competitor_listing_variant_idx" on "competitor_listing" ("variant_id");`);
    this.addSql(`alter table "competitor_listing" add constraint "competitor_listing_competitor_url_unique" unique ("competitor_id", "url");`);

    this.addSql(`create table "competitor_price_observation" ("id" uuid not null, "listing_id" uuid not null, "price_amount" int not null, "currency" char(3) not null, "in_stock" boolean not null, "observed_at" timestamptz not null, constraint "competitor_price_observation_pkey" primary key ("id"));`);
    this.addSql(`create index "competitor_price_observation_observed_idx" on "competitor_price_observation" ("observed_at");`);
    this.addSql(`alter table "competitor_price_observation" add constraint "competitor_price_observation_listing_at_unique" unique ("listing_id", "observed_at");`);

    this.addSql(`create table "search_term_signal" ("id" uuid not null, "day" date not null, "term" text not null, "searches" int not null, "result_count" int not null, constraint "search_term_signal_pkey" primary key ("id"));`);
    this.addSql(`alter table "search_term_signal" add constraint "search_term_signal_day_term_unique" unique ("day", "term");`);

    this.addSql(`create table "target_segment" ("id" uuid not null, "name" text not null, "description" text not null, constraint "target_segment_pkey" primary key ("id"));`);
    this.addSql(`alter table "target_segment" add constraint "target_segment_name_unique" unique ("name");`);

    this.addSql(`create table "variant_price_change" ("id" uuid not null, "variant_id" uuid not null, "old_price_amount" int not null, "new_price_amount" int not null, "currency" char(3) not null, "reason" text not null, "margin_floor_overridden" boolean not null default false, "margin_floor_override_reason" text null, "actor_kind" text not null, "actor_id" uuid null, "changed_at" timestamptz not null, constraint "variant_price_change_pkey" primary key ("id"));`);
    this.addSql(`create index "variant_price_change_variant_idx" on "variant_price_change" ("variant_id", "changed_at", "id");`);

    this.addSql(`alter table "pricing_strategy" add constraint "pricing_strategy_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "product_positioning" add constraint "product_positioning_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "out_of_stock_view_signal" add constraint "out_of_stock_view_signal_variant_id_foreign" foreign key ("variant_id") references "product_variant" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "competitor_listing" add constraint "competitor_listing_competitor_id_foreign" foreign key ("competitor_id") references "competitor" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "competitor_listing" add constraint "competitor_listing_variant_id_foreign" foreign key ("variant_id") references "product_variant" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "competitor_price_observation" add constraint "competitor_price_observation_listing_id_foreign" foreign key ("listing_id") references "competitor_listing" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "variant_price_change" add constraint "variant_price_change_variant_id_foreign" foreign key ("variant_id") references "product_variant" ("id") on update cascade on delete cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "competitor_listing" drop constraint "competitor_listing_competitor_id_foreign";`);

    this.addSql(`alter table "competitor_price_observation" drop constraint "competitor_price_observation_listing_id_foreign";`);

    this.addSql(`drop table if exists "competitor" cascade;`);

    this.addSql(`drop table if exists "market_study" cascade;`);

    this.addSql(`drop table if exists "pricing_strategy" cascade;`);

    this.addSql(`drop table if exists "product_positioning" cascade;`);

    this.addSql(`drop table if exists "out_of_stock_view_signal" cascade;`);

    this.addSql(`drop table if exists "competitor_listing" cascade;`);

    this.addSql(`drop table if exists "competitor_price_observation" cascade;`);

    this.addSql(`drop table if exists "search_term_signal" cascade;`);

    this.addSql(`drop table if exists "target_segment" cascade;`);

    this.addSql(`drop table if exists "variant_price_change" cascade;`);

    this.addSql(`drop type "pricing_strategy_kind";`);
    this.addSql(`drop type "price_tier";`);
  }

}
