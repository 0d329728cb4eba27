import { Migration } from '@mikro-orm/migrations';

export class Migration20261125091409_promotions extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "promotion_kind" as enum ('PERCENT_OFF', 'FIXED_OFF', 'BUY_X_GET_Y', 'FREE_SHIPPING');`);
    this.addSql(`create type "promotion_target" as enum ('ORDER', 'PRODUCT', 'CATEGORY');`);
    this.addSql(`create type "promotion_status" as enum ('ACTIVE', 'PAUSED');`);
    this.addSql(`create table "promotion" ("id" uuid not null, "name" text not null, "kind" "promotion_kind" not null, "target" "promotion_target" not null, "target_id" uuid null, "percent" int null, "amount_off" int null, "buy_quantity" int null, "get_quantity" int null, "min_subtotal_amount" int not null default 0, "currency" char(3) not null, "starts_at" timestamptz null, "ends_at" timestamptz null, "coupon_code" text null, "usage_limit" int null, "per_customer_limit" int null, "used_count" int not null default 0, "stackable" boolean not null default true, "priority" int not null default 0, "status" "promotion_status" not null default 'ACTIVE', "campaign_id" uuid null, "created_at" timestamptz not null, constraint "promotion_pkey" primary key ("id"));`);
    this.addSql(`alter table "promotion" add constraint "promotion_coupon_code_unique" unique ("coupon_code");`);
    this.addSql(`create index "promotion_campaign_created_at_idx" on "promotion" ("campaign_id", "created_at", "id");`);
    this.addSql(`create index "promotion_created_at_idx" on "promotion" ("created_at", "id");`);
    this.addSql(`create index "promotion_status_priority_idx" on "promotion" ("status", "priority", "id");`);

    this.addSql(`create table "promotion_usage" ("id" uuid not null, "promotion_id" uuid not null, "order_id" uuid not null, "customer_id" uuid not null, "position" smallint not null, "name" text not null, "coupon_code" text null, "discount_amount" int not null, "shipping_discount_amount" int not null default 0, "currency" char(3) not null, "released_at" timestamptz null, constraint "promotion_usage_pkey" primary key ("id"));`);
    this.addSql(`create index "promotion_usage_promotion_customer_idx" on "promotion_usage" ("promotion_id", "customer_id");`);
    this.addSql(`create index "promotion_usage_order_idx" on "promotion_usage" ("order_id", "position");`);

    this.addSql(`alter table "promotion_usage" add constraint "promotion_usage_promotion_id_foreign" foreign key ("promotion_id") references "promotion" ("id") on update cascade;`);
    this.addSql(`alter table "promotion_usage" add constraint "promotion_usage_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "promotion_usage" add constraint "promotion_usage_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "promotion_usage" drop constraint "promotion_usage_promotion_id_foreign";`);

    this.addSql(`drop table if exists "promotion" cascade;`);

    this.addSql(`drop table if exists "promotion_usage" cascade;`);

    this.addSql(`drop type "promotion_kind";`);
    this.addSql(`drop type "promotion_target";`);
    this.addSql(`drop type "promotion_status";`);
  }

}
