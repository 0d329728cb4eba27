import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { chromiumProblem, launchChromium } from './support/browser.js';
import { PlaceOrderDocument, TransitionOrderDocument } from './generated/graphql.js';

let t: TestApp;
let browser: Browser;
const problem = chromiumProblem();

beforeAll(async () => {
  if (problem && process.env.CI === 'true') throw new Error(problem);
  t = await startTestApp();
  if (!problem) browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

/** Records every URL the page requests, to prove nothing is loaded from outside the server. */
function trackRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (r) => urls.push(r.url()));
  return urls;
}
const external = (urls: string[], origin: string) => urls.filter((u) => !u.startsWith(origin) && !u.startsWith(origin.replace(/^http/, 'ws')) && !u.startsWith('data:'));

describe('service console in a real browser', () => {
  it('shows an order status change made through the API, live, and resumes after a reconnect', async (ctx) => {
    if (problem) ctx.skip(problem);
    const origin = t.app.url.replace(/\/graphql$/, '');
    const ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING)).token;
    const buyer = await customer(t);
    const variant = (await product(t, ops, [{ priceAmount: 2500 }])).variantIds[0]!;
    const placed = await t.gql(PlaceOrderDocument, { input: { lines: [{ variantId: variant, quantity: 1 }] } }, buyer.token);
    const order = placed.data!.placeOrder as { id: string; displayNumber: string };
    await t.drainEvents();

    const page = await browser.newPage();
    const urls = trackRequests(page);
    // Route the console's WebSocket through a switch, to cut the connection and refuse reconnects at will.
    let online = true;
    const sockets: { close(o?: { code?: number; reason?: string }): Promise<void> }[] = [];
    await page.routeWebSocket(/\/graphql$/, (ws) => {
      if (!online) return void ws.close({ code: 1001, reason: 'offline' });
      ws.connectToServer();
      sockets.push(ws);
    });
    await page.goto(`${origin}/console`);
    await page.fill('#token', ops);
    await page.click('#signin button');
    await page.waitForSelector('#status[data-state="ok"]', { timeout: 10_000 });

    await t.gql(TransitionOrderDocument, { input: { orderId: order.id, to: 'PAID' } }, ops);
    await page.locator('#feed-orders li', { hasText: `${order.displayNumber}: PENDING_PAYMENT → PAID` }).waitFor({ timeout: 10_000 });

    // The connection drops; a change happens while the console is away; it comes back and catches up.
    online = false;
    await Promise.all(sockets.splice(0).map((ws) => ws.close({ code: 1001, reason: 'network lost' })));
    await page.waitForSelector('#status[data-state="warn"]', { timeout: 10_000 });
    await t.gql(TransitionOrderDocument, { input: { orderId: order.id, to: 'CANCELLED', reason: 'customer request' } }, ops);
    await t.drainEvents();
    online = true;
    const cancelled = page.locator('#feed-orders li.alert', { hasText: `${order.displayNumber}: PAID → CANCELLED (customer request)` });
    await cancelled.waitFor({ timeout: 20_000 });
    await page.waitForTimeout(500);
    expect(await page.locator('#feed-orders li', { hasText: `${order.displayNumber}: PENDING_PAYMENT → PAID` }).count()).toBe(1);
    expect(await page.locator('#feed-orders li', { hasText: '→ CANCELLED' }).count()).toBe(1);
    expect(external(urls, origin)).toEqual([]);
    await page.close();
  });

  it('serves GraphiQL from the server itself, with no script from outside', async (ctx) => {
    if (problem) ctx.skip(problem);
    const origin = t.app.url.replace(/\/graphql$/, '');
    const page = await browser.newPage();
    const urls = trackRequests(page);
    const res = await page.goto(`${origin}/graphql`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('.graphiql-container', { timeout: 15_000 });
    expect(external(urls, origin)).toEqual([]);
    await page.close();
  });
});
