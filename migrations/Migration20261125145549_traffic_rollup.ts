import { Migration } from '@mikro-orm/migrations';

/**
 * Traffic KPIs (NONE, SOURCE, CAMPAIGN) from 15-minute slot rollups, as the sales_rollup migration does for sales:
 * slot = the visit's start; marks appended by statement triggers in the writer's transaction; see analytics/rollups.ts.
 */
export class Migration20261125145549_traffic_rollup extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "analytics_traffic_dirty" ("id" bigserial primary key, "slot" timestamptz not null);`);
    this.addSql(`create index "analytics_traffic_dirty_slot_idx" on "analytics_traffic_dirty" ("slot");`);

    this.addSql(`create table "analytics_traffic_slot" ("slot" timestamptz not null, "source" text not null, "has_campaign" boolean not null, "campaign" text not null, "sessions" int not null, "pv" int not null, "atc" int not null, "cs" int not null, "pu" int not null, "converted" int not null, "orders" int not null, constraint "analytics_traffic_slot_pkey" primary key ("slot", "source", "has_campaign", "campaign"));`);

    this.addSql(`create index "traffic_session_slot_idx" on "traffic_session" (analytics_slot("started_at"));`);

    // Visits: started, deleted, or changed in start, source, campaign or key (attributions find them by key).
    this.addSql(`create function "analytics_traffic_mark_session"() returns trigger language plpgsql as $$
