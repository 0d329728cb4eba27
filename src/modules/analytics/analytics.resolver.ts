import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { OrderConnection } from '../orders/orders.resolver.js';
import { StockMovementConnection } from '../inventory/inventory.resolver.js';
import { CustomerConnection } from '../customers/customers.resolver.js';
import { Connection } from '../../common/pagination.js';
import { TrackingEvent } from '../tracking/tracking.entity.js';

export const TrackingEventConnection = Connection('TrackingEvent', TrackingEvent);
import * as analytics from './analytics.service.js';
import { KpiPeriodArgs, SupplierKpiSeries, ReviewKpiArgs, ReviewKpiSeries, ReturnKpiArgs, ReturnKpiSeries, BulkPageArgs, CohortArgs, CustomerCohort, OptimisationFinding, OptimisationFindingsArgs, SalesKpiArgs, SalesKpiSeries, SupportKpiArgs, SupportKpiSeries, TrafficKpiArgs, TrafficKpiSeries, CampaignKpiSeries, InventoryKpiArgs, InventoryKpiSeries, RfmCell } from './analytics.types.js';

@Resolver()
export class AnalyticsResolver {
  @Allow(Role.ANALYST)
  @Query(() => [SalesKpiSeries], {
    description:
      'Sales KPIs (GMV, discounts, refunds, net revenue, orders, units, AOV, new vs returning customers) per time bucket in the given time zone, one row per bucket × dimension × currency; buckets without sales or refunds are absent. A sale is an order placed in the period that is not CANCELLED.',
  })
  salesKpis(@Ctx() ctx: Context, @Args(() => SalesKpiArgs) args: SalesKpiArgs) {
    return analytics.salesKpis(ctx, args);
  }

  @Allow(Role.ANALYST)
  @Query(() => [TrafficKpiSeries], {
    description:
      'Traffic and conversion KPIs per time bucket of visit start in the given time zone, optionally by source or campaign: visits, visits reaching each funnel step, converted visits, attributed orders and conversion rate. Buckets without visits are absent.',
  })
  trafficKpis(@Ctx() ctx: Context, @Args(() => TrafficKpiArgs) args: TrafficKpiArgs) {
    return analytics.trafficKpis(ctx, args);
  }

  @Allow(Role.ANALYST)
  @Query(() => [CampaignKpiSeries], {
    description:
      'Ad campaign performance per DAY, WEEK or MONTH bucket in the given time zone: spend, impressions, clicks, attributed orders and revenue, ROAS and CPA, one row per campaign and bucket with spend or attributed orders.',
  })
  campaignKpis(@Ctx() ctx: Context, @Args(() => KpiPeriodArgs) args: KpiPeriodArgs) {
    return analytics.campaignKpis(ctx, args);
  }

  @Allow(Role.ANALYST)
  @Query(() => [InventoryKpiSeries], {
    description:
      'Inventory KPIs per DAY, WEEK or MONTH bucket of whole local days in the given time zone, optionally by warehouse or product, all from the append-only stock ledger: units and cost value on hand at the bucket end, units shipped and their cost, average on hand, turnover, days of cover and stock-out days.',
  })
  inventoryKpis(@Ctx() ctx: Context, @Args(() => InventoryKpiArgs) args: InventoryKpiArgs) {
    return analytics.inventoryKpis(ctx, args);
  }

  @Allow(Role.ANALYST)
  @Query(() => [RfmCell], {
    description:
      'RFM distribution: how many customers (with at least one non-cancelled order) have each combination of recency, frequency and monetary scores, scored as customerRfm scores them now; combinations without customers are absent.',
  })
  rfmDistribution(@Ctx() ctx: Context, @Arg('currency', () => String, { description: 'ISO 4217 currency whose order totals make up the monetary value.' }) currency: string) {
    return analytics.rfmDistribution(ctx, currency);
  }

  @Allow(Role.ANALYST)
  @Query(() => [SupportKpiSeries], {
    description:
      'Support KPIs per time bucket of ticket opening in the given time zone: volume, first-response and resolution times, SLA compliance and satisfaction of the tickets opened in the bucket, as they stand now. Buckets without tickets are absent.',
  })
  supportKpis(@Ctx() ctx: Context, @Args(() => SupportKpiArgs) args: SupportKpiArgs) {
    return analytics.supportKpis(ctx, args);
  }

  @Allow(Role.ANALYST)
  @Query(() => [CustomerCohort], {
    description:
      'Customer cohorts by the month of their first non-cancelled order (in the given time zone, first orders inside the period), with how many of them ordered again in each following month up to the end of the period.',
  })
  customerCohorts(@Ctx() ctx: Context, @Args(() => CohortArgs) args: CohortArgs) {
    return analytics.customerCohorts(ctx, args);
  }

