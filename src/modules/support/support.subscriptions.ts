import type { Context } from '../../common/context.js';
import { assertAccess } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { customerIdOf } from '../../common/auth/viewer.js';
import { checkId, notFound } from '../../common/errors.js';
import { eventStream } from '../../common/events/stream.js';
import { Ticket } from './ticket.entity.js';
import { TICKET_UPDATED, type TicketUpdatedPayload } from './support.topics.js';
import type { TicketUpdatedArgs } from './support.types.js';

export const TICKET_WATCHERS = [Role.SUPPORT, Role.ANALYST, 'CUSTOMER'] as const;

/**
 * Authorises at subscribe time (type-graphql guards only the per-event resolver). A customer's stream is
 * scoped to their own tickets, in replay and live, and never carries internal events (notes, assignment, SLA).
 */
export async function subscribeTicketUpdated(ctx: Context, args: TicketUpdatedArgs) {
  assertAccess(ctx.viewer, TICKET_WATCHERS);
  const own = customerIdOf(ctx.viewer);
  if (args.ticketId) {
    checkId('ticketId', args.ticketId);
    const t = await ctx.em.findOne(Ticket, { id: args.ticketId }, { fields: ['id', 'customer'] });
    if (!t || (own && t.customer.id !== own)) throw notFound('Ticket', args.ticketId);
  }
  return eventStream<TicketUpdatedPayload>(ctx, {
    topic: TICKET_UPDATED,
    afterEventId: args.afterEventId,
    match: { ticketId: args.ticketId ?? undefined, customerId: own ?? undefined, internal: own ? false : undefined },
  });
}
