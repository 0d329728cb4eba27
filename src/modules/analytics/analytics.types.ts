import { ArgsType, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime, GraphQLSafeInt } from 'graphql-scalars';
import { Money } from '../../common/money.js';

export enum KpiBucket {
  HOUR = 'HOUR',
  DAY = 'DAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
}
registerEnumType(KpiBucket, {
  name: 'KpiBucket',
  description: 'Width of a KPI time bucket, cut in the requested time zone (WEEK starts on Monday). HOUR allows periods of at most 31 days, the others at most 2 years.',
});

export enum SalesBreakdown {
  NONE = 'NONE',
  CHANNEL = 'CHANNEL',
  CATEGORY = 'CATEGORY',
  PRODUCT = 'PRODUCT',
  BRAND = 'BRAND',
  SEGMENT = 'SEGMENT',
  TRAFFIC_SOURCE = 'TRAFFIC_SOURCE',
  WAREHOUSE = 'WAREHOUSE',
}
registerEnumType(SalesBreakdown, {
  name: 'SalesBreakdown',
  description:
    'How sales KPIs are split inside each bucket. Order-level splits put each order (and its discounts and refunds) wholly in one group; line-level splits (CATEGORY, PRODUCT, BRAND, WAREHOUSE) put each line’s gmv and units in its group, share the order’s discount and each refund among its lines in proportion to their line totals (exact in minor units: floor of the running share, so the parts add up to the whole), and count an order (and a new-customer order) once in every group it has a line in — so orders do not add up across groups.',
  valuesConfig: {
    NONE: { description: 'One row per bucket and currency.' },
    CHANNEL: { description: 'Order-level: the sales channel (key = channel id); orders without a channel form their own row (key null).' },
    CATEGORY: { description: 'Line-level: the category of the line’s product (key = category id); products without a category form their own row (key null).' },
    PRODUCT: { description: 'Line-level: the line’s product (key = product id).' },
    BRAND: { description: 'Line-level: the brand of the line’s product (key = brand id; see `setProductBrand`); products without a brand form their own row (key null), labelled "(no brand)". The brand is the product’s brand now, not at order time.' },
    SEGMENT: {
      description:
        'Order-level: the customer’s current membership tier (crm; key = tier id), the only stored per-customer grouping — rule-based segments are evaluated on demand and may overlap. Customers without a tier form their own row (key null). The tier is the one held now, not at order time.',
    },
    TRAFFIC_SOURCE: {
      description:
        'Order-level: the source (utm_source) of the visit the order is attributed to (traffic module; key and label = the source). Orders without an attribution, or whose visit was never ingested, form their own row (key null).',
    },
    WAREHOUSE: {
      description:
        'Line-level: the warehouse the line’s units were reserved or shipped from (key = warehouse id). A line split across warehouses is split by units, its line total shared in proportion to the units (floor of the running share); units with no reservation (e.g. released) form their own row (key null).',
    },
  },
});

@ArgsType()
export class KpiPeriodArgs {
  @Field(() => GraphQLDateTime, { description: 'Start of the period (inclusive).' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'End of the period (exclusive); after `from`.' })
  to!: Date;

  @Field(() => KpiBucket, { description: 'Bucket width.' })
  bucket!: KpiBucket;

  @Field(() => String, { description: 'IANA time zone the buckets are cut in, e.g. "Europe/Berlin" or "UTC". Unknown zones are refused.' })
  timeZone!: string;
}

@ArgsType()
export class SalesKpiArgs extends KpiPeriodArgs {
  @Field(() => SalesBreakdown, { defaultValue: SalesBreakdown.NONE, description: 'How to split each bucket.' })
  breakdown: SalesBreakdown = SalesBreakdown.NONE;
}

@ObjectType({ description: 'The group a KPI row belongs to when a breakdown was requested.' })
export class KpiDimension {
  @Field(() => ID, { nullable: true, description: 'Id of the group (e.g. the channel id); null for the group of rows that have none (e.g. orders without a channel).' })
  key!: string | null;

