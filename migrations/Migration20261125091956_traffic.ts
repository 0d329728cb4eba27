import { Migration } from '@mikro-orm/migrations';

export class Migration20261125091956_traffic extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "device" as enum ('DESKTOP', 'MOBILE', 'TABLET', 'OTHER');`);
    this.addSql(`create type "funnel_step" as enum ('PRODUCT_VIEW', 'ADD_TO_CART', 'CHECKOUT_START', 'PURCHASE');`);
    this.addSql(`create table "order_attribution" ("id" uuid not null, "order_id" uuid not null, "session_key" text not null, constraint "order_attribution_pkey" primary key ("id"));`);
    this.addSql(`alter table "order_attribution" add constraint "order_attribution_order_unique" unique ("order_id");`);
    this.addSql(`create index "order_attribution_session_key_idx" on "order_attribution" ("session_key");`);

    this.addSql(`create table "traffic_session" ("id" uuid not null, "session_key" text not null, "customer_id" uuid null, "source" text not null, "medium" text not null, "campaign" text null, "channel_code" text null, "device" "device" not null, "started_at" timestamptz not null, constraint "traffic_session_pkey" primary key ("id"));`);
    this.addSql(`alter table "traffic_session" add constraint "traffic_session_key_unique" unique ("session_key");`);
    this.addSql(`create index "traffic_session_channel_started_idx" on "traffic_session" ("channel_code", "started_at");`);
    this.addSql(`create index "traffic_session_source_started_idx" on "traffic_session" ("source", "started_at");`);
    this.addSql(`create index "traffic_session_started_idx" on "traffic_session" ("started_at");`);

    this.addSql(`create table "funnel_event" ("id" uuid not null, "event_key" text not null, "session_id" uuid not null, "step" "funnel_step" not null, "product_id" uuid null, "order_id" uuid null, "occurred_at" timestamptz not null, constraint "funnel_event_pkey" primary key ("id"));`);
    this.addSql(`alter table "funnel_event" add constraint "funnel_event_key_unique" unique ("event_key");`);
    this.addSql(`create index "funnel_event_step_occurred_idx" on "funnel_event" ("step", "occurred_at");`);
    this.addSql(`create index "funnel_event_session_idx" on "funnel_event" ("session_id", "step");`);

    this.addSql(`alter table "order_attribution" add constraint "order_attribution_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "funnel_event" add constraint "funnel_event_session_id_foreign" foreign key ("session_id") references "traffic_session" ("id") on update cascade;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "funnel_event" drop constraint "funnel_event_session_id_foreign";`);

    this.addSql(`drop table if exists "order_attribution" cascade;`);

    this.addSql(`drop table if exists "traffic_session" cascade;`);

    this.addSql(`drop table if exists "funnel_event" cascade;`);

    this.addSql(`drop type "device";`);
    this.addSql(`drop type "funnel_step";`);
  }

}
