import { Migration } from '@mikro-orm/migrations';

/**
 * Line-level sales slot rollup (CATEGORY and BRAND KPIs), recomputed from the sales family's dirty marks. On top of
 * the marks the sales triggers already write, line-level shares also depend on each line's amount and product and on
 * the product's category and brand (current values, as the raw statement reads them), so:
 *  - order_line changes mark the slots of the order's refunds too (refunds are shared by line amounts);
 *  - re-categorising or re-branding a product, or moving a variant to another product, marks every slot holding a sale
 *    or a refund of it — a rare catalogue edit that re-buckets history, as the raw statement would.
 * The backfill is the refresher's statement for every slot at once (frozen here: a migration never changes).
 */
export class Migration20261125151823_sales_line_rollup extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "analytics_sales_line_slot" ("slot" timestamptz not null, "kind" char(1) not null, "dim" uuid not null, "currency" char(3) not null, "gmv" bigint not null, "discounts" bigint not null, "units" bigint not null, "orders" int not null, "new_orders" int not null, "refunds" bigint not null, "refund_rows" int not null, constraint "analytics_sales_line_slot_pkey" primary key ("slot", "kind", "dim", "currency"));`);

    // One function per operation: each names the transition tables it has.
    this.addSql(`create function "analytics_sales_mark_line_refunds_ins"() returns trigger language plpgsql as $$
begin
  insert into analytics_sales_dirty (slot)
  select analytics_slot(r.at) from payment_transaction r where r.kind = 'REFUND' and r.order_id in (select n.order_id from new_rows n);
  return null;
end $$;`);
    this.addSql(`create function "analytics_sales_mark_line_refunds_del"() returns trigger language plpgsql as $$
begin
  insert into analytics_sales_dirty (slot)
  select analytics_slot(r.at) from payment_transaction r where r.kind = 'REFUND' and r.order_id in (select o.order_id from old_rows o);
  return null;
end $$;`);
    this.addSql(`create function "analytics_sales_mark_line_refunds_upd"() returns trigger language plpgsql as $$
