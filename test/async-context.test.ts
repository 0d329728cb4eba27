import { AsyncLocalStorage } from 'node:async_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransactionContext } from '@mikro-orm/core';
import { scopeAsyncLocalStorage } from '../src/app/async-context.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { product, Role, staffToken } from './support/fixtures.js';

// Node 20 keeps an AsyncLocalStorage's promise hook on for good after its first run(); MikroORM runs one per flush
// and transaction, so every later read paid for it. Scoped storage turns it off again once no run is pending.
// `enabled` is Node's own flag on the instance (true while its hook propagates stores to new promises).
const enabled = (als: AsyncLocalStorage<unknown>) => (als as any).enabled as boolean;
const tick = () => new Promise((r) => setTimeout(r, 1));

let t: TestApp;
beforeAll(async () => {
  scopeAsyncLocalStorage();
  t = await startTestApp();
});
afterAll(() => t?.stop());

describe('scoped AsyncLocalStorage', () => {
  it('gives each awaited run its own store through awaits and timers, then turns the hook off', async () => {
    const als = new AsyncLocalStorage<string>();
    const seen: string[] = [];
    const job = (name: string) =>
      als.run(name, async () => {
        await tick();
        seen.push(`${name}:${als.getStore()}`);
        await new Promise<void>((r) => setTimeout(() => (seen.push(`${name}:${als.getStore()}`), r()), 2));
        return name;
      });
    const runs = [job('a'), job('b')];
    expect(enabled(als)).toBe(true);
    expect(await Promise.all(runs)).toEqual(['a', 'b']);
    expect(seen.sort()).toEqual(['a:a', 'a:a', 'b:b', 'b:b']);
    expect(enabled(als)).toBe(false);
    expect(als.getStore()).toBeUndefined();
  });

  it('keeps the instance on while any run is pending, and after a rejected run as after a resolved one', async () => {
    const als = new AsyncLocalStorage<number>();
    let release!: () => void;
    const long = als.run(1, () => new Promise<void>((r) => (release = r)));
    await expect(als.run(2, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(enabled(als)).toBe(true);
    const inside = await als.run(3, async () => (await tick(), als.getStore()));
    expect(inside).toBe(3);
    expect(enabled(als)).toBe(true);
    release();
    await long;
    expect(enabled(als)).toBe(false);
  });

  it('leaves synchronous runs (the run(store, next) middleware pattern) with Node behaviour: the store follows scheduled work', async () => {
    const als = new AsyncLocalStorage<string>();
    const later = new Promise<string | undefined>((resolve) => als.run('request', () => void setTimeout(() => resolve(als.getStore()), 2)));
    expect(await later).toBe('request');
    await als.run('again', async () => tick());
    expect(enabled(als)).toBe(true);
  });

  it("leaves MikroORM's transaction context off after the app's transactions have committed", async () => {
    const ops = (await staffToken(t, Role.MERCHANDISING)).token;
    // Creating a product runs em.transactional (TransactionContext.run) and a flush.
    const created = await product(t, ops, [{ priceAmount: 900 }]);
    expect(created.variantIds).toHaveLength(1);
    expect(enabled((TransactionContext as any).storage)).toBe(false);
  });
});
