import { randomUUID } from 'node:crypto';
import pg from 'pg';

export interface SeedSizes {
  customers: number;
  products: number;
  variantsPerProduct: number;
  orders: number;
  linesPerOrder: number;
}

/**
 * Writes a coherent data set straight through SQL (fast), in the shape the API itself writes:
 * customers, active products with variants, orders with lines and their first status-history entry.
 */
export async function seed(url: string, sizes: SeedSizes): Promise<{ variantIds: string[]; customerIds: string[] }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const customerIds = Array.from({ length: sizes.customers }, () => randomUUID());
    for (let i = 0; i < customerIds.length; i += 1000) {
      const chunk = customerIds.slice(i, i + 1000);
      await c.query(
        `INSERT INTO customer (id, email, name, created_at) SELECT id, 'bench-' || id || '@example.com', 'Bench ' || n, now() FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
        [chunk],
      );
    }
    const productIds = Array.from({ length: sizes.products }, () => randomUUID());
    await c.query(
      `INSERT INTO product (id, name, slug, description, status, created_at)
       SELECT id, 'Product ' || n, 'bench-product-' || n, 'A product for benchmarks', 'ACTIVE', now() FROM unnest($1::uuid[]) WITH ORDINALITY AS t(id, n)`,
      [productIds],
    );
    const variantIds: string[] = [];
    const variantProduct: string[] = [];
    productIds.forEach((p) => {
      for (let v = 0; v < sizes.variantsPerProduct; v++) {
        variantIds.push(randomUUID());
        variantProduct.push(p);
      }
    });
    await c.query(
      `INSERT INTO product_variant (id, product_id, sku, name, price_amount, currency, active)
       SELECT id, pid, 'BENCH-' || n, 'Variant ' || n, 500 + (n % 50) * 100, 'USD', true FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(id, pid, n)`,
      [variantIds, variantProduct],
    );
    for (let i = 0; i < sizes.orders; i += 500) {
      const n = Math.min(500, sizes.orders - i);
      const orderIds = Array.from({ length: n }, () => randomUUID());
      const customers = orderIds.map((_, k) => customerIds[(i + k) % customerIds.length]!);
      await c.query(
        `INSERT INTO sales_order (id, number, customer_id, status, currency, subtotal_amount, discount_amount, shipping_amount, tax_amount, total_amount, placed_at, updated_at)
         SELECT id, nextval('order_number_seq'), cid, 'PAID', 'USD', 0, 0, 0, 0, 0, now() - (n || ' minutes')::interval, now() FROM unnest($1::uuid[], $2::uuid[]) WITH ORDINALITY AS t(id, cid, n)`,
        [orderIds, customers],
      );
      const lineOrder: string[] = [];
      const lineVariant: string[] = [];
      const linePos: number[] = [];
      orderIds.forEach((o, k) => {
        for (let l = 0; l < sizes.linesPerOrder; l++) {
          lineOrder.push(o);
          lineVariant.push(variantIds[(i + k * 7 + l * 13) % variantIds.length]!);
          linePos.push(l);
        }
      });
      await c.query(
        `INSERT INTO order_line (id, order_id, variant_id, position, sku, title, quantity, unit_price_amount, line_total_amount, currency)
         SELECT gen_random_uuid(), o, v.id, pos, v.sku, 'Bench item', 1 + pos, v.price_amount, v.price_amount * (1 + pos), 'USD'
         FROM unnest($1::uuid[], $2::uuid[], $3::int[]) AS t(o, vid, pos) JOIN product_variant v ON v.id = t.vid`,
        [lineOrder, lineVariant, linePos],
      );
      await c.query(
        `UPDATE sales_order o SET subtotal_amount = s.t, total_amount = s.t FROM (SELECT order_id, sum(line_total_amount)::int AS t FROM order_line WHERE order_id = ANY($1::uuid[]) GROUP BY order_id) s WHERE s.order_id = o.id`,
        [orderIds],
      );
      await c.query(
        `INSERT INTO order_status_change (id, order_id, from_status, to_status, actor_kind, at) SELECT gen_random_uuid(), id, NULL, 'PAID', 'system', now() FROM unnest($1::uuid[]) AS t(id)`,
        [orderIds],
      );
    }
    await c.query('ANALYZE');
    return { variantIds, customerIds };
  } finally {
    await c.end();
  }
}
