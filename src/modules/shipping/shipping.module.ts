import type { AppModule } from '../../common/module.js';
import { orderHooks, placeOrderErrorTypes } from '../orders/orders.hooks.js';
import { Carrier, ShippingRate, ShippingService } from './shipping.entity.js';
import { ShippingServiceUnavailableError } from './shipping.errors.js';
import { OrderShippingResolver, ShippingResolver } from './shipping.resolver.js';
import { priceShipping } from './shipping.service.js';

orderHooks.addPricingStep({ name: 'shipping', order: 100, apply: priceShipping });
placeOrderErrorTypes.push(ShippingServiceUnavailableError);

export const shippingModule: AppModule = {
  name: 'shipping',
  entities: [Carrier, ShippingService, ShippingRate],
  resolvers: [ShippingResolver, OrderShippingResolver],
};
