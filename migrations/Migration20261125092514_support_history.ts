import { Migration } from '@mikro-orm/migrations';

export class Migration20261125092514_support_history extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "support_ticket_status_change" ("id" uuid not null, "ticket_id" uuid not null, "from_status" "ticket_status" null, "to_status" "ticket_status" not null, "reason" text null, "actor_kind" text not null, "actor_id" uuid null, "at" timestamptz not null, constraint "support_ticket_status_change_pkey" primary key ("id"));`);
    this.addSql(`create index "support_ticket_status_change_ticket_idx" on "support_ticket_status_change" ("ticket_id", "at", "id");`);

    this.addSql(`alter table "support_ticket_status_change" add constraint "support_ticket_status_change_ticket_id_foreign" foreign key ("ticket_id") references "support_ticket" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "support_ticket" add column "sla_paused_at" timestamptz null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "support_ticket_status_change" cascade;`);

    this.addSql(`alter table "support_ticket" drop column "sla_paused_at";`);
  }

}
