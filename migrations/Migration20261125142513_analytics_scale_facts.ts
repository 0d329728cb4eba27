import { Migration } from '@mikro-orm/migrations';

export class Migration20261125142513_analytics_scale_facts extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "analytics_customer_stats" ("customer_id" uuid not null, "currency" char(3) not null, "orders" int not null, "spend" bigint not null, "last_order_at" timestamptz not null, constraint "analytics_customer_stats_pkey" primary key ("customer_id", "currency"));`);

    // Rows are upserted in key order, so two multi-customer statements lock them in the same order (no deadlock).
    // Count and spend move by additive deltas (old counted rows out, new counted rows in), so concurrent writers
    // commute; the latest placement only moves later on the way in. When a counted order leaves a (customer,
    // currency) — cancelled, re-dated, re-priced, moved or deleted — that row's latest placement is recomputed from
    // the customer's orders (an index range), and a row left without orders is removed. The upsert has already
    // locked the row, so a concurrent placement for the same pair waits and then applies its greatest() on top.
    this.addSql(`create function "analytics_customer_stats_merge"(d jsonb) returns void language plpgsql as $$
declare cs uuid[]; curs char(3)[];
begin
  insert into analytics_customer_stats as s (customer_id, currency, orders, spend, last_order_at)
  select x.customer_id, x.currency, sum(x.n), sum(x.amount), coalesce(max(x.last_at), '-infinity')
    from jsonb_to_recordset(d) x(customer_id uuid, currency char(3), n int, amount bigint, last_at timestamptz, removed boolean)
   group by 1, 2 order by 1, 2
  on conflict (customer_id, currency) do update
    set orders = s.orders + excluded.orders, spend = s.spend + excluded.spend, last_order_at = greatest(s.last_order_at, excluded.last_order_at);
  select array_agg(r.customer_id), array_agg(r.currency) into cs, curs
    from (select distinct x.customer_id, x.currency from jsonb_to_recordset(d) x(customer_id uuid, currency char(3), removed boolean) where x.removed) r;
  if cs is not null then
    delete from analytics_customer_stats s using unnest(cs, curs) k(c, cur) where s.customer_id = k.c and s.currency = k.cur and s.orders = 0;
    update analytics_customer_stats s
       set last_order_at = (select max(o.placed_at) from sales_order o where o.customer_id = s.customer_id and o.currency = s.currency and o.status <> 'CANCELLED')
      from unnest(cs, curs) k(c, cur) where s.customer_id = k.c and s.currency = k.cur;
  end if;
end $$;`);
    this.addSql(`create function "analytics_customer_stats_apply"() returns trigger language plpgsql as $$
