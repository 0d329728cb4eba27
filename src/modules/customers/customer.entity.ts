import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';

@Entity({ tableName: 'customer' })
@Index({ name: 'customer_created_at_idx', properties: ['createdAt', 'id'] })
@Index({ name: 'customer_updated_at_idx', properties: ['updatedAt', 'id'] })
@ObjectType({ description: 'A buyer. Customers see only their own record; staff see all.' })
export class Customer {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID)
  id: string = uuidv7();

  /** Stored lower-cased; unique. */
  @Property({ type: 'text', unique: 'customer_email_unique' })
  @Field(() => String)
  email!: string;

  @Property({ type: 'text' })
  @Field(() => String)
  name!: string;

  /** Null for customers created by staff or imported, who have not set a password. */
  @Property({ type: 'text', nullable: true, lazy: true, hidden: true })
  passwordHash?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime)
  createdAt: Date = new Date();

  /** Set on every change of the record, so BI pulls (`bulkCustomers(updatedAfter:)`) see edits, not only sign-ups. */
  @Property({ type: 'datetime', columnType: 'timestamptz', defaultRaw: 'now()' })
  @Field(() => GraphQLDateTime, { description: 'When the record last changed (creation counts).' })
  updatedAt: Date = new Date();
}
