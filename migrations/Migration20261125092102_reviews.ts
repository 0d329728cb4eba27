import { Migration } from '@mikro-orm/migrations';

export class Migration20261125092102_reviews extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "review_status" as enum ('PENDING', 'PUBLISHED', 'REJECTED');`);
    this.addSql(`create table "review" ("id" uuid not null, "product_id" uuid not null, "variant_id" uuid not null, "customer_id" uuid not null, "order_line_id" uuid not null, "rating" smallint not null, "title" text not null, "body" text not null, "media_urls" text[] not null, "status" "review_status" not null default 'PENDING', "moderation_reason" text null, "needs_response" boolean not null default false, "helpful_count" int not null default 0, "reply_body" text null, "replied_at" timestamptz null, "replied_by_id" uuid null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "published_at" timestamptz null, constraint "review_pkey" primary key ("id"));`);
    this.addSql(`create index "review_needs_response_idx" on "review" ("created_at", "id") where "needs_response";`);
    this.addSql(`create index "review_customer_created_idx" on "review" ("customer_id", "created_at", "id");`);
    this.addSql(`create index "review_status_created_idx" on "review" ("status", "created_at", "id");`);
    this.addSql(`create index "review_product_status_rating_idx" on "review" ("product_id", "status", "rating", "id");`);
    this.addSql(`create index "review_product_status_helpful_idx" on "review" ("product_id", "status", "helpful_count", "id");`);
    this.addSql(`create index "review_product_status_created_idx" on "review" ("product_id", "status", "created_at", "id");`);
    this.addSql(`alter table "review" add constraint "review_order_line_unique" unique ("order_line_id");`);

    this.addSql(`create table "review_vote" ("id" uuid not null, "review_id" uuid not null, "customer_id" uuid not null, "created_at" timestamptz not null, constraint "review_vote_pkey" primary key ("id"));`);
    this.addSql(`alter table "review_vote" add constraint "review_vote_unique" unique ("review_id", "customer_id");`);

    this.addSql(`create table "review_invitation" ("id" uuid not null, "customer_id" uuid not null, "order_id" uuid not null, "order_line_id" uuid not null, "product_id" uuid not null, "variant_id" uuid not null, "review_id" uuid null, "created_at" timestamptz not null, constraint "review_invitation_pkey" primary key ("id"));`);
    this.addSql(`create index "review_invitation_pending_idx" on "review_invitation" ("customer_id", "created_at", "id") where "review_id" is null;`);
    this.addSql(`create index "review_invitation_customer_created_idx" on "review_invitation" ("customer_id", "created_at", "id");`);
    this.addSql(`alter table "review_invitation" add constraint "review_invitation_order_line_unique" unique ("order_line_id");`);

    this.addSql(`alter table "review" add constraint "review_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade;`);
    this.addSql(`alter table "review" add constraint "review_variant_id_foreign" foreign key ("variant_id") references "product_variant" ("id") on update cascade;`);
    this.addSql(`alter table "review" add constraint "review_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "review" add constraint "review_order_line_id_foreign" foreign key ("order_line_id") references "order_line" ("id") on update cascade;`);
    this.addSql(`alter table "review" add constraint "review_replied_by_id_foreign" foreign key ("replied_by_id") references "staff_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "review_vote" add constraint "review_vote_review_id_foreign" foreign key ("review_id") references "review" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "review_vote" add constraint "review_vote_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);

    this.addSql(`alter table "review_invitation" add constraint "review_invitation_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade;`);
    this.addSql(`alter table "review_invitation" add constraint "review_invitation_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade;`);
    this.addSql(`alter table "review_invitation" add constraint "review_invitation_order_line_id_foreign" foreign key ("order_line_id") references "order_line" ("id") on update cascade;`);
    this.addSql(`alter table "review_invitation" add constraint "review_invitation_product_id_foreign" foreign key ("product_id") references "product" ("id") on update cascade;`);
    this.addSql(`alter table "review_invitation" add constraint "review_invitation_variant_id_foreign" foreign key ("variant_id") references "product_variant" ("id") on update cascade;`);
    this.addSql(`alter table "review_invitation" add constraint "review_invitation_review_id_foreign" foreign key ("review_id") references "review" ("id") on update cascade on delete set null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "review_vote" drop constraint "review_vote_review_id_foreign";`);

    this.addSql(`alter table "review_invitation" drop constraint "review_invitation_review_id_foreign";`);

    this.addSql(`drop table if exists "review" cascade;`);

    this.addSql(`drop table if exists "review_vote" cascade;`);

    this.addSql(`drop table if exists "review_invitation" cascade;`);

    this.addSql(`drop type "review_status";`);
  }

}
