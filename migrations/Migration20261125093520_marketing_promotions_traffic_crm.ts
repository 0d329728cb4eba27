import { Migration } from '@mikro-orm/migrations';

export class Migration20261125093520_marketing_promotions_traffic_crm extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "campaign_status" as enum ('SCHEDULED', 'ACTIVE', 'ENDED', 'CANCELLED');`);
    this.addSql(`create type "ad_platform" as enum ('SEARCH', 'SOCIAL', 'DISPLAY', 'MARKETPLACE');`);
    this.addSql(`create type "content_type" as enum ('ARTICLE', 'VIDEO', 'SOCIAL_POST', 'LIVESTREAM', 'EMAIL');`);
    this.addSql(`create type "content_status" as enum ('PLANNED', 'PUBLISHED', 'ARCHIVED');`);
    this.addSql(`create type "influencer_tier" as enum ('KOL', 'KOC');`);
    this.addSql(`create type "collaboration_status" as enum ('PROPOSED', 'AGREED', 'LIVE', 'COMPLETED', 'CANCELLED');`);
    this.addSql(`create type "loyalty_entry_kind" as enum ('EARN', 'REDEEM', 'REDEEM_REVERSAL', 'EXPIRE', 'ADJUST');`);
    this.addSql(`create type "promotion_kind" as enum ('PERCENT_OFF', 'FIXED_OFF', 'BUY_X_GET_Y', 'FREE_SHIPPING');`);
    this.addSql(`create type "promotion_target" as enum ('ORDER', 'PRODUCT', 'CATEGORY');`);
    this.addSql(`create type "promotion_status" as enum ('ACTIVE', 'PAUSED');`);
    this.addSql(`create type "device" as enum ('DESKTOP', 'MOBILE', 'TABLET', 'OTHER');`);
    this.addSql(`create type "funnel_step" as enum ('PRODUCT_VIEW', 'ADD_TO_CART', 'CHECKOUT_START', 'PURCHASE');`);
    this.addSql(`create table "brand" ("id" uuid not null, "name" text not null, "story" text not null default '', "positioning" text not null default '', "guidelines" text not null default '', "created_at" timestamptz not null, constraint "brand_pkey" primary key ("id"));`);
    this.addSql(`alter table "brand" add constraint "brand_name_unique" unique ("name");`);

    this.addSql(`create table "campaign" ("id" uuid not null, "name" text not null, "objective" text not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "budget_amount" int not null, "currency" char(3) not null, "status" "campaign_status" not null default 'SCHEDULED', "created_at" timestamptz not null, constraint "campaign_pkey" primary key ("id"));`);
    this.addSql(`create index "campaign_starts_idx" on "campaign" ("starts_at", "id");`);
    this.addSql(`create index "campaign_status_starts_idx" on "campaign" ("status", "starts_at", "id");`);

    this.addSql(`create table "ad_campaign" ("id" uuid not null, "name" text not null, "platform" "ad_platform" not null, "campaign_id" uuid null, "budget_amount" int not null, "currency" char(3) not null, "tracking_code" text not null, "created_at" timestamptz not null, constraint "ad_campaign_pkey" primary key ("id"));`);
    this.addSql(`alter table "ad_campaign" add constraint "ad_campaign_tracking_code_unique" unique ("tracking_code");`);
    this.addSql(`create index "ad_campaign_campaign_idx" on "ad_campaign" ("campaign_id");`);
    this.addSql(`create index "ad_campaign_created_idx" on "ad_campaign" ("created_at", "id");`);

    this.addSql(`create table "ad_daily_metric" ("id" uuid not null, "ad_campaign_id" uuid not null, "day" date not null, "spend_amount" int not null, "impressions" int not null, "clicks" int not null, constraint "ad_daily_metric_pkey" primary key ("id"));`);
    this.addSql(`alter table "ad_daily_metric" add constraint "ad_daily_metric_ad_day_unique" unique ("ad_campaign_id", "day");`);

    this.addSql(`create table "channel_storefront" ("id" uuid not null, "channel_id" uuid not null, "headline" text null, "banners" jsonb not null, "featured_product_ids" uuid[] not null, "updated_at" timestamptz not null, constraint "channel_storefront_pkey" primary key ("id"));`);
    this.addSql(`alter table "channel_storefront" add constraint "channel_storefront_channel_unique" unique ("channel_id");`);

    this.addSql(`create table "content_piece" ("id" uuid not null, "brand_id" uuid null, "campaign_id" uuid null, "type" "content_type" not null, "platform" text not null, "title" text not null, "status" "content_status" not null default 'PLANNED', "planned_for" timestamptz null, "published_at" timestamptz null, "views" int not null default 0, "likes" int not null default 0, "comments" int not null default 0, "shares" int not null default 0, "clicks" int not null default 0, "created_at" timestamptz not null, constraint "content_piece_pkey" primary key ("id"));`);
    this.addSql(`create index "content_piece_brand_idx" on "content_piece" ("brand_id");`);
    this.addSql(`create index "content_piece_campaign_idx" on "content_piece" ("campaign_id", "created_at", "id");`);
    this.addSql(`create index "content_piece_created_idx" on "content_piece" ("created_at", "id");`);

    this.addSql(`create table "customer_address" ("id" uuid not null, "customer_id" uuid not null, "label" text null, "line1" text not null, "line2" text null, "city" text not null, "postal_code" text not null, "country" char(2) not null, "created_at" timestamptz not null, constraint "customer_address_pkey" primary key ("id"));`);
    this.addSql(`create index "customer_address_customer_idx" on "customer_address" ("customer_id", "created_at", "id");`);

    this.addSql(`create table "customer_profile" ("id" uuid not null, "customer_id" uuid not null, "phone" text null, "email_consent" boolean not null default false, "sms_consent" boolean not null default false, "consent_updated_at" timestamptz null, "tags" text[] not null, "updated_at" timestamptz not null, constraint "customer_profile_pkey" primary key ("id"));`);
    this.addSql(`alter table "customer_profile" add constraint "customer_profile_customer_unique" unique ("customer_id");`);
    this.addSql(`create index "customer_profile_tags_gin_idx" on "customer_profile" using gin ("tags");`);

    this.addSql(`create table "influencer" ("id" uuid not null, "name" text not null, "platform" text not null, "handle" text not null, "tier" "influencer_tier" not null, "followers" int not null, "rate_amount" int not null, "currency" char(3) not null, "created_at" timestamptz not null, constraint "influencer_pkey" primary key ("id"));`);
    this.addSql(`create index "influencer_created_idx" on "influencer" ("created_at", "id");`);
    this.addSql(`alter table "influencer" add constraint "influencer_platform_handle_unique" unique ("platform", "handle");`);

    this.addSql(`create table "collaboration" ("id" uuid not null, "influencer_id" uuid not null, "campaign_id" uuid null, "fee_amount" int not null, "currency" char(3) not null, "deliverables" text not null, "coupon_code" text null, "tracking_code" text null, "status" "collaboration_status" not null default 'PROPOSED', "created_at" timestamptz not null, constraint "collaboration_pkey" primary key ("id"));`);
    this.addSql(`alter table "collaboration" add constraint "collaboration_coupon_code_unique" unique ("coupon_code");`);
    this.addSql(`alter table "collaboration" add constraint "collaboration_tracking_code_unique" unique ("tracking_code");`);
    this.addSql(`create index "collaboration_created_idx" on "collaboration" ("created_at", "id");`);
    this.addSql(`create index "collaboration_campaign_idx" on "collaboration" ("campaign_id", "created_at", "id");`);
    this.addSql(`create index "collaboration_influencer_idx" on "collaboration" ("influencer_id", "created_at", "id");`);

    this.addSql(`create table "membership_tier" ("id" uuid not null, "name" text not null, "threshold_amount" int not null, "currency" char(3) not null, "points_multiplier_percent" int not null, "free_shipping" boolean not null default false, "created_at" timestamptz not null, constraint "membership_tier_pkey" primary key ("id"));`);
    this.addSql(`alter table "membership_tier" add constraint "membership_tier_name_unique" unique ("name");`);
    this.addSql(`alter table "membership_tier" add constraint "membership_tier_threshold_unique" unique ("threshold_amount");`);
    this.addSql(`create index "membership_tier_threshold_idx" on "membership_tier" ("threshold_amount");`);

    this.addSql(`create table "customer_membership" ("id" uuid not null, "customer_id" uuid not null, "tier_id" uuid null, "spend_amount" int not null, "currency" char(3) not null, "updated_at" timestamptz not null, constraint "customer_membership_pkey" primary key ("id"));`);
    this.addSql(`alter table "customer_membership" add constraint "customer_membership_customer_unique" unique ("customer_id");`);
    this.addSql(`create index "customer_membership_tier_idx" on "customer_membership" ("tier_id");`);

    this.addSql(`create table "loyalty_entry" ("id" uuid not null, "customer_id" uuid not null, "kind" "loyalty_entry_kind" not null, "points" int not null, "order_id" uuid null, "reason" text null, "idempotency_key" text null, "request_hash" text null, "expires_at" timestamptz null, "expired_at" timestamptz null, "created_at" timestamptz not null, constraint "loyalty_entry_pkey" primary key ("id"));`);
    this.addSql(`create index "loyalty_entry_expiry_idx" on "loyalty_entry" ("expires_at") where "expired_at" is null and "kind" = 'EARN';`);
    this.addSql(`create index "loyalty_entry_order_idx" on "loyalty_entry" ("order_id");`);
    this.addSql(`create index "loyalty_entry_customer_created_idx" on "loyalty_entry" ("customer_id", "created_at", "id");`);
    this.addSql(`alter table "loyalty_entry" add constraint "loyalty_entry_customer_idempotency_unique" unique ("customer_id", "idempotency_key");`);

    this.addSql(`create table "order_attribution" ("id" uuid not null, "order_id" uuid not null, "session_key" text not null, constraint "order_attribution_pkey" primary key ("id"));`);
    this.addSql(`alter table "order_attribution" add constraint "order_attribution_order_unique" unique ("order_id");`);
    this.addSql(`create index "order_attribution_session_key_idx" on "order_attribution" ("session_key");`);

    this.addSql(`create table "promotion" ("id" uuid not null, "name" text not null, "kind" "promotion_kind" not null, "target" "promotion_target" not null, "target_id" uuid null, "percent" int null, "amount_off" int null, "buy_quantity" int null, "get_quantity" int null, "min_subtotal_amount" int not null default 0, "currency" char(3) not null, "starts_at" timestamptz null, "ends_at" timestamptz null, "coupon_code" text null, "usage_limit" int null, "per_customer_limit" int null, "used_count" int not null default 0, "stackable" boolean not null default true, "priority" int not null default 0, "status" "promotion_status" not null default 'ACTIVE', "campaign_id" uuid null, "created_at" timestamptz not null, constraint "promotion_pkey" primary key ("id"));`);
    this.addSql(`alter table "promotion" add constraint "promotion_coupon_code_unique" unique ("coupon_code");`);
    this.addSql(`create index "promotion_campaign_created_at_idx" on "promotion" ("campaign_id", "created_at", "id");`);
    this.addSql(`create index "promotion_status_created_at_idx" on "promotion" ("status", "created_at", "id");`);
    this.addSql(`create index "promotion_created_at_idx" on "promotion" ("created_at", "id");`);
    this.addSql(`create index "promotion_status_priority_idx" on "promotion" ("status", "priority", "id");`);

    this.addSql(`create table "promotion_usage" ("id" uuid not null, "promotion_id" uuid not null, "order_id" uuid not null, "customer_id" uuid not null, "position" smallint not null, "name" text not null, "coupon_code" text null, "discount_amount" int not null, "shipping_discount_amount" int not null default 0, "currency" char(3) not null, "released_at" timestamptz null, constraint "promotion_usage_pkey" primary key ("id"));`);
    this.addSql(`create index "promotion_usage_coupon_code_idx" on "promotion_usage" ("coupon_code");`);
    this.addSql(`create index "promotion_usage_promotion_customer_idx" on "promotion_usage" ("promotion_id", "customer_id");`);
    this.addSql(`create index "promotion_usage_order_idx" on "promotion_usage" ("order_id", "position");`);

    this.addSql(`create table "segment" ("id" uuid not null, "name" text not null, "rules" jsonb not null, "currency" char(3) not null, "created_at" timestamptz not null, constraint "segment_pkey" primary key ("id"));`);
    this.addSql(`alter table "segment" add constraint "segment_name_unique" unique ("name");`);
    this.addSql(`create index "segment_created_idx" on "segment" ("created_at", "id");`);

    this.addSql(`create table "traffic_session" ("id" uuid not null, "session_key" text not null, "customer_id" uuid null, "source" text not null, "medium" text not null, "campaign" text null, "channel_code" text null, "device" "device" not null, "started_at" timestamptz not null, constraint "traffic_session_pkey" primary key ("id"));`);
    this.addSql(`alter table "traffic_session" add constraint "traffic_session_key_unique" unique ("session_key");`);
    this.addSql(`create index "traffic_session_campaign_idx" on "traffic_session" ("campaign");`);
    this.addSql(`create index "traffic_session_channel_started_idx" on "traffic_session" ("channel_code", "started_at");`);
    this.addSql(`create index "traffic_session_source_started_idx" on "traffic_session" ("source", "started_at");`);
    this.addSql(`create index "traffic_session_started_idx" on "traffic_session" ("started_at");`);

    this.addSql(`create table "funnel_event" ("id" uuid not null, "event_key" text not null, "session_id" uuid not null, "step" "funnel_step" not null, "product_id" uuid null, "order_id" uuid null, "occurred_at" timestamptz not null, constraint "funnel_event_pkey" primary key ("id"));`);
    this.addSql(`alter table "funnel_event" add constraint "funnel_event_key_unique" unique ("event_key");`);
    this.addSql(`create index "funnel_event_step_occurred_idx" on "funnel_event" ("step", "occurred_at");`);
    this.addSql(`create index "funnel_event_session_idx" on "funnel_event" ("session_id", "step");`);

    this.addSql(`alter table "ad_campaign" add constraint "ad_campaign_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "ad_daily_metric" add constraint "ad_daily_metric_ad_campaign_id_foreign" foreign key ("ad_campaign_id") references "ad_campaign" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "channel_storefront" add constraint "channel_storefront_channel_id_foreign" foreign key ("channel_id") references "channel" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "content_piece" add constraint "content_piece_brand_id_foreign" foreign key ("brand_id") references "brand" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "content_piece" add constraint "content_piece_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "customer_address" add constraint "customer_address_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);

    this.addSql(`alter table "customer_profile" add constraint "customer_profile_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);

    this.addSql(`alter table "collaboration" add constraint "collaboration_influencer_id_foreign" foreign key ("influencer_id") references "influencer" ("id") on update cascade;`);
    this.addSql(`alter table "collaboration" add constraint "collaboration_campaign_id_foreign" foreign key ("campaign_id") references "campaign" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "customer_membership" add constraint "customer_membership_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "customer_membership" add constraint "customer_membership_tier_id_foreign" foreign key ("tier_id") references "membership_tier" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "loyalty_entry" add constraint "loyalty_entry_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "loyalty_entry" add constraint "loyalty_entry_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "order_attribution" add constraint "order_attribution_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "promotion_usage" add constraint "promotion_usage_promotion_id_foreign" foreign key ("promotion_id") references "promotion" ("id") on update cascade;`);
    this.addSql(`alter table "promotion_usage" add constraint "promotion_usage_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "promotion_usage" add constraint "promotion_usage_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);

    this.addSql(`alter table "funnel_event" add constraint "funnel_event_session_id_foreign" foreign key ("session_id") references "traffic_session" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "content_piece" drop constraint "content_piece_brand_id_foreign";`);

    this.addSql(`alter table "ad_campaign" drop constraint "ad_campaign_campaign_id_foreign";`);

    this.addSql(`alter table "content_piece" drop constraint "content_piece_campaign_id_foreign";`);

    this.addSql(`alter table "collaboration" drop constraint "collaboration_campaign_id_foreign";`);

    this.addSql(`alter table "ad_daily_metric" drop constraint "ad_daily_metric_ad_campaign_id_foreign";`);

    this.addSql(`alter table "collaboration" drop constraint "collaboration_influencer_id_foreign";`);

    this.addSql(`alter table "customer_membership" drop constraint "customer_membership_tier_id_foreign";`);

    this.addSql(`alter table "promotion_usage" drop constraint "promotion_usage_promotion_id_foreign";`);

    this.addSql(`alter table "funnel_event" drop constraint "funnel_event_session_id_foreign";`);

    this.addSql(`drop table if exists "brand" cascade;`);

    this.addSql(`drop table if exists "campaign" cascade;`);

    this.addSql(`drop table if exists "ad_campaign" cascade;`);

    this.addSql(`drop table if exists "ad_daily_metric" cascade;`);

    this.addSql(`drop table if exists "channel_storefront" cascade;`);

    this.addSql(`drop table if exists "content_piece" cascade;`);

    this.addSql(`drop table if exists "customer_address" cascade;`);

    this.addSql(`drop table if exists "customer_profile" cascade;`);

    this.addSql(`drop table if exists "influencer" cascade;`);

    this.addSql(`drop table if exists "collaboration" cascade;`);

    this.addSql(`drop table if exists "membership_tier" cascade;`);

    this.addSql(`drop table if exists "customer_membership" cascade;`);

    this.addSql(`drop table if exists "loyalty_entry" cascade;`);

    this.addSql(`drop table if exists "order_attribution" cascade;`);

    this.addSql(`drop table if exists "promotion" cascade;`);

    this.addSql(`drop table if exists "promotion_usage" cascade;`);

    this.addSql(`drop table if exists "segment" cascade;`);

    this.addSql(`drop table if exists "traffic_session" cascade;`);

    this.addSql(`drop table if exists "funnel_event" cascade;`);

    this.addSql(`drop type "campaign_status";`);
    this.addSql(`drop type "ad_platform";`);
    this.addSql(`drop type "content_type";`);
    this.addSql(`drop type "content_status";`);
    this.addSql(`drop type "influencer_tier";`);
    this.addSql(`drop type "collaboration_status";`);
    this.addSql(`drop type "loyalty_entry_kind";`);
    this.addSql(`drop type "promotion_kind";`);
    this.addSql(`drop type "promotion_target";`);
    this.addSql(`drop type "promotion_status";`);
    this.addSql(`drop type "device";`);
    this.addSql(`drop type "funnel_step";`);
  }

}
