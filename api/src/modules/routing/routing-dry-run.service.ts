import type pg from 'pg';
import { compileRuleSet } from '../../domain/routing/compile-rule-set.js';
import {
  type DryRunMove,
  type DryRunTransition,
  dryRunRuleSet,
  type OpenOrderPlacement,
} from '../../domain/routing/routing-dry-run.js';
import type { RuleSet } from '../../domain/routing/routing-rule.js';
import { type OrderColumn, type OrderRowOf, orderColumns } from '../orders/order-row.js';
import { CLOSED_STATES } from './reroute.service.js';
import type { RoutingState } from './routing-rules.store.js';

export interface DryRunMoveRow extends DryRunMove {
  channelOrderNo: string;
}

export interface OpenOrdersDryRun {
  /** Open orders with a group, routed by the proposal. */
  evaluated: number;
  movedCount: number;
  /** The first `movedLimit` moves, in order id order. */
  moved: DryRunMoveRow[];
  byTransition: DryRunTransition[];
  ruleHits: Record<string, number>;
  /** Open orders without a group (held): a rule change alone does not move them. */
  unassigned: number;
  /** The active version the proposal was compared with. */
  baseVersion: number;
}

const PAGE_SIZE = 5000;

/** The order columns the dry run reads, from the orders module's row. */
const PLACED_COLUMNS = [
  'id',
  'channel_order_no',
  'channel',
  'business_type',
  'total_cents',
  'region',
  'group_id',
] as const satisfies readonly OrderColumn[];

/**
 * "This rule set would move these N open orders": routes every open order that has a group by
 * the proposed rule set, page by page, with the region stored on the order.
 */
export async function dryRunOpenOrders(
  pool: pg.Pool,
  current: RoutingState,
  proposed: RuleSet,
  movedLimit = 200,
): Promise<OpenOrdersDryRun> {
  const compiled = compileRuleSet(proposed);
  const result: OpenOrdersDryRun = {
    evaluated: 0,
    movedCount: 0,
    moved: [],
    byTransition: [],
    ruleHits: {},
    unassigned: 0,
    baseVersion: current.version,
  };
  const transitions = new Map<string, DryRunTransition>();
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    // Open orders with a group only (the query says so): `group_id` is never null here.
    const { rows } = await pool.query<
      OrderRowOf<typeof PLACED_COLUMNS> & { group_id: string; categories: string[] }
    >(
      `select ${orderColumns(PLACED_COLUMNS)},
              coalesce(array(select e->>'category' from jsonb_array_elements(items) e), '{}') as categories
         from orders
        where id > $1 and state <> all($2::text[]) and group_id is not null
        order by id limit $3`,
      [after, CLOSED_STATES, PAGE_SIZE],
    );
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    const numbers = new Map(rows.map((r) => [r.id, r.channel_order_no]));
    const placements: OpenOrderPlacement[] = rows.map((r) => ({
      orderId: r.id,
      currentGroupId: r.group_id,
      channel: r.channel,
      businessType: r.business_type,
      amountCents: Number(r.total_cents),
      categories: r.categories,
      region: r.region && {
        provinceCode: r.region.provinceCode,
        cityCode: r.region.cityCode,
        districtCode: r.region.districtCode,
      },
    }));
    const page = dryRunRuleSet(current.compiled, compiled, placements);
    result.evaluated += page.evaluated;
    result.movedCount += page.moved.length;
    for (const move of page.moved) {
      if (result.moved.length >= movedLimit) break;
      result.moved.push({ ...move, channelOrderNo: numbers.get(move.orderId) ?? '' });
    }
    for (const t of page.byTransition) {
      const key = JSON.stringify([t.fromGroupId, t.toGroupId]);
      const held = transitions.get(key);
      if (held) held.count += t.count;
      else transitions.set(key, { ...t });
    }
    for (const [ruleId, count] of Object.entries(page.ruleHits))
      result.ruleHits[ruleId] = (result.ruleHits[ruleId] ?? 0) + count;
    if (rows.length < PAGE_SIZE) break;
  }
  if (result.evaluated === 0) {
    for (const { rule } of compiled.rules) result.ruleHits[rule.id] = 0;
    result.ruleHits.DEFAULT = 0;
  }
  result.byTransition = [...transitions.values()].sort(
    (a, b) =>
      b.count - a.count ||
      a.fromGroupId.localeCompare(b.fromGroupId) ||
      a.toGroupId.localeCompare(b.toGroupId),
  );
  const { rows } = await pool.query<{ n: number }>(
    'select count(*)::int as n from orders where state <> all($1::text[]) and group_id is null',
    [CLOSED_STATES],
  );
  result.unassigned = rows[0].n;
  return result;
}
