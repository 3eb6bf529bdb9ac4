import {
  alertsWithheld,
  DEFAULT_RECENT_LATE_MINUTES,
  type OrderArrival,
  passedBeforeArrival,
} from '../../domain/sla/late-on-arrival.js';
import {
  type DeliveryVerdict,
  deliveryPromise,
  deliveryVerdict,
} from '../../domain/sla/promised-delivery.js';
import { appliedLevel, computeClock, selectPolicy } from '../../domain/sla/sla-clock.js';
import { planEscalation } from '../../domain/sla/sla-escalation.js';
import type { SlaAction, StageName } from '../../domain/sla/sla-policy.js';
import { textMessage } from '../../domain/wecom/wecom-message.js';
import { timeOrderedUuid } from '../../infra/ids/time-ordered-uuid.js';
import type { LiveEvent } from '../../infra/pubsub/live-events.js';
import {
  deliveredLateReason,
  type LateOrder,
  lateOnArrivalReason,
  levelReason,
  NO_OPS_ROBOT_NOTE,
  NO_ROBOT_NOTE,
  opsNoticeText,
  ownerReminderText,
  recoveredReason,
  supervisorEscalationText,
} from './sla-messages.js';
import { type SlaOrderRow, toSlaSnapshot } from './sla-order-row.js';
import type { ActiveSlaPolicy } from './sla-policy.store.js';
import type { OrderSweepPlan, SlaGroup, SlaReminder, SweepContext } from './sla-sweep.types.js';

const MINUTE_MS = 60_000;

/**
 * Judges one claimed order at `now`: its clock under the policy that governs it now, the levels
 * due since the last applied one (each exactly once), and a recovery when it left a late stage.
 */
export function planOrderSweep(row: SlaOrderRow, context: SweepContext, now: Date): OrderSweepPlan {
  const snapshot = toSlaSnapshot(row);
  const policy = selectPolicy(context.policies, snapshot);
  const clock = policy ? computeClock(snapshot, policy.draft, now) : null;
  const plan = policy ? planEscalation(snapshot, policy.draft, now) : null;
  const stage: StageName | null = clock?.stage ?? null;
  const group = row.group_id ? (context.groups.get(row.group_id) ?? null) : null;
  const arrival: OrderArrival = { arrivedAt: row.created_at, backfill: row.backfill };
  const recentLate = context.recentLateMinutes ?? DEFAULT_RECENT_LATE_MINUTES;
  // A deadline past before the order arrived: recorded as late, its levels act on nothing.
  const withheld = clock?.deadline ? alertsWithheld(clock.deadline, arrival, recentLate) : false;
  const levels = withheld ? [] : (plan?.levelsToApply ?? []);
  const promise = deliveryPromise(snapshot, policy?.draft ?? null);
  const before = stage ? appliedLevel(snapshot, stage) : 0;
  const level = levels.length > 0 ? levels[levels.length - 1].level : before;

  const result: OrderSweepPlan = {
    orderId: row.id,
    order: {
      slaStage: stage,
      slaDeadline: clock?.deadline ?? null,
      nextCheckAt: withheld ? null : (plan?.nextCheckAt ?? null),
      escalationLevel: stage ? level : 0,
      escalationStage: stage && level > 0 ? stage : null,
      policyKey: policy?.key ?? null,
      policyVersion: policy?.version ?? null,
      abnormal: row.abnormal,
      policyPromisedDeliveryAt: promise?.source === 'SLA_POLICY' ? promise.at : null,
    },
    closeStage: null,
    upsertStage: null,
    resolveTicketsOf: null,
    history: [],
    tickets: [],
    reminders: [],
    orderUpdated: null,
    levelsApplied: levels.length,
    recovered: false,
  };

  if (row.sla_stage !== null && row.sla_stage !== stage)
    result.closeStage = {
      stage: row.sla_stage,
      finishedAt: finishedAt(snapshot.stateEnteredAt[row.state], now),
      maxLevel: row.escalation_stage === row.sla_stage ? row.escalation_level : 0,
    };
  const leftLateStage =
    row.escalation_stage !== null && row.escalation_level > 0 && row.escalation_stage !== stage;
  // Judged once, when the order is first seen delivered (its clock was running until then).
  const firstSeenDelivered = row.sla_stage !== null || row.sla_policy_key === null;
  const verdict = policy && firstSeenDelivered ? deliveryVerdict(snapshot, policy.draft) : null;
  const deliveredLate =
    verdict && policy ? judgeDelivery(result, row, verdict, arrival, recentLate, policy) : false;
  if (leftLateStage) recover(result, row, now, deliveredLate);

  if (stage && clock?.deadline && policy) {
    const changed =
      row.sla_stage !== stage ||
      row.sla_deadline?.getTime() !== clock.deadline.getTime() ||
      row.sla_policy_key !== policy.key ||
      row.sla_policy_version !== policy.version;
    if (changed)
      result.upsertStage = {
        stage,
        groupId: row.group_id,
        ownerId: row.owner_id,
        startedAt: clock.stageStartedAt ?? now,
        deadline: clock.deadline,
        maxLevel: level,
        policyKey: policy.key,
        policyVersion: policy.version,
        lateOnArrival: passedBeforeArrival(clock.deadline, arrival),
        finishedAt: null,
      };
    if (withheld && clock.deadline.getTime() <= now.getTime())
      result.history.push({
        orderId: row.id,
        type: 'SLA_LATE_ON_ARRIVAL',
        idempotencyKey: `sla:${stage}:late-on-arrival`,
        occurredAt: row.created_at,
        reason: lateOnArrivalReason(stage, clock.deadline, true),
        payload: {
          stage,
          deadline: clock.deadline.toISOString(),
          backfill: row.backfill,
          alertsWithheld: true,
        },
      });
    for (const due of levels) {
      const late: LateOrder = {
        channel: row.channel,
        channelOrderNo: row.channel_order_no,
        stage,
        deadline: clock.deadline,
        level: due.level,
        overdueMinutes: Math.max(0, Math.floor((now.getTime() - clock.deadline.getTime()) / MINUTE_MS)),
      };
      applyLevel(result, row, group, context, late, due.actions, due.dueAt, policy);
    }
  }

  if (result.order.abnormal !== row.abnormal)
    result.orderUpdated = orderUpdatedEvent(row, result.order.abnormal, now);
  return result;
}

