import type { CompiledRuleSet } from './compile-rule-set.js';
import { routeOrder } from './route-order.js';
import { DEFAULT_HIT_KEY, type RoutableOrder } from './routing-rule.js';

export interface OpenOrderPlacement extends RoutableOrder {
  orderId: string;
  /** Where the order sits now, whoever put it there. */
  currentGroupId: string;
}

export interface DryRunMove {
  orderId: string;
  fromGroupId: string;
  toGroupId: string;
  /** The proposed rule that takes the order; `null` when it falls to the default group. */
  ruleId: string | null;
  reason: string;
  /**
   * Whether the current rule set also puts the order where it sits. `false` means it got there
   * another way (moved by hand, or routed under an older version): applying would override that.
   */
  placedByCurrentRules: boolean;
}

export interface DryRunTransition {
  fromGroupId: string;
  toGroupId: string;
  count: number;
}

export interface DryRunReport {
  evaluated: number;
  moved: DryRunMove[];
  /** Moves grouped by from → to, largest first. */
  byTransition: DryRunTransition[];
  /** Orders the proposed set gives to each enabled rule, and to `DEFAULT`; a rule hitting 0 is listed. */
  ruleHits: Record<string, number>;
}

/** "This rule set would move these 40 open orders": routes every open order by the proposal. */
export function dryRunRuleSet(
  current: CompiledRuleSet,
  proposed: CompiledRuleSet,
  openOrders: readonly OpenOrderPlacement[],
): DryRunReport {
  const ruleHits: Record<string, number> = {};
  for (const { rule } of proposed.rules) ruleHits[rule.id] = 0;
  ruleHits[DEFAULT_HIT_KEY] = 0;

  const moved: DryRunMove[] = [];
  const transitions = new Map<string, DryRunTransition>();
  for (const order of openOrders) {
    const decision = routeOrder(proposed, order);
    ruleHits[decision.ruleId ?? DEFAULT_HIT_KEY]++;
    if (decision.groupId === order.currentGroupId) continue;

    moved.push({
      orderId: order.orderId,
      fromGroupId: order.currentGroupId,
      toGroupId: decision.groupId,
      ruleId: decision.ruleId,
      reason: decision.reason,
      placedByCurrentRules: routeOrder(current, order).groupId === order.currentGroupId,
    });
    const key = JSON.stringify([order.currentGroupId, decision.groupId]);
    const transition = transitions.get(key);
    if (transition) transition.count++;
    else transitions.set(key, { fromGroupId: order.currentGroupId, toGroupId: decision.groupId, count: 1 });
  }

  const byTransition = [...transitions.values()].sort(
    (a, b) =>
      b.count - a.count ||
      a.fromGroupId.localeCompare(b.fromGroupId) ||
      a.toGroupId.localeCompare(b.toGroupId),
  );
  return { evaluated: openOrders.length, moved, byTransition, ruleHits };
}
