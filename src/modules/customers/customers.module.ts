import type { AppModule } from '../../common/module.js';
import { Customer } from './customer.entity.js';
import { CustomersResolver } from './customers.resolver.js';

export const customersModule: AppModule = { name: 'customers', entities: [Customer], resolvers: [CustomersResolver] };
