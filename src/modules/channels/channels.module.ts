import type { AppModule } from '../../common/module.js';
import { Channel } from './channel.entity.js';
import { ChannelResolver } from './channels.resolver.js';

export const channelsModule: AppModule = { name: 'channels', entities: [Channel], resolvers: [ChannelResolver] };