  @Field(() => String, { description: 'Human-readable name of the group.' })
  label!: string;
}

@ObjectType({ description: 'Sales figures of one bucket, dimension and currency.' })
export class SalesKpiValues {
  @Field(() => Money, { description: 'Gross merchandise value: Σ order subtotals (line totals at the price sold, before order discounts, shipping and tax) of the sales placed in the bucket.' })
  gmv!: Money;

  @Field(() => Money, { description: 'Σ order discounts of the sales placed in the bucket.' })
  discounts!: Money;

  @Field(() => Money, { description: 'Σ refunds recorded (payment refunds) in the bucket, on orders that count as sales, whenever those orders were placed.' })
  refunds!: Money;

  @Field(() => Money, { description: 'gmv − discounts − refunds.' })
  netRevenue!: Money;

  @Field(() => Int, { description: 'Number of sales placed in the bucket.' })
  orders!: number;

  @Field(() => GraphQLSafeInt, { description: 'Σ line quantities of those sales.' })
  units!: number;

  @Field(() => Money, { nullable: true, description: 'Average order value: (gmv − discounts) / orders, rounded half up to a minor unit; null without orders.' })
  averageOrderValue!: Money | null;

  @Field(() => Int, { description: 'Sales that are their customer’s first non-cancelled order.' })
  newCustomerOrders!: number;

  @Field(() => Int, { description: 'Sales by customers who had placed a non-cancelled order before.' })
  returningCustomerOrders!: number;
}

@ObjectType({
  description:
    'One row of a sales KPI series. A sale is an order that is not CANCELLED, counted in the bucket of its placement time; refunds are counted in the bucket they were recorded in. Amounts are never added across currencies: each currency has its own row.',
})
export class SalesKpiSeries {
  @Field(() => GraphQLDateTime, { description: 'Start of the bucket, as an instant (local midnight / hour start in the requested time zone).' })
  bucketStart!: Date;

  @Field(() => String, { description: 'Start of the bucket as local wall-clock time in the requested zone, e.g. "2026-03-01" or "2026-03-01T13:00".' })
  bucketLabel!: string;

  @Field(() => KpiDimension, { nullable: true, description: 'The group of this row; null when no breakdown was requested.' })
  dimension!: KpiDimension | null;

  @Field(() => String, { description: 'ISO 4217 currency of every amount in `values`.' })
  currency!: string;

  @Field(() => SalesKpiValues, { description: 'The figures.' })
  values!: SalesKpiValues;
}

export enum FindingKind {
  CAMPAIGN_ROAS_BELOW_ONE = 'CAMPAIGN_ROAS_BELOW_ONE',
  PRODUCT_HIGH_RETURN_RATE = 'PRODUCT_HIGH_RETURN_RATE',
  TICKET_SLA_BREACHED = 'TICKET_SLA_BREACHED',
  SKU_STOCKOUT_WITHIN_LEAD_TIME = 'SKU_STOCKOUT_WITHIN_LEAD_TIME',
  SKU_OVERSTOCKED = 'SKU_OVERSTOCKED',
  LISTING_LOW_CONVERSION = 'LISTING_LOW_CONVERSION',
  SUPPLIER_ON_TIME_FALLING = 'SUPPLIER_ON_TIME_FALLING',
  SHIPPING_SERVICE_HIGH_EXCEPTION_RATE = 'SHIPPING_SERVICE_HIGH_EXCEPTION_RATE',
}
registerEnumType(FindingKind, { name: 'FindingKind', description: 'What kind of problem a finding reports.' });

export enum FindingSeverity {
  LOW = 'LOW',
  MEDIUM = 'MEDIUM',
  HIGH = 'HIGH',
}
registerEnumType(FindingSeverity, { name: 'FindingSeverity', description: 'How urgent a finding is.' });

@ArgsType()
export class OptimisationFindingsArgs {
  @Field(() => GraphQLDateTime, { description: 'Start of the period examined (inclusive).' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: 'End of the period examined (exclusive); at most 2 years after `from`.' })
  to!: Date;

