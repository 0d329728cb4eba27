import { byIdLoader } from '../../common/loaders.js';
import { Customer } from './customer.entity.js';

export const CustomerByIdLoader = byIdLoader(Customer);
