import { ArrayType, Entity, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';
import { Role } from '../../common/auth/roles.js';

@Entity({ tableName: 'api_token' })
@ObjectType({ description: 'A long-lived token for an integration or a BI tool. Only its hash is stored; the secret is shown once.' })
export class ApiToken {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID)
  id: string = uuidv7();

  @Property({ type: 'text' })
  @Field(() => String)
  name!: string;

  /** SHA-256 of the secret. */
  @Property({ type: 'text', unique: 'api_token_hash_unique', hidden: true })
  tokenHash!: string;

  @Property({ type: 'text' })
  @Field(() => String, { description: 'First characters of the secret, to recognise it in lists.' })
  displayPrefix!: string;

  @Property({ type: ArrayType, columnType: 'text[]' })
  @Field(() => [Role])
  roles: Role[] = [];

  @Property({ type: 'uuid', nullable: true })
  createdById?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime)
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true })
  expiresAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true })
  revokedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz', nullable: true })
  @Field(() => GraphQLDateTime, { nullable: true })
  lastUsedAt?: Date | null;
}
