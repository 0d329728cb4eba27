import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Order } from '../orders/order.entity.js';
import { Carrier, ShippingRate, ShippingService } from './shipping.entity.js';
import { CarrierByIdLoader, RatesByServiceIdLoader, ShippingServiceByIdLoader } from './shipping.loaders.js';
import * as shipping from './shipping.service.js';
import { CreateCarrierInput, CreateShippingServiceInput, ShippingQuotes, ShippingQuotesArgs } from './shipping.types.js';

@Resolver(() => ShippingService)
export class ShippingResolver {
  @Allow(Role.OPERATIONS, Role.SUPPORT, 'CUSTOMER')
  @Query(() => ShippingQuotes, {
    description: 'Eligible shipping options for an order (customers: their own) or a parcel and destination, ranked by the policy, with the reason each other service was excluded.',
  })
  shippingQuotes(@Ctx() ctx: Context, @Args(() => ShippingQuotesArgs) args: ShippingQuotesArgs) {
    return shipping.shippingQuotes(ctx, args);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => Carrier, { description: 'Create a carrier.' })
  createCarrier(@Ctx() ctx: Context, @Arg('input', () => CreateCarrierInput) input: CreateCarrierInput) {
    return shipping.createCarrier(ctx, input);
  }

  @Allow(Role.OPERATIONS)
  @Mutation(() => ShippingService, { description: 'Create a shipping service with its rate table.' })
  createShippingService(@Ctx() ctx: Context, @Arg('input', () => CreateShippingServiceInput) input: CreateShippingServiceInput) {
    return shipping.createShippingService(ctx, input);
  }

  @FieldResolver(() => Carrier, { description: 'The carrier.' })
  carrier(@Root() s: ShippingService, @Ctx() ctx: Context) {
    return ctx.loader(CarrierByIdLoader).load(s.carrier.id);
  }

  @FieldResolver(() => [ShippingRate], { description: 'The rate table, lightest band first.' })
  rates(@Root() s: ShippingService, @Ctx() ctx: Context) {
    return ctx.loader(RatesByServiceIdLoader).load(s.id);
  }
}

@Resolver(() => Order)
export class OrderShippingResolver {
  @FieldResolver(() => ShippingService, { nullable: true, description: 'The shipping service chosen at checkout; shipments use it.' })
  shippingService(@Root() order: Order, @Ctx() ctx: Context) {
    return order.shippingService ? ctx.loader(ShippingServiceByIdLoader).load(order.shippingService.id) : null;
  }
}
