import type { BusinessType, Channel, OrderState } from '../order/order-types.js';
import type { FulfilmentState } from './fulfilment-rank.js';

/**
 * Named instants a stage can count from, besides "the order entered state X".
 * - `PAID_AT`: the (full or deposit) payment of the order.
 * - `BALANCE_PAID_AT`: the balance payment of a presale order.
 * - `PROMISED_SHIP_AT`: the ship date promised to the buyer. Unlike the others it is not a start
 *   but the deadline itself: `withinMinutes` is a grace after the promise (usually 0).
 * - `PROMISED_DELIVERY_AT`: the delivery time the channel promised the buyer; like
 *   `PROMISED_SHIP_AT`, the deadline itself. A stage from any other anchor with target DELIVERED
 *   is the policy's own promise for orders whose channel gave none (see `promised-delivery.ts`).
 */
export const SLA_ANCHORS = [
  'PAID_AT',
  'BALANCE_PAID_AT',
  'PROMISED_SHIP_AT',
  'PROMISED_DELIVERY_AT',
] as const;

export type SlaAnchor = (typeof SLA_ANCHORS)[number];

export const STATE_ENTERED_PREFIX = 'STATE_ENTERED:';

/** What a stage's clock counts from: a named anchor, or `STATE_ENTERED:<STATE>`. */
export type SlaFrom = SlaAnchor | `STATE_ENTERED:${OrderState}`;

/** What may happen when an escalation level falls due. */
export const SLA_ACTIONS = [
  'FLAG_ABNORMAL',
  'REMIND_OWNER',
  'OPEN_TICKET',
  'ESCALATE_SUPERVISOR',
  'NOTIFY_OPS',
] as const;
export type SlaAction = (typeof SLA_ACTIONS)[number];

/** Upper bound for every duration in a policy: 30 days, in minutes. */
export const SLA_MAX_MINUTES = 30 * 24 * 60;

/** One deadline: the order must reach `target` within `withinMinutes` of `from`. */
export interface SlaStage {
  /** The state the clock waits for; the stage ends once the order reaches it (or goes beyond). */
  target: FulfilmentState;
  from: SlaFrom;
  /** Minutes after the anchor (after the promise, for `PROMISED_SHIP_AT` and `PROMISED_DELIVERY_AT`). */
  withinMinutes: number;
  /**
   * Extra minutes granted before `withinMinutes` starts counting, e.g. production time of a
   * CUSTOM item before it can be picked. Kept apart so operators see the two allowances. @default 0
   */
  allowanceMinutes?: number;
}

/**
 * One level of the escalation chain. Level n is `escalation[n - 1]`; it falls due `afterMinutes`
 * after the stage deadline (0 = at the deadline). Delays strictly increase along the chain.
 */
export interface SlaEscalationStep {
  afterMinutes: number;
  actions: readonly SlaAction[];
}

/** Which orders a policy applies to. `null` means "any". */
export interface SlaPolicyScope {
  businessType: BusinessType;
  channel: Channel | null;
  /** Processing group id. */
  groupId: string | null;
}

/** A policy's validated content, before it is stored as a version. */
export interface SlaPolicyDraft extends SlaPolicyScope {
  name: string;
  /**
   * Evaluated in order: the active stage is the first one whose target the order has not reached
   * and whose anchor it knows. Two stages may share a target with different anchors, the first
   * acting as the preferred one (PRESALE: the promised ship date when given, else the balance).
   */
  stages: readonly SlaStage[];
  escalation: readonly SlaEscalationStep[];
}

/**
 * Identifies a stage within a policy, e.g. `PICKING@PAID_AT`. Stored on the order beside the
 * escalation level: when the computed stage differs from the stored one, a new clock started and
 * the level counts from 0 again.
 */
export type StageName = `${FulfilmentState}@${SlaFrom}`;

