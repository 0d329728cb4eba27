import type { AppModule } from '../../common/module.js';
import { SlaPolicy, Ticket, TicketMessage, TicketProduct, TicketStatusChange } from './ticket.entity.js';
import { ProductQualityFigureResolver, TicketResolver, TicketUpdatedEventResolver } from './support.resolver.js';
import { detectSlaBreaches } from './support.service.js';

export const supportModule: AppModule = {
  name: 'support',
  entities: [Ticket, TicketMessage, TicketProduct, TicketStatusChange, SlaPolicy],
  resolvers: [TicketResolver, TicketUpdatedEventResolver, ProductQualityFigureResolver],
  jobs: [
    {
      name: 'support.sla-breaches',
      intervalMs: 60_000,
      async run(services) {
        await detectSlaBreaches(services);
      },
    },
  ],
};
