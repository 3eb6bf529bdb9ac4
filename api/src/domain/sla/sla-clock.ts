import type { BusinessType, Channel, OrderState } from '../order/order-types.js';
import { fulfilmentRank, SLA_CLOSED_STATES } from './fulfilment-rank.js';
import {
  fromState,
  type SlaEscalationStep,
  type SlaPolicyDraft,
  type SlaPolicyScope,
  type SlaStage,
  type StageName,
  stageName,
} from './sla-policy.js';

const MINUTE_MS = 60_000;

/** What the SLA rules need to know about an order. */
export interface SlaOrderSnapshot {
  state: OrderState;
  businessType: BusinessType;
  channel: Channel;
  groupId?: string | null;
  paidAt?: Date | null;
  balancePaidAt?: Date | null;
  promisedShipAt?: Date | null;
  /** The delivery time the channel promised the buyer; not one the SLA policy derived. */
  promisedDeliveryAt?: Date | null;
  /** When the order entered each state it has been in. */
  stateEnteredAt: Partial<Record<OrderState, Date>>;
  /** The highest escalation level already applied in `escalationStage`. */
  escalationLevel: number;
  /**
   * The stage `escalationLevel` was reached in. When given and different from the active stage,
   * a new clock has started and the applied level counts as 0. When absent, the caller has
   * already reset the level on stage change.
   */
  escalationStage?: StageName | null;
}

export interface SlaClock {
  /** The active stage; null when no clock runs (closed order, nothing left, anchor unknown). */
  stage: StageName | null;
  stageStartedAt: Date | null;
  deadline: Date | null;
  /**
   * The next moment the sweep must look at this order: when the next escalation level after the
   * applied one falls due (level 1 is usually at the deadline). May lie in the past when the
   * sweep is behind. Null when nothing further can happen in this stage.
   */
  nextCheckAt: Date | null;
  /** The highest escalation level due at `now`; 0 when not late. */
  dueLevel: number;
  /** Whole minutes past the deadline; 0 when not late. */
  overdueMinutes: number;
}

/** The stage an order is being timed in, with its instants. */
export interface ActiveStage {
  stage: SlaStage;
  name: StageName;
  startedAt: Date;
  deadline: Date;
}

const NO_CLOCK: SlaClock = {
  stage: null,
  stageStartedAt: null,
  deadline: null,
  nextCheckAt: null,
  dueLevel: 0,
  overdueMinutes: 0,
};

export function computeClock(order: SlaOrderSnapshot, policy: SlaPolicyDraft, now: Date): SlaClock {
  const active = activeStage(order, policy);
  if (!active) return NO_CLOCK;
  const applied = appliedLevel(order, active.name);
  const next = policy.escalation[applied];
  return {
    stage: active.name,
    stageStartedAt: active.startedAt,
    deadline: active.deadline,
    nextCheckAt: next ? levelDueAt(active.deadline, next) : null,
    dueLevel: dueLevel(active.deadline, policy.escalation, now),
    overdueMinutes: Math.max(0, Math.floor((now.getTime() - active.deadline.getTime()) / MINUTE_MS)),
  };
}

/**
 * The first stage, in policy order, whose target the order has not reached and whose anchor it
 * knows; null for a closed order or when no stage qualifies (e.g. not yet paid).
 */
export function activeStage(order: SlaOrderSnapshot, policy: SlaPolicyDraft): ActiveStage | null {
  if (SLA_CLOSED_STATES.has(order.state)) return null;
  const rank = fulfilmentRank(order.state);
  if (rank === null) return null;
  for (const stage of policy.stages) {
    if (rank >= fulfilmentRank(stage.target)!) continue;
    const anchor = anchorOf(order, stage);
    if (!anchor) continue;
    return {
      stage,
      name: stageName(stage),
      startedAt: anchor.startedAt,
      deadline: deadlineOf(stage, anchor),
    };
  }
  return null;
}

/**
 * `countsFrom` is what the deadline is relative to; `startedAt` is when the clock began. They
 * differ only for a promised ship or delivery time, which binds once the order is (fully) paid.
 */
export function anchorOf(
  order: SlaOrderSnapshot,
  stage: Pick<SlaStage, 'from'>,
): { startedAt: Date; countsFrom: Date } | null {
  const paidAt = order.paidAt ?? order.stateEnteredAt.PAID ?? null;
  const at = (instant: Date | null | undefined) =>
    instant ? { startedAt: instant, countsFrom: instant } : null;
  switch (stage.from) {
    case 'PAID_AT':
      return at(paidAt);
    case 'BALANCE_PAID_AT':
      return at(order.balancePaidAt);
    case 'PROMISED_SHIP_AT': {
      // A presale promise binds from the balance payment: a deposit alone starts no clock.
      const paid = order.businessType === 'PRESALE' ? order.balancePaidAt : paidAt;
      return order.promisedShipAt && paid ? { startedAt: paid, countsFrom: order.promisedShipAt } : null;
    }
    case 'PROMISED_DELIVERY_AT': {
      const paid = order.businessType === 'PRESALE' ? order.balancePaidAt : paidAt;
      return order.promisedDeliveryAt && paid
        ? { startedAt: paid, countsFrom: order.promisedDeliveryAt }
        : null;
    }
    default:
      return at(order.stateEnteredAt[fromState(stage.from)!]);
  }
}

/** The anchor plus the stage's allowance and minutes. */
export function deadlineOf(stage: SlaStage, anchor: { countsFrom: Date }): Date {
  const allowance = (stage.allowanceMinutes ?? 0) + stage.withinMinutes;
  return new Date(anchor.countsFrom.getTime() + allowance * MINUTE_MS);
}

/** The level already applied in `stage`: 0 when the stored level belongs to another stage. */
export function appliedLevel(order: SlaOrderSnapshot, stage: StageName): number {
  if (order.escalationStage != null && order.escalationStage !== stage) return 0;
  return order.escalationLevel;
}

export function levelDueAt(deadline: Date, step: SlaEscalationStep): Date {
  return new Date(deadline.getTime() + step.afterMinutes * MINUTE_MS);
}

function dueLevel(deadline: Date, chain: readonly SlaEscalationStep[], now: Date): number {
  let level = 0;
  chain.forEach((step, index) => {
    if (levelDueAt(deadline, step).getTime() <= now.getTime()) level = index + 1;
  });
  return level;
}

/** Whether a policy's scope covers the order. */
export function policyApplies(
  policy: SlaPolicyScope,
  order: Pick<SlaOrderSnapshot, 'businessType' | 'channel' | 'groupId'>,
): boolean {
  return (
    policy.businessType === order.businessType &&
    (policy.channel === null || policy.channel === order.channel) &&
    (policy.groupId === null || policy.groupId === (order.groupId ?? null))
  );
}

/** Group beats channel: a group's own rule is a deliberate operator choice for that team. */
function specificity(policy: SlaPolicyScope): number {
  return (policy.groupId !== null ? 2 : 0) + (policy.channel !== null ? 1 : 0);
}

/**
 * The most specific policy covering the order: type + channel + group, then type + group, then
 * type + channel, then type alone. Among equals the earliest in the list wins.
 */
export function selectPolicy<P extends SlaPolicyScope>(
  policies: readonly P[],
  order: Pick<SlaOrderSnapshot, 'businessType' | 'channel' | 'groupId'>,
): P | null {
  let best: P | null = null;
  for (const policy of policies) {
    if (!policyApplies(policy, order)) continue;
    if (best === null || specificity(policy) > specificity(best)) best = policy;
  }
  return best;
}
