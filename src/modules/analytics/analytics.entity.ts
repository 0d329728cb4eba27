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