  @Field(() => Float, { defaultValue: 1, description: 'CAMPAIGN_ROAS_BELOW_ONE: ad campaigns with spend in the period whose attributed revenue / spend is below this.' })
  minRoas: number = 1;

  @Field(() => Float, { defaultValue: 0.2, description: 'PRODUCT_HIGH_RETURN_RATE: products whose returned units / sold units exceed this share (0–1).' })
  maxReturnRate: number = 0.2;

  @Field(() => Int, { defaultValue: 5, description: 'PRODUCT_HIGH_RETURN_RATE: only products that sold at least this many units in the period.' })
  minUnitsSold: number = 5;

  @Field(() => Int, {
    defaultValue: 180,
    description:
      'SKU_OVERSTOCKED: SKUs whose available stock covers more than this many days of their average daily sales over the period (or that did not sell at all while stock is available).',
  })
  maxDaysOfCover: number = 180;

  @Field(() => Int, { defaultValue: 1000, description: 'LISTING_LOW_CONVERSION: only listings with at least this many impressions in the period (days in UTC).' })
  minImpressions: number = 1000;

  @Field(() => Float, { defaultValue: 0.01, description: 'LISTING_LOW_CONVERSION: listings whose orders / clicks is below this share (0 clicks counts as 0).' })
  maxListingConversion: number = 0.01;

  @Field(() => Float, {
    defaultValue: 0.2,
    description:
      'SUPPLIER_ON_TIME_FALLING: suppliers whose on-time share of receipts in the second half of the period is lower than in the first half by more than this (0–1).',
  })
  minOnTimeDrop: number = 0.2;

  @Field(() => Int, { defaultValue: 2, description: 'SUPPLIER_ON_TIME_FALLING: only suppliers with at least this many receipts in each half of the period.' })
  minReceipts: number = 2;

  @Field(() => Float, {
    defaultValue: 0.1,
    description: 'SHIPPING_SERVICE_HIGH_EXCEPTION_RATE: services whose share of shipments created in the period that hit an exception (an EXCEPTION scan, or flagged) exceeds this (0–1).',
  })
  maxExceptionRate: number = 0.1;

  @Field(() => Int, { defaultValue: 2, description: 'SHIPPING_SERVICE_HIGH_EXCEPTION_RATE: only services with at least this many shipments in the period.' })
  minShipments: number = 2;
}

@ObjectType({ description: 'A named figure behind a finding.' })
export class FindingMetric {
  @Field(() => String, { description: 'Name of the figure, e.g. "roas" or "spend".' })
  name!: string;

  @Field(() => Float, { description: 'Its value; amounts are in minor units of `currency`.' })
  value!: number;

  @Field(() => String, { nullable: true, description: 'ISO 4217 currency when the figure is an amount.' })
  currency!: string | null;
}

@ObjectType({ description: 'What a finding is about.' })
export class FindingEntity {
  @Field(() => String, { description: 'GraphQL type of the entity to act on, e.g. AdCampaign, Product, Ticket.' })
  type!: string;

  @Field(() => ID, { description: 'Its id.' })
  id!: string;

  @Field(() => String, { description: 'A human-readable name for it.' })
  label!: string;
}

@ObjectType({ description: 'A concrete problem found in the data, with its numbers and what to do about it.' })
export class OptimisationFinding {
  @Field(() => FindingKind, { description: 'The kind of problem.' })
  kind!: FindingKind;

  @Field(() => FindingSeverity, { description: 'How urgent it is.' })
  severity!: FindingSeverity;

  @Field(() => FindingEntity, { description: 'The entity to act on.' })
  entity!: FindingEntity;

  @Field(() => [FindingMetric], { description: 'The figures that triggered the finding.' })
  metrics!: FindingMetric[];

  @Field(() => String, { description: 'What to do, in one sentence.' })
  recommendation!: string;
}

