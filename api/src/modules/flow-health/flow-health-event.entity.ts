import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/core';
import type { RoutingMode } from '../../domain/routing/parse-health.js';

export type FlowHealthTrigger = 'AUTOMATIC' | 'MANUAL';

/** What the address-parse rate was when routing changed mode, kept with the change. */
export interface ParseHealthSnapshot {
  windowMinutes: number;
  threshold: number;
  minSamples: number;
  /** Absent in changes recorded before channels paused on their own. */
  platformMinChannels?: number;
  overall: { total: number; ok: number; rate: number | null };
  byChannel: Record<string, { total: number; ok: number; rate: number | null }>;
}

/**
 * History of routing pauses and resumes, of the whole platform or of one channel: who or what
 * changed it, when and why. Append-only.
 */
@Entity({ tableName: 'flow_health_event' })
@Index({ name: 'flow_health_event_occurred_idx', properties: ['occurredAt'] })
export class FlowHealthEvent {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'timestamptz' })
  occurredAt!: Date;

  /** The channel whose routing changed; null for the whole platform. */
  @Property({ type: 'text', nullable: true })
  channel!: string | null;

  @Property({ type: 'text' })
  fromMode!: RoutingMode;

  @Property({ type: 'text' })
  toMode!: RoutingMode;

  @Property({ type: 'text' })
  trigger!: FlowHealthTrigger;

  /** `system`, or the username of the member of staff. */
  @Property({ type: 'text' })
  actor!: string;

  /** The staff user id for a manual change. */
  @Property({ type: 'text', nullable: true })
  actorId!: string | null;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'jsonb' })
  parseHealth!: ParseHealthSnapshot;

  /** The alert text for the operations group (markdown), sent or, without a group, only recorded. */
  @Property({ type: 'text' })
  alert!: string;

  /** `OPS_WECOM` when queued for the operations group, `NOT_CONFIGURED` when there is none. */
  @Property({ type: 'text' })
  alertTarget!: string;

  /** Orders released from `ROUTING_PAUSED` and routed again after a resume. */
  @Property({ type: 'integer', nullable: true })
  reroutedOrders!: number | null;
}
