import { ArgsType, Field, ID, InputType, createUnionType } from 'type-graphql';
import { PageArgs } from '../../common/pagination.js';
import { AuthPayload } from '../identity/identity.types.js';
import { EmailTakenError } from '../identity/identity.errors.js';
import { Customer } from './customer.entity.js';

@InputType()
export class RegisterCustomerInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'At least 10 characters.' })
  password!: string;
}

@InputType()
export class CreateCustomerInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;
}

@InputType({ description: 'Changes to a customer record; omitted fields stay as they are.' })
export class UpdateCustomerInput {
  @Field(() => ID, { description: 'The customer to change. Customers may change only themselves.' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'New email; must be unused by any other customer.' })
  email?: string | null;

  @Field(() => String, { nullable: true, description: 'New name, 1 to 200 characters.' })
  name?: string | null;
}

export const UpdateCustomerResult = createUnionType({
  name: 'UpdateCustomerResult',
  types: () => [Customer, EmailTakenError] as const,
});

export const RegisterCustomerResult = createUnionType({
  name: 'RegisterCustomerResult',
  types: () => [AuthPayload, EmailTakenError] as const,
});

export const CreateCustomerResult = createUnionType({
  name: 'CreateCustomerResult',
  types: () => [Customer, EmailTakenError] as const,
});

@ArgsType()
export class CustomersArgs extends PageArgs {
  @Field(() => String, { nullable: true, description: 'Case-insensitive match on the start of the email.' })
  emailStartsWith?: string | null;
}