@ArgsType()
export class BulkPageArgs {
  @Field(() => Int, { nullable: true, description: 'At most this many items (0–1000 for ANALYST and ADMIN, 0–100 otherwise; default 100).' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Items after this cursor (the endCursor of the previous page).' })
  after?: string | null;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'Incremental pull: only rows changed strictly after this instant. Pass the updatedAt of the last row of your previous pull (or keep its endCursor).',
  })
  updatedAfter?: Date | null;
}

export enum SupportBreakdown {
  NONE = 'NONE',
  PRIORITY = 'PRIORITY',
  CATEGORY = 'CATEGORY',
  CHANNEL = 'CHANNEL',
}
registerEnumType(SupportBreakdown, {
  name: 'SupportBreakdown',
  description: 'How support KPIs are split inside each bucket: NONE, or by the ticket’s PRIORITY, CATEGORY or CHANNEL (the enum value is the dimension key and label).',
});

@ArgsType()
export class SupportKpiArgs extends KpiPeriodArgs {
  @Field(() => SupportBreakdown, { defaultValue: SupportBreakdown.NONE, description: 'How to split each bucket.' })
  breakdown: SupportBreakdown = SupportBreakdown.NONE;
}

@ObjectType({ description: 'Support figures of the tickets opened in one bucket (and dimension), as they stand now.' })
export class SupportKpiValues {
  @Field(() => Int, { description: 'Tickets opened in the bucket.' })
  opened!: number;

  @Field(() => Int, { description: 'Of those, tickets an agent has answered publicly.' })
  responded!: number;

  @Field(() => Float, { nullable: true, description: 'Mean minutes from opening to the first public agent reply, over the responded tickets (1 decimal); null without any.' })
  averageFirstResponseMinutes!: number | null;

  @Field(() => Int, { description: 'Of those, tickets resolved (now or at some point: resolvedAt is set).' })
  resolved!: number;

  @Field(() => Float, { nullable: true, description: 'Mean minutes from opening to the last resolution, over the resolved tickets (1 decimal); null without any.' })
  averageResolutionMinutes!: number | null;

  @Field(() => Int, { description: 'Of those, tickets with no SLA breach recorded (neither first response nor resolution).' })
  withinSla!: number;

  @Field(() => Float, { nullable: true, description: 'withinSla / opened (4 decimals); null without tickets.' })
  slaCompliance!: number | null;

  @Field(() => Int, { description: 'Of those, tickets the customer rated.' })
  rated!: number;

  @Field(() => Float, { nullable: true, description: 'Mean satisfaction rating 1–5 over the rated tickets (2 decimals); null without ratings.' })
  averageSatisfaction!: number | null;
}

@ObjectType({ description: 'One row of a support KPI series: the tickets opened in a bucket, bucketed by opening time in the requested zone.' })
export class SupportKpiSeries {
  @Field(() => GraphQLDateTime, { description: 'Start of the bucket, as an instant.' })
  bucketStart!: Date;

  @Field(() => String, { description: 'Start of the bucket as local wall-clock time in the requested zone.' })
  bucketLabel!: string;

  @Field(() => KpiDimension, { nullable: true, description: 'The group of this row; null when no breakdown was requested.' })
  dimension!: KpiDimension | null;

  @Field(() => SupportKpiValues, { description: 'The figures.' })
  values!: SupportKpiValues;
}

@ArgsType()
export class CohortArgs {
  @Field(() => GraphQLDateTime, { description: 'Cohorts of customers whose first non-cancelled order was placed from this instant (inclusive)…' })
  from!: Date;

  @Field(() => GraphQLDateTime, { description: '…to this one (exclusive); activity is counted up to here too. At most 2 years after `from`.' })
  to!: Date;

  @Field(() => String, { description: 'IANA time zone the months are cut in, e.g. "Europe/Berlin".' })
  timeZone!: string;
}

@ObjectType({ description: 'How many customers of a cohort ordered in one month after their first order.' })
export class CohortRetention {
  @Field(() => Int, { description: 'Months after the cohort month: 0 is the cohort month itself.' })
  monthOffset!: number;

  @Field(() => String, { description: 'The calendar month, e.g. "2026-03".' })
  month!: string;

