import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type DataLoader from 'dataloader';
import type { Viewer } from './auth/viewer.js';
import type { Logger } from './logger.js';
import type { EventBus } from './events/bus.js';
import type { Config } from '../app/config.js';
import type { Clock } from './clock.js';

/** A factory for one per-request DataLoader; its identity is the cache key in `Context.loaders`. */
export type LoaderFactory<K, V> = (ctx: Context) => DataLoader<K, V>;

/** Process-wide services a request context is built from. */
export interface AppServices {
  config: Config;
  clock: Clock;
  orm: MikroORM;
  bus: EventBus;
  logger: Logger;
}

/**
 * One per HTTP request and per WebSocket operation. Services take it first.
 * `em` and the loaders are per request; `renew()` gives a subscription a fresh pair for each event.
 */
export class Context {
  private forked: EntityManager | undefined;
  private loaderCache = new Map<LoaderFactory<any, any>, DataLoader<any, any>>();

  constructor(
    readonly app: AppServices,
    public viewer: Viewer,
    readonly requestId: string,
  ) {}

  /** The request's EntityManager, forked on first use (requests answered without the ORM never pay for one). */
  get em(): EntityManager {
    return (this.forked ??= this.app.orm.em.fork({ clear: true, useContext: false }) as EntityManager);
  }

  set em(em: EntityManager) {
    this.forked = em;
  }

  get config() {
    return this.app.config;
  }

  get logger() {
    return this.app.logger;
  }

  /** Now, by the application clock (tests can move it). */
  now(): Date {
    return this.app.clock.now();
  }

  /** The per-request instance of a loader. */
  loader<K, V>(factory: LoaderFactory<K, V>): DataLoader<K, V> {
    let l = this.loaderCache.get(factory);
    if (!l) {
      l = factory(this);
      this.loaderCache.set(factory, l);
    }
    return l as DataLoader<K, V>;
  }

  /** Fresh EntityManager and loaders, so an event resolved late never sees state cached for an earlier one. */
  renew(): void {
    this.forked = undefined;
    this.loaderCache.clear();
  }
}
