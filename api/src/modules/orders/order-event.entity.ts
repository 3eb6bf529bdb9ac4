import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * Append-only history of everything reported about an order, applied or not. `receivedAt` is
 * kept apart from `occurredAt` so late and out-of-order reports stay visible.
 */
@Entity({ tableName: 'order_event' })
@Unique({ name: 'order_event_idempotency_unique', properties: ['orderId', 'idempotencyKey'] })
@Index({ name: 'order_event_order_idx', properties: ['orderId', 'occurredAt'] })
// Reports and health checks read recent arrivals (status freshness: the last hour, every 5 minutes).
@Index({ name: 'order_event_received_idx', properties: ['receivedAt'] })
// Events waiting for their order to catch up: read with every call for the orders it touches,
// and swept for expiry. Few at any time, so a partial index.
@Index({
  name: 'order_event_pending_idx',
  expression: `create index "order_event_pending_idx" on "order_event" ("order_id", "received_at") where outcome = 'PENDING'`,
})
export class OrderEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid' })
  orderId!: string;

  /** Who reported it: CHANNEL, PAYMENT, WMS, TMS, CRM, STAFF or SYSTEM. */
  @Property({ type: 'text' })
  source!: string;

  @Property({ type: 'text' })
  type!: string;

  @Property({ type: 'text' })
  idempotencyKey!: string;

  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  receivedAt!: Date;

  /** APPLIED, IMPLIED, PENDING, STALE, REJECTED or RECORDED. */
  @Property({ type: 'text' })
  outcome!: string;

  @Property({ type: 'text', nullable: true })
  fromState!: string | null;

  @Property({ type: 'text', nullable: true })
  toState!: string | null;

  /** Why a report was not applied, in words an operator can act on. */
  @Property({ type: 'text', nullable: true })
  reason!: string | null;

  @Property({ type: 'jsonb', default: '{}' })
  payload!: Record<string, unknown>;
}
