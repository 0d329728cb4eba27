import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, product, Role, staffToken } from './support/fixtures.js';
import { chromiumProblem, launchChromium } from './support/browser.js';
import { OpenTicketDocument, PlaceOrderDocument, SubmitReviewDocument, TransitionOrderDocument } from './generated/graphql.js';
import { ManualClock } from '../src/common/clock.js';
import { orderUpTo } from './support/reviews-fixtures.js';

const clock = new ManualClock(new Date());

let t: TestApp;
let browser: Browser;
const problem = chromiumProblem();

beforeAll(async () => {
  if (problem && process.env.CI === 'true') throw new Error(problem);
  t = await startTestApp({ clock });
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
    const ops = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING, Role.SUPPORT)).token;
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

    // Every pane (orders, tracking, reviews, SLA) subscribed without an error.
    expect(await page.locator('section').count()).toBe(4);
    expect(await page.locator('section .error').allTextContents()).toEqual(['', '', '', '']);

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

  it('highlights a new low-rated review and shows a ticket breaching its SLA', async (ctx) => {
    if (problem) ctx.skip(problem);
    const origin = t.app.url.replace(/\/graphql$/, '');
    const staff = (await staffToken(t, Role.OPERATIONS, Role.MERCHANDISING, Role.SUPPORT)).token;
    const buyer = await customer(t, 'Reviewer');
    const variant = (await product(t, staff, [{ priceAmount: 1200 }])).variantIds[0]!;
    const { lineIds } = await orderUpTo(t, staff, buyer.token, [variant]);
    await t.drainEvents();

    const page = await browser.newPage();
    await page.goto(`${origin}/console`);
    await page.fill('#token', staff);
    await page.click('#signin button');
    await page.waitForSelector('#status[data-state="ok"]', { timeout: 10_000 });

    const review = await t.gql(SubmitReviewDocument, { input: { orderLineId: lineIds[0]!, rating: 1, title: 'Broke on day one', body: 'The handle snapped.' } }, buyer.token);
    expect(review.data?.submitReview.__typename).toBe('Review');
    await page.locator('#feed-reviews li.alert', { hasText: '★☆☆☆☆' }).filter({ hasText: 'Broke on day one' }).waitFor({ timeout: 10_000 });

    const ticket = await t.gql(OpenTicketDocument, { input: { subject: 'Refund please', body: 'It broke.', category: 'COMPLAINT' } }, buyer.token);
    expect(ticket.data?.openTicket.__typename).toBe('Ticket');
    clock.advance(3 * 24 * 3600_000); // past every first-response target
    await t.app.runJob('support.sla-breaches');
    await page.locator('#feed-sla li', { hasText: 'Refund please' }).first().waitFor({ timeout: 10_000 });
    expect(await page.locator('#feed-sla li', { hasText: 'first response overdue' }).count()).toBe(1);
    await page.close();
  });

  it('serves GraphiQL from the server itself, with no script from outside', async (ctx) => {
    if (problem) ctx.skip(problem);
    const origin = t.app.url.replace(/\/graphql$/, '');
    const page = await browser.newPage();
    const urls = trackRequests(page);
    // GraphiQL introspects the schema on load; the answer must be a schema, not a limit error.
    const introspection = page.waitForResponse((r) => r.url().endsWith('/graphql') && r.request().method() === 'POST' && (r.request().postData() ?? '').includes('__schema'));
    const res = await page.goto(`${origin}/graphql`);
    expect(res?.headers()['content-security-policy']).toContain("script-src 'self'");
    await page.waitForSelector('.graphiql-container', { timeout: 15_000 });
    const schema = (await (await introspection).json()) as any;
    expect(schema.errors).toBeUndefined();
    expect(schema.data.__schema.queryType.name).toBe('Query');
    expect(external(urls, origin)).toEqual([]);
    await page.close();
  });
});
