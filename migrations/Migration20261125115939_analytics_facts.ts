import { Migration } from '@mikro-orm/migrations';

export class Migration20261125115939_analytics_facts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "analytics_first_order" ("customer_id" uuid not null, "order_id" uuid not null, "placed_at" timestamptz not null, constraint "analytics_first_order_pkey" primary key ("customer_id"));`);
    this.addSql(`create index "analytics_first_order_order_idx" on "analytics_first_order" ("order_id");`);

    this.addSql(`create table "analytics_order_units" ("order_id" uuid not null, "units" bigint not null, constraint "analytics_order_units_pkey" primary key ("order_id"));`);

    // First order per customer. Inserts only ever move it earlier (a commutative min, safe under concurrent
    // placements); updates that touch status, placement time or customer recompute it for the customers concerned.
    this.addSql(`create function "analytics_first_order_on_insert"() returns trigger language plpgsql as $$
begin
  insert into analytics_first_order (customer_id, order_id, placed_at)
  select distinct on (n.customer_id) n.customer_id, n.id, n.placed_at
    from new_rows n where n.status <> 'CANCELLED'
   order by n.customer_id, n.placed_at, n.id
  on conflict (customer_id) do update set order_id = excluded.order_id, placed_at = excluded.placed_at
   where (excluded.placed_at, excluded.order_id) < (analytics_first_order.placed_at, analytics_first_order.order_id);
  return null;
end $$;`);
    this.addSql(`create function "analytics_first_order_refresh"(cs uuid[]) returns void language plpgsql as $$
begin
  delete from analytics_first_order f
   where f.customer_id = any(cs)
     and not exists (select 1 from sales_order o where o.customer_id = f.customer_id and o.status <> 'CANCELLED');
  insert into analytics_first_order (customer_id, order_id, placed_at)
  select distinct on (o.customer_id) o.customer_id, o.id, o.placed_at
    from sales_order o where o.customer_id = any(cs) and o.status <> 'CANCELLED'
   order by o.customer_id, o.placed_at, o.id
  on conflict (customer_id) do update set order_id = excluded.order_id, placed_at = excluded.placed_at
   where (analytics_first_order.order_id, analytics_first_order.placed_at) is distinct from (excluded.order_id, excluded.placed_at);
end $$;`);
    this.addSql(`create function "analytics_first_order_on_update"() returns trigger language plpgsql as $$
declare cs uuid[];
begin
  select array_agg(distinct c) into cs from (
    select o.customer_id as c from old_rows o join new_rows n on n.id = o.id
     where (o.status = 'CANCELLED') is distinct from (n.status = 'CANCELLED') or o.placed_at <> n.placed_at or o.customer_id <> n.customer_id
    union all
    select n.customer_id from old_rows o join new_rows n on n.id = o.id where o.customer_id <> n.customer_id) x;
  if cs is not null then perform analytics_first_order_refresh(cs); end if;
  return null;
end $$;`);
    this.addSql(`create function "analytics_first_order_on_delete"() returns trigger language plpgsql as $$
declare cs uuid[];
begin
  select array_agg(distinct customer_id) into cs from old_rows;
  if cs is not null then perform analytics_first_order_refresh(cs); end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_first_order_ins" after insert on "sales_order" referencing new table as new_rows for each statement execute function "analytics_first_order_on_insert"();`);
    this.addSql(`create trigger "analytics_first_order_upd" after update on "sales_order" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_first_order_on_update"();`);
    this.addSql(`create trigger "analytics_first_order_del" after delete on "sales_order" referencing old table as old_rows for each statement execute function "analytics_first_order_on_delete"();`);

    // Units per order: additive deltas, so concurrent writers commute.
    this.addSql(`create function "analytics_order_units_apply"() returns trigger language plpgsql as $$
begin
  if TG_OP in ('INSERT', 'UPDATE') then
    insert into analytics_order_units (order_id, units)
    select order_id, sum(quantity) from new_rows group by order_id
    on conflict (order_id) do update set units = analytics_order_units.units + excluded.units;
  end if;
  if TG_OP in ('DELETE', 'UPDATE') then
    insert into analytics_order_units (order_id, units)
    select order_id, -sum(quantity) from old_rows group by order_id
    on conflict (order_id) do update set units = analytics_order_units.units + excluded.units;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_order_units_ins" after insert on "order_line" referencing new table as new_rows for each statement execute function "analytics_order_units_apply"();`);
    this.addSql(`create trigger "analytics_order_units_upd" after update on "order_line" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_order_units_apply"();`);
    this.addSql(`create trigger "analytics_order_units_del" after delete on "order_line" referencing old table as old_rows for each statement execute function "analytics_order_units_apply"();`);

    // Backfill from what is there.
    this.addSql(`insert into analytics_first_order (customer_id, order_id, placed_at)
      select distinct on (customer_id) customer_id, id, placed_at from sales_order where status <> 'CANCELLED' order by customer_id, placed_at, id;`);
    this.addSql(`insert into analytics_order_units (order_id, units) select order_id, sum(quantity) from order_line group by order_id;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "analytics_first_order_ins" on "sales_order";`);
    this.addSql(`drop trigger if exists "analytics_first_order_upd" on "sales_order";`);
    this.addSql(`drop trigger if exists "analytics_first_order_del" on "sales_order";`);
    this.addSql(`drop trigger if exists "analytics_order_units_ins" on "order_line";`);
    this.addSql(`drop trigger if exists "analytics_order_units_upd" on "order_line";`);
    this.addSql(`drop trigger if exists "analytics_order_units_del" on "order_line";`);
    this.addSql(`drop function if exists "analytics_first_order_on_insert"(), "analytics_first_order_on_update"(), "analytics_first_order_on_delete"(), "analytics_first_order_refresh"(uuid[]), "analytics_order_units_apply"();`);
    this.addSql(`drop table if exists "analytics_first_order" cascade;`);

    this.addSql(`drop table if exists "analytics_order_units" cascade;`);
  }

}
