import { Field, ObjectType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';
import { TicketStatus, ticketLifecycle } from './support.lifecycle.js';

@ObjectType({ implements: ErrorResult, description: 'The ticket cannot move to that status from its current one. Nothing was changed.' })
export class IllegalTicketTransitionError extends ErrorResult {
  @Field(() => TicketStatus, { description: 'Status the ticket is in.' })
  from!: TicketStatus;

  @Field(() => TicketStatus, { description: 'Status that was asked for.' })
  to!: TicketStatus;

  @Field(() => [TicketStatus], { description: 'Where the ticket may go from its current status.' })
  allowed!: TicketStatus[];

  static create(from: TicketStatus, to: TicketStatus): IllegalTicketTransitionError {
    const allowed = ticketLifecycle.nextStates(from);
    return Object.assign(new IllegalTicketTransitionError(), {
      errorCode: 'ILLEGAL_TRANSITION',
      message: `A ticket in ${from} cannot move to ${to}; allowed: ${allowed.join(', ') || 'none (final state)'}`,
      field: 'to',
      from,
      to,
      allowed,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'The ticket is CLOSED: it takes no messages or changes. Open a new ticket instead.' })
export class TicketClosedError extends ErrorResult {
  static create(): TicketClosedError {
    return Object.assign(new TicketClosedError(), {
      errorCode: 'TICKET_CLOSED',
      message: 'The ticket is closed; open a new ticket instead',
      field: 'ticketId',
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'A satisfaction rating can be given only once the ticket is RESOLVED or CLOSED.' })
export class TicketNotResolvedError extends ErrorResult {
  @Field(() => TicketStatus, { description: 'Status the ticket is in.' })
  status!: TicketStatus;

  static create(status: TicketStatus): TicketNotResolvedError {
    return Object.assign(new TicketNotResolvedError(), {
      errorCode: 'TICKET_NOT_RESOLVED',
      message: `The ticket is ${status}; it can be rated once it is resolved`,
      field: 'ticketId',
      status,
    });
  }
}

@ObjectType({ implements: ErrorResult, description: 'The ticket was already rated; a rating cannot be changed.' })
export class TicketAlreadyRatedError extends ErrorResult {
  static create(): TicketAlreadyRatedError {
    return Object.assign(new TicketAlreadyRatedError(), {
      errorCode: 'TICKET_ALREADY_RATED',
      message: 'This ticket was already rated',
      field: 'ticketId',
    });
  }
}