begin
  if TG_OP = 'INSERT' then
    insert into analytics_traffic_dirty (slot) select distinct analytics_slot(n.started_at) from new_rows n;
  elsif TG_OP = 'DELETE' then
    insert into analytics_traffic_dirty (slot) select distinct analytics_slot(o.started_at) from old_rows o;
  else
    insert into analytics_traffic_dirty (slot)
    select distinct v.x from old_rows o join new_rows n on n.id = o.id
     cross join lateral (values (analytics_slot(o.started_at)), (analytics_slot(n.started_at))) v(x)
     where o.started_at <> n.started_at or o.source <> n.source or o.campaign is distinct from n.campaign or o.session_key <> n.session_key;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_traffic_mark_session_ins" after insert on "traffic_session" referencing new table as new_rows for each statement execute function "analytics_traffic_mark_session"();`);
    this.addSql(`create trigger "analytics_traffic_mark_session_upd" after update on "traffic_session" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_traffic_mark_session"();`);
    this.addSql(`create trigger "analytics_traffic_mark_session_del" after delete on "traffic_session" referencing old table as old_rows for each statement execute function "analytics_traffic_mark_session"();`);

    // Funnel events: the slot of their visit (old and new).
    this.addSql(`create function "analytics_traffic_mark_event"() returns trigger language plpgsql as $$
begin
  if TG_OP in ('INSERT', 'UPDATE') then
    insert into analytics_traffic_dirty (slot)
    select distinct analytics_slot(s.started_at) from traffic_session s where s.id in (select session_id from new_rows);
  end if;
  if TG_OP in ('DELETE', 'UPDATE') then
    insert into analytics_traffic_dirty (slot)
    select distinct analytics_slot(s.started_at) from traffic_session s where s.id in (select session_id from old_rows);
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_traffic_mark_event_ins" after insert on "funnel_event" referencing new table as new_rows for each statement execute function "analytics_traffic_mark_event"();`);
    this.addSql(`create trigger "analytics_traffic_mark_event_upd" after update on "funnel_event" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_traffic_mark_event"();`);
    this.addSql(`create trigger "analytics_traffic_mark_event_del" after delete on "funnel_event" referencing old table as old_rows for each statement execute function "analytics_traffic_mark_event"();`);

    // Attributions: the slot of the visit they point at (old and new).
    this.addSql(`create function "analytics_traffic_mark_attribution"() returns trigger language plpgsql as $$
begin
  if TG_OP in ('INSERT', 'UPDATE') then
    insert into analytics_traffic_dirty (slot)
    select distinct analytics_slot(s.started_at) from traffic_session s where s.session_key in (select session_key from new_rows);
  end if;
  if TG_OP in ('DELETE', 'UPDATE') then
    insert into analytics_traffic_dirty (slot)
    select distinct analytics_slot(s.started_at) from traffic_session s where s.session_key in (select session_key from old_rows);
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_traffic_mark_attribution_ins" after insert on "order_attribution" referencing new table as new_rows for each statement execute function "analytics_traffic_mark_attribution"();`);
    this.addSql(`create trigger "analytics_traffic_mark_attribution_upd" after update on "order_attribution" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_traffic_mark_attribution"();`);
    this.addSql(`create trigger "analytics_traffic_mark_attribution_del" after delete on "order_attribution" referencing old table as old_rows for each statement execute function "analytics_traffic_mark_attribution"();`);

    // Orders: only live orders count as attributed, so cancelling (or un-cancelling) or deleting one marks the slots
    // of the visits attributed to it.
    this.addSql(`create function "analytics_traffic_mark_order"() returns trigger language plpgsql as $$
begin
  if TG_OP = 'DELETE' then
    insert into analytics_traffic_dirty (slot)
    select distinct analytics_slot(s.started_at) from old_rows o
      join order_attribution a on a.order_id = o.id join traffic_session s on s.session_key = a.session_key;
  else
    insert into analytics_traffic_dirty (slot)
    select distinct analytics_slot(s.started_at) from old_rows o join new_rows n on n.id = o.id
      join order_attribution a on a.order_id = n.id join traffic_session s on s.session_key = a.session_key
     where (o.status = 'CANCELLED') is distinct from (n.status = 'CANCELLED');
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_traffic_mark_order_upd" after update on "sales_order" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_traffic_mark_order"();`);
    this.addSql(`create trigger "analytics_traffic_mark_order_del" after delete on "sales_order" referencing old table as old_rows for each statement execute function "analytics_traffic_mark_order"();`);

    // Backfill: one pass over visits, their events (aggregated per visit) and live attributed orders (per key).
    this.addSql(`insert into analytics_traffic_slot (slot, source, has_campaign, campaign, sessions, pv, atc, cs, pu, converted, orders)
      select analytics_slot(s.started_at), s.source, s.campaign is not null, coalesce(s.campaign, ''),
             count(*)::int, count(*) filter (where fe.pv)::int, count(*) filter (where fe.atc)::int, count(*) filter (where fe.cs)::int,
             count(*) filter (where fe.pu)::int, count(*) filter (where ao.n > 0)::int, coalesce(sum(ao.n), 0)::int
        from traffic_session s
        left join (select e.session_id, bool_or(e.step = 'PRODUCT_VIEW') as pv, bool_or(e.step = 'ADD_TO_CART') as atc,
                          bool_or(e.step = 'CHECKOUT_START') as cs, bool_or(e.step = 'PURCHASE') as pu
                     from funnel_event e group by e.session_id) fe on fe.session_id = s.id
        left join (select a.session_key, count(*) as n from order_attribution a join sales_order so on so.id = a.order_id
                    where so.status <> 'CANCELLED' group by a.session_key) ao on ao.session_key = s.session_key
       group by 1, 2, 3, 4;`);
    this.addSql(`analyze "traffic_session", "analytics_traffic_slot";`);
  }

  override async down(): Promise<void> {
    for (const [t, table] of [['session', 'traffic_session'], ['event', 'funnel_event'], ['attribution', 'order_attribution']]) {
      for (const op of ['ins', 'upd', 'del']) this.addSql(`drop trigger if exists "analytics_traffic_mark_${t}_${op}" on "${table}";`);
    }
    this.addSql(`drop trigger if exists "analytics_traffic_mark_order_upd" on "sales_order";`);
    this.addSql(`drop trigger if exists "analytics_traffic_mark_order_del" on "sales_order";`);
    this.addSql(`drop function if exists "analytics_traffic_mark_session"(), "analytics_traffic_mark_event"(), "analytics_traffic_mark_attribution"(), "analytics_traffic_mark_order"();`);
    this.addSql(`drop index if exists "traffic_session_slot_idx";`);
    this.addSql(`drop table if exists "analytics_traffic_dirty" cascade;`);
    this.addSql(`drop table if exists "analytics_traffic_slot" cascade;`);
  }

}
