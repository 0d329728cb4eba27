import { Field, ID, InputType, ObjectType, createUnionType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { Role } from '../../common/auth/roles.js';
import { ApiToken } from './api-token.entity.js';
import { EmailTakenError, InvalidCredentialsError } from './identity.errors.js';
import { StaffUser } from './staff-user.entity.js';

export enum ViewerKind {
  ANONYMOUS = 'ANONYMOUS',
  STAFF = 'STAFF',
  API_TOKEN = 'API_TOKEN',
  CUSTOMER = 'CUSTOMER',
}
registerEnumType(ViewerKind, { name: 'ViewerKind' });

@ObjectType({ description: 'Who the current token belongs to.' })
export class Me {
  @Field(() => ViewerKind)
  kind!: ViewerKind;

  @Field(() => [Role], { description: 'Staff roles of the caller (empty for customers and anonymous callers).' })
  roles!: Role[];

  @Field(() => ID, { nullable: true, description: 'Staff user id, API token id or customer id.' })
  id?: string | null;
}

@ObjectType({ description: 'A signed access token to send as `Authorization: Bearer <accessToken>` (HTTP) or `{ authorization }` in connection_init (WebSocket).' })
export class AuthPayload {
  @Field(() => String)
  accessToken!: string;

  @Field(() => GraphQLDateTime)
  expiresAt!: Date;

  @Field(() => Me)
  me!: Me;
}

export const LoginResult = createUnionType({
  name: 'LoginResult',
  types: () => [AuthPayload, InvalidCredentialsError] as const,
});

@InputType()
export class LoginInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  password!: string;
}

@InputType()
export class CreateStaffUserInput {
  @Field(() => String)
  email!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'At least 10 characters.' })
  password!: string;

  @Field(() => [Role])
  roles!: Role[];
}

export const CreateStaffUserResult = createUnionType({
  name: 'CreateStaffUserResult',
  types: () => [StaffUser, EmailTakenError] as const,
});

@InputType()
export class CreateApiTokenInput {
  @Field(() => String)
  name!: string;

  @Field(() => [Role], { description: 'Roles the token acts with; ANALYST for read-only BI access.' })
  roles!: Role[];

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Optional expiry; never expires when omitted.' })
  expiresAt?: Date | null;
}

@ObjectType()
export class CreatedApiToken {
  @Field(() => String, { description: 'The secret. Shown only now; store it safely.' })
  secret!: string;

  @Field(() => ApiToken)
  apiToken!: ApiToken;
}
