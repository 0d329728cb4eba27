import { Migration } from '@mikro-orm/migrations';

/**
 * Sales KPIs from 15-minute slot rollups (see src/modules/analytics/rollups.ts for the read and refresh sides).
 * Triggers append a dirty mark for every slot whose sales measures a statement may have changed, in the writer's
 * own transaction; the refresher recomputes marked slots; the KPI query reads rollups of unmarked slots and the
 * raw tables for marked ones, so answers are exact whatever the refresher's lag.
 */
export class Migration20261125142523_sales_rollup extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "analytics_sales_dirty" ("id" bigserial primary key, "slot" timestamptz not null);`);
    this.addSql(`create index "analytics_sales_dirty_slot_idx" on "analytics_sales_dirty" ("slot");`);

    this.addSql(`create table "analytics_sales_slot" ("slot" timestamptz not null, "channel_id" uuid not null, "currency" char(3) not null, "gmv" bigint not null, "discounts" bigint not null, "units" bigint not null, "orders" int not null, "new_orders" int not null, "refunds" bigint not null, "refund_rows" int not null, constraint "analytics_sales_slot_pkey" primary key ("slot", "channel_id", "currency"));`);

    // The 15-minute UTC slot of an instant (floor). Every zone offset in use is a multiple of 15 minutes.
    this.addSql(`create function "analytics_slot"(ts timestamptz) returns timestamptz language sql immutable parallel safe
      as $$ select to_timestamp(floor(extract(epoch from ts) / 900) * 900) $$;`);
    // Slot lookups for the raw part of KPI queries (marked and edge slots); equality on the slot also gives the
    // planner row estimates it can trust (a range between two computed bounds is guessed at 0.5% of the table).
    this.addSql(`create index "order_placed_slot_idx" on "sales_order" (analytics_slot("placed_at"));`);
    this.addSql(`create index "payment_transaction_refund_slot_idx" on "payment_transaction" (analytics_slot("at")) where "kind" = 'REFUND';`);
    // Whole slots of [lo, hi) that a local bucket boundary of zone tz may cut: an offset that is not a multiple of
    // 15 minutes, or an offset change inside the slot (historical zone rules only, so normally none). KPI queries
    // compute them raw, so exactness never depends on the zone. plpgsql with ROWS 1 so the planner expects (almost) none.
    this.addSql(`create function "analytics_split_slots"(lo timestamptz, hi timestamptz, tz text) returns setof timestamptz language plpgsql stable rows 1 as $$
begin
  return query
  select g.s from generate_series(lo, hi - interval '15 minutes', interval '15 minutes') g(s)
   cross join lateral (select (g.s at time zone tz) - (g.s at time zone 'UTC') as a,
                              ((g.s + interval '899.999999 seconds') at time zone tz) - ((g.s + interval '899.999999 seconds') at time zone 'UTC') as b) x
   where x.a <> x.b or extract(epoch from x.a) % 900 <> 0;
end $$;`);

    // Orders: a placement, deletion, or a change of anything the sales measures read (cancelled or not, placement
    // time, amounts, currency, channel) marks the old and new placement slots; a change of cancelled-or-not or of
    // channel also marks the slots of the order's refunds (they are counted only for live orders, under its channel).
    this.addSql(`create function "analytics_sales_mark_order"() returns trigger language plpgsql as $$
