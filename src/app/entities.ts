import { OutboxEvent } from '../common/events/outbox.entity.js';
import { modules } from './modules.js';

/** Every MikroORM entity, listed explicitly (no folder discovery: the same under tsx, tsc output and vitest). */
export const entities = [OutboxEvent, ...modules.flatMap((m) => m.entities)];