declare d jsonb;
begin
  if TG_OP = 'INSERT' then
    insert into analytics_customer_stats as s (customer_id, currency, orders, spend, last_order_at)
    select customer_id, currency, count(*), sum(total_amount), max(placed_at) from new_rows where status <> 'CANCELLED' group by 1, 2 order by 1, 2
    on conflict (customer_id, currency) do update
      set orders = s.orders + excluded.orders, spend = s.spend + excluded.spend, last_order_at = greatest(s.last_order_at, excluded.last_order_at);
    return null;
  end if;
  if TG_OP = 'UPDATE' then
    -- Only rows whose counted figures changed (most updates are status steps between non-cancelled states).
    select jsonb_agg(x) into d
      from old_rows o join new_rows n on n.id = o.id
     cross join lateral (values (n.customer_id, n.currency, 1, n.total_amount::bigint, n.placed_at, false, n.status <> 'CANCELLED'),
                                (o.customer_id, o.currency, -1, -o.total_amount::bigint, null::timestamptz, true, o.status <> 'CANCELLED'))
           x(customer_id, currency, n, amount, last_at, removed, counted)
     where x.counted
       and ((o.status = 'CANCELLED') is distinct from (n.status = 'CANCELLED') or o.customer_id <> n.customer_id or o.currency <> n.currency
            or o.total_amount <> n.total_amount or o.placed_at <> n.placed_at);
  else
    select jsonb_agg(x) into d
      from (select customer_id, currency, -1 as n, -total_amount::bigint as amount, null::timestamptz as last_at, true as removed
              from old_rows where status <> 'CANCELLED') x;
  end if;
  if d is not null then perform analytics_customer_stats_merge(d); end if;
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_customer_stats_ins" after insert on "sales_order" referencing new table as new_rows for each statement execute function "analytics_customer_stats_apply"();`);
    this.addSql(`create trigger "analytics_customer_stats_upd" after update on "sales_order" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_customer_stats_apply"();`);
    this.addSql(`create trigger "analytics_customer_stats_del" after delete on "sales_order" referencing old table as old_rows for each statement execute function "analytics_customer_stats_apply"();`);

    // Backfill from what is there (one pass over sales_order).
    this.addSql(`insert into analytics_customer_stats (customer_id, currency, orders, spend, last_order_at)
      select customer_id, currency, count(*), sum(total_amount), max(placed_at) from sales_order where status <> 'CANCELLED' group by 1, 2;`);

    this.addSql(`create table "analytics_stock_balance" ("variant_id" uuid not null, "warehouse_id" uuid not null, "on_hand" bigint not null, "first_at" timestamptz not null, constraint "analytics_stock_balance_pkey" primary key ("variant_id", "warehouse_id"));`);
    // The ledger is append-only (stock_movement_no_change refuses UPDATE and DELETE): inserts are all there is.
    this.addSql(`create function "analytics_stock_balance_apply"() returns trigger language plpgsql as $$
begin
  insert into analytics_stock_balance as b (variant_id, warehouse_id, on_hand, first_at)
  select variant_id, warehouse_id, sum(quantity), min(at) from new_rows group by 1, 2 order by 1, 2
  on conflict (variant_id, warehouse_id) do update set on_hand = b.on_hand + excluded.on_hand, first_at = least(b.first_at, excluded.first_at);
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_stock_balance_ins" after insert on "stock_movement" referencing new table as new_rows for each statement execute function "analytics_stock_balance_apply"();`);
    this.addSql(`insert into analytics_stock_balance (variant_id, warehouse_id, on_hand, first_at)
      select variant_id, warehouse_id, sum(quantity), min(at) from stock_movement group by 1, 2;`);
    // Cohort activity: a member's non-cancelled orders by placement, answered from the index alone.
    this.addSql(`create index "order_customer_active_placed_at_idx" on "sales_order" ("customer_id", "placed_at") where status <> 'CANCELLED';`);

    // Data loaded with triggers off (the bench seed runs with session_replication_role = replica) left the earlier
    // fact tables empty: fill in what is missing. Adds nothing where the triggers kept them.
    this.addSql(`insert into analytics_first_order (customer_id, order_id, placed_at)
      select distinct on (o.customer_id) o.customer_id, o.id, o.placed_at from sales_order o
       where o.status <> 'CANCELLED' and not exists (select 1 from analytics_first_order f where f.customer_id = o.customer_id)
       order by o.customer_id, o.placed_at, o.id;`);
    this.addSql(`insert into analytics_order_units (order_id, units)
      select l.order_id, sum(l.quantity) from order_line l
       where not exists (select 1 from analytics_order_units u where u.order_id = l.order_id) group by l.order_id;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "analytics_customer_stats_ins" on "sales_order";`);
    this.addSql(`drop trigger if exists "analytics_customer_stats_upd" on "sales_order";`);
    this.addSql(`drop trigger if exists "analytics_customer_stats_del" on "sales_order";`);
    this.addSql(`drop function if exists "analytics_customer_stats_apply"(), "analytics_customer_stats_merge"(jsonb);`);
    this.addSql(`drop table if exists "analytics_customer_stats" cascade;`);
    this.addSql(`drop trigger if exists "analytics_stock_balance_ins" on "stock_movement";`);
    this.addSql(`drop function if exists "analytics_stock_balance_apply"();`);
    this.addSql(`drop table if exists "analytics_stock_balance" cascade;`);
    this.addSql(`drop index if exists "order_customer_active_placed_at_idx";`);
  }

}
