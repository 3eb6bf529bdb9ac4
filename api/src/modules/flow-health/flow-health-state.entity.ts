import { Check, Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import type { RoutingMode } from '../../domain/routing/parse-health.js';

/**
 * Whether routing assigns new orders (`ACTIVE`) or holds them with `ROUTING_PAUSED` (`PAUSED`).
 * One row, id 1, read by order intake; changed only by the flow-health check and by operators,
 * each change recorded in `flow_health_event`.
 */
@Entity({ tableName: 'flow_health_state' })
@Check({ name: 'flow_health_state_single_row', expression: 'id = 1' })
export class FlowHealthState {
  @PrimaryKey({ type: 'integer', autoincrement: false })
  id!: number;

  /** An enum to the schema: a check constraint MikroORM reads back as the same enum. */
  @Enum({ items: ['ACTIVE', 'PAUSED'] satisfies RoutingMode[], default: 'ACTIVE' })
  routingMode!: RoutingMode;

  /** Why the mode is what it is, in words an operator can act on; null before the first change. */
  @Property({ type: 'text', nullable: true })
  reason!: string | null;

  /** When the mode last changed; null when it never has. */
  @Property({ type: 'timestamptz', nullable: true })
  changedAt!: Date | null;

  /** `system` for the automatic check, else the staff username. */
  @Property({ type: 'text', nullable: true })
  changedBy!: string | null;

  /** Whether the current pause may end on its own once parsing recovers (false after a manual pause). */
  @Property({ type: 'boolean', default: true })
  autoResume!: boolean;

  /** Last run of the automatic check, so a stopped checker shows. */
  @Property({ type: 'timestamptz', nullable: true })
  lastCheckedAt!: Date | null;
}
