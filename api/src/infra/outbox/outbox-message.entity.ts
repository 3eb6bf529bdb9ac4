import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * A side effect waiting to be delivered: written in the same transaction as the state change
 * that caused it, then delivered at least once by the dispatcher. `dedupeKey` makes a second
 * write of the same effect a no-op, so retries of the cause never send twice.
 */
@Entity({ tableName: 'outbox_message' })
@Index({
  name: 'outbox_message_lane_due_idx',
  properties: ['lane', 'availableAt'],
  expression:
    'create index "outbox_message_lane_due_idx" on "outbox_message" ("lane", "available_at") where "delivered_at" is null and "dead_at" is null',
})
@Index({
  name: 'outbox_message_due_idx',
  properties: ['availableAt'],
  expression:
    'create index "outbox_message_due_idx" on "outbox_message" ("available_at") where "delivered_at" is null and "dead_at" is null',
})
export class OutboxMessage {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  /** What kind of effect this is, e.g. `order.updated`, `wecom.text`. Selects the delivery handler. */
  @Property({ type: 'text' })
  topic!: string;

  /** Delivered one call at a time, beside the other lanes: the topic, or one receiver of it. */
  @Property({ type: 'text' })
  lane!: string;

  @Unique({ name: 'outbox_message_dedupe_key_unique' })
  @Property({ type: 'text' })
  dedupeKey!: string;

  @Property({ type: 'jsonb' })
  payload!: Record<string, unknown>;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  createdAt!: Date;

  /**
   * Not before this time: pushed forward by the retry backoff after a failed attempt, and past the
   * lease while a worker delivers it.
   */
  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  availableAt!: Date;

  @Property({ type: 'integer', default: 0 })
  attempts!: number;

  @Property({ type: 'text', nullable: true })
  lastError!: string | null;

  /** When the receiver accepted it. */
  @Property({ type: 'timestamptz', nullable: true })
  deliveredAt!: Date | null;

  /** Which process delivered it, for the audit trail. */
  @Property({ type: 'text', nullable: true })
  deliveredBy!: string | null;

  /** Set when retries are exhausted; the message stays for an operator to inspect. */
  @Property({ type: 'timestamptz', nullable: true })
  deadAt!: Date | null;
}
