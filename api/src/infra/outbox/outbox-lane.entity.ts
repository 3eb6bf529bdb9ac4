import { Entity, PrimaryKey, Property } from '@mikro-orm/core';

/** The circuit breaker of one outbox lane (see `circuit-breaker.ts`); no row means closed. */
@Entity({ tableName: 'outbox_lane' })
export class OutboxLane {
  @PrimaryKey({ type: 'text' })
  lane!: string;

  @Property({ type: 'text' })
  topic!: string;

  @Property({ type: 'integer', default: 0 })
  consecutiveFailures!: number;

  /** Nothing is sent in this lane until then. */
  @Property({ type: 'timestamptz', nullable: true })
  openUntil!: Date | null;

  @Property({ type: 'text', nullable: true })
  lastError!: string | null;

  @Property({ type: 'timestamptz', defaultRaw: 'now()' })
  changedAt!: Date;
}