/** The moment the order moved on: when it entered its current state, never later than now. */
function finishedAt(entered: Date | undefined, now: Date): Date {
  return entered && entered.getTime() <= now.getTime() ? entered : now;
}

/**
 * A delivered order against its delivery stage: the stage is recorded finished when the clock
 * never timed it live (the order went from an earlier stage straight to delivered); a delivery
 * after the deadline is written to the history and keeps the order flagged abnormal, unless the
 * deadline had passed before the order arrived and reminders are withheld for it.
 */
function judgeDelivery(
  result: OrderSweepPlan,
  row: SlaOrderRow,
  verdict: DeliveryVerdict,
  arrival: OrderArrival,
  recentLate: number,
  policy: ActiveSlaPolicy,
): boolean {
  const openOnArrival = verdict.deliveredAt.getTime() > arrival.arrivedAt.getTime();
  const withheld = alertsWithheld(verdict.deadline, arrival, recentLate, openOnArrival);
  if (row.sla_stage !== verdict.stage)
    result.upsertStage = {
      stage: verdict.stage,
      groupId: row.group_id,
      ownerId: row.owner_id,
      startedAt: verdict.startedAt,
      deadline: verdict.deadline,
      maxLevel: 0,
      policyKey: policy.key,
      policyVersion: policy.version,
      lateOnArrival: passedBeforeArrival(verdict.deadline, arrival),
      finishedAt: verdict.deliveredAt,
    };
  if (!verdict.late) return false;
  if (!withheld) result.order.abnormal = true;
  result.history.push({
    orderId: row.id,
    type: 'SLA_DELIVERED_LATE',
    idempotencyKey: `sla:${verdict.stage}:delivered-late`,
    occurredAt: verdict.deliveredAt,
    reason: deliveredLateReason(verdict.deadline, verdict.deliveredAt, withheld),
    payload: {
      stage: verdict.stage,
      deadline: verdict.deadline.toISOString(),
      deliveredAt: verdict.deliveredAt.toISOString(),
      lateMinutes: Math.floor((verdict.deliveredAt.getTime() - verdict.deadline.getTime()) / MINUTE_MS),
      alertsWithheld: withheld,
    },
  });
  return !withheld;
}

