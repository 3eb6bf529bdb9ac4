import { Entity, Enum, PrimaryKey, Property } from '@mikro-orm/core';
import type { Channel } from '../../domain/order/order-types.js';
import type { RoutingMode } from '../../domain/routing/parse-health.js';

/**
 * Whether routing assigns new orders of one channel (`ACTIVE`) or holds them with `ROUTING_PAUSED`
 * (`PAUSED`), apart from the whole platform's mode in `flow_health_state`. One row per channel,
 * created on first use; a channel without a row is ACTIVE. Changed only by the flow-health check
 * and by operators, each change recorded in `flow_health_event` with the channel.
 */
@Entity({ tableName: 'channel_routing_state' })
export class ChannelRoutingState {
  @PrimaryKey({ type: 'text' })
  channel!: Channel;

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
}