  @Allow(Role.ANALYST)
  @Query(() => [ReturnKpiSeries], {
    description:
      'Return rates per time bucket of order placement in the given time zone, by product, return reason or supplier: units asked back (returns not rejected or cancelled) of the units sold.',
  })
  returnKpis(@Ctx() ctx: Context, @Args(() => ReturnKpiArgs) args: ReturnKpiArgs) {
    return analytics.returnKpis(ctx, args);
  }

  @Allow(Role.ANALYST)
  @Query(() => [ReviewKpiSeries], {
    description: 'Average rating and star distribution of published reviews per time bucket (by when they were written) in the given time zone, optionally per product.',
  })
  reviewKpis(@Ctx() ctx: Context, @Args(() => ReviewKpiArgs) args: ReviewKpiArgs) {
    return analytics.reviewKpis(ctx, args);
  }

  @Allow(Role.ANALYST)
  @Query(() => [SupplierKpiSeries], {
    description:
      'Supplier scorecards over time: per time bucket of receipt (in the given time zone) and supplier, receipts, on-time share against the purchase order’s expected date, accepted and rejected units, and mean lead time from submission.',
  })
  supplierKpis(@Ctx() ctx: Context, @Args(() => KpiPeriodArgs) args: KpiPeriodArgs) {
    return analytics.supplierKpis(ctx, args);
  }

  @Allow(Role.ANALYST)
  @Query(() => [OptimisationFinding], {
    description:
      'Concrete problems to act on over the period, each with its figures and the entity concerned: ad campaigns with ROAS below minRoas, products with a high return rate, open tickets that breached their SLA, SKUs that will stock out within their supplier lead time, overstocked SKUs, listings with high exposure and low conversion, suppliers whose on-time rate is falling, shipping services with a high exception rate. Sales velocity is the average daily units sold over the period. Thresholds are arguments with defaults.',
  })
  optimisationFindings(@Ctx() ctx: Context, @Args(() => OptimisationFindingsArgs) args: OptimisationFindingsArgs) {
    return analytics.optimisationFindings(ctx, args);
  }

  @Allow(Role.ANALYST, Role.OPERATIONS)
  @Query(() => OrderConnection, {
    description:
      'Bulk pull of orders for BI tools, ordered by (updatedAt, id) so paging never repeats or skips a row. Pass updatedAfter for incremental pulls: every order changed since then appears once per pull. Pages of up to 1000 for ANALYST and ADMIN, 100 otherwise.',
  })
  bulkOrders(@Ctx() ctx: Context, @Args(() => BulkPageArgs) args: BulkPageArgs) {
    return analytics.bulkOrders(ctx, args);
  }

  @Allow(Role.ANALYST, Role.OPERATIONS)
  @Query(() => StockMovementConnection, {
    description:
      'Bulk pull of the stock ledger for BI tools. The ledger is append-only, so rows are ordered by (at, id), the movement time; updatedAfter means "recorded after". Pages of up to 1000 for ANALYST and ADMIN, 100 otherwise.',
  })
  bulkStockMovements(@Ctx() ctx: Context, @Args(() => BulkPageArgs) args: BulkPageArgs) {
    return analytics.bulkStockMovements(ctx, args);
  }

  @Allow(Role.ANALYST, Role.OPERATIONS)
  @Query(() => TrackingEventConnection, {
    description:
      'Bulk pull of carrier tracking events for BI tools. They are append-only and ordered by (receivedAt, id), when we received them (carriers send late scans with old occurredAt); updatedAfter means "received after". Pages of up to 1000 for ANALYST and ADMIN, 100 otherwise.',
  })
  bulkTrackingEvents(@Ctx() ctx: Context, @Args(() => BulkPageArgs) args: BulkPageArgs) {
    return analytics.bulkTrackingEvents(ctx, args);
  }

  @Allow(Role.ANALYST, Role.OPERATIONS)
  @Query(() => CustomerConnection, {
    description:
      'Bulk pull of customers for BI tools, ordered by (updatedAt, id) so paging never repeats or skips a row. Pass updatedAfter for incremental pulls: every customer registered or edited since then appears once per pull. Pages of up to 1000 for ANALYST and ADMIN, 100 otherwise.',
  })
  bulkCustomers(@Ctx() ctx: Context, @Args(() => BulkPageArgs) args: BulkPageArgs) {
    return analytics.bulkCustomers(ctx, args);
  }
}