begin
  with changed as (
    select o.order_id from old_rows o join new_rows n on n.id = o.id
     where o.quantity <> n.quantity or o.line_total_amount <> n.line_total_amount or o.variant_id <> n.variant_id or o.order_id <> n.order_id
    union
    select n.order_id from old_rows o join new_rows n on n.id = o.id
     where o.quantity <> n.quantity or o.line_total_amount <> n.line_total_amount or o.variant_id <> n.variant_id or o.order_id <> n.order_id)
  insert into analytics_sales_dirty (slot)
  select analytics_slot(so.placed_at) from sales_order so where so.id in (select order_id from changed)
  union
  select analytics_slot(r.at) from payment_transaction r where r.kind = 'REFUND' and r.order_id in (select order_id from changed);
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_sales_mark_line_refunds_ins" after insert on "order_line" referencing new table as new_rows for each statement execute function "analytics_sales_mark_line_refunds_ins"();`);
    this.addSql(`create trigger "analytics_sales_mark_line_refunds_upd" after update on "order_line" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_sales_mark_line_refunds_upd"();`);
    this.addSql(`create trigger "analytics_sales_mark_line_refunds_del" after delete on "order_line" referencing old table as old_rows for each statement execute function "analytics_sales_mark_line_refunds_del"();`);

    // Slots of every sale and refund of the given variants.
    this.addSql(`create function "analytics_sales_mark_variants"(variant_ids uuid[]) returns void language sql as $$
  insert into analytics_sales_dirty (slot)
  select analytics_slot(so.placed_at) from sales_order so where so.id in (select ol.order_id from order_line ol where ol.variant_id = any(variant_ids))
  union
  select analytics_slot(r.at) from payment_transaction r
   where r.kind = 'REFUND' and r.order_id in (select ol.order_id from order_line ol where ol.variant_id = any(variant_ids));
$$;`);
    this.addSql(`create function "analytics_sales_mark_product"() returns trigger language plpgsql as $$
begin
  perform analytics_sales_mark_variants(array(
    select v.id from product_variant v where v.product_id in (
      select n.id from old_rows o join new_rows n on n.id = o.id
       where o.category_id is distinct from n.category_id or o.brand_id is distinct from n.brand_id)));
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_sales_mark_product_upd" after update on "product" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_sales_mark_product"();`);
    this.addSql(`create function "analytics_sales_mark_variant"() returns trigger language plpgsql as $$
begin
  perform analytics_sales_mark_variants(array(select n.id from old_rows o join new_rows n on n.id = o.id where o.product_id <> n.product_id));
  return null;
end $$;`);
    this.addSql(`create trigger "analytics_sales_mark_variant_upd" after update on "product_variant" referencing old table as old_rows new table as new_rows for each statement execute function "analytics_sales_mark_variant"();`);

    // Backfill: every slot at once.
    this.addSql(`insert into analytics_sales_line_slot (slot, kind, dim, currency, gmv, discounts, units, orders, new_orders, refunds, refund_rows)
     with ls_orders AS (
            SELECT analytics_slot(o.placed_at) AS b, o.id, o.currency, o.discount_amount, fo.order_id IS NOT NULL AS first
              FROM sales_order o
              LEFT JOIN analytics_first_order fo ON fo.order_id = o.id
             WHERE o.status <> 'CANCELLED'),
          ls_sales AS (
            SELECT l.b, k.kind, coalesce(k.dim, '00000000-0000-0000-0000-000000000000') AS dim, l.currency,
                   sum(l.gmv)::bigint AS gmv, sum(CASE WHEN l.total = 0 THEN CASE WHEN l.rn = 1 THEN l.discount_amount ELSE 0 END
               ELSE floor(l.discount_amount::numeric * l.cum / l.total) - floor(l.discount_amount::numeric * (l.cum - l.gmv) / l.total) END)::bigint AS discounts, sum(l.units)::bigint AS units,
                   count(DISTINCT l.order_id)::int AS orders, count(DISTINCT l.order_id) FILTER (WHERE l.first)::int AS new_orders
              FROM (SELECT x.*, so.b, so.currency, so.discount_amount, so.first, sum(x.gmv) OVER (PARTITION BY x.order_id ORDER BY x.rid) AS cum, sum(x.gmv) OVER (PARTITION BY x.order_id) AS total,
                       row_number() OVER (PARTITION BY x.order_id ORDER BY x.rid) AS rn
                      FROM ls_orders so JOIN (SELECT ol.order_id, ol.id::text AS rid, pr.category_id, pr.brand_id, ol.line_total_amount::bigint AS gmv, ol.quantity::bigint AS units
                        FROM order_line ol JOIN product_variant v ON v.id = ol.variant_id JOIN product pr ON pr.id = v.product_id) x ON x.order_id = so.id) l
              CROSS JOIN LATERAL (VALUES ('C', l.category_id), ('B', l.brand_id)) k(kind, dim)
             WHERE k.kind IN ('C', 'B')
             GROUP BY 1, 2, 3, 4),
          ls_refunds AS (
            SELECT analytics_slot(r.at) AS b, r.order_id, r.currency, r.amount_minor
              FROM payment_transaction r
              JOIN sales_order o ON o.id = r.order_id
             WHERE r.kind = 'REFUND' AND o.status <> 'CANCELLED'),
          ls_refund_lines AS (
            SELECT x.*, sum(x.gmv) OVER (PARTITION BY x.order_id ORDER BY x.rid) AS cum, sum(x.gmv) OVER (PARTITION BY x.order_id) AS total,
                       row_number() OVER (PARTITION BY x.order_id ORDER BY x.rid) AS rn FROM (SELECT ol.order_id, ol.id::text AS rid, pr.category_id, pr.brand_id, ol.line_total_amount::bigint AS gmv, ol.quantity::bigint AS units
                        FROM order_line ol JOIN product_variant v ON v.id = ol.variant_id JOIN product pr ON pr.id = v.product_id WHERE ol.order_id IN (SELECT order_id FROM ls_refunds)) x),
          ls_refund_sums AS (
            SELECT r.b, k.kind, coalesce(k.dim, '00000000-0000-0000-0000-000000000000') AS dim, r.currency, sum(CASE WHEN l.total = 0 THEN CASE WHEN l.rn = 1 THEN r.amount_minor ELSE 0 END
               ELSE floor(r.amount_minor::numeric * l.cum / l.total) - floor(r.amount_minor::numeric * (l.cum - l.gmv) / l.total) END)::bigint AS refunds, count(*)::int AS refund_rows
              FROM ls_refunds r JOIN ls_refund_lines l ON l.order_id = r.order_id
              CROSS JOIN LATERAL (VALUES ('C', l.category_id), ('B', l.brand_id)) k(kind, dim)
             WHERE k.kind IN ('C', 'B')
             GROUP BY 1, 2, 3, 4)
          SELECT b, kind, dim, currency, coalesce(s.gmv, 0) AS gmv, coalesce(s.discounts, 0) AS discounts, coalesce(s.units, 0) AS units,
                 coalesce(s.orders, 0) AS orders, coalesce(s.new_orders, 0) AS new_orders, coalesce(r.refunds, 0) AS refunds,
                 coalesce(r.refund_rows, 0) AS refund_rows
            FROM ls_sales s FULL JOIN ls_refund_sums r USING (b, kind, dim, currency);`);
    this.addSql(`analyze "analytics_sales_line_slot";`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists "analytics_sales_mark_line_refunds_ins" on "order_line";`);
    this.addSql(`drop trigger if exists "analytics_sales_mark_line_refunds_upd" on "order_line";`);
    this.addSql(`drop trigger if exists "analytics_sales_mark_line_refunds_del" on "order_line";`);
    this.addSql(`drop trigger if exists "analytics_sales_mark_product_upd" on "product";`);
    this.addSql(`drop trigger if exists "analytics_sales_mark_variant_upd" on "product_variant";`);
    this.addSql(`drop function if exists "analytics_sales_mark_line_refunds_ins"(), "analytics_sales_mark_line_refunds_upd"(), "analytics_sales_mark_line_refunds_del"(), "analytics_sales_mark_product"(), "analytics_sales_mark_variant"(), "analytics_sales_mark_variants"(uuid[]);`);
    this.addSql(`drop table if exists "analytics_sales_line_slot" cascade;`);
  }

}
