import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * One order's pass through one SLA stage, written by the SLA sweep: inserted when the stage's
 * clock starts, updated when its deadline or policy changes, and closed (`finishedAt`, `maxLevel`)
 * once the order has moved past it. While the stage is open the level reached is the order's
 * `escalation_level`. The timeout reports read this table, and the order for open stages.
 */
@Entity({ tableName: 'sla_stage_record' })
@Unique({ name: 'sla_stage_record_order_stage_unique', properties: ['orderId', 'stage'] })
@Index({ name: 'sla_stage_record_finished_idx', properties: ['finishedAt'] })
@Index({ name: 'sla_stage_record_deadline_idx', properties: ['deadline'] })
export class SlaStageRecord {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'uuid' })
  orderId!: string;

  /** `TARGET@FROM`, e.g. `PICKING@PAID_AT`. */
  @Property({ type: 'text' })
  stage!: string;

  @Property({ type: 'text', nullable: true })
  groupId!: string | null;

  @Property({ type: 'text', nullable: true })
  ownerId!: string | null;

  @Property({ type: 'timestamptz' })
  startedAt!: Date;

  @Property({ type: 'timestamptz' })
  deadline!: Date;

  /** When the order moved past the stage; null while it is still in it. */
  @Property({ type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;

  /** The highest escalation level applied during the stage, complete once it is finished; 0 when it never ran late. */
  @Property({ type: 'integer', default: 0 })
  maxLevel!: number;

  /**
   * The deadline had already passed when the order arrived (a backfill, a catch-up after an
   * outage). The stage counts as late all the same; whether anyone was reminded is in the history.
   */
  @Property({ type: 'boolean', default: false })
  lateOnArrival!: boolean;

  @Property({ type: 'text' })
  policyKey!: string;

  @Property({ type: 'integer' })
  policyVersion!: number;
}
