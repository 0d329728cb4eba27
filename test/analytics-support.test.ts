import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../src/common/clock.js';
import { startTestApp, type TestApp } from './support/harness.js';
import { customer, Role, staffToken } from './support/fixtures.js';
import { AddTicketMessageDocument, AnalyticsSupportKpisDocument, OpenTicketDocument, RateTicketDocument, TransitionTicketDocument } from './generated/graphql.js';

/*
 * Tickets (Europe/Berlin is UTC+1 in January; SLA HIGH 60/480 min, NORMAL 240/1440 min):
 *   Tk1 HIGH   opened 2026-01-05T23:30Z (Berlin Jan 6)  reply +30 min, resolved +120 min, rated 4
 *   Tk2 NORMAL opened 2026-01-06T10:00Z                 reply +90 min, resolved +240 min, rated 2
 *   Tk3 NORMAL opened 2026-01-06T12:00Z                 never answered: breached by the SLA job
 *   Tk4 NORMAL opened 2026-01-05T20:00Z (Berlin Jan 5)  never answered: breached by the SLA job
 */
const clock = new ManualClock(new Date('2026-01-01T00:00:00Z'));
let t: TestApp;
let analyst: string;

beforeAll(async () => {
  t = await startTestApp({ clock });
  const support = (await staffToken(t, Role.SUPPORT)).token;
  analyst = (await staffToken(t, Role.ANALYST)).token;
  const buyer = await customer(t);
  const at = (iso: string, minutes = 0) => clock.set(new Date(new Date(iso).getTime() + minutes * 60_000));
  const open = async (iso: string, priority: 'HIGH' | 'NORMAL') => {
    at(iso);
    const res = await t.gql(OpenTicketDocument, { input: { customerId: buyer.id, subject: 'Help', body: 'Please.', category: 'INQUIRY', priority } }, support);
    if (res.data?.openTicket?.__typename !== 'Ticket') throw new Error(JSON.stringify(res));
    return res.data.openTicket.id;
  };
  const work = async (ticketId: string, iso: string, replyAfter: number, resolveAfter: number, rating: number) => {
    at(iso, replyAfter);
    const reply = await t.gql(AddTicketMessageDocument, { input: { ticketId, body: 'On it.' } }, support);
    if (reply.data?.addTicketMessage?.__typename !== 'Ticket') throw new Error(JSON.stringify(reply));
    at(iso, resolveAfter);
    await t.gql(TransitionTicketDocument, { input: { ticketId, to: 'OPEN' } }, support);
    const resolved = await t.gql(TransitionTicketDocument, { input: { ticketId, to: 'RESOLVED' } }, support);
    if (resolved.data?.transitionTicket?.__typename !== 'Ticket') throw new Error(JSON.stringify(resolved));
    at(iso, resolveAfter + 10);
    const rated = await t.gql(RateTicketDocument, { input: { ticketId, rating } }, buyer.token);
    if (rated.data?.rateTicket?.__typename !== 'Ticket') throw new Error(JSON.stringify(rated));
  };
  const tk1 = await open('2026-01-05T23:30:00Z', 'HIGH');
  await work(tk1, '2026-01-05T23:30:00Z', 30, 120, 4);
  const tk2 = await open('2026-01-06T10:00:00Z', 'NORMAL');
  await work(tk2, '2026-01-06T10:00:00Z', 90, 240, 2);
  await open('2026-01-06T12:00:00Z', 'NORMAL');
  await open('2026-01-05T20:00:00Z', 'NORMAL');
  at('2026-01-16T00:00:00Z');
  await t.app.runJob('support.sla-breaches');
});
afterAll(() => t?.stop());

const flat = (r: any) => ({ day: r.bucketLabel, dim: r.dimension?.key ?? null, ...r.values });
const empty = { responded: 0, averageFirstResponseMinutes: null, resolved: 0, averageResolutionMinutes: null, withinSla: 0, slaCompliance: 0, rated: 0, averageSatisfaction: null };

describe('support KPIs', () => {
  it('per local day: volume, response and resolution times, SLA compliance, satisfaction', async () => {
    const res = await t.gql(AnalyticsSupportKpisDocument, { from: '2026-01-04T23:00:00Z', to: '2026-01-06T23:00:00Z', bucket: 'DAY', timeZone: 'Europe/Berlin' }, analyst);
    expect(res.errors).toBeUndefined();
    expect(res.data!.supportKpis.map(flat)).toEqual([
      { day: '2026-01-05', dim: null, opened: 1, ...empty },
      // (30 + 90) / 2, (120 + 240) / 2, 2 of 3 within SLA, (4 + 2) / 2
      { day: '2026-01-06', dim: null, opened: 3, responded: 2, averageFirstResponseMinutes: 60, resolved: 2, averageResolutionMinutes: 180, withinSla: 2, slaCompliance: 0.6667, rated: 2, averageSatisfaction: 3 },
    ]);
    expect(res.data!.supportKpis.map((r) => r.bucketStart)).toEqual(['2026-01-04T23:00:00.000Z', '2026-01-05T23:00:00.000Z']);
  });

  it('per UTC day the late-evening ticket falls on the day before', async () => {
    const res = await t.gql(AnalyticsSupportKpisDocument, { from: '2026-01-05T00:00:00Z', to: '2026-01-07T00:00:00Z', bucket: 'DAY', timeZone: 'UTC' }, analyst);
    expect(res.data!.supportKpis.map(flat)).toEqual([
      { day: '2026-01-05', dim: null, opened: 2, responded: 1, averageFirstResponseMinutes: 30, resolved: 1, averageResolutionMinutes: 120, withinSla: 1, slaCompliance: 0.5, rated: 1, averageSatisfaction: 4 },
      { day: '2026-01-06', dim: null, opened: 2, responded: 1, averageFirstResponseMinutes: 90, resolved: 1, averageResolutionMinutes: 240, withinSla: 1, slaCompliance: 0.5, rated: 1, averageSatisfaction: 2 },
    ]);
  });

  it('breaks down by priority', async () => {
    const res = await t.gql(AnalyticsSupportKpisDocument, { from: '2026-01-04T23:00:00Z', to: '2026-01-06T23:00:00Z', bucket: 'DAY', timeZone: 'Europe/Berlin', breakdown: 'PRIORITY' }, analyst);
    expect(res.data!.supportKpis.map(flat)).toEqual([
      { day: '2026-01-05', dim: 'NORMAL', opened: 1, ...empty },
      { day: '2026-01-06', dim: 'HIGH', opened: 1, responded: 1, averageFirstResponseMinutes: 30, resolved: 1, averageResolutionMinutes: 120, withinSla: 1, slaCompliance: 1, rated: 1, averageSatisfaction: 4 },
      { day: '2026-01-06', dim: 'NORMAL', opened: 2, responded: 1, averageFirstResponseMinutes: 90, resolved: 1, averageResolutionMinutes: 240, withinSla: 1, slaCompliance: 0.5, rated: 1, averageSatisfaction: 2 },
    ]);
  });

  it('refuses an unknown zone naming timeZone, and non-analyst staff', async () => {
    const bad = await t.gql(AnalyticsSupportKpisDocument, { from: '2026-01-05T00:00:00Z', to: '2026-01-07T00:00:00Z', bucket: 'DAY', timeZone: 'Europe/Atlantis' }, analyst);
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timeZone' });
    const support = (await staffToken(t, Role.SUPPORT)).token;
    const denied = await t.gql(AnalyticsSupportKpisDocument, { from: '2026-01-05T00:00:00Z', to: '2026-01-07T00:00:00Z', bucket: 'DAY', timeZone: 'UTC' }, support);
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});
