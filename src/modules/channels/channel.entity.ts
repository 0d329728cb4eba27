import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { GraphQLDateTime } from 'graphql-scalars';
import { uuidv7 } from '../../common/ids.js';

export enum ChannelType {
  OWN_SITE = 'OWN_SITE',
  MARKETPLACE = 'MARKETPLACE',
  SOCIAL = 'SOCIAL',
  RETAIL = 'RETAIL',
}
registerEnumType(ChannelType, { name: 'ChannelType', description: 'Kind of sales channel: our own web shop, a marketplace shop, social commerce or a physical store.' });

export enum ChannelStatus {
  ACTIVE = 'ACTIVE',
  INACTIVE = 'INACTIVE',
}
registerEnumType(ChannelStatus, { name: 'ChannelStatus', description: 'Orders can be placed only on ACTIVE channels.' });

@Entity({ tableName: 'channel' })
@ObjectType({ description: 'A sales channel (shop) where orders come from.' })
export class Channel {
  @PrimaryKey({ type: 'uuid' })
  @Field(() => ID)
  id: string = uuidv7();

  @Property({ type: 'text', unique: 'channel_code_unique' })
  @Field(() => String, { description: 'Short unique code, e.g. "web" or "amazon-de".' })
  code!: string;

  @Property({ type: 'text' })
  @Field(() => String)
  name!: string;

  @Enum({ items: () => ChannelType, nativeEnumName: 'channel_type' })
  @Field(() => ChannelType)
  type!: ChannelType;

  @Property({ type: 'string', length: 3, columnType: 'char(3)' })
  @Field(() => String, { description: 'Default ISO 4217 currency.' })
  currency!: string;

  @Enum({ items: () => ChannelStatus, nativeEnumName: 'channel_status' })
  @Field(() => ChannelStatus)
  status: ChannelStatus = ChannelStatus.ACTIVE;

  @Property({ type: 'boolean', default: false })
  @Field(() => Boolean, { description: 'Paid orders from this channel are confirmed (stock reserved) automatically; when stock is short they go ON_HOLD (OUT_OF_STOCK) instead.' })
  autoConfirm: boolean = false;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  @Field(() => GraphQLDateTime)
  createdAt: Date = new Date();
}
