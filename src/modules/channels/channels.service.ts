import type { Context } from '../../common/context.js';
import { check } from '../../common/errors.js';
import { CURRENCY_RE } from '../../common/money.js';
import { persistNew } from '../../common/persist.js';
import { Channel } from './channel.entity.js';
import { ChannelCodeTakenError, type CreateChannelInput } from './channels.types.js';

export async function createChannel(ctx: Context, input: CreateChannelInput): Promise<Channel | ChannelCodeTakenError> {
  check(/^[a-z0-9]+(-[a-z0-9]+)*$/.test(input.code) && input.code.length <= 40, 'code', 'must be lower-case letters and digits separated by dashes, at most 40 characters');
  check(input.name.trim().length > 0 && input.name.length <= 200, 'name', 'must be 1 to 200 characters');
  check(CURRENCY_RE.test(input.currency), 'currency', 'must be a three-letter upper-case ISO 4217 code');
  return ctx.em.transactional(async (em) => {
    if (await em.count(Channel, { code: input.code })) {
      return Object.assign(new ChannelCodeTakenError(), { errorCode: 'CODE_TAKEN', message: `Channel code "${input.code}" is taken`, field: 'code' });
    }
    return persistNew(em, Channel, { code: input.code, name: input.name.trim(), type: input.type, currency: input.currency, autoConfirm: input.autoConfirm ?? false });
  });
}

export function listChannels(ctx: Context): Promise<Channel[]> {
  return ctx.em.find(Channel, {}, { orderBy: { code: 'ASC' }, limit: 1000 });
}