export function stageName(stage: Pick<SlaStage, 'target' | 'from'>): StageName {
  return `${stage.target}@${stage.from}`;
}

/** The state a `STATE_ENTERED:` anchor names, or null for a named anchor. */
export function fromState(from: SlaFrom): OrderState | null {
  return from.startsWith(STATE_ENTERED_PREFIX)
    ? (from.slice(STATE_ENTERED_PREFIX.length) as OrderState)
    : null;
}

const AT_DEADLINE: SlaEscalationStep = {
  afterMinutes: 0,
  actions: ['FLAG_ABNORMAL', 'REMIND_OWNER', 'OPEN_TICKET'],
};
/**
 * Delivered by the time the channel promised the buyer. Without a channel promise the stage does
 * not run; an operator adds e.g. `DELIVERED` from `STATE_ENTERED:SHIPPED` within 3 days to give
 * every order a promise of the policy's own.
 */
const DELIVERY_AS_PROMISED: SlaStage = {
  target: 'DELIVERED',
  from: 'PROMISED_DELIVERY_AT',
  withinMinutes: 0,
};
const HOUR = 60;
const DAY = 24 * HOUR;

/**
 * Defaults for a Chinese merchant shipping from its own warehouse, one per business type. Level 1
 * (at the deadline) flags the order, reminds its owner on WeCom and opens a ticket; level 2 goes
 * to the group's supervisor.
 */
export const DEFAULT_SLA_POLICIES: readonly SlaPolicyDraft[] = [
  {
    name: '普通订单默认时效',
    businessType: 'NORMAL',
    channel: null,
    groupId: null,
    stages: [
      { target: 'WAREHOUSE_ACCEPTED', from: 'PAID_AT', withinMinutes: 30 },
      { target: 'PICKING', from: 'PAID_AT', withinMinutes: 2 * HOUR },
      { target: 'PACKED', from: 'PAID_AT', withinMinutes: 3 * HOUR },
      { target: 'SHIPPED', from: 'STATE_ENTERED:PACKED', withinMinutes: HOUR },
      DELIVERY_AS_PROMISED,
    ],
    // Picking due 2 h after payment, supervisor at 4 h.
    escalation: [AT_DEADLINE, { afterMinutes: 2 * HOUR, actions: ['ESCALATE_SUPERVISOR'] }],
  },
  {
    name: '预售订单默认时效',
    businessType: 'PRESALE',
    channel: null,
    groupId: null,
    stages: [
      { target: 'WAREHOUSE_ACCEPTED', from: 'BALANCE_PAID_AT', withinMinutes: HOUR },
      { target: 'SHIPPED', from: 'PROMISED_SHIP_AT', withinMinutes: 0 },
      { target: 'SHIPPED', from: 'BALANCE_PAID_AT', withinMinutes: 3 * DAY },
      DELIVERY_AS_PROMISED,
    ],
    escalation: [AT_DEADLINE, { afterMinutes: 2 * HOUR, actions: ['ESCALATE_SUPERVISOR'] }],
  },
  {
    name: '定制订单默认时效',
    businessType: 'CUSTOM',
    channel: null,
    groupId: null,
    stages: [
      { target: 'WAREHOUSE_ACCEPTED', from: 'PAID_AT', withinMinutes: HOUR },
      // Production (engraving, made to measure) before the item can be picked.
      { target: 'PICKING', from: 'PAID_AT', allowanceMinutes: 3 * DAY, withinMinutes: 2 * HOUR },
      { target: 'PACKED', from: 'STATE_ENTERED:PICKING', withinMinutes: 3 * HOUR },
      { target: 'SHIPPED', from: 'STATE_ENTERED:PACKED', withinMinutes: 2 * HOUR },
      DELIVERY_AS_PROMISED,
    ],
    escalation: [AT_DEADLINE, { afterMinutes: 4 * HOUR, actions: ['ESCALATE_SUPERVISOR'] }],
  },
];
