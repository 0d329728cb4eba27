import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import type { EventEnvelope } from '../../common/events/envelope.js';
import { Connection } from '../../common/pagination.js';
import { Order } from '../orders/order.entity.js';
import { OrderByIdLoader } from '../orders/orders.loaders.js';
import { Warehouse } from '../inventory/inventory.entity.js';
import { WarehouseByIdLoader } from '../inventory/inventory.loaders.js';
import { ShippingService } from '../shipping/shipping.entity.js';
import { ShippingServiceByIdLoader } from '../shipping/shipping.loaders.js';
import { Shipment, ShipmentItem, ShipmentStatus, TrackingEvent } from './tracking.entity.js';
import { ItemsByShipmentIdLoader, ShipmentByIdLoader, ShipmentRowsByOrderIdLoader, TrackingEventsByShipmentIdLoader } from './tracking.loaders.js';
import * as tracking from './tracking.service.js';
import { subscribeShipmentTracking } from './tracking.subscriptions.js';
import type { ShipmentTrackingUpdatedPayload } from './tracking.topics.js';
import {
  CreateShipmentInput,
  CreateShipmentResult,
  IngestTrackingEventsInput,
  IngestTrackingResult,
  ShipmentsArgs,
  ShipmentTrackingUpdatedArgs,
  ShipmentTrackingUpdatedEvent,
} from './tracking.types.js';

export const ShipmentConnection = Connection('Shipment', Shipment);

@Resolver(() => Shipment)
export class ShipmentResolver {
  @Allow(Role.OPERATIONS, Role.SUPPORT, Role.ANALYST, 'CUSTOMER')
  @Query(() => Shipment, { description: 'One shipment. Customers may read only those of their own orders.' })
  shipment(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return tracking.getShipment(ctx, id);
  }

  @Allow(Role.OPERATIONS, Role.SUPPORT, Role.ANALYST)
  @Query(() => ShipmentConnection, { description: 'Shipments, newest first; filter flagged ones to work through problems.' })
  shipments(@Ctx() ctx: Context, @Args(() => ShipmentsArgs) args: ShipmentsArgs) {
    return tracking.listShipments(ctx, args);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => CreateShipmentResult, { description: 'Ship reserved units of an order from one warehouse; the order becomes PARTIALLY_SHIPPED or SHIPPED.' })
  createShipment(@Ctx() ctx: Context, @Arg('input', () => CreateShipmentInput) input: CreateShipmentInput) {
    return tracking.createShipment(ctx, input);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => IngestTrackingResult, {
    description: 'Carrier webhooks and feeds: store scans (each carrier event id once) and advance shipments. Late scans never move a shipment back.',
  })
  ingestTrackingEvents(@Ctx() ctx: Context, @Arg('input', () => IngestTrackingEventsInput) input: IngestTrackingEventsInput) {
    return tracking.ingestTrackingEvents(ctx, input);
  }

  @Allow(Role.OPERATIONS, Role.SUPPORT, Role.ANALYST, 'CUSTOMER')
  @Subscription(() => ShipmentTrackingUpdatedEvent, {
    description: 'Live tracking scans of shipments (customers: only their own orders). Pass afterEventId to replay what was missed first.',
    subscribe: ({ args, context }) => subscribeShipmentTracking(context as Context, args as ShipmentTrackingUpdatedArgs),
  })
  shipmentTrackingUpdated(@Root() event: EventEnvelope<ShipmentTrackingUpdatedPayload>, @Args(() => ShipmentTrackingUpdatedArgs) _args: ShipmentTrackingUpdatedArgs): ShipmentTrackingUpdatedEvent {
    const p = event.payload;
    return Object.assign(new ShipmentTrackingUpdatedEvent(), {
      eventId: event.id,
      shipmentId: p.shipmentId,
      orderId: p.orderId,
      trackingNumber: p.trackingNumber,
      eventStatus: p.eventStatus as ShipmentStatus,
      shipmentStatus: p.shipmentStatus as ShipmentStatus,
      location: p.location,
      occurredAt: new Date(p.occurredAt),
    });
  }

  @FieldResolver(() => ID, { description: 'The order.' })
  orderId(@Root() s: Shipment) {
    return s.order.id;
  }

  @FieldResolver(() => Warehouse, { description: 'Where it left from.' })
  warehouse(@Root() s: Shipment, @Ctx() ctx: Context) {
    return ctx.loader(WarehouseByIdLoader).load(s.warehouse.id);
  }

  @FieldResolver(() => ShippingService, { description: 'The shipping service.' })
  service(@Root() s: Shipment, @Ctx() ctx: Context) {
    return ctx.loader(ShippingServiceByIdLoader).load(s.service.id);
  }

  @FieldResolver(() => Boolean, { description: 'Needs attention (see flagReason).' })
  flagged(@Root() s: Shipment) {
    return !!s.flaggedAt;
  }

  @FieldResolver(() => [ShipmentItem], { description: 'What is in it.' })
  items(@Root() s: Shipment, @Ctx() ctx: Context) {
    return ctx.loader(ItemsByShipmentIdLoader).load(s.id);
  }

  @FieldResolver(() => [TrackingEvent], { description: 'Scans, oldest first (by when they happened).' })
  events(@Root() s: Shipment, @Ctx() ctx: Context) {
    return ctx.loader(TrackingEventsByShipmentIdLoader).load(s.id);
  }
}

@Resolver(() => ShipmentItem)
export class ShipmentItemResolver {
  @FieldResolver(() => ID, { description: 'The order line.' })
  orderLineId(@Root() i: ShipmentItem) {
    return i.orderLine.id;
  }
}

@Resolver(() => ShipmentTrackingUpdatedEvent)
export class ShipmentTrackingUpdatedEventResolver {
  @FieldResolver(() => Shipment, { nullable: true, description: 'The shipment as it is now.' })
  shipment(@Root() e: ShipmentTrackingUpdatedEvent, @Ctx() ctx: Context) {
    return ctx.loader(ShipmentByIdLoader).load(e.shipmentId);
  }

  @FieldResolver(() => Order, { nullable: true, description: 'The order as it is now.' })
  order(@Root() e: ShipmentTrackingUpdatedEvent, @Ctx() ctx: Context) {
    return ctx.loader(OrderByIdLoader).load(e.orderId);
  }
}

@Resolver(() => Order)
export class OrderShipmentsResolver {
  @FieldResolver(() => [Shipment], { description: 'Shipments of this order, oldest first.' })
  shipments(@Root() order: Order, @Ctx() ctx: Context) {
    return ctx.loader(ShipmentRowsByOrderIdLoader).load(order.id);
  }
}

