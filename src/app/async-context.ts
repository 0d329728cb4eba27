/**
 * Scoped AsyncLocalStorage: promise hooks only while a store is in use.
 *
 * Why: on Node 20 an AsyncLocalStorage enables an async hook the first time `run()` is called and keeps it enabled
 * for the life of the process. From then on every promise the process creates pays for it (the init hook copies
 * the store onto the promise). MikroORM calls `run()` on every flush, transaction and `findAndCount`, so after the
 * first write every read request paid too: on the order-list bench the hook was ~10 % of all bytes allocated and
 * ~4 % of CPU, for a store that is only needed while a transaction or a flush is running.
 *
 * What changes: a `run()` whose callback returns a promise keeps its instance enabled until that promise settles;
 * when the last such run of an instance has settled and nothing else needs the instance, it is disabled again (and
 * Node removes the hook once no instance is enabled). Every use inside the run sees its store exactly as before.
 * A `run()` with a synchronous callback (the `run(store, next)` middleware pattern, whose store must follow work
 * the callback only schedules) and `enterWith()` make the instance permanently enabled: Node's own behaviour.
 *
 * The only difference is for work that escapes a run's promise (fire-and-forget inside a transaction) and reads the
 * store after the run has settled: it sees no store. MikroORM's uses (`TransactionContext`, the flush guard,
 * `RawQueryFragment`) all await their run, and this codebase starts no such work.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const ACTIVE = Symbol('scopedAlsActive');
const STICKY = Symbol('scopedAlsSticky');
const INSTALLED = Symbol.for('ecom.scopedAsyncLocalStorage');

type Scoped = AsyncLocalStorage<unknown> & { [ACTIVE]?: number; [STICKY]?: boolean };

const isThenable = (v: unknown): v is PromiseLike<unknown> => v !== null && (typeof v === 'object' || typeof v === 'function') && typeof (v as any).then === 'function';

/** Idempotent; safe to call at any time (instances created before keep working and are scoped from their next run). */
export function scopeAsyncLocalStorage(): void {
  const proto = AsyncLocalStorage.prototype as any;
  if (proto[INSTALLED]) return;
  const run = proto.run as (this: Scoped, store: unknown, cb: (...a: unknown[]) => unknown, ...args: unknown[]) => unknown;
  const enterWith = proto.enterWith as (this: Scoped, store: unknown) => void;
  const release = (als: Scoped) => {
    const left = (als[ACTIVE] ?? 1) - 1;
    als[ACTIVE] = left;
    if (left === 0 && !als[STICKY]) als.disable();
  };
  proto.run = function (this: Scoped, store: unknown, cb: (...a: unknown[]) => unknown, ...args: unknown[]) {
    this[ACTIVE] = (this[ACTIVE] ?? 0) + 1;
    let result: unknown;
    try {
      result = run.call(this, store, cb, ...args);
    } catch (err) {
      release(this);
      throw err;
    }
    if (isThenable(result)) {
      const done = () => release(this);
      result.then(done, done);
    } else {
      this[STICKY] = true;
      release(this);
    }
    return result;
  };
  proto.enterWith = function (this: Scoped, store: unknown) {
    this[STICKY] = true;
    return enterWith.call(this, store);
  };
  proto[INSTALLED] = true;
}