  @Field(() => Int, { description: 'Cohort customers with at least one non-cancelled order placed in that month.' })
  activeCustomers!: number;

  @Field(() => Float, { description: 'activeCustomers / cohort size (4 decimals).' })
  rate!: number;
}

@ObjectType({ description: 'Customers grouped by the month (in the requested zone) of their first non-cancelled order, with their ordering in each following month up to the end of the period.' })
export class CustomerCohort {
  @Field(() => String, { description: 'The cohort month, e.g. "2026-01".' })
  cohortMonth!: string;

  @Field(() => GraphQLDateTime, { description: 'Start of the cohort month, as an instant.' })
  cohortStart!: Date;

  @Field(() => Int, { description: 'Customers in the cohort.' })
  customers!: number;

  @Field(() => [CohortRetention], { description: 'One entry per month from the cohort month to the last month of the period, months without orders included.' })
  retention!: CohortRetention[];
}

export enum ReturnsBreakdown {
  PRODUCT = 'PRODUCT',
  REASON = 'REASON',
  SUPPLIER = 'SUPPLIER',
}
registerEnumType(ReturnsBreakdown, {
  name: 'ReturnsBreakdown',
  description:
    'How return rates are split: PRODUCT (returned / sold units of each product sold in the bucket; key = product id) REASON (units returned for each reason / all units sold in the bucket; key = the ReturnReasonCode) or SUPPLIER (returned / sold units of the variants each supplier supplies; key = supplier id). A variant’s supplier is the one of its preferred offer (procurement), else of its cheapest offer (then lowest supplier id); variants without any offer form their own row (key null).',
});

@ArgsType()
export class ReturnKpiArgs extends KpiPeriodArgs {
  @Field(() => ReturnsBreakdown, { description: 'How to split each bucket.' })
  breakdown!: ReturnsBreakdown;
}

@ObjectType({ description: 'Return figures of the units sold in a bucket.' })
export class ReturnKpiValues {
  @Field(() => GraphQLSafeInt, { description: 'Units sold in the bucket (of the product or supplier, for PRODUCT and SUPPLIER; in total, for REASON).' })
  unitsSold!: number;

  @Field(() => GraphQLSafeInt, { description: 'Of those units, how many were asked back in returns that were not rejected or cancelled (for REASON: with this reason).' })
  unitsReturned!: number;

  @Field(() => Float, { nullable: true, description: 'unitsReturned / unitsSold (4 decimals); null when nothing was sold.' })
  returnRate!: number | null;
}

@ObjectType({ description: 'One row of a return-rate series. Units are counted in the bucket of the order placement (sales: orders not CANCELLED), whenever the return happened.' })
export class ReturnKpiSeries {
  @Field(() => GraphQLDateTime, { description: 'Start of the bucket, as an instant.' })
  bucketStart!: Date;

  @Field(() => String, { description: 'Start of the bucket as local wall-clock time in the requested zone.' })
  bucketLabel!: string;

  @Field(() => KpiDimension, { description: 'The product, the reason or the supplier.' })
  dimension!: KpiDimension;

  @Field(() => ReturnKpiValues, { description: 'The figures.' })
  values!: ReturnKpiValues;
}

export enum ReviewsBreakdown {
  NONE = 'NONE',
  PRODUCT = 'PRODUCT',
}
registerEnumType(ReviewsBreakdown, { name: 'ReviewsBreakdown', description: 'How review KPIs are split inside each bucket: NONE, or by PRODUCT (key = product id).' });

@ArgsType()
export class ReviewKpiArgs extends KpiPeriodArgs {
  @Field(() => ReviewsBreakdown, { defaultValue: ReviewsBreakdown.NONE, description: 'How to split each bucket.' })
  breakdown: ReviewsBreakdown = ReviewsBreakdown.NONE;
}

@ObjectType({ description: 'How many reviews gave one star rating.' })
export class RatingCount {
  @Field(() => Int, { description: 'Stars, 1 to 5.' })
  rating!: number;

