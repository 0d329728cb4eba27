import type { AppModule } from '../../common/module.js';
import { Carrier, ShippingRate, ShippingService } from './shipping.entity.js';

export const shippingModule: AppModule = {
  name: 'shipping',
  entities: [Carrier, ShippingService, ShippingRate],
  resolvers: [],
};
