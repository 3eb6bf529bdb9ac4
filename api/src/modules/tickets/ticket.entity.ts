import { Entity, Index, PrimaryKey, Property, Unique } from '@mikro-orm/core';
import type { TicketState } from '../../domain/ticket/ticket-lifecycle.js';

/**
 * A work ticket opened by the SLA sweep for an order that ran late. There is at most one per
 * order, stage and escalation level: the sweep inserts it in the transaction that applies the
 * level, and the unique constraint refuses a second.
 */
@Entity({ tableName: 'ticket' })
@Unique({ name: 'ticket_order_stage_level_unique', properties: ['orderId', 'stage', 'level'] })
@Index({ name: 'ticket_created_idx', properties: ['createdAt', 'id'] })
@Index({ name: 'ticket_group_created_idx', properties: ['groupId', 'createdAt', 'id'] })
@Index({ name: 'ticket_assignee_created_idx', properties: ['assigneeUserId', 'createdAt', 'id'] })
export class Ticket {
  /** Time-ordered (UUID v7) when the sweep opens it. */
  @PrimaryKey({ type: 'uuid', defaultRaw: 'gen_random_uuid()' })
  id!: string;

  @Property({ type: 'uuid' })
  orderId!: string;

  /** The SLA stage that ran late, e.g. `PICKING@PAID_AT`. */
  @Property({ type: 'text' })
  stage!: string;

  /** The escalation level that opened it: 1 the owner's, 2 the supervisor's. */
  @Property({ type: 'integer' })
  level!: number;

  /** The stage deadline the order missed. */
  @Property({ type: 'timestamptz' })
  deadline!: Date;

  @Property({ type: 'text', nullable: true })
  groupId!: string | null;

  @Property({ type: 'text', nullable: true })
  assigneeUserId!: string | null;

  @Property({ type: 'text', nullable: true })
  assigneeName!: string | null;

  @Property({ type: 'text' })
  state!: TicketState;

  @Property({ type: 'text', nullable: true })
  resolution!: string | null;

  @Property({ type: 'timestamptz' })
  createdAt!: Date;

  @Property({ type: 'timestamptz' })
  updatedAt!: Date;

  @Property({ type: 'timestamptz', nullable: true })
  acknowledgedAt!: Date | null;

  /** Username, or `system`. */
  @Property({ type: 'text', nullable: true })
  acknowledgedBy!: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  resolvedAt!: Date | null;

  @Property({ type: 'text', nullable: true })
  resolvedBy!: string | null;

  @Property({ type: 'timestamptz', nullable: true })
  escalatedAt!: Date | null;

  /** The supervisor's ticket that took this one over. */
  @Property({ type: 'uuid', nullable: true })
  escalatedToTicketId!: string | null;
}
