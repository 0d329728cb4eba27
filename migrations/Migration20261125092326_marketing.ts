import { Migration } from '@mikro-orm/migrations';

export class Migration20261125092326_marketing extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "campaign_status" as enum ('SCHEDULED', 'ACTIVE', 'ENDED', 'CANCELLED');`);
    this.addSql(`create type "ad_platform" as enum ('SEARCH', 'SOCIAL', 'DISPLAY', 'MARKETPLACE');`);
    this.addSql(`create type "influencer_tier" as enum ('KOL', 'KOC');`);
    this.addSql(`create type "collaboration_status" as enum ('PROPOSED', 'AGREED', 'LIVE', 'COMPLETED', 'CANCELLED');`);
    this.addSql(`create table "campaign" ("id" uuid not null, "name" text not null, "objective" text not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "budget_amount" int not null, "currency" char(3) not null, "status" "campaign_status" not null default 'SCHEDULED', "created_at" timestamptz not null, constraint "campaign_pkey" primary key ("id"));`);
    this.addSql(`create index "campaign_starts_idx" on "campaign" ("starts_at", "id");`);
    this.addSql(`create index "campaign_status_starts_idx" on "campaign" ("status", "starts_at", "id");`);

    this.addSql(`create table "ad_campaign" ("id" uuid not null, "name" text not null, "platform" "ad_platform" not null, "campaign_id" uuid null, "budget_amount" int not null, "currency" char(3) not null, "tracking_code" text not null, "created_at" timestamptz not null, constraint "ad_campaign_pkey" primary key ("id"));`);
    this.addSql(`alter table "ad_campaign" add constraint "ad_campaign_tracking_code_unique" unique ("tracking_code");`);
    this.addSql(`create index "ad_campaign_campaign_idx" on "ad_campaign" ("campaign_id");`);
    this.addSql(`create index "ad_campaign_created_idx" on "ad_campaign" ("created_at", "id");`);

    this.addSql(`create table "ad_daily_metric" ("id" uuid not null, "ad_campaign_id" uuid not null, "day" date not null, "spend_amount" int not null, "impressions" int not null, "clicks" int not null, constraint "ad_daily_metric_pkey" primary key ("id"));`);
    this.addSql(`alter table "ad_daily_metric" add constraint "ad_daily_metric_ad_day_unique" unique ("ad_campaign_id", "day");`);

    this.addSql(`create table "influencer" ("id" uuid not null, "name" text not null, "platform" text not null, "handle" text not null, "tier" "influencer_tier" not null, "followers" int not null, "rate_amount" int not null, "currency" char(3) not null, "created_at" timestamptz not null, constraint "influencer_pkey" primary key ("id"));`);
    this.addSql(`create index "influencer_created_idx" on "influencer" ("created_at", "id");`);
    this.addSql(`alter table "influencer" add constraint "influencer_platform_handle_unique" unique ("platform", "handle");`);

    this.addSql(`create table "collaboration" ("id" uuid not null, "influencer_id" uuid not null, "campaign_id" uuid null, "fee_amount" int not null, "currency" char(3) not null, "deliverables" text not null, "coupon_code" text null, "tracking_code" text null, "status" "collaboration_status" not null default 'PROPOSED', "created_at" timestamptz not null, constraint "collaboration_pkey" primary key ("id"));`);
    this.addSql(`alter table "collaboration" add constraint "collaboration_coupon_code_unique" unique ("coupon_code");`);
    this.addSql(`alter table "collaboration" add constraint "collaboration_tracking_code_unique" unique ("tracking_code");`);
    this.addSql(`create index "collaboration_created_idx" on "collaboration" ("created_at", "id");`);
    this.addSql(`create index "collaboration_campaign_idx" on "collaboration" ("campaign_id", "created_at", "id");`);
    this.addSql(`create index "collaboration_influencer_idx" on "collaboration" ("influencer_id", "created_at", "id");`);

    this.addSql(`alter table "ad_campaign" add constraint "ad_campaign_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "ad_daily_metric" add constraint "ad_daily_metric_ad_campaign_id_foreign" foreign key ("ad_campaign_id") references "ad_campaign" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "collaboration" add constraint "collaboration_influencer_id_foreign" foreign key ("influencer_id") references "influencer" ("id") on update cascade;`);
    this.addSql(`alter table "collaboration" add constraint "collaboration_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on update cascade on delete set null;`);

    this.addSql(`create index "promotion_usage_coupon_code_idx" on "promotion_usage" ("coupon_code");`);

    this.addSql(`create index "traffic_session_campaign_idx" on "traffic_session" ("campaign");`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "ad_campaign" drop constraint "ad_campaign_campaign_id_foreign";`);

    this.addSql(`alter table "collaboration" drop constraint "collaboration_campaign_id_foreign";`);

    this.addSql(`alter table "ad_daily_metric" drop constraint "ad_daily_metric_ad_campaign_id_foreign";`);

    this.addSql(`alter table "collaboration" drop constraint "collaboration_influencer_id_foreign";`);

    this.addSql(`drop table if exists "campaign" cascade;`);

    this.addSql(`drop table if exists "ad_campaign" cascade;`);

    this.addSql(`drop table if exists "ad_daily_metric" cascade;`);

    this.addSql(`drop table if exists "influencer" cascade;`);

    this.addSql(`drop table if exists "collaboration" cascade;`);

    this.addSql(`drop index "promotion_usage_coupon_code_idx";`);

    this.addSql(`drop index "traffic_session_campaign_idx";`);

    this.addSql(`drop type "campaign_status";`);
    this.addSql(`drop type "ad_platform";`);
    this.addSql(`drop type "influencer_tier";`);
    this.addSql(`drop type "collaboration_status";`);
  }

}
