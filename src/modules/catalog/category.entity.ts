import { Entity, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';

@Entity({ tableName: 'category' })
@Index({ name: 'category_parent_idx', properties: ['parent'] })
@Index({ name: 'category_path_gin_idx', expression: 'create index "category_path_gin_idx" on "category" using gin ("path")' })
@ObjectType({ description: 'A node of the category tree.' })
export class Category {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID)
  id: string = uuidv7();

  @Property({ type: 'text' })
  @Field(() => String)
  name!: string;

  @Property({ type: 'text', unique: 'category_slug_unique' })
  @Field(() => String)
  slug!: string;

  @ManyToOne({ entity: () => Category, nullable: true, deleteRule: 'restrict' })
  parent?: Category | null;

  /** Ids from the root down to this node, itself included: subtree queries are `path @> ARRAY[id]`. */
  @Property({ type: 'uuid[]', columnType: 'uuid[]' })
  path: string[] = [];

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime)
  createdAt: Date = new Date();
}
