import { byIdLoader, rowByIdLoader } from '../../common/loaders.js';
import { Customer } from './customer.entity.js';

export const CustomerByIdLoader = byIdLoader(Customer);
/** Read-only rows for field resolvers (see common/rows.ts). */
export const CustomerRowByIdLoader = rowByIdLoader(Customer);
