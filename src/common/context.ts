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
 * Both are created on first use: a subscription that sits idle (most of them, most of the time) holds no
 * EntityManager fork, and an event whose resolvers read nothing from the database never forks one.
 */
export class Context {
  private forked?: EntityManager;
  private loaderCache?: Map<LoaderFactory<any, any>, DataLoader<any, any>>;

  constructor(
    readonly app: AppServices,
    public viewer: Viewer,
    readonly requestId: string,
  ) {}

  get em(): EntityManager {
    return (this.forked ??= this.app.orm.em.fork({ clear: true, useContext: false }) as EntityManager);
  }

  set em(em: EntityManager) {
    this.forked = em;
  }

  /**
   * For hand-built read statements (common/rows.ts) that need an EntityManager only for its connection, metadata
   * and transaction check: the request's own when it has one (it may hold a transaction), otherwise the ORM's root
   * EntityManager, whose identity map is never touched on these paths. A read-only request then forks none (a fork
   * per request was ~4 % of a small query's CPU). Never use it for `find`, `persist` or anything that tracks entities.
   */
  get reader(): EntityManager {
    return this.forked ?? (this.app.orm.em as EntityManager);
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
    const cache = (this.loaderCache ??= new Map());
    let l = cache.get(factory);
    if (!l) {
      l = factory(this);
      cache.set(factory, l);
    }
    return l as DataLoader<K, V>;
  }

  /** Fresh EntityManager and loaders, so an event resolved late never sees state cached for an earlier one. */
  renew(): void {
    this.forked = undefined;
    this.loaderCache = undefined;
  }
}
