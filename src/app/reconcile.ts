import type pg from 'pg';

/**
 * Ledger invariants. The ledgers (stock_movement, stock_reservation, payment_transaction, loyalty_entry, order_line)
 * are the truth; stock_level and the order's captured/refunded amounts are projections kept beside them for fast reads
 * and row locks. Every check is one SQL statement over real rows, so it runs the same on a test fixture and on a
 * production database.
 */

/** One invariant that does not hold for one key (SKU×warehouse, order, customer). */
export interface Drift {
  check: string;
  /** What it is about, e.g. `variant=… warehouse=…` or `order=…`. */
  key: string;
  /** What the ledger says. */
  expected: string;
  /** What the projection or record says. */
  actual: string;
}

export interface ReconcileCheck {
  name: string;
  description: string;
  /** Can `repair` fix it (projections only; ledgers are never touched). */
  repairable: boolean;
  sql: string;
}

type Queryable = Pick<pg.ClientBase, 'query'>;

// A stock_level row without any movement must be 0; movements without a stock_level row are drift as well.
const onHandSql = `
  WITH ledger AS (SELECT variant_id, warehouse_id, sum(quantity)::bigint AS qty FROM stock_movement GROUP BY 1, 2)
  SELECT 'variant=' || coalesce(l.variant_id, m.variant_id) || ' warehouse=' || coalesce(l.warehouse_id, m.warehouse_id) AS key,
         coalesce(m.qty, 0)::text AS expected, coalesce(l.on_hand::text, 'no stock_level row') AS actual
  FROM stock_level l FULL JOIN ledger m ON m.variant_id = l.variant_id AND m.warehouse_id = l.warehouse_id
  WHERE l.id IS NULL OR l.on_hand <> coalesce(m.qty, 0)
  ORDER BY 1`;

const reservedSql = `
  WITH open AS (SELECT variant_id, warehouse_id, sum(quantity)::bigint AS qty FROM stock_reservation WHERE status = 'OPEN' GROUP BY 1, 2)
  SELECT 'variant=' || coalesce(l.variant_id, r.variant_id) || ' warehouse=' || coalesce(l.warehouse_id, r.warehouse_id) AS key,
         coalesce(r.qty, 0)::text AS expected, coalesce(l.reserved::text, 'no stock_level row') AS actual
  FROM stock_level l FULL JOIN open r ON r.variant_id = l.variant_id AND r.warehouse_id = l.warehouse_id
  WHERE l.id IS NULL OR l.reserved <> coalesce(r.qty, 0)
  ORDER BY 1`;

export const CHECKS: ReconcileCheck[] = [
  {
    name: 'stock_on_hand',
    description: 'stock_level.on_hand = Σ stock_movement.quantity per SKU×warehouse',
    repairable: true,
    sql: onHandSql,
  },
  {
    name: 'stock_reserved',
    description: 'stock_level.reserved = Σ quantity of OPEN stock_reservation rows per SKU×warehouse',
    repairable: true,
    sql: reservedSql,
  },
  {
    name: 'stock_not_negative',
    description: 'on_hand ≥ 0 and reserved ≥ 0',
    repairable: false,
    sql: `SELECT 'variant=' || variant_id || ' warehouse=' || warehouse_id AS key, 'on_hand ≥ 0, reserved ≥ 0' AS expected,
                 'on_hand=' || on_hand || ' reserved=' || reserved AS actual
          FROM stock_level WHERE on_hand < 0 OR reserved < 0 ORDER BY 1`,
  },
  {
    name: 'order_subtotal',
    description: 'sales_order.subtotal_amount = Σ order_line.line_total_amount, and each line total = quantity × unit price',
    repairable: false,
    sql: `SELECT 'order=' || o.id AS key, coalesce(sum(l.quantity::bigint * l.unit_price_amount), 0)::text AS expected,
                 o.subtotal_amount || ' (lines say ' || coalesce(sum(l.line_total_amount::bigint), 0) || ')' AS actual
          FROM sales_order o LEFT JOIN order_line l ON l.order_id = o.id
          GROUP BY o.id, o.subtotal_amount
          HAVING o.subtotal_amount <> coalesce(sum(l.line_total_amount::bigint), 0)
              OR coalesce(sum(l.line_total_amount::bigint), 0) <> coalesce(sum(l.quantity::bigint * l.unit_price_amount), 0)
          ORDER BY 1`,
  },
  {
    name: 'order_total',
    description: 'sales_order.total_amount = subtotal − discount + shipping + tax',
    repairable: false,
    sql: `SELECT 'order=' || id AS key, (subtotal_amount::bigint - discount_amount + shipping_amount + tax_amount)::text AS expected,
                 total_amount::text AS actual
          FROM sales_order WHERE total_amount <> subtotal_amount::bigint - discount_amount + shipping_amount + tax_amount ORDER BY 1`,
  },
  {
    name: 'order_payments',
    description: 'sales_order.captured_amount / refunded_amount = Σ CAPTURE / Σ REFUND payment_transaction rows',
    repairable: true,
    sql: `WITH p AS (
            SELECT order_id, sum(amount_minor) FILTER (WHERE kind = 'CAPTURE')::bigint AS captured,
                   sum(amount_minor) FILTER (WHERE kind = 'REFUND')::bigint AS refunded
            FROM payment_transaction GROUP BY order_id)
          SELECT 'order=' || o.id AS key, 'captured=' || coalesce(p.captured, 0) || ' refunded=' || coalesce(p.refunded, 0) AS expected,
                 'captured=' || o.captured_amount || ' refunded=' || o.refunded_amount AS actual
          FROM sales_order o LEFT JOIN p ON p.order_id = o.id
          WHERE o.captured_amount <> coalesce(p.captured, 0) OR o.refunded_amount <> coalesce(p.refunded, 0)
          ORDER BY 1`,
  },
  {
    name: 'refund_within_capture',
    description: 'Σ refunds ≤ Σ captures ≤ order total, per order (from the payment ledger)',
    repairable: false,
    sql: `SELECT 'order=' || o.id AS key, 'refunded ≤ captured ≤ total=' || o.total_amount AS expected,
                 'captured=' || coalesce(sum(t.amount_minor) FILTER (WHERE t.kind = 'CAPTURE'), 0)
                 || ' refunded=' || coalesce(sum(t.amount_minor) FILTER (WHERE t.kind = 'REFUND'), 0) AS actual
          FROM sales_order o JOIN payment_transaction t ON t.order_id = o.id
          GROUP BY o.id, o.total_amount
          HAVING coalesce(sum(t.amount_minor) FILTER (WHERE t.kind = 'REFUND'), 0) > coalesce(sum(t.amount_minor) FILTER (WHERE t.kind = 'CAPTURE'), 0)
              OR coalesce(sum(t.amount_minor) FILTER (WHERE t.kind = 'CAPTURE'), 0) > o.total_amount
          ORDER BY 1`,
  },
  {
    // The points balance is not stored: it is Σ loyalty_entry by definition, so what can drift is the rule that it
    // never goes below 0.
    name: 'loyalty_balance',
    description: 'loyalty balance (Σ loyalty_entry.points per customer) ≥ 0',
    repairable: false,
    sql: `SELECT 'customer=' || customer_id AS key, '≥ 0' AS expected, sum(points)::text AS actual
          FROM loyalty_entry GROUP BY customer_id HAVING sum(points) < 0 ORDER BY 1`,
  },
];

