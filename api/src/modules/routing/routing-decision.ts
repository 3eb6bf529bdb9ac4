import type pg from 'pg';
import type { OrderAddressParse, OrderRegion } from '../orders/order.entity.js';

/** Why an order is held back from processing instead of being routed to a group. */
export const HOLD_REASONS = [
  'ADDRESS_UNPARSED',
  'ADDRESS_LOW_CONFIDENCE',
  'ADDRESS_DATA_UNAVAILABLE',
  'ROUTING_PAUSED',
] as const;
export type HoldReason = (typeof HOLD_REASONS)[number];

/** Where routing puts one order, or why it holds it, with the parsed region. */
export interface OrderRoutingDecision {
  region: OrderRegion | null;
  addressParse: OrderAddressParse;
  /** Null exactly when the order is held. */
  groupId: string | null;
  /** The group's owner, when it has one. */
  ownerId: string | null;
  holdReason: HoldReason | null;
  /** The rule that took the order, `DEFAULT` for the default group; null when held. */
  ruleId: string | null;
  /** For operators, in Chinese; never contains the address or the buyer. */
  reason: string;
}

/** One order written by intake, by its position in the submitted list. */
export interface IntakeWritten {
  index: number;
  channel: string;
  outcome: 'CREATED' | 'UPDATED';
  /** Whether this write routed it (a new order, or a re-sent one that had no group yet). */
  routed: boolean;
}

/** What intake writes with the orders: one decision per order, and statistics in the same transaction. */
export interface IntakeRoutingPlan {
  /** Aligned with the orders handed to intake. */
  decisions: readonly OrderRoutingDecision[];
  record(tx: pg.PoolClient, written: readonly IntakeWritten[]): Promise<void>;
}

/**
 * The routing columns of a batch as SQL parameters: each distinct decision once (orders of one
 * region and rule share one), and its 1-based position per row, null where routing did not run.
 * Few distinct decisions repeat across a batch, so few jsonb values are sent and parsed.
 */
export function decisionTable(rows: readonly (OrderRoutingDecision | undefined)[]): {
  positions: (number | null)[];
  columns: [
    (string | null)[],
    string[],
    (string | null)[],
    (string | null)[],
    (string | null)[],
    (string | null)[],
    string[],
  ];
} {
  const at = new Map<OrderRoutingDecision, number>();
  const columns: ReturnType<typeof decisionTable>['columns'] = [[], [], [], [], [], [], []];
  const [regions, parses, groups, owners, holds, rules, reasons] = columns;
  const positions = rows.map((decision) => {
    if (decision === undefined) return null;
    let position = at.get(decision);
    if (position === undefined) {
      position = regions.push(decision.region ? JSON.stringify(decision.region) : null);
      parses.push(JSON.stringify(decision.addressParse));
      groups.push(decision.groupId);
      owners.push(decision.ownerId);
      holds.push(decision.holdReason);
      rules.push(decision.ruleId);
      reasons.push(decision.reason);
      at.set(decision, position);
    }
    return position;
  });
  return { positions, columns };
}
