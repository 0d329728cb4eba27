import { Field, InputType, ObjectType, createUnionType } from 'type-graphql';
import { ErrorResult } from '../../common/errors.js';
import { Channel, ChannelType } from './channel.entity.js';

@InputType()
export class CreateChannelInput {
  @Field(() => String, { description: 'Lower-case letters, digits and dashes; unique.' })
  code!: string;

  @Field(() => String)
  name!: string;

  @Field(() => ChannelType)
  type!: ChannelType;

  @Field(() => String, { description: 'ISO 4217 code.' })
  currency!: string;

  @Field(() => Boolean, { nullable: true, description: 'Confirm paid orders automatically (default false: staff confirm them).' })
  autoConfirm?: boolean | null;
}

@ObjectType({ implements: ErrorResult, description: 'A channel with this code exists.' })
export class ChannelCodeTakenError extends ErrorResult {}

export const CreateChannelResult = createUnionType({
  name: 'CreateChannelResult',
  types: () => [Channel, ChannelCodeTakenError] as const,
});