/** Leaving a late stage clears the abnormal flag, unless the order was just delivered late. */
function recover(result: OrderSweepPlan, row: SlaOrderRow, now: Date, keepAbnormal: boolean): void {
  const stage = row.escalation_stage!;
  const cleared = row.abnormal && !keepAbnormal;
  if (!keepAbnormal) result.order.abnormal = false;
  result.recovered = true;
  result.resolveTicketsOf = stage;
  result.history.push({
    orderId: row.id,
    type: 'SLA_RECOVERED',
    idempotencyKey: `sla:${stage}:recovered`,
    occurredAt: result.closeStage?.finishedAt ?? now,
    reason: recoveredReason(stage, cleared),
    payload: { stage, level: row.escalation_level, clearedAbnormal: cleared },
  });
}

function applyLevel(
  result: OrderSweepPlan,
  row: SlaOrderRow,
  group: SlaGroup | null,
  context: SweepContext,
  late: LateOrder,
  actions: readonly SlaAction[],
  dueAt: Date,
  policy: ActiveSlaPolicy,
): void {
  const notes: string[] = [];
  const has = (action: SlaAction) => actions.includes(action);
  const key = (action: SlaAction) => `sla:${row.id}:${late.stage}:${late.level}:${action}`;
  if (has('FLAG_ABNORMAL')) result.order.abnormal = true;
  const historyKey = `sla:${late.stage}:L${late.level}`;
  const reminder = (
    action: SlaAction,
    webhookUrl: string,
    text: string,
    mobile?: string | null,
  ): SlaReminder => ({
    webhookUrl,
    message: textMessage(text, { mentionedMobiles: mobile ? [mobile] : [] }),
    dedupeKey: key(action),
    purpose:
      action === 'REMIND_OWNER'
        ? 'sla-reminder'
        : action === 'NOTIFY_OPS'
          ? 'sla-ops-notice'
          : 'sla-escalation',
    orderId: row.id,
    historyKey,
  });
  const remind = (action: SlaAction, text: string, mobile: string | null | undefined) => {
    if (!group?.wecomWebhookUrl) {
      if (!notes.includes(NO_ROBOT_NOTE)) notes.push(NO_ROBOT_NOTE);
      return;
    }
    result.reminders.push(reminder(action, group.wecomWebhookUrl, text, mobile));
  };
  if (has('REMIND_OWNER')) remind('REMIND_OWNER', ownerReminderText(late), group?.ownerMobile);
  if (has('ESCALATE_SUPERVISOR'))
    remind('ESCALATE_SUPERVISOR', supervisorEscalationText(late), group?.supervisorMobile);
  if (has('NOTIFY_OPS')) {
    if (context.opsWebhookUrl)
      result.reminders.push(reminder('NOTIFY_OPS', context.opsWebhookUrl, opsNoticeText(late)));
    else notes.push(NO_OPS_ROBOT_NOTE);
  }
  if (has('OPEN_TICKET') || has('ESCALATE_SUPERVISOR')) {
    const supervisor = has('ESCALATE_SUPERVISOR');
    const ownerUserId = row.owner_id ?? group?.ownerUserId ?? null;
    result.tickets.push({
      id: timeOrderedUuid(),
      orderId: row.id,
      channel: row.channel,
      channelOrderNo: row.channel_order_no,
      stage: late.stage,
      level: late.level,
      deadline: late.deadline,
      groupId: row.group_id,
      assigneeUserId: supervisor ? (group?.supervisorUserId ?? null) : ownerUserId,
      assigneeName: supervisor
        ? (group?.supervisorName ?? null)
        : ownerUserId !== null && ownerUserId === group?.ownerUserId
          ? group.ownerName
          : null,
      escalates: supervisor,
    });
  }
  result.history.push({
    orderId: row.id,
    type: `SLA_LEVEL_${late.level}`,
    idempotencyKey: historyKey,
    occurredAt: dueAt,
    reason: levelReason(late, actions, notes),
    payload: {
      stage: late.stage,
      level: late.level,
      deadline: late.deadline.toISOString(),
      actions: [...actions],
      policyKey: policy.key,
      policyVersion: policy.version,
    },
  });
}

function orderUpdatedEvent(row: SlaOrderRow, abnormal: boolean, now: Date): LiveEvent<'ORDER_UPDATED'> {
  return {
    orderId: row.id,
    channel: row.channel,
    channelOrderNo: row.channel_order_no,
    state: row.state,
    previousState: row.state,
    groupId: row.group_id,
    abnormal,
    occurredAt: now.toISOString(),
  };
}
