import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../common/context.js';
import { AppError, ErrorCodes, check } from '../../common/errors.js';
import { isUuid } from '../../common/ids.js';
import { persistNew } from '../../common/persist.js';
import type { Order } from '../orders/order.entity.js';
import type { PlacementDraft } from '../orders/orders.hooks.js';
import { FunnelStep, OrderAttribution } from './traffic.entity.js';
import { ConversionRow, FunnelStepRate, IngestTrafficResult, TrafficDimension, type ConversionArgs, type FunnelArgs, type TrafficEventInput, type TrafficPeriodArgs } from './traffic.types.js';

export const MAX_EVENTS = 10_000;
const KEY_RE = /^[\x21-\x7e]{1,128}$/;
const STEPS = [FunnelStep.PRODUCT_VIEW, FunnelStep.ADD_TO_CART, FunnelStep.CHECKOUT_START, FunnelStep.PURCHASE];

interface Problem {
  index: number;
  eventId: string | null;
  field: string;
  rule: string;
}

function validateEvent(e: TrafficEventInput, i: number, problems: Problem[]): void {
  const bad = (field: string, rule: string) => problems.push({ index: i, eventId: typeof e.eventId === 'string' ? e.eventId : null, field: `events[${i}].${field}`, rule });
  if (!KEY_RE.test(e.eventId)) bad('eventId', 'must be 1 to 128 printable ASCII characters');
  if (!KEY_RE.test(e.sessionId)) bad('sessionId', 'must be 1 to 128 printable ASCII characters');
  if (!(e.occurredAt instanceof Date) || Number.isNaN(e.occurredAt.getTime())) bad('occurredAt', 'must be a date-time');
  if (!e.source.trim() || e.source.length > 100) bad('source', 'must be 1 to 100 characters');
  if (!e.medium.trim() || e.medium.length > 100) bad('medium', 'must be 1 to 100 characters');
  if (e.campaign != null && e.campaign.length > 200) bad('campaign', 'must be at most 200 characters');
  if (e.channelCode != null && !/^[a-z0-9-]{1,64}$/.test(e.channelCode)) bad('channelCode', 'must be a channel code (lower-case letters, digits, dashes)');
  if (e.customerId != null && !isUuid(e.customerId)) bad('customerId', 'must be an id (UUID) returned by this API');
  if (e.productId != null && !isUuid(e.productId)) bad('productId', 'must be an id (UUID) returned by this API');
  if (e.orderId != null && !isUuid(e.orderId)) bad('orderId', 'must be an id (UUID) returned by this API');
  if (e.orderId != null && e.step !== FunnelStep.PURCHASE) bad('orderId', 'is only allowed on PURCHASE events');
}

/**
 * Stores a batch of funnel events and the visits they belong to, all or nothing: if any event is
 * malformed, nothing is stored and the error lists every problem (index, eventId, field, rule).
 * Idempotent on eventId (and on sessionId for visits): a repeated batch stores nothing new.
 * Three statements whatever the batch size: the batch travels as one JSON parameter.
 */
