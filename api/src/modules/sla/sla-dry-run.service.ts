import type pg from 'pg';
import { SLA_CLOSED_STATES } from '../../domain/sla/fulfilment-rank.js';
import { type DryRunOrder, dryRunPolicy } from '../../domain/sla/sla-dry-run.js';
import type { SlaPolicyDraft } from '../../domain/sla/sla-policy.js';
import { SLA_ORDER_COLUMNS, type SlaOrderRow, toSlaSnapshot } from './sla-order-row.js';
import { loadActivePolicies, policyKeyOf } from './sla-policy.store.js';

/** Orders are read in pages of this many, so an answer over a large pool stays in bounded memory. */
const PAGE_SIZE = 5000;
/** How many overdue orders the answer lists. */
export const DRY_RUN_LISTED = 200;

export interface SlaDryRunListed {
  orderId: string;
  channelOrderNo: string;
  stage: string;
  deadline: Date;
  level: number;
  overdueMinutes: number;
}

export interface SlaDryRunReport {
  /** Open orders the draft would govern. */
  evaluated: number;
  /** Of those, how many would be past their deadline now. */
  overdue: number;
  byLevel: { level: number; count: number }[];
  /** The most overdue first, at most `DRY_RUN_LISTED`. */
  orders: SlaDryRunListed[];
}

/**
 * "If this version were live now": every open order of the draft's business type is judged
 * against it, counting only those the draft would govern beside the other active policies (the
 * active version of the same key is the one it replaces). Nothing is written.
 */
export async function dryRunSlaPolicy(
  pool: pg.Pool,
  draft: SlaPolicyDraft,
  now: Date,
): Promise<SlaDryRunReport> {
  const key = policyKeyOf(draft);
  const others = (await loadActivePolicies(pool)).filter((p) => p.key !== key).map((p) => p.draft);
  const byLevel = new Map<number, number>();
  let evaluated = 0;
  let overdue = 0;
  let listed: SlaDryRunListed[] = [];
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await pool.query<SlaOrderRow>(
      `select ${SLA_ORDER_COLUMNS} from orders
        where business_type = $1 and state <> all($2::text[]) and id > $3
          and ($4::text is null or channel = $4) and ($5::text is null or group_id = $5)
        order by id limit $6`,
      [draft.businessType, [...SLA_CLOSED_STATES], after, draft.channel, draft.groupId, PAGE_SIZE],
    );
    if (rows.length === 0) break;
    after = rows[rows.length - 1].id;
    const numbers = new Map(rows.map((r) => [r.id, r.channel_order_no]));
    const orders: DryRunOrder[] = rows.map((r) => ({ ...toSlaSnapshot(r), orderId: r.id }));
    const page = dryRunPolicy(draft, orders, now, { otherPolicies: others });
    evaluated += page.evaluated;
    overdue += page.overdue.length;
    for (const [level, count] of Object.entries(page.byLevel))
      byLevel.set(Number(level), (byLevel.get(Number(level)) ?? 0) + count);
    listed = [
      ...listed,
      ...page.overdue
        .slice(0, DRY_RUN_LISTED)
        .map((o) => ({ ...o, channelOrderNo: numbers.get(o.orderId) ?? '' })),
    ]
      .sort((a, b) => a.deadline.getTime() - b.deadline.getTime() || a.orderId.localeCompare(b.orderId))
      .slice(0, DRY_RUN_LISTED);
    if (rows.length < PAGE_SIZE) break;
  }
  return {
    evaluated,
    overdue,
    byLevel: [...byLevel.entries()].sort(([a], [b]) => a - b).map(([level, count]) => ({ level, count })),
    orders: listed,
  };
}
