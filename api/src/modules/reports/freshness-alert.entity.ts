import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';

export type FreshnessAlertState = 'BEHIND' | 'RECOVERED';

/**
 * History of status sources falling behind their freshness target and recovering, one row per
 * change, with the alert for the operations group. The latest row of a stage and source is its
 * current state (none: not behind). Append-only.
 */
@Entity({ tableName: 'freshness_alert' })
@Index({ name: 'freshness_alert_source_idx', properties: ['stage', 'source', 'occurredAt'] })
export class FreshnessAlert {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  /** The order state the reports are about: CREATED, PAID, WAREHOUSE_ACCEPTED or SHIPPED. */
  @Property({ type: 'text' })
  stage!: string;

  /** CHANNEL, PAYMENT, WMS or TMS. */
  @Property({ type: 'text' })
  source!: string;

  @Property({ type: 'text' })
  state!: FreshnessAlertState;

  /** The figures the change was decided on, over the last `windowMinutes`. */
  @Property({ type: 'integer' })
  windowMinutes!: number;

  @Property({ type: 'integer' })
  sampleCount!: number;

  @Property({ type: 'double precision', nullable: true })
  shareWithinTarget!: number | null;

  @Property({ type: 'double precision', nullable: true, fieldName: 'p90_seconds' })
  p90Seconds!: number | null;

  @Property({ type: 'integer' })
  targetSeconds!: number;

  /** The alert text for the operations group (markdown). */
  @Property({ type: 'text' })
  alert!: string;

  /**
   * `OPS_WECOM` when queued for the operations group, `DUPLICATE` when the same source, state and
   * hour had already been alerted, `NOT_CONFIGURED` when there is no operations group robot.
   */
  @Property({ type: 'text' })
  alertTarget!: string;
}
