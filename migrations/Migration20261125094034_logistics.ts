import { Migration } from '@mikro-orm/migrations';

export class Migration20261125094034_logistics extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "shipping_service_type" as enum ('EXPRESS', 'FREIGHT_LINE', 'SAME_CITY', 'STANDARD', 'ECONOMY');`);
    this.addSql(`create type "order_hold_reason" as enum ('ADDRESS_PROBLEM', 'FRAUD_REVIEW', 'OUT_OF_STOCK', 'OTHER');`);
    this.addSql(`create type "payment_kind" as enum ('CAPTURE', 'REFUND');`);
    this.addSql(`create type "warehouse_type" as enum ('OWN', 'THIRD_PARTY', 'STORE');`);
    this.addSql(`create type "reservation_status" as enum ('OPEN', 'RELEASED', 'CONSUMED');`);
    this.addSql(`create type "stock_movement_kind" as enum ('RECEIPT', 'SHIPMENT', 'RETURN_RESTOCK', 'ADJUSTMENT', 'TRANSFER_OUT', 'TRANSFER_IN');`);
    this.addSql(`create type "shipment_status" as enum ('LABEL_CREATED', 'PICKED_UP', 'IN_TRANSIT', 'OUT_FOR_DELIVERY', 'DELIVERED', 'EXCEPTION', 'DELAYED', 'RETURNED_TO_SENDER');`);
    this.addSql(`create type "inventory_alert_status" as enum ('OPEN', 'ACKNOWLEDGED', 'RESOLVED');`);
    this.addSql(`create table "carrier" ("id" uuid not null, "code" text not null, "name" text not null, "active" boolean not null default true, constraint "carrier_pkey" primary key ("id"));`);
    this.addSql(`alter table "carrier" add constraint "carrier_code_unique" unique ("code");`);

    this.addSql(`create table "shipping_service" ("id" uuid not null, "carrier_id" uuid not null, "code" text not null, "name" text not null, "type" "shipping_service_type" not null, "regions" text[] not null, "max_weight_grams" int not null, "max_length_mm" int not null, "volumetric_divisor" int not null default 5000, "transit_days" int not null, "cutoff_minute_utc" int not null, "currency" char(3) not null, "active" boolean not null default true, constraint "shipping_service_pkey" primary key ("id"));`);
    this.addSql(`create index "shipping_service_active_idx" on "shipping_service" ("active");`);
    this.addSql(`alter table "shipping_service" add constraint "shipping_service_carrier_code_unique" unique ("carrier_id", "code");`);

    this.addSql(`create table "shipping_rate" ("id" uuid not null, "service_id" uuid not null, "up_to_grams" int not null, "price_amount" int not null, "currency" char(3) not null, constraint "shipping_rate_pkey" primary key ("id"));`);
    this.addSql(`alter table "shipping_rate" add constraint "shipping_rate_service_band_unique" unique ("service_id", "up_to_grams");`);

    this.addSql(`create table "payment_transaction" ("id" uuid not null, "order_id" uuid not null, "kind" "payment_kind" not null, "amount_minor" int not null, "currency" char(3) not null, "reason" text null, "source" text not null, "idempotency_key" text not null, "request_hash" text not null, "actor_kind" text not null, "at" timestamptz not null, constraint "payment_transaction_pkey" primary key ("id"));`);
    this.addSql(`create index "payment_transaction_order_at_idx" on "payment_transaction" ("order_id", "at", "id");`);
    this.addSql(`alter table "payment_transaction" add constraint "payment_transaction_kind_key_unique" unique ("kind", "idempotency_key");`);

    this.addSql(`create table "order_note" ("id" uuid not null, "order_id" uuid not null, "body" text not null, "actor_kind" text not null, "actor_id" uuid null, "at" timestamptz not null, constraint "order_note_pkey" primary key ("id"));`);
    this.addSql(`create index "order_note_order_idx" on "order_note" ("order_id", "at");`);

    this.addSql(`create table "warehouse" ("id" uuid not null, "code" text not null, "name" text not null, "type" "warehouse_type" not null, "city" text not null, "country" char(2) not null, "active" boolean not null default true, "created_at" timestamptz not null, constraint "warehouse_pkey" primary key ("id"));`);
    this.addSql(`alter table "warehouse" add constraint "warehouse_code_unique" unique ("code");`);
    this.addSql(`create index "warehouse_active_code_idx" on "warehouse" ("active", "code");`);

    this.addSql(`create table "stock_reservation" ("id" uuid not null, "order_id" uuid not null, "order_line_id" uuid not null, "variant_id" uuid not null, "warehouse_id" uuid not null, "quantity" int not null, "status" "reservation_status" not null default 'OPEN', "created_at" timestamptz not null, "closed_at" timestamptz null, "expires_at" timestamptz null, constraint "stock_reservation_pkey" primary key ("id"));`);
    this.addSql(`create index "stock_reservation_expiry_idx" on "stock_reservation" ("expires_at") where "status" = 'OPEN' and "expires_at" is not null;`);
    this.addSql(`create index "stock_reservation_level_idx" on "stock_reservation" ("variant_id", "warehouse_id", "status");`);
    this.addSql(`create index "stock_reservation_order_idx" on "stock_reservation" ("order_id", "status");`);

    this.addSql(`create table "stock_movement" ("id" uuid not null, "variant_id" uuid not null, "warehouse_id" uuid not null, "quantity" int not null, "kind" "stock_movement_kind" not null, "reference" text not null, "reason" text null, "actor_kind" text not null, "actor_id" uuid null, "idempotency_key" text null, "request_hash" text null, "at" timestamptz not null, constraint "stock_movement_pkey" primary key ("id"));`);
    this.addSql(`alter table "stock_movement" add constraint "stock_movement_idempotency_unique" unique ("idempotency_key");`);
    this.addSql(`create index "stock_movement_kind_at_idx" on "stock_movement" ("kind", "at");`);
    this.addSql(`create index "stock_movement_at_idx" on "stock_movement" ("at", "id");`);
    this.addSql(`create index "stock_movement_warehouse_at_idx" on "stock_movement" ("warehouse_id", "at", "id");`);
    this.addSql(`create index "stock_movement_variant_warehouse_at_idx" on "stock_movement" ("variant_id", "warehouse_id", "at", "id");`);

    this.addSql(`create table "stock_level" ("id" uuid not null, "variant_id" uuid not null, "warehouse_id" uuid not null, "on_hand" int not null default 0, "reserved" int not null default 0, "reorder_point" int not null default 0, "safety_stock" int not null default 0, "updated_at" timestamptz not null, constraint "stock_level_pkey" primary key ("id"), constraint stock_level_reserved_check check (reserved >= 0 and reserved <= on_hand));`);
    this.addSql(`create index "stock_level_warehouse_idx" on "stock_level" ("warehouse_id", "id");`);
    this.addSql(`alter table "stock_level" add constraint "stock_level_variant_warehouse_unique" unique ("variant_id", "warehouse_id");`);

    this.addSql(`create table "shipment" ("id" uuid not null, "order_id" uuid not null, "warehouse_id" uuid not null, "service_id" uuid not null, "carrier_id" uuid not null, "tracking_number" text not null, "status" "shipment_status" not null default 'LABEL_CREATED', "status_at" timestamptz not null, "progress" smallint not null default 0, "last_scan_at" timestamptz not null, "flagged_at" timestamptz null, "flag_reason" text null, "delivered_at" timestamptz null, "created_at" timestamptz not null, "idempotency_key" text null, "request_hash" text null, constraint "shipment_pkey" primary key ("id"));`);
    this.addSql(`alter table "shipment" add constraint "shipment_idempotency_unique" unique ("idempotency_key");`);
    this.addSql(`create index "shipment_open_last_scan_idx" on "shipment" ("last_scan_at") where "status" not in ('DELIVERED', 'RETURNED_TO_SENDER') and "flagged_at" is null;`);
    this.addSql(`create index "shipment_flagged_created_idx" on "shipment" ("flagged_at", "created_at", "id");`);
    this.addSql(`create index "shipment_created_idx" on "shipment" ("created_at", "id");`);
    this.addSql(`create index "shipment_order_idx" on "shipment" ("order_id", "created_at");`);
    this.addSql(`alter table "shipment" add constraint "shipment_carrier_tracking_unique" unique ("carrier_id", "tracking_number");`);

    this.addSql(`create table "tracking_event" ("id" uuid not null, "shipment_id" uuid not null, "carrier_id" uuid not null, "carrier_event_id" text not null, "status" "shipment_status" not null, "raw_code" text not null, "location" text null, "occurred_at" timestamptz not null, "description" text null, "received_at" timestamptz not null, constraint "tracking_event_pkey" primary key ("id"));`);
    this.addSql(`create index "tracking_event_shipment_idx" on "tracking_event" ("shipment_id", "occurred_at", "id");`);
    this.addSql(`alter table "tracking_event" add constraint "tracking_event_carrier_event_unique" unique ("carrier_id", "carrier_event_id");`);

    this.addSql(`create table "shipment_item" ("id" uuid not null, "shipment_id" uuid not null, "order_line_id" uuid not null, "quantity" int not null, constraint "shipment_item_pkey" primary key ("id"));`);
    this.addSql(`create index "shipment_item_shipment_idx" on "shipment_item" ("shipment_id");`);

    this.addSql(`create table "inventory_alert" ("id" uuid not null, "variant_id" uuid not null, "warehouse_id" uuid not null, "status" "inventory_alert_status" not null default 'OPEN', "available_at_raise" int not null, "reorder_point" int not null, "raised_at" timestamptz not null, "acknowledged_at" timestamptz null, "resolved_at" timestamptz null, constraint "inventory_alert_pkey" primary key ("id"));`);
    this.addSql(`create unique index "inventory_alert_unresolved_unique" on "inventory_alert" ("variant_id", "warehouse_id") where "status" <> 'RESOLVED';`);
    this.addSql(`create index "inventory_alert_raised_idx" on "inventory_alert" ("raised_at", "id");`);
    this.addSql(`create index "inventory_alert_status_raised_idx" on "inventory_alert" ("status", "raised_at", "id");`);

    this.addSql(`alter table "shipping_service" add constraint "shipping_service_carrier_id_foreign" foreign key ("carrier_id") references "carrier" ("id") on update cascade;`);

    this.addSql(`alter table "shipping_rate" add constraint "shipping_rate_service_id_foreign" foreign key ("service_id") references "shipping_service" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "payment_transaction" add constraint "payment_transaction_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade;`);

    this.addSql(`alter table "order_note" add constraint "order_note_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "stock_reservation" add constraint "stock_reservation_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "stock_reservation" add constraint "stock_reservation_order_line_id_foreign" foreign key ("order_line_id") references "order_line" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "stock_reservation" add constraint "stock_reservation_variant_id_foreign" foreign key ("variant_id") references "product_variant" ("id") on update cascade;`);
    this.addSql(`alter table "stock_reservation" add constraint "stock_reservation_warehouse_id_foreign" foreign key ("warehouse_id") references "warehouse" ("id") on update cascade;`);

    this.addSql(`alter table "stock_movement" add constraint "stock_movement_variant_id_foreign" foreign key ("variant_id") references "product_variant" ("id") on update cascade;`);
    this.addSql(`alter table "stock_movement" add constraint "stock_movement_warehouse_id_foreign" foreign key ("warehouse_id") references "warehouse" ("id") on update cascade;`);

    this.addSql(`alter table "stock_level" add constraint "stock_level_variant_id_foreign" foreign key ("variant_id") references "product_variant" ("id") on update cascade;`);
    this.addSql(`alter table "stock_level" add constraint "stock_level_warehouse_id_foreign" foreign key ("warehouse_id") references "warehouse" ("id") on update cascade;`);

    this.addSql(`alter table "shipment" add constraint "shipment_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade;`);
    this.addSql(`alter table "shipment" add constraint "shipment_warehouse_id_foreign" foreign key ("warehouse_id") references "warehouse" ("id") on update cascade;`);
    this.addSql(`alter table "shipment" add constraint "shipment_service_id_foreign" foreign key ("service_id") references "shipping_service" ("id") on update cascade;`);
    this.addSql(`alter table "shipment" add constraint "shipment_carrier_id_foreign" foreign key ("carrier_id") references "carrier" ("id") on update cascade;`);

    this.addSql(`alter table "tracking_event" add constraint "tracking_event_shipment_id_foreign" foreign key ("shipment_id") references "shipment" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "tracking_event" add constraint "tracking_event_carrier_id_foreign" foreign key ("carrier_id") references "carrier" ("id") on update cascade;`);

    this.addSql(`alter table "shipment_item" add constraint "shipment_item_shipment_id_foreign" foreign key ("shipment_id") references "shipment" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "shipment_item" add constraint "shipment_item_order_line_id_foreign" foreign key ("order_line_id") references "order_line" ("id") on update cascade;`);

    this.addSql(`alter table "inventory_alert" add constraint "inventory_alert_variant_id_foreign" foreign key ("variant_id") references "product_variant" ("id") on update cascade;`);
    this.addSql(`alter table "inventory_alert" add constraint "inventory_alert_warehouse_id_foreign" foreign key ("warehouse_id") references "warehouse" ("id") on update cascade;`);

    this.addSql(`alter table "channel" add column "auto_confirm" boolean not null default false;`);

    this.addSql(`alter type "order_status" add value if not exists 'PARTIALLY_SHIPPED' after 'PROCESSING';`);

    this.addSql(`alter type "order_status" add value if not exists 'ON_HOLD' after 'CANCELLED';`);

    this.addSql(`alter table "sales_order" add column "shipping_address" jsonb null, add column "shipping_service_id" uuid null, add column "held_from_status" "order_status" null, add column "hold_reason" "order_hold_reason" null, add column "captured_amount" int not null default 0, add column "refunded_amount" int not null default 0;`);
    this.addSql(`alter table "sales_order" add constraint "sales_order_shipping_service_id_foreign" foreign key ("shipping_service_id") references "shipping_service" ("id") on update cascade on delete set null;`);

    this.addSql(`alter type "order_status" add value if not exists 'PARTIALLY_SHIPPED' after 'PROCESSING';`);

    this.addSql(`alter type "order_status" add value if not exists 'ON_HOLD' after 'CANCELLED';`);

    // Not modelled by entities: the stock ledger is append-only; corrections are new ADJUSTMENT rows.
    this.addSql(`create function "stock_movement_append_only"() returns trigger language plpgsql as $$ begin raise exception 'stock_movement is append-only'; end $$;`);
    this.addSql(`create trigger "stock_movement_no_change" before update or delete on "stock_movement" for each row execute function "stock_movement_append_only"();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "stock_movement_no_change" on "stock_movement";`);
    this.addSql(`drop function if exists "stock_movement_append_only"();`);
    this.addSql(`alter table "shipping_service" drop constraint "shipping_service_carrier_id_foreign";`);

    this.addSql(`alter table "shipment" drop constraint "shipment_carrier_id_foreign";`);

    this.addSql(`alter table "tracking_event" drop constraint "tracking_event_carrier_id_foreign";`);

    this.addSql(`alter table "shipping_rate" drop constraint "shipping_rate_service_id_foreign";`);

    this.addSql(`alter table "sales_order" drop constraint "sales_order_shipping_service_id_foreign";`);

    this.addSql(`alter table "shipment" drop constraint "shipment_service_id_foreign";`);

    this.addSql(`alter table "stock_reservation" drop constraint "stock_reservation_warehouse_id_foreign";`);

    this.addSql(`alter table "stock_movement" drop constraint "stock_movement_warehouse_id_foreign";`);

    this.addSql(`alter table "stock_level" drop constraint "stock_level_warehouse_id_foreign";`);

    this.addSql(`alter table "shipment" drop constraint "shipment_warehouse_id_foreign";`);

    this.addSql(`alter table "inventory_alert" drop constraint "inventory_alert_warehouse_id_foreign";`);

    this.addSql(`alter table "tracking_event" drop constraint "tracking_event_shipment_id_foreign";`);

    this.addSql(`alter table "shipment_item" drop constraint "shipment_item_shipment_id_foreign";`);

    this.addSql(`drop table if exists "carrier" cascade;`);

    this.addSql(`drop table if exists "shipping_service" cascade;`);

    this.addSql(`drop table if exists "shipping_rate" cascade;`);

    this.addSql(`drop table if exists "payment_transaction" cascade;`);

    this.addSql(`drop table if exists "order_note" cascade;`);

    this.addSql(`drop table if exists "warehouse" cascade;`);

    this.addSql(`drop table if exists "stock_reservation" cascade;`);

    this.addSql(`drop table if exists "stock_movement" cascade;`);

    this.addSql(`drop table if exists "stock_level" cascade;`);

    this.addSql(`drop table if exists "shipment" cascade;`);

    this.addSql(`drop table if exists "tracking_event" cascade;`);

    this.addSql(`drop table if exists "shipment_item" cascade;`);

    this.addSql(`drop table if exists "inventory_alert" cascade;`);

    this.addSql(`alter table "channel" drop column "auto_confirm";`);

    this.addSql(`alter table "sales_order" drop column "shipping_address", drop column "shipping_service_id", drop column "held_from_status", drop column "hold_reason", drop column "captured_amount", drop column "refunded_amount";`);

    this.addSql(`drop type "shipping_service_type";`);
    this.addSql(`drop type "order_hold_reason";`);
    this.addSql(`drop type "payment_kind";`);
    this.addSql(`drop type "warehouse_type";`);
    this.addSql(`drop type "reservation_status";`);
    this.addSql(`drop type "stock_movement_kind";`);
    this.addSql(`drop type "shipment_status";`);
    this.addSql(`drop type "inventory_alert_status";`);
  }

}
