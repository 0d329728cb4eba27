import { OutboxEvent } from '../common/events/outbox.entity.js';
import { ApiToken } from '../modules/identity/api-token.entity.js';
import { StaffUser } from '../modules/identity/staff-user.entity.js';
import { Customer } from '../modules/customers/customer.entity.js';
import { Product } from '../modules/catalog/product.entity.js';
import { ProductVariant } from '../modules/catalog/product-variant.entity.js';
import { Order, OrderLine, OrderStatusChange } from '../modules/orders/order.entity.js';

/** Every MikroORM entity, listed explicitly (no folder discovery: the same under tsx, tsc output and vitest). */
export const entities = [OutboxEvent, StaffUser, ApiToken, Customer, Product, ProductVariant, Order, OrderLine, OrderStatusChange];
