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
 * Sales measures of one 15-minute UTC slot, per channel and currency: sales by placement time (order currency),
 * refunds by the time they were recorded (refund currency). Every real zone offset is a multiple of 15 minutes,
 * so any zone's hour, day, week or month is a union of whole slots and these sums answer NONE and CHANNEL KPIs
 * exactly. Written only by the rollup refresher (analytics/rollups.ts) and the migration's backfill.
 * `channelId` is NO_CHANNEL for orders without a channel (a key column cannot be null).
 */
@Entity({ tableName: 'analytics_sales_slot' })
export class AnalyticsSalesSlot {
  @PrimaryKey({ type: 'datetime', columnType: 'timestamptz' })
  slot!: Date;

  @PrimaryKey({ type: 'uuid' })
  channelId!: string;

  @PrimaryKey({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Property({ type: 'bigint' })
  gmv!: number;

  @Property({ type: 'bigint' })
  discounts!: number;

  @Property({ type: 'bigint' })
  units!: number;

  @Property({ type: 'integer' })
  orders!: number;

  @Property({ type: 'integer' })
  newOrders!: number;

  @Property({ type: 'bigint' })
  refunds!: number;

  /** Refund transactions counted in `refunds` (a bucket with only zero-amount refunds still shows up, as in the raw query). */
  @Property({ type: 'integer' })
  refundRows!: number;
}

/**
 * Line-level sales measures of one 15-minute UTC slot (see AnalyticsSalesSlot for why slots), per product category
 * (`kind` 'C') or brand ('B') and currency: order discounts and refunds shared among lines as the raw statement shares
 * them. CATEGORY and BRAND KPIs are served from it. `dim` is NO_CHANNEL when the product has none. Written only by the
 * refresher (from the sales family's marks; re-categorising a product marks the slots of its sales) and backfills.
 */
@Entity({ tableName: 'analytics_sales_line_slot' })
export class AnalyticsSalesLineSlot {
  @PrimaryKey({ type: 'datetime', columnType: 'timestamptz' })
  slot!: Date;

  @PrimaryKey({ type: 'string', length: 1, columnType: 'char(1)' })
  kind!: string;

  @PrimaryKey({ type: 'uuid' })
  dim!: string;

  @PrimaryKey({ type: 'string', length: 3, columnType: 'char(3)' })
  currency!: string;

  @Property({ type: 'bigint' })
  gmv!: number;

  @Property({ type: 'bigint' })
  discounts!: number;

  @Property({ type: 'bigint' })
  units!: number;

  @Property({ type: 'integer' })
  orders!: number;

  @Property({ type: 'integer' })
  newOrders!: number;

  @Property({ type: 'bigint' })
  refunds!: number;

  @Property({ type: 'integer' })
  refundRows!: number;
}

/**
 * Slots whose sales rollup may be stale: one row per mark, appended by statement triggers in the writer's own
 * transaction (no unique key, so writers never wait on each other), removed by the refresher that recomputes them.
 */
@Entity({ tableName: 'analytics_sales_dirty' })
@Index({ name: 'analytics_sales_dirty_slot_idx', properties: ['slot'] })
export class AnalyticsSalesDirty {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  slot!: Date;
}

/**
 * Return measures of one 15-minute UTC slot of order placement (see AnalyticsSalesSlot for why slots): the row with
 * `reason` '' holds the units sold on live orders placed in the slot; one row per return reason holds the units asked
 * back on those orders by live (not rejected or cancelled) returns. Line counts say whether a group exists at all.
 */
@Entity({ tableName: 'analytics_returns_slot' })
export class AnalyticsReturnsSlot {
  @PrimaryKey({ type: 'datetime', columnType: 'timestamptz' })
  slot!: Date;

  @PrimaryKey({ type: 'text' })
  reason!: string;

  @Property({ type: 'bigint' })
  soldUnits!: number;

  @Property({ type: 'integer' })
  soldLines!: number;

  @Property({ type: 'bigint' })
  returnedUnits!: number;

  @Property({ type: 'integer' })
  returnLines!: number;
}

/** Slots whose returns rollup may be stale (appended marks, as AnalyticsSalesDirty). */
@Entity({ tableName: 'analytics_returns_dirty' })
@Index({ name: 'analytics_returns_dirty_slot_idx', properties: ['slot'] })
export class AnalyticsReturnsDirty {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  slot!: Date;
}

/**
 * Traffic measures of the visits started in one 15-minute UTC slot (see AnalyticsSalesSlot for why slots), per source
 * and campaign (`hasCampaign` false: no campaign; `campaign` is then ''): visits, visits reaching each funnel step,
 * visits with a live attributed order, and those orders.
 */
@Entity({ tableName: 'analytics_traffic_slot' })
export class AnalyticsTrafficSlot {
  @PrimaryKey({ type: 'datetime', columnType: 'timestamptz' })
  slot!: Date;

  @PrimaryKey({ type: 'text' })
  source!: string;

  @PrimaryKey({ type: 'boolean' })
  hasCampaign!: boolean;

  @PrimaryKey({ type: 'text' })
  campaign!: string;

  @Property({ type: 'integer' })
  sessions!: number;

  @Property({ type: 'integer' })
  pv!: number;

  @Property({ type: 'integer' })
  atc!: number;

  @Property({ type: 'integer' })
  cs!: number;

  @Property({ type: 'integer' })
  pu!: number;

  @Property({ type: 'integer' })
  converted!: number;

  @Property({ type: 'integer' })
  orders!: number;
}

/** Slots whose traffic rollup may be stale (appended marks, as AnalyticsSalesDirty). */
@Entity({ tableName: 'analytics_traffic_dirty' })
@Index({ name: 'analytics_traffic_dirty_slot_idx', properties: ['slot'] })
export class AnalyticsTrafficDirty {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: number;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  slot!: Date;
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