  @Field(() => Int, { description: 'Reviews with that rating.' })
  count!: number;
}

@ObjectType({ description: 'Rating figures of the published reviews written in a bucket.' })
export class ReviewKpiValues {
  @Field(() => Int, { description: 'Published reviews written in the bucket.' })
  reviews!: number;

  @Field(() => Float, { description: 'Mean rating (2 decimals).' })
  averageRating!: number;

  @Field(() => [RatingCount], { description: 'Reviews per rating, 1 to 5 stars, zeros included.' })
  distribution!: RatingCount[];
}

@ObjectType({ description: 'One row of a review KPI series: published reviews bucketed by when they were written, in the requested zone. Pending and rejected reviews do not count.' })
export class ReviewKpiSeries {
  @Field(() => GraphQLDateTime, { description: 'Start of the bucket, as an instant.' })
  bucketStart!: Date;

  @Field(() => String, { description: 'Start of the bucket as local wall-clock time in the requested zone.' })
  bucketLabel!: string;

  @Field(() => KpiDimension, { nullable: true, description: 'The product; null when no breakdown was requested.' })
  dimension!: KpiDimension | null;

  @Field(() => ReviewKpiValues, { description: 'The figures.' })
  values!: ReviewKpiValues;
}

@ObjectType({ description: 'A supplier’s delivery figures for the receipts booked in one bucket.' })
export class SupplierKpiValues {
  @Field(() => Int, { description: 'Receipts booked in the bucket.' })
  receipts!: number;

  @Field(() => Int, { description: 'Of those, receipts booked no later than the purchase order’s expected date.' })
  onTimeReceipts!: number;

  @Field(() => Float, { description: 'onTimeReceipts / receipts (4 decimals).' })
  onTimeRate!: number;

  @Field(() => GraphQLSafeInt, { description: 'Units accepted on those receipts.' })
  unitsAccepted!: number;

  @Field(() => GraphQLSafeInt, { description: 'Units rejected on those receipts.' })
  unitsRejected!: number;

  @Field(() => Float, { nullable: true, description: 'unitsRejected / (unitsAccepted + unitsRejected) (4 decimals); null without units.' })
  rejectionRate!: number | null;

  @Field(() => Float, { nullable: true, description: 'Mean days from submitting the purchase order to the receipt (1 decimal); null when no order was submitted.' })
  averageLeadDays!: number | null;
}

@ObjectType({ description: 'One row of a supplier scorecard series: one supplier, one bucket of receipt time in the requested zone.' })
export class SupplierKpiSeries {
  @Field(() => GraphQLDateTime, { description: 'Start of the bucket, as an instant.' })
  bucketStart!: Date;

  @Field(() => String, { description: 'Start of the bucket as local wall-clock time in the requested zone.' })
  bucketLabel!: string;

  @Field(() => KpiDimension, { description: 'The supplier (key = supplier id).' })
  dimension!: KpiDimension;

  @Field(() => SupplierKpiValues, { description: 'The figures.' })
  values!: SupplierKpiValues;
}

export enum TrafficBreakdown {
  NONE = 'NONE',
  SOURCE = 'SOURCE',
  CAMPAIGN = 'CAMPAIGN',
}
registerEnumType(TrafficBreakdown, {
  name: 'TrafficBreakdown',
  description:
    'How traffic KPIs are split inside each bucket: NONE, SOURCE (the visit’s utm_source; key and label = the source) or CAMPAIGN (its utm_campaign; visits without one form their own row, key null).',
});

@ArgsType()
export class TrafficKpiArgs extends KpiPeriodArgs {
  @Field(() => TrafficBreakdown, { defaultValue: TrafficBreakdown.NONE, description: 'How to split each bucket.' })
  breakdown: TrafficBreakdown = TrafficBreakdown.NONE;
}

@ObjectType({ description: 'Visit and conversion figures of the visits started in one bucket (and dimension).' })
export class TrafficKpiValues {
  @Field(() => Int, { description: 'Visits (traffic sessions) started in the bucket.' })
  sessions!: number;

