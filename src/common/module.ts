/**
 * What a module contributes to the application. Each module has one `<name>.module.ts` exporting one of
 * these; `app/modules.ts` lists them, and the ORM and the schema are composed from that list alone.
 */
import type { AppServices } from './context.js';
import type { Config } from '../app/config.js';

/** Background work a module runs on every instance, on a fixed interval (each job must be safe to run concurrently on several instances, e.g. by claiming rows with FOR UPDATE SKIP LOCKED or an advisory lock). */
export interface ModuleJob {
  name: string;
  /** Fixed, or read from the configuration (0 or less: the job does not run on a timer). */
  intervalMs: number | ((config: Config) => number);
  run(services: AppServices): Promise<void>;
}

export interface AppModule {
  name: string;
  /** MikroORM entity classes. */
  entities: Function[];
  /** type-graphql resolver classes. */
  resolvers: Function[];
  jobs?: ModuleJob[];
}
