import { formatChineseDuration, staffStatusLabel } from '../../domain/order/order-labels.js';
import type { EventSource, OrderState } from '../../domain/order/order-types.js';
import {
  FRESHNESS_MIN_SHARE,
  type FreshnessEvent,
  type FreshnessStat,
  freshnessStats,
  type Period,
} from '../../domain/sla/sla-report.js';
import type { SqlExecutor } from '../../infra/outbox/outbox.js';
import { percent } from '../flow-health/flow-health-alert.js';

/**
 * The order event types that tell the platform an order reached a stage of the freshness targets.
 * The carrier's first scan (TMS_PICKED_UP, 揽收) is TMS's "shipped"; the warehouse's own
 * WMS_SHIPPED is measured too, under source WMS.
 */
export const FRESHNESS_EVENT_STAGES: Readonly<Record<string, OrderState>> = {
  ORDER_CREATED: 'CREATED',
  PAYMENT_CONFIRMED: 'PAID',
  WMS_ACCEPTED: 'WAREHOUSE_ACCEPTED',
  WMS_SHIPPED: 'SHIPPED',
  TMS_PICKED_UP: 'SHIPPED',
};

/** Marks the rows of orders that arrived already paid: the channel's paid time against intake. */
const PAID_AT_INTAKE = 'PAID_AT_INTAKE';

/**
 * Every report received in `period` that moved, or would have moved, an order to one of the
 * stages (refused reports excepted: they told nothing), with when it happened at the source and
 * when it arrived. An order that arrives already paid also counts once for PAID, from its paid time
 * at the channel to its intake.
 */
export async function loadFreshnessEvents(db: SqlExecutor, period: Period): Promise<FreshnessEvent[]> {
  const { rows } = (await db.query(
    `with received as materialized (
       select order_id, type, source, occurred_at, received_at, to_state
         from order_event
        where received_at >= $1 and received_at < $2 and type = any($3::text[]) and outcome <> 'REJECTED'
     )
     select type, source, occurred_at, received_at from received
     union all
     select '${PAID_AT_INTAKE}', r.source, o.paid_at, r.received_at
       from received r join orders o on o.id = r.order_id
      where r.type = 'ORDER_CREATED' and r.to_state is distinct from 'CREATED' and o.paid_at is not null`,
    [period.from, period.to, Object.keys(FRESHNESS_EVENT_STAGES)],
  )) as { rows: { type: string; source: EventSource; occurred_at: Date; received_at: Date }[] };
  return rows.map((r) => ({
    stage: r.type === PAID_AT_INTAKE ? 'PAID' : FRESHNESS_EVENT_STAGES[r.type],
    source: r.source,
    occurredAt: r.occurred_at,
    receivedAt: r.received_at,
  }));
}

/** Lag per stage and source over `period`, against the customer's targets. */
export async function loadFreshness(db: SqlExecutor, period: Period): Promise<FreshnessStat[]> {
  return freshnessStats(await loadFreshnessEvents(db, period));
}

/**
 * `BEHIND` / `OK` once a targeted stage and source has at least `minSamples` reports in the
 * window; `UNDECIDED` below that (a handful of late reports is no trend) or without a target.
 */
export type FreshnessVerdict = 'BEHIND' | 'OK' | 'UNDECIDED';

export function freshnessVerdict(stat: FreshnessStat, minSamples: number): FreshnessVerdict {
  if (stat.targetSeconds === null || stat.shareWithinTarget === null || stat.count < minSamples)
    return 'UNDECIDED';
  return stat.behind ? 'BEHIND' : 'OK';
}

const SOURCE_LABELS: Readonly<Record<string, string>> = {
  CHANNEL: '销售渠道',
  PAYMENT: '支付',
  WMS: '仓库',
  TMS: '快递',
};

/** "支付(PAYMENT)「已付款」" */
export function freshnessSubject(stat: Pick<FreshnessStat, 'stage' | 'source'>): string {
  const source = SOURCE_LABELS[stat.source] ? `${SOURCE_LABELS[stat.source]}(${stat.source})` : stat.source;
  return `${source}「${staffStatusLabel(stat.stage)}」`;
}

/** "45秒", "12分钟", "1小时5分钟" */
export function formatLag(seconds: number | null): string {
  if (seconds === null) return '—';
  return seconds < 60 ? `${Math.round(seconds)}秒` : formatChineseDuration(seconds / 60);
}

/** The figures behind a verdict, in one line: count, share within target, percentiles. */
export function freshnessFigures(stat: FreshnessStat, windowMinutes: number): string {
  return `近 ${windowMinutes} 分钟 ${stat.count} 条，${formatLag(stat.targetSeconds)}内送达 ${percent(
    stat.shareWithinTarget ?? 0,
  )}（目标 ≥ ${percent(FRESHNESS_MIN_SHARE)}），延迟 P50 ${formatLag(stat.p50Seconds)} · P90 ${formatLag(
    stat.p90Seconds,
  )} · 最长 ${formatLag(stat.maxSeconds)}`;
}

/** A line of the flow-health problems list for a stage and source that is behind. */
export function freshnessProblem(stat: FreshnessStat, windowMinutes: number): string {
  return `${freshnessSubject(stat)}状态回传落后：${freshnessFigures(stat, windowMinutes)}。订单状态与超时判断因此滞后：请检查 ${stat.source} 的推送与对接队列。`;
}
