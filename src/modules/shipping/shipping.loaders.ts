import { byIdLoader, childrenLoader } from '../../common/loaders.js';
import { Carrier, ShippingRate, ShippingService } from './shipping.entity.js';

export const CarrierByIdLoader = byIdLoader(Carrier);
export const ShippingServiceByIdLoader = byIdLoader(ShippingService);
export const RatesByServiceIdLoader = childrenLoader(ShippingRate, 'service', { upToGrams: 'ASC' }, (r) => r.service.id);