/** Runs every check; no rows means the ledgers and projections agree. */
export async function reconcile(db: Queryable): Promise<Drift[]> {
  const drift: Drift[] = [];
  for (const c of CHECKS) {
    const { rows } = await db.query(c.sql);
    for (const r of rows) drift.push({ check: c.name, key: r.key, expected: r.expected, actual: r.actual });
  }
  return drift;
}

/** One line per drift, for logs and the CLI. */
export function formatDrift(d: Drift): string {
  return `${d.check}: ${d.key} expected ${d.expected}, found ${d.actual}`;
}

/**
 * Recomputes the projections from the ledgers in one transaction: stock_level.on_hand and reserved (rows missing for
 * a ledger key are created), and the order's captured/refunded amounts. The ledgers are only read. The stock_level and
 * sales_order rows are locked while they are rewritten, so a concurrent mutation waits rather than interleaving.
 * Returns how many rows changed per projection.
 */
export async function repair(db: pg.ClientBase): Promise<{ stockLevels: number; orders: number }> {
  await db.query('BEGIN');
  try {
    await db.query('LOCK TABLE stock_level, sales_order IN SHARE ROW EXCLUSIVE MODE');
    const created = await db.query(`
      INSERT INTO stock_level (id, variant_id, warehouse_id, on_hand, reserved, reorder_point, safety_stock, updated_at)
      SELECT gen_random_uuid(), k.variant_id, k.warehouse_id, 0, 0, 0, 0, now()
      FROM (SELECT variant_id, warehouse_id FROM stock_movement UNION SELECT variant_id, warehouse_id FROM stock_reservation WHERE status = 'OPEN') k
      WHERE NOT EXISTS (SELECT 1 FROM stock_level l WHERE l.variant_id = k.variant_id AND l.warehouse_id = k.warehouse_id)`);
    const stock = await db.query(`
      WITH m AS (SELECT variant_id, warehouse_id, sum(quantity)::int AS qty FROM stock_movement GROUP BY 1, 2),
           r AS (SELECT variant_id, warehouse_id, sum(quantity)::int AS qty FROM stock_reservation WHERE status = 'OPEN' GROUP BY 1, 2),
           want AS (
             SELECT l.id, coalesce(m.qty, 0) AS on_hand, coalesce(r.qty, 0) AS reserved
             FROM stock_level l
             LEFT JOIN m ON m.variant_id = l.variant_id AND m.warehouse_id = l.warehouse_id
             LEFT JOIN r ON r.variant_id = l.variant_id AND r.warehouse_id = l.warehouse_id)
      UPDATE stock_level l SET on_hand = w.on_hand, reserved = w.reserved, updated_at = now()
      FROM want w WHERE w.id = l.id AND (l.on_hand <> w.on_hand OR l.reserved <> w.reserved)`);
    const orders = await db.query(`
      WITH p AS (
        SELECT o.id, coalesce(sum(t.amount_minor) FILTER (WHERE t.kind = 'CAPTURE'), 0)::int AS captured,
               coalesce(sum(t.amount_minor) FILTER (WHERE t.kind = 'REFUND'), 0)::int AS refunded
        FROM sales_order o LEFT JOIN payment_transaction t ON t.order_id = o.id GROUP BY o.id)
      UPDATE sales_order o SET captured_amount = p.captured, refunded_amount = p.refunded
      FROM p WHERE p.id = o.id AND (o.captured_amount <> p.captured OR o.refunded_amount <> p.refunded)`);
    await db.query('COMMIT');
    return { stockLevels: (created.rowCount ?? 0) + (stock.rowCount ?? 0), orders: orders.rowCount ?? 0 };
  } catch (err) {
    await db.query('ROLLBACK');
    throw err;
  }
}
