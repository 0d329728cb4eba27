import type { AppModule } from '../../common/module.js';
import { ReturnLine, ReturnPolicy, ReturnRefund, ReturnRequest, ReturnStatusChange } from './returns.entity.js';
import { OrderReturnsResolver, ReturnLineResolver, ReturnPolicyResolver, ReturnResolver, ReturnStatusChangedEventResolver } from './returns.resolver.js';
import { settleReturnRefunds } from './returns.service.js';

export const returnsModule: AppModule = {
  name: 'returns',
  entities: [ReturnPolicy, ReturnRequest, ReturnLine, ReturnStatusChange, ReturnRefund],
  resolvers: [ReturnResolver, ReturnLineResolver, ReturnPolicyResolver, OrderReturnsResolver, ReturnStatusChangedEventResolver],
  jobs: [{ name: 'returns.settle-refunds', intervalMs: 5_000, run: async (services) => void (await settleReturnRefunds(services)) }],
};