  @Field(() => Int, { description: 'Of those, visits with a PRODUCT_VIEW funnel event.' })
  productViewSessions!: number;

  @Field(() => Int, { description: 'Of those, visits with an ADD_TO_CART funnel event.' })
  addToCartSessions!: number;

  @Field(() => Int, { description: 'Of those, visits with a CHECKOUT_START funnel event.' })
  checkoutStartSessions!: number;

  @Field(() => Int, { description: 'Of those, visits with a PURCHASE funnel event.' })
  purchaseSessions!: number;

  @Field(() => Int, { description: 'Of those, visits at least one non-cancelled order is attributed to (order attribution by session id).' })
  convertedSessions!: number;

  @Field(() => Int, { description: 'Non-cancelled orders attributed to those visits (counted in the bucket the visit started in).' })
  attributedOrders!: number;

  @Field(() => Float, { nullable: true, description: 'convertedSessions / sessions (4 decimals); null without visits.' })
  conversionRate!: number | null;
}

@ObjectType({ description: 'One row of a traffic KPI series: visits bucketed by their start time in the requested zone.' })
export class TrafficKpiSeries {
  @Field(() => GraphQLDateTime, { description: 'Start of the bucket, as an instant.' })
  bucketStart!: Date;

  @Field(() => String, { description: 'Start of the bucket as local wall-clock time in the requested zone.' })
  bucketLabel!: string;

  @Field(() => KpiDimension, { nullable: true, description: 'The source or campaign; null when no breakdown was requested.' })
  dimension!: KpiDimension | null;

  @Field(() => TrafficKpiValues, { description: 'The figures.' })
  values!: TrafficKpiValues;
}

@ObjectType({ description: 'Performance of one ad campaign in one bucket.' })
export class CampaignKpiValues {
  @Field(() => Money, { description: 'Spend reported by the ad platform for the days in the bucket.' })
  spend!: Money;

  @Field(() => GraphQLSafeInt, { description: 'Impressions reported for those days.' })
  impressions!: number;

  @Field(() => GraphQLSafeInt, { description: 'Clicks reported for those days.' })
  clicks!: number;

  @Field(() => Int, { description: 'Non-cancelled orders in the campaign’s currency placed in the bucket and attributed to a visit carrying its tracking code (utm_campaign).' })
  attributedOrders!: number;

  @Field(() => Money, { description: 'Σ totals of those orders.' })
  attributedRevenue!: Money;

  @Field(() => Float, { nullable: true, description: 'Return on ad spend: attributedRevenue / spend (4 decimals); null without spend.' })
  roas!: number | null;

  @Field(() => Money, { nullable: true, description: 'Cost per acquisition: spend / attributedOrders, rounded half up to a minor unit; null without attributed orders.' })
  cpa!: Money | null;
}

@ObjectType({
  description:
    'One row of an ad campaign series: one campaign, one bucket. Platform metrics are per calendar day; a day belongs to the bucket holding its local midnight in the requested zone. Orders are bucketed by placement time in that zone.',
})
export class CampaignKpiSeries {
  @Field(() => GraphQLDateTime, { description: 'Start of the bucket, as an instant.' })
  bucketStart!: Date;

  @Field(() => String, { description: 'Start of the bucket as local wall-clock time in the requested zone.' })
  bucketLabel!: string;

  @Field(() => KpiDimension, { description: 'The ad campaign (key = ad campaign id).' })
  dimension!: KpiDimension;

  @Field(() => String, { description: 'ISO 4217 currency of the campaign and of every amount in `values`.' })
  currency!: string;

  @Field(() => CampaignKpiValues, { description: 'The figures.' })
  values!: CampaignKpiValues;
}

export enum InventoryBreakdown {
  NONE = 'NONE',
  WAREHOUSE = 'WAREHOUSE',
  PRODUCT = 'PRODUCT',
}
registerEnumType(InventoryBreakdown, {
  name: 'InventoryBreakdown',
  description:
    'How inventory KPIs are split: NONE, WAREHOUSE (key = warehouse id; a SKU is stocked out in a warehouse when that warehouse holds none) or PRODUCT (key = product id; a SKU is stocked out when no warehouse holds any).',
});

