import { Entity, Enum, Index, ManyToOne, PrimaryKey, Property } from '@mikro-orm/postgresql';
import { registerEnumType } from 'type-graphql';
import { uuidv7 } from '../../common/ids.js';
import { Order } from '../orders/order.entity.js';

export enum Device {
  DESKTOP = 'DESKTOP',
  MOBILE = 'MOBILE',
  TABLET = 'TABLET',
  OTHER = 'OTHER',
}
registerEnumType(Device, { name: 'Device', description: 'Device class of a visit.' });

export enum FunnelStep {
  PRODUCT_VIEW = 'PRODUCT_VIEW',
  ADD_TO_CART = 'ADD_TO_CART',
  CHECKOUT_START = 'CHECKOUT_START',
  PURCHASE = 'PURCHASE',
}
registerEnumType(FunnelStep, { name: 'FunnelStep', description: 'Steps of the purchase funnel, in order.' });

/** A visit, keyed by the id the tracker gave it; its attributes come from its earliest event ingested first. */
@Entity({ tableName: 'traffic_session' })
@Index({ name: 'traffic_session_started_idx', properties: ['startedAt'] })
@Index({ name: 'traffic_session_source_started_idx', properties: ['source', 'startedAt'] })
@Index({ name: 'traffic_session_channel_started_idx', properties: ['channelCode', 'startedAt'] })
@Index({ name: 'traffic_session_campaign_idx', properties: ['campaign'] })
// Analytics: visits of one 15-minute slot (traffic KPIs read marked slots raw; see analytics/rollups.ts).
@Index({ name: 'traffic_session_slot_idx', expression: 'create index "traffic_session_slot_idx" on "traffic_session" (analytics_slot("started_at"))' })
export class TrafficSession {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Property({ type: 'text', unique: 'traffic_session_key_unique' })
  sessionKey!: string;

  @Property({ type: 'uuid', nullable: true })
  customerId?: string | null;

  @Property({ type: 'text' })
  source!: string;

  @Property({ type: 'text' })
  medium!: string;

  @Property({ type: 'text', nullable: true })
  campaign?: string | null;

  @Property({ type: 'text', nullable: true })
  channelCode?: string | null;

  @Enum({ items: () => Device, nativeEnumName: 'device' })
  device!: Device;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  startedAt!: Date;
}

/** One funnel event; its tracker id makes ingestion idempotent. */
@Entity({ tableName: 'funnel_event' })
@Index({ name: 'funnel_event_session_idx', properties: ['session', 'step'] })
@Index({ name: 'funnel_event_step_occurred_idx', properties: ['step', 'occurredAt'] })
export class FunnelEvent {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @Property({ type: 'text', unique: 'funnel_event_key_unique' })
  eventKey!: string;

  @ManyToOne({ entity: () => TrafficSession })
  session!: TrafficSession;

  @Enum({ items: () => FunnelStep, nativeEnumName: 'funnel_step' })
  step!: FunnelStep;

  @Property({ type: 'uuid', nullable: true })
  productId?: string | null;

  @Property({ type: 'uuid', nullable: true })
  orderId?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz' })
  occurredAt!: Date;
}

/** The visit an order was placed in (by the tracker's session id, which may be ingested later). */
@Entity({ tableName: 'order_attribution' })
@Index({ name: 'order_attribution_session_key_idx', properties: ['sessionKey'] })
export class OrderAttribution {
  @PrimaryKey({ type: 'uuid' })
  id: string = uuidv7();

  @ManyToOne({ entity: () => Order, unique: 'order_attribution_order_unique', deleteRule: 'cascade' })
  order!: Order;

  @Property({ type: 'text' })
  sessionKey!: string;
}
