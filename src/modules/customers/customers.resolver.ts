import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow, Public } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Connection } from '../../common/pagination.js';
import { Customer } from './customer.entity.js';
import * as customers from './customers.service.js';
import { CreateCustomerInput, CreateCustomerResult, CustomersArgs, RegisterCustomerInput, RegisterCustomerResult, UpdateCustomerInput, UpdateCustomerResult } from './customers.types.js';

export const CustomerConnection = Connection('Customer', Customer);

@Resolver(() => Customer)
export class CustomersResolver {
  @Public()
  @Mutation(() => RegisterCustomerResult, { description: 'Storefront sign-up. Returns an access token for the new customer.' })
  registerCustomer(@Ctx() ctx: Context, @Arg('input', () => RegisterCustomerInput) input: RegisterCustomerInput) {
    return customers.registerCustomer(ctx, input);
  }

  @Allow(Role.OPERATIONS, Role.SUPPORT, Role.MARKETING)
  @Mutation(() => CreateCustomerResult, { description: 'Create a customer from the back office (no password).' })
  createCustomer(@Ctx() ctx: Context, @Arg('input', () => CreateCustomerInput) input: CreateCustomerInput) {
    return customers.createCustomer(ctx, input);
  }

  @Allow(Role.OPERATIONS, Role.SUPPORT, 'CUSTOMER')
  @Mutation(() => UpdateCustomerResult, {
    description: 'Change a customer’s name or email (support fixing a typo, or the customer in their account page). Customers may change only themselves. EMAIL_TAKEN when another customer has the email.',
  })
  updateCustomer(@Ctx() ctx: Context, @Arg('input', () => UpdateCustomerInput) input: UpdateCustomerInput) {
    return customers.updateCustomer(ctx, input);
  }

  @Allow(Role.OPERATIONS, Role.SUPPORT, Role.MARKETING, Role.ANALYST, 'CUSTOMER')
  @Query(() => Customer, { description: 'One customer. Customers may read only themselves.' })
  customer(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return customers.getCustomer(ctx, id);
  }

  @Allow(Role.OPERATIONS, Role.SUPPORT, Role.MARKETING, Role.ANALYST)
  @Query(() => CustomerConnection, { description: 'Customers, newest first.' })
  customers(@Ctx() ctx: Context, @Args(() => CustomersArgs) args: CustomersArgs) {
    return customers.listCustomers(ctx, args);
  }
}