begin
  if TG_OP = 'INSERT' then
    insert into analytics_sales_dirty (slot) select distinct analytics_slot(n.placed_at) from new_rows n;
  elsif TG_OP = 'DELETE' then
    insert into analytics_sales_dirty (slot)
    select analytics_slot(o.placed_at) from old_rows o
    union
    select analytics_slot(r.at) from old_rows o join payment_transaction r on r.order_id = o.id and r.kind = 'REFUND';
  else
    insert into analytics_sales_dirty (slot)
    select v.x from old_rows o join new_rows n on n.id = o.id
     cross join lateral (values (analytics_slot(o.placed_at)), (analytics_slot(n.placed_at))) v(x)
     where (o.status = 'CANCELLED') is distinct from (n.status = 'CANCELLED') or o.placed_at <> n.placed_at
        or o.subtotal_amount <> n.subtotal_amount or o.discount_amount <> n.discount_amount
        or o.currency <> n.currency or o.channel_id is distinct from n.channel_id
    union
    select analytics_slot(r.at) from old_rows o join new_rows n on n.id = o.id
      join payment_transaction r on r.order_id = n.id and r.kind = 'REFUND'
     where (o.status = 'CANCELLED') is distinct from (n.status = 'CANCELLED') or o.channel_id is distinct from n.channel_id;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_sales_mark_order_ins" after insert on "sales_order" referencing new table as new_rows for each statement execute function "analytics_sales_mark_order"();`);
    this.addSql(`create trigger "analytics_sales_mark_order_upd" after update on "sales_order" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_sales_mark_order"();`);
    this.addSql(`create trigger "analytics_sales_mark_order_del" after delete on "sales_order" referencing old table as old_rows for each statement execute function "analytics_sales_mark_order"();`);

    // Order lines feed units: the slot of the order of every line inserted, deleted or changed in quantity or order.
    this.addSql(`create function "analytics_sales_mark_line"() returns trigger language plpgsql as $$
begin
  if TG_OP = 'INSERT' then
    insert into analytics_sales_dirty (slot)
    select distinct analytics_slot(so.placed_at) from sales_order so where so.id in (select order_id from new_rows);
  elsif TG_OP = 'DELETE' then
    insert into analytics_sales_dirty (slot)
    select distinct analytics_slot(so.placed_at) from sales_order so where so.id in (select order_id from old_rows);
  else
    insert into analytics_sales_dirty (slot)
    select distinct analytics_slot(so.placed_at) from sales_order so
     where so.id in (select o.order_id from old_rows o join new_rows n on n.id = o.id where o.quantity <> n.quantity or o.order_id <> n.order_id
                     union select n.order_id from old_rows o join new_rows n on n.id = o.id where o.quantity <> n.quantity or o.order_id <> n.order_id);
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_sales_mark_line_ins" after insert on "order_line" referencing new table as new_rows for each statement execute function "analytics_sales_mark_line"();`);
    this.addSql(`create trigger "analytics_sales_mark_line_upd" after update on "order_line" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_sales_mark_line"();`);
    this.addSql(`create trigger "analytics_sales_mark_line_del" after delete on "order_line" referencing old table as old_rows for each statement execute function "analytics_sales_mark_line"();`);

    // Refunds: the slot they were recorded in (old and new).
    this.addSql(`create function "analytics_sales_mark_refund"() returns trigger language plpgsql as $$
begin
  if TG_OP in ('INSERT', 'UPDATE') then
    insert into analytics_sales_dirty (slot) select distinct analytics_slot(n.at) from new_rows n where n.kind = 'REFUND';
  end if;
  if TG_OP in ('DELETE', 'UPDATE') then
    insert into analytics_sales_dirty (slot) select distinct analytics_slot(o.at) from old_rows o where o.kind = 'REFUND';
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_sales_mark_refund_ins" after insert on "payment_transaction" referencing new table as new_rows for each statement execute function "analytics_sales_mark_refund"();`);
    this.addSql(`create trigger "analytics_sales_mark_refund_upd" after update on "payment_transaction" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_sales_mark_refund"();`);
    this.addSql(`create trigger "analytics_sales_mark_refund_del" after delete on "payment_transaction" referencing old table as old_rows for each statement execute function "analytics_sales_mark_refund"();`);

    // First orders: which order is a customer's first changes when one is cancelled, moved or reassigned; the
    // order losing and the order gaining the flag may be far apart in time, so both slots are marked.
    this.addSql(`create function "analytics_sales_mark_first"() returns trigger language plpgsql as $$
begin
  if TG_OP in ('INSERT', 'UPDATE') then
    insert into analytics_sales_dirty (slot) select distinct analytics_slot(n.placed_at) from new_rows n;
  end if;
  if TG_OP in ('DELETE', 'UPDATE') then
    insert into analytics_sales_dirty (slot) select distinct analytics_slot(o.placed_at) from old_rows o;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_sales_mark_first_ins" after insert on "analytics_first_order" referencing new table as new_rows for each statement execute function "analytics_sales_mark_first"();`);
    this.addSql(`create trigger "analytics_sales_mark_first_upd" after update on "analytics_first_order" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_sales_mark_first"();`);
    this.addSql(`create trigger "analytics_sales_mark_first_del" after delete on "analytics_first_order" referencing old table as old_rows for each statement execute function "analytics_sales_mark_first"();`);

    // Backfill: the same measures as the refresher's, for every slot at once (one scan of each source).
    this.addSql(`insert into analytics_sales_slot (slot, channel_id, currency, gmv, discounts, units, orders, new_orders, refunds, refund_rows)
      with s as (
        select analytics_slot(o.placed_at) as slot, coalesce(o.channel_id, '00000000-0000-0000-0000-000000000000') as channel_id, o.currency,
               sum(o.subtotal_amount)::bigint as gmv, sum(o.discount_amount)::bigint as discounts, coalesce(sum(u.units), 0)::bigint as units,
               count(*)::int as orders, count(fo.order_id)::int as new_orders
          from sales_order o
          left join analytics_order_units u on u.order_id = o.id
          left join analytics_first_order fo on fo.order_id = o.id
         where o.status <> 'CANCELLED'
         group by 1, 2, 3),
      r as (
        select analytics_slot(r.at) as slot, coalesce(o.channel_id, '00000000-0000-0000-0000-000000000000') as channel_id, r.currency,
               sum(r.amount_minor)::bigint as refunds, count(*)::int as refund_rows
          from payment_transaction r join sales_order o on o.id = r.order_id
         where r.kind = 'REFUND' and o.status <> 'CANCELLED'
         group by 1, 2, 3)
      select slot, channel_id, currency, coalesce(s.gmv, 0), coalesce(s.discounts, 0), coalesce(s.units, 0), coalesce(s.orders, 0),
             coalesce(s.new_orders, 0), coalesce(r.refunds, 0), coalesce(r.refund_rows, 0)
        from s full join r using (slot, channel_id, currency);`);
    // Statistics for the new slot indexes and the rollup now: without them the planner guesses KPI queries to be
    // costly enough for JIT compilation, which alone takes longer than the query.
    this.addSql(`analyze "sales_order", "payment_transaction", "analytics_sales_slot";`);
  }

  override async down(): Promise<void> {
    for (const [t, table] of [['order', 'sales_order'], ['line', 'order_line'], ['refund', 'payment_transaction'], ['first', 'analytics_first_order']]) {
      for (const op of ['ins', 'upd', 'del']) this.addSql(`drop trigger if exists "analytics_sales_mark_${t}_${op}" on "${table}";`);
    }
    this.addSql(`drop index if exists "order_placed_slot_idx";`);
    this.addSql(`drop index if exists "payment_transaction_refund_slot_idx";`);
    this.addSql(`drop function if exists "analytics_split_slots"(timestamptz, timestamptz, text);`);
    this.addSql(`drop function if exists "analytics_sales_mark_order"(), "analytics_sales_mark_line"(), "analytics_sales_mark_refund"(), "analytics_sales_mark_first"(), "analytics_slot"(timestamptz);`);
    this.addSql(`drop table if exists "analytics_sales_dirty" cascade;`);
    this.addSql(`drop table if exists "analytics_sales_slot" cascade;`);
  }

}
