import { ArrayType, Entity, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Role } from '../../common/auth/roles.js';

@Entity({ tableName: 'staff_user' })
@ObjectType({ description: 'A member of staff who signs in to the back office.' })
export class StaffUser {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID)
  id: string = uuidv7();

  /** Stored lower-cased; unique. */
  @Property({ type: 'text', unique: 'staff_user_email_unique' })
  @Field(() => String)
  email!: string;

  @Property({ type: 'text' })
  @Field(() => String)
  name!: string;

  @Property({ type: 'text', lazy: true, hidden: true })
  passwordHash!: string;

  @Property({ type: ArrayType, columnType: 'text[]' })
  @Field(() => [Role])
  roles: Role[] = [];

  @Property({ type: 'boolean' })
  @Field(() => Boolean, { description: 'Deactivated users cannot sign in.' })
  active = true;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime)
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true })
  lastLoginAt?: Date | null;
}
