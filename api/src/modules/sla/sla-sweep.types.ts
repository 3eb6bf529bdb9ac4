import type { WecomMessage } from '../../domain/wecom/wecom-message.js';
import type { LiveEvent } from '../../infra/pubsub/live-events.js';
import type { OrderClock } from '../orders/order-store.js';
import type { ActiveSlaPolicy } from './sla-policy.store.js';

/** What the sweep needs of a processing group. Mobiles go only into WeCom mention lists. */
export interface SlaGroup {
  id: string;
  ownerUserId: string | null;
  ownerName: string | null;
  ownerMobile: string | null;
  supervisorUserId: string | null;
  supervisorName: string | null;
  supervisorMobile: string | null;
  wecomWebhookUrl: string | null;
}

/** Read once per sweep run and shared by its batches. */
export interface SweepContext {
  policies: readonly ActiveSlaPolicy[];
  groups: ReadonlyMap<string, SlaGroup>;
  /** The operations team's robot, for `NOTIFY_OPS`; null when none is configured. */
  opsWebhookUrl: string | null;
  /**
   * An order that arrived already late by less than this (and still open) is reminded as usual;
   * later ones are only recorded (see `late-on-arrival.ts`). @default DEFAULT_RECENT_LATE_MINUTES
   */
  recentLateMinutes?: number;
}

export interface SlaHistoryRow {
  orderId: string;
  type: string;
  idempotencyKey: string;
  occurredAt: Date;
  reason: string;
  payload: Record<string, unknown>;
}

/**
 * A WeCom message an applied level sends. The batch's reminders for one robot go out together as
 * digests (`reminderDigests`), and only those whose level's history row is new: that row's unique
 * key is what makes a level act once.
 */
export interface SlaReminder {
  webhookUrl: string;
  message: WecomMessage;
  /** This reminder's own key, e.g. `sla:<orderId>:<stage>:<level>:REMIND_OWNER`; a digest starts with it. */
  dedupeKey: string;
  purpose: string;
  orderId: string;
  /** The idempotency key of the level's history row (`sla:<stage>:L<level>`). */
  historyKey: string;
}

export interface TicketDraft {
  id: string;
  orderId: string;
  channel: string;
  channelOrderNo: string;
  stage: string;
  level: number;
  deadline: Date;
  groupId: string | null;
  assigneeUserId: string | null;
  assigneeName: string | null;
  /** The supervisor takes over: the stage's lower open tickets become ESCALATED to this one. */
  escalates: boolean;
}

/** Everything one order's judgement writes, all in the sweep's transaction. */
export interface OrderSweepPlan {
  orderId: string;
  /** The clock to store on the order (written by the orders module, `writeOrderClocks`). */
  order: OrderClock;
  /** The stage the order has moved past, to close in `sla_stage_record` with the level it reached. */
  closeStage: { stage: string; finishedAt: Date; maxLevel: number } | null;
  /**
   * The current stage's record, inserted or brought up to date when the stage, its deadline or its
   * policy changed; null otherwise. A level applied to an open stage is kept on the order
   * (`escalation_level`) and written to the record when the stage closes.
   */
  upsertStage: {
    stage: string;
    groupId: string | null;
    ownerId: string | null;
    startedAt: Date;
    deadline: Date;
    maxLevel: number;
    policyKey: string;
    policyVersion: number;
    /** The deadline had passed before the order arrived. */
    lateOnArrival: boolean;
    /** Set when the stage is recorded already finished (a delivery the clock never timed live). */
    finishedAt: Date | null;
  } | null;
  /** A late stage the order left: its unresolved tickets are closed by the system. */
  resolveTicketsOf: string | null;
  history: SlaHistoryRow[];
  tickets: TicketDraft[];
  /** WeCom messages, sent as the batch's digests; `ticket.raised` follows from the tickets inserted. */
  reminders: SlaReminder[];
  /** The `orderUpdated` event when the abnormal flag changed; a batch's events share one message. */
  orderUpdated: LiveEvent<'ORDER_UPDATED'> | null;
  levelsApplied: number;
  recovered: boolean;
}