export async function ingestTrafficEvents(ctx: Context, events: TrafficEventInput[]): Promise<IngestTrafficResult> {
  check(events.length >= 1 && events.length <= MAX_EVENTS, 'events', `must contain 1 to ${MAX_EVENTS} events`);
  const problems: Problem[] = [];
  events.forEach((e, i) => validateEvent(e, i, problems));
  if (problems.length) {
    const first = problems[0]!;
    throw new AppError(ErrorCodes.BAD_USER_INPUT, `${first.field}: ${first.rule}${problems.length > 1 ? ` (and ${problems.length - 1} more problems)` : ''}; no event of the batch was stored`, {
      field: first.field,
      rule: first.rule,
      problems: problems.slice(0, 100),
    });
  }
  const rows = JSON.stringify(
    events.map((e) => ({
      event_key: e.eventId,
      session_key: e.sessionId,
      step: e.step,
      occurred_at: e.occurredAt.toISOString(),
      source: e.source.trim().toLowerCase(),
      medium: e.medium.trim().toLowerCase(),
      campaign: e.campaign?.trim() || null,
      channel_code: e.channelCode ?? null,
      device: e.device,
      customer_id: e.customerId ?? null,
      product_id: e.productId ?? null,
      order_id: e.orderId ?? null,
    })),
  );
  const recordset = `jsonb_to_recordset(?::jsonb) AS x(event_key text, session_key text, step funnel_step, occurred_at timestamptz, source text, medium text,
    campaign text, channel_code text, device device, customer_id uuid, product_id uuid, order_id uuid)`;
  return ctx.em.transactional(async (em) => {
    const [{ n: sessions }] = await em.execute(
      `WITH ins AS (
         INSERT INTO traffic_session (id, session_key, customer_id, source, medium, campaign, channel_code, device, started_at)
         SELECT DISTINCT ON (session_key) gen_random_uuid(), session_key, customer_id, source, medium, campaign, channel_code, device,
                min(occurred_at) OVER (PARTITION BY session_key)
           FROM ${recordset}
          ORDER BY session_key, occurred_at, event_key
         ON CONFLICT (session_key) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [rows],
    );
    const [{ n: stored }] = await em.execute(
      `WITH ins AS (
         INSERT INTO funnel_event (id, event_key, session_id, step, product_id, order_id, occurred_at)
         SELECT gen_random_uuid(), x.event_key, s.id, x.step, x.product_id, x.order_id, x.occurred_at
           FROM ${recordset} JOIN traffic_session s ON s.session_key = x.session_key
         ON CONFLICT (event_key) DO NOTHING RETURNING 1)
       SELECT count(*)::int AS n FROM ins`,
      [rows],
    );
    return Object.assign(new IngestTrafficResult(), { eventsStored: stored, eventsSkipped: events.length - stored, sessionsStored: sessions });
  });
}

/** Placed hook: remembers the visit the order was placed in. */
export async function attributeOrder(_ctx: Context, em: EntityManager, order: Order, draft: PlacementDraft): Promise<void> {
  const key = draft.input.sessionId;
  if (key == null) return;
  check(KEY_RE.test(key), 'sessionId', 'must be 1 to 128 printable ASCII characters');
  persistNew(em, OrderAttribution, { order, sessionKey: key });
}

function checkPeriod(args: TrafficPeriodArgs): void {
  check(args.to > args.from, 'to', 'must be after from');
  check(args.to.getTime() - args.from.getTime() <= 366 * 86_400_000, 'to', 'must be at most 366 days after from');
}

const DIMENSION_SQL: Record<TrafficDimension, string> = {
  SOURCE: `s.source`,
  SOURCE_MEDIUM: `s.source || ' / ' || s.medium`,
  CAMPAIGN: `coalesce(s.campaign, '(none)')`,
  CHANNEL: `coalesce(s.channel_code, '(none)')`,
  DEVICE: `s.device::text`,
};

/** Visits, converted visits and orders per group, in SQL over the visits started in the period. */
export async function conversion(ctx: Context, args: ConversionArgs): Promise<ConversionRow[]> {
  checkPeriod(args);
  const rows: { key: string; sessions: number; converted: number; orders: number }[] = await ctx.em.execute(
    `SELECT ${DIMENSION_SQL[args.by]} AS key, count(*)::int AS sessions,
            count(*) FILTER (WHERE o.n > 0)::int AS converted, coalesce(sum(o.n), 0)::int AS orders
       FROM traffic_session s
       LEFT JOIN LATERAL (
         SELECT count(*) AS n FROM order_attribution a JOIN sales_order so ON so.id = a.order_id
          WHERE a.session_key = s.session_key AND so.status <> 'CANCELLED') o ON true
      WHERE s.started_at >= ? AND s.started_at < ?
      GROUP BY 1 ORDER BY sessions DESC, key`,
    [args.from, args.to],
  );
  return rows.map((r) =>
    Object.assign(new ConversionRow(), { key: r.key, sessions: r.sessions, convertedSessions: r.converted, orders: r.orders, conversionRate: Number((r.converted / r.sessions).toFixed(4)) }),
  );
}

/** Visits reaching each funnel step (a visit counts once per step), and the step-to-step rates. */
export async function funnel(ctx: Context, args: FunnelArgs): Promise<FunnelStepRate[]> {
  checkPeriod(args);
  const params: unknown[] = [args.from, args.to];
  let extra = '';
  if (args.source) {
    extra += ' AND s.source = ?';
    params.push(args.source.trim().toLowerCase());
  }
  if (args.channelCode) {
    extra += ' AND s.channel_code = ?';
    params.push(args.channelCode);
  }
  const rows: { step: FunnelStep; n: number }[] = await ctx.em.execute(
    `SELECT e.step, count(DISTINCT e.session_id)::int AS n
       FROM traffic_session s JOIN funnel_event e ON e.session_id = s.id
      WHERE s.started_at >= ? AND s.started_at < ?${extra}
      GROUP BY e.step`,
    params,
  );
  const count = new Map(rows.map((r) => [r.step, r.n]));
  const rate = (a: number, b: number) => (b > 0 ? Number((a / b).toFixed(4)) : null);
  const first = count.get(FunnelStep.PRODUCT_VIEW) ?? 0;
  return STEPS.map((step, i) => {
    const n = count.get(step) ?? 0;
    return Object.assign(new FunnelStepRate(), {
      step,
      sessions: n,
      rateFromPrevious: i === 0 ? null : rate(n, count.get(STEPS[i - 1]!) ?? 0),
      rateFromFirst: rate(n, first),
    });
  });
}

