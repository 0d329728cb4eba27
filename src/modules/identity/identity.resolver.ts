import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../common/context.js';
import { Allow, Public } from '../../common/auth/access.js';
import { Role } from '../../common/auth/roles.js';
import { Connection, PageArgs } from '../../common/pagination.js';
import { ApiToken } from './api-token.entity.js';
import * as identity from './identity.service.js';
import {
  CreateApiTokenInput,
  CreatedApiToken,
  CreateStaffUserInput,
  CreateStaffUserResult,
  LoginInput,
  LoginResult,
  Me,
} from './identity.types.js';
import { StaffUser } from './staff-user.entity.js';

const ApiTokenConnection = Connection('ApiToken', ApiToken);
const StaffUserConnection = Connection('StaffUser', StaffUser);

@Resolver()
export class IdentityResolver {
  @Public()
  @Query(() => Me, { description: 'Who the current token belongs to (ANONYMOUS without one).' })
  me(@Ctx() ctx: Context): Me {
    return identity.meOf(ctx.viewer);
  }

  @Public()
  @Mutation(() => LoginResult, { description: 'Staff sign-in with email and password; returns a short-lived access token.' })
  login(@Ctx() ctx: Context, @Arg('input', () => LoginInput) input: LoginInput) {
    return identity.staffLogin(ctx, input);
  }

  @Public()
  @Mutation(() => LoginResult, { description: 'Customer sign-in with email and password.' })
  customerLogin(@Ctx() ctx: Context, @Arg('input', () => LoginInput) input: LoginInput) {
    return identity.customerLogin(ctx, input);
  }

  @Allow(Role.ADMIN)
  @Mutation(() => CreateStaffUserResult, { description: 'Create a staff account.' })
  createStaffUser(@Ctx() ctx: Context, @Arg('input', () => CreateStaffUserInput) input: CreateStaffUserInput) {
    return identity.createStaffUser(ctx, input);
  }

  @Allow(Role.ADMIN)
  @Query(() => StaffUserConnection, { description: 'Staff accounts, newest first.' })
  staffUsers(@Ctx() ctx: Context, @Args(() => PageArgs) args: PageArgs) {
    return identity.listStaffUsers(ctx, args);
  }

  @Allow(Role.ADMIN)
  @Mutation(() => CreatedApiToken, { description: 'Create an API token for an integration or BI tool. The secret is returned once.' })
  createApiToken(@Ctx() ctx: Context, @Arg('input', () => CreateApiTokenInput) input: CreateApiTokenInput) {
    return identity.createApiToken(ctx, input);
  }

  @Allow(Role.ADMIN)
  @Mutation(() => ApiToken, { description: 'Revoke an API token; it stops working at once on every instance.' })
  revokeApiToken(@Ctx() ctx: Context, @Arg('id', () => ID) id: string) {
    return identity.revokeApiToken(ctx, id);
  }

  @Allow(Role.ADMIN)
  @Query(() => ApiTokenConnection, { description: 'API tokens, newest first.' })
  apiTokens(@Ctx() ctx: Context, @Args(() => PageArgs) args: PageArgs) {
    return identity.listApiTokens(ctx, args);
  }
}
