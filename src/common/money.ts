import { Field, ObjectType } from 'type-graphql';
import { GraphQLSafeInt } from 'graphql-scalars';

/** An amount in integer minor units (cents) of a currency; never a float. */
@ObjectType({ description: 'An amount of money in integer minor units (e.g. cents) of an ISO 4217 currency.' })
export class Money {
  @Field(() => GraphQLSafeInt, { description: 'Integer amount in minor units: 1999 with USD is $19.99.' })
  amount!: number;

  @Field(() => String, { description: 'ISO 4217 currency code, e.g. USD.' })
  currency!: string;

  static of(amount: number, currency: string): Money {
    const m = new Money();
    m.amount = amount;
    m.currency = currency;
    return m;
  }
}

export const CURRENCY_RE = /^[A-Z]{3}$/;
