import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/postgresql';

/**
 * Each customer's first non-cancelled order (by placement time, then id). Maintained by statement triggers on
 * sales_order (see the analytics_facts migration), never written by the application: sales KPIs count new-customer
 * orders with an index lookup here instead of a correlated search through every earlier order.
 */
@Entity({ tableName: 'analytics_first_order' })
@Index({ name: 'analytics_first_order_order_idx', properties: ['orderId'] })
export class AnalyticsFirstOrder {
  @PrimaryKey({ type: 'uuid' })
  customerId!: string;

  @Property({ type: 'uuid' })
  orderId!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  placedAt!: Date;
}

/** Σ line quantities of each order, maintained by statement triggers on order_line (additive, so concurrent writers commute). */
@Entity({ tableName: 'analytics_order_units' })
export class AnalyticsOrderUnits {
  @PrimaryKey({ type: 'uuid' })
  orderId!: string;

  @Property({ type: 'bigint' })
  units!: number;
}

/**
 * Per (customer, currency): count, Σ total_amount and latest placement of the customer's non-cancelled orders.
 * Maintained by statement triggers on sales_order (see the analytics_customer_stats migration), never written by
 * the application: RFM scores and segments read 100k of these rows instead of aggregating every order. One row
 * per customer and currency, so concurrent placements of different customers never meet on a row.
 */
@Entity({ tableName: 'analytics_customer_stats' })
export class AnalyticsCustomerStats {
  @PrimaryKey({ type: 'uuid' })
  customerId!: string;

  @PrimaryKey({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Property({ type: 'integer' })
  orders!: number;

  @Property({ type: 'bigint' })
  spend!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  lastOrderAt!: Date;
}

/**
 * Per (variant, warehouse): Σ of the stock ledger and the time of its first movement. Maintained by a statement
 * trigger on stock_movement (append-only, so inserts are all there is; additive, and the pair's writers already
 * serialise on its stock_level row). Inventory KPIs start from it and read only the movements of the period
 * onwards instead of summing the whole ledger.
 */
@Entity({ tableName: 'analytics_stock_balance' })
export class AnalyticsStockBalance {
  @PrimaryKey({ type: 'uuid' })
  variantId!: string;

  @PrimaryKey({ type: 'uuid' })
  warehouseId!: string;

  @Property({ type: 'bigint' })
  onHand!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  firstAt!: Date;
}
