import { byIdLoader } from '../../common/loaders.js';
import { Channel } from './channel.entity.js';

export const ChannelByIdLoader = byIdLoader(Channel);
