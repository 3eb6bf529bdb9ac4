import { computeClock, policyApplies, type SlaOrderSnapshot, selectPolicy } from './sla-clock.js';
import type { SlaPolicyDraft, StageName } from './sla-policy.js';

export type DryRunOrder = SlaOrderSnapshot & { orderId: string };

export interface DryRunOverdue {
  orderId: string;
  stage: StageName;
  deadline: Date;
  /** The escalation level that would be due now under this version (0 if past the deadline but before level 1). */
  level: number;
  overdueMinutes: number;
}

export interface DryRunResult {
  /** Open orders this version would time (in scope, and not taken by a more specific policy). */
  evaluated: number;
  /** Orders past their deadline under this version, most overdue first. */
  overdue: DryRunOverdue[];
  /** Count of overdue orders per level. */
  byLevel: Record<number, number>;
}

export interface DryRunOptions {
  /**
   * The other live policies (without the one the draft replaces). When given, an order counts
   * only if the draft would be the policy selected for it.
   */
  otherPolicies?: readonly SlaPolicyDraft[];
}

/**
 * If this draft were live now, which open orders would be overdue and at which level. Levels are
 * counted from the deadline alone: what was already applied under the old version does not matter.
 */
export function dryRunPolicy(
  draft: SlaPolicyDraft,
  openOrders: readonly DryRunOrder[],
  now: Date,
  options: DryRunOptions = {},
): DryRunResult {
  const candidates = options.otherPolicies ? [draft, ...options.otherPolicies] : null;
  const result: DryRunResult = { evaluated: 0, overdue: [], byLevel: {} };
  for (const order of openOrders) {
    const governed = candidates ? selectPolicy(candidates, order) === draft : policyApplies(draft, order);
    if (!governed) continue;
    result.evaluated++;
    const clock = computeClock(order, draft, now);
    if (!clock.stage || !clock.deadline || clock.deadline.getTime() > now.getTime()) continue;
    result.overdue.push({
      orderId: order.orderId,
      stage: clock.stage,
      deadline: clock.deadline,
      level: clock.dueLevel,
      overdueMinutes: clock.overdueMinutes,
    });
    result.byLevel[clock.dueLevel] = (result.byLevel[clock.dueLevel] ?? 0) + 1;
  }
  result.overdue.sort((a, b) => a.deadline.getTime() - b.deadline.getTime());
  return result;
}
