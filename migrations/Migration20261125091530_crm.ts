import { Migration } from '@mikro-orm/migrations';

export class Migration20261125091530_crm extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "loyalty_entry_kind" as enum ('EARN', 'REDEEM', 'REDEEM_REVERSAL', 'EXPIRE', 'ADJUST');`);
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

    this.addSql(`alter table "customer_membership" add constraint "customer_membership_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "customer_membership" add constraint "customer_membership_tier_id_foreign" foreign key ("tier_id") references "membership_tier" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "loyalty_entry" add constraint "loyalty_entry_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "loyalty_entry" add constraint "loyalty_entry_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "customer_membership" drop constraint "customer_membership_tier_id_foreign";`);

    this.addSql(`drop table if exists "membership_tier" cascade;`);

    this.addSql(`drop table if exists "customer_membership" cascade;`);

    this.addSql(`drop table if exists "loyalty_entry" cascade;`);

    this.addSql(`drop type "loyalty_entry_kind";`);
  }

}
