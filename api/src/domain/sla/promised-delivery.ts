import { anchorOf, deadlineOf, type SlaOrderSnapshot } from './sla-clock.js';
import { type SlaPolicyDraft, type SlaStage, type StageName, stageName } from './sla-policy.js';

/**
 * The merchant's delivery promise to the buyer. It is not the carrier's estimate: a shipment's
 * ETA (`domain/tracking/eta.ts`) says when the parcel will probably arrive, the promise says when
 * it should have arrived, and late delivery is judged against the promise only.
 */
export const PROMISE_SOURCES = ['CHANNEL', 'SLA_POLICY'] as const;
export type PromiseSource = (typeof PROMISE_SOURCES)[number];

export interface DeliveryPromise {
  at: Date;
  /** CHANNEL: the channel's payload carried it; SLA_POLICY: the policy's DELIVERED stage gave it. */
  source: PromiseSource;
}

const isPolicyPromise = (stage: SlaStage) =>
  stage.target === 'DELIVERED' && stage.from !== 'PROMISED_DELIVERY_AT';

/**
 * The promise the order carries: the channel's when its payload had one; else the deadline of the
 * first DELIVERED stage of the policy whose anchor the order knows (e.g. 3 days after shipping
 * is known only once shipped); else none.
 */
export function deliveryPromise(
  order: SlaOrderSnapshot,
  policy: SlaPolicyDraft | null,
): DeliveryPromise | null {
  if (order.promisedDeliveryAt) return { at: order.promisedDeliveryAt, source: 'CHANNEL' };
  for (const stage of policy?.stages ?? []) {
    if (!isPolicyPromise(stage)) continue;
    const anchor = anchorOf(order, stage);
    if (anchor) return { at: deadlineOf(stage, anchor), source: 'SLA_POLICY' };
  }
  return null;
}

/** How a delivered order fared against its delivery stage. */
export interface DeliveryVerdict {
  stage: StageName;
  startedAt: Date;
  deadline: Date;
  deliveredAt: Date;
  /** Delivered after the deadline; exactly at it is on time. */
  late: boolean;
}

/**
 * The delivery stage a delivered order was timed by (the first DELIVERED stage, in policy order,
 * whose anchor it knows, as the clock chose it while the parcel was out), judged at the moment
 * it was delivered. Null before delivery or when the policy times no delivery for it.
 */
export function deliveryVerdict(
  order: SlaOrderSnapshot,
  policy: SlaPolicyDraft | null,
): DeliveryVerdict | null {
  const deliveredAt = order.state === 'DELIVERED' ? order.stateEnteredAt.DELIVERED : undefined;
  if (!deliveredAt || !policy) return null;
  for (const stage of policy.stages) {
    if (stage.target !== 'DELIVERED') continue;
    const anchor = anchorOf(order, stage);
    if (!anchor) continue;
    const deadline = deadlineOf(stage, anchor);
    return {
      stage: stageName(stage),
      startedAt: anchor.startedAt,
      deadline,
      deliveredAt,
      late: deliveredAt.getTime() > deadline.getTime(),
    };
  }
  return null;
}