@ArgsType()
export class InventoryKpiArgs extends KpiPeriodArgs {
  @Field(() => InventoryBreakdown, { defaultValue: InventoryBreakdown.NONE, description: 'How to split each bucket.' })
  breakdown: InventoryBreakdown = InventoryBreakdown.NONE;
}

@ObjectType({ description: 'Inventory figures of one bucket (and dimension), all computed from the append-only stock ledger.' })
export class InventoryKpiValues {
  @Field(() => GraphQLSafeInt, { description: 'Units on hand at the end of the bucket’s last day: Σ ledger quantities up to then.' })
  unitsOnHand!: number;

  @Field(() => Money, { description: 'Value of those units at the variant’s unit cost (catalog costAmount, the landed cost). Units of variants without a cost are left out (see unitsWithoutCost).' })
  valueOnHand!: Money;

  @Field(() => GraphQLSafeInt, { description: 'Units on hand at the end of the bucket whose variant has no cost, so are not valued.' })
  unitsWithoutCost!: number;

  @Field(() => GraphQLSafeInt, { description: 'Units shipped to customers in the bucket (− Σ SHIPMENT movements).' })
  unitsShipped!: number;

  @Field(() => Money, { description: 'Cost of goods shipped: Σ shipped units × unit cost (variants with a cost).' })
  costOfGoodsShipped!: Money;

  @Field(() => Float, { description: 'Average units on hand over the days of the bucket (end-of-day balances; 2 decimals).' })
  averageUnitsOnHand!: number;

  @Field(() => Float, { nullable: true, description: 'Turnover: unitsShipped / averageUnitsOnHand (4 decimals); null when nothing was on hand on average.' })
  turnover!: number | null;

  @Field(() => Float, { nullable: true, description: 'Days of cover: unitsOnHand / (unitsShipped / days in the bucket) (1 decimal); null when nothing shipped.' })
  daysOfCover!: number | null;

  @Field(() => Int, { description: 'Stock-out days: Σ over SKUs of the days in the bucket that the SKU ended with no unit on hand (≤ 0), counting only days after its first ledger entry.' })
  stockOutDays!: number;
}

@ObjectType({
  description:
    'One row of an inventory KPI series. Buckets are made of whole local days in the requested zone (days that start inside the period); one row per bucket, dimension and currency of the variants’ cost.',
})
export class InventoryKpiSeries {
  @Field(() => GraphQLDateTime, { description: 'Start of the bucket, as an instant.' })
  bucketStart!: Date;

  @Field(() => String, { description: 'Start of the bucket as local wall-clock time in the requested zone.' })
  bucketLabel!: string;

  @Field(() => KpiDimension, { nullable: true, description: 'The warehouse or product; null when no breakdown was requested.' })
  dimension!: KpiDimension | null;

  @Field(() => String, { description: 'ISO 4217 currency of the amounts (the variants’ currency).' })
  currency!: string;

  @Field(() => Int, { description: 'Days in the bucket (inside the period).' })
  days!: number;

  @Field(() => InventoryKpiValues, { description: 'The figures.' })
  values!: InventoryKpiValues;
}

@ObjectType({ description: 'How many customers share one combination of RFM scores (as the crm module scores them: 1 + ⌊5 × percent_rank⌋ over every customer with a non-cancelled order, capped at 5).' })
export class RfmCell {
  @Field(() => Int, { description: 'Recency score 1–5 (more recent last order is higher).' })
  recencyScore!: number;

  @Field(() => Int, { description: 'Frequency score 1–5 (more non-cancelled orders is higher).' })
  frequencyScore!: number;

  @Field(() => Int, { description: 'Monetary score 1–5 (more spend in the currency asked for is higher).' })
  monetaryScore!: number;

  @Field(() => Int, { description: 'Customers with these scores.' })
  customers!: number;
}
