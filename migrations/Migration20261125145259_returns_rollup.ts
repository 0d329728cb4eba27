import { Migration } from '@mikro-orm/migrations';

/**
 * Return KPIs (NONE, REASON) from 15-minute slot rollups, as the sales_rollup migration does for sales: slot = the
 * order's placement; marks appended by statement triggers in the writer's transaction; see analytics/rollups.ts.
 */
export class Migration20261125145259_returns_rollup extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "analytics_returns_dirty" ("id" bigserial primary key, "slot" timestamptz not null);`);
    this.addSql(`create index "analytics_returns_dirty_slot_idx" on "analytics_returns_dirty" ("slot");`);

    this.addSql(`create table "analytics_returns_slot" ("slot" timestamptz not null, "reason" text not null, "sold_units" bigint not null, "sold_lines" int not null, "returned_units" bigint not null, "return_lines" int not null, constraint "analytics_returns_slot_pkey" primary key ("slot", "reason"));`);

    // Orders: placed, deleted, cancelled or un-cancelled, or moved in time.
    this.addSql(`create function "analytics_returns_mark_order"() returns trigger language plpgsql as $$
begin
  if TG_OP = 'INSERT' then
    insert into analytics_returns_dirty (slot) select distinct analytics_slot(n.placed_at) from new_rows n;
  elsif TG_OP = 'DELETE' then
    insert into analytics_returns_dirty (slot) select distinct analytics_slot(o.placed_at) from old_rows o;
  else
    insert into analytics_returns_dirty (slot)
    select distinct v.x from old_rows o join new_rows n on n.id = o.id
     cross join lateral (values (analytics_slot(o.placed_at)), (analytics_slot(n.placed_at))) v(x)
     where (o.status = 'CANCELLED') is distinct from (n.status = 'CANCELLED') or o.placed_at <> n.placed_at;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_returns_mark_order_ins" after insert on "sales_order" referencing new table as new_rows for each statement execute function "analytics_returns_mark_order"();`);
    this.addSql(`create trigger "analytics_returns_mark_order_upd" after update on "sales_order" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_returns_mark_order"();`);
    this.addSql(`create trigger "analytics_returns_mark_order_del" after delete on "sales_order" referencing old table as old_rows for each statement execute function "analytics_returns_mark_order"();`);

    // Order lines: units sold (inserted, deleted, quantity, order or variant changed).
    this.addSql(`create function "analytics_returns_mark_line"() returns trigger language plpgsql as $$
begin
  if TG_OP = 'INSERT' then
    insert into analytics_returns_dirty (slot)
    select distinct analytics_slot(so.placed_at) from sales_order so where so.id in (select order_id from new_rows);
  elsif TG_OP = 'DELETE' then
    insert into analytics_returns_dirty (slot)
    select distinct analytics_slot(so.placed_at) from sales_order so where so.id in (select order_id from old_rows);
  else
    insert into analytics_returns_dirty (slot)
    select distinct analytics_slot(so.placed_at) from sales_order so
     where so.id in (select x.order_id from old_rows o join new_rows n on n.id = o.id
                      cross join lateral (values (o.order_id), (n.order_id)) x(order_id)
                      where o.quantity <> n.quantity or o.order_id <> n.order_id or o.variant_id <> n.variant_id);
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_returns_mark_line_ins" after insert on "order_line" referencing new table as new_rows for each statement execute function "analytics_returns_mark_line"();`);
    this.addSql(`create trigger "analytics_returns_mark_line_upd" after update on "order_line" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_returns_mark_line"();`);
    this.addSql(`create trigger "analytics_returns_mark_line_del" after delete on "order_line" referencing old table as old_rows for each statement execute function "analytics_returns_mark_line"();`);

    // Return lines: the placement slot of the order of the line they return (old and new).
    this.addSql(`create function "analytics_returns_mark_return_line"() returns trigger language plpgsql as $$
begin
  if TG_OP in ('INSERT', 'UPDATE') then
    insert into analytics_returns_dirty (slot)
    select distinct analytics_slot(so.placed_at) from new_rows n join order_line ol on ol.id = n.order_line_id join sales_order so on so.id = ol.order_id;
  end if;
  if TG_OP in ('DELETE', 'UPDATE') then
    insert into analytics_returns_dirty (slot)
    select distinct analytics_slot(so.placed_at) from old_rows o join order_line ol on ol.id = o.order_line_id join sales_order so on so.id = ol.order_id;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_returns_mark_return_line_ins" after insert on "return_line" referencing new table as new_rows for each statement execute function "analytics_returns_mark_return_line"();`);
    this.addSql(`create trigger "analytics_returns_mark_return_line_upd" after update on "return_line" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_returns_mark_return_line"();`);
    this.addSql(`create trigger "analytics_returns_mark_return_line_del" after delete on "return_line" referencing old table as old_rows for each statement execute function "analytics_returns_mark_return_line"();`);

    // Returns: a status change into or out of REJECTED/CANCELLED marks the slots of the orders of its lines.
    this.addSql(`create function "analytics_returns_mark_return"() returns trigger language plpgsql as $$
begin
  insert into analytics_returns_dirty (slot)
  select distinct analytics_slot(so.placed_at)
    from old_rows o join new_rows n on n.id = o.id
    join return_line rl on rl.return_request_id = n.id
    join order_line ol on ol.id = rl.order_line_id
    join sales_order so on so.id = ol.order_id
   where (o.status in ('REJECTED', 'CANCELLED')) is distinct from (n.status in ('REJECTED', 'CANCELLED'));
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_returns_mark_return_upd" after update on "return_request" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_returns_mark_return"();`);

    this.addSql(`insert into analytics_returns_slot (slot, reason, sold_units, sold_lines, returned_units, return_lines)
      select analytics_slot(o.placed_at), '', sum(ol.quantity)::bigint, count(*)::int, 0, 0
        from sales_order o join order_line ol on ol.order_id = o.id join product_variant v on v.id = ol.variant_id
       where o.status <> 'CANCELLED'
       group by 1
      union all
      select analytics_slot(o.placed_at), rl.reason_code::text, 0, 0, sum(rl.quantity)::bigint, count(*)::int
        from sales_order o join order_line ol on ol.order_id = o.id join product_variant v on v.id = ol.variant_id
        join return_line rl on rl.order_line_id = ol.id
        join return_request rr on rr.id = rl.return_request_id and rr.status not in ('REJECTED', 'CANCELLED')
       where o.status <> 'CANCELLED'
       group by 1, 2;`);
    this.addSql(`analyze "analytics_returns_slot";`);
  }

  override async down(): Promise<void> {
    for (const [t, table] of [['order', 'sales_order'], ['line', 'order_line'], ['return_line', 'return_line']]) {
      for (const op of ['ins', 'upd', 'del']) this.addSql(`drop trigger if exists "analytics_returns_mark_${t}_${op}" on "${table}";`);
    }
    this.addSql(`drop trigger if exists "analytics_returns_mark_return_upd" on "return_request";`);
    this.addSql(`drop function if exists "analytics_returns_mark_order"(), "analytics_returns_mark_line"(), "analytics_returns_mark_return_line"(), "analytics_returns_mark_return"();`);
    this.addSql(`drop table if exists "analytics_returns_dirty" cascade;`);
    this.addSql(`drop table if exists "analytics_returns_slot" cascade;`);
  }

}
