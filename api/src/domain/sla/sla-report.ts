import type { EventSource, OrderState } from '../order/order-types.js';

const MINUTE_MS = 60_000;

/** One order's pass through one stage, as the timeout report reads it. */
export interface StageHandlingRow {
  stage: string;
  groupId: string | null;
  ownerId: string | null;
  startedAt: Date;
  /** When the stage's target was reached; null while still open. */
  finishedAt: Date | null;
  deadline: Date;
  /** Escalation levels applied during the stage. */
  escalations: number;
}

export interface HandlingSummary {
  stage: string;
  groupId: string | null;
  ownerId: string | null;
  /** Stages finished within the period: `onTime + late`. */
  handled: number;
  onTime: number;
  late: number;
  /** Still open at the end of the period (or now, if earlier) and already past the deadline. */
  openOverdue: number;
  /** Over handled stages, start to finish, to 0.1 min; null when none were handled. */
  avgMinutes: number | null;
  p90Minutes: number | null;
  /** Escalations on the rows counted here (handled and open overdue). */
  escalations: number;
}

/** A half-open interval `[from, to)`. */
export interface Period {
  from: Date;
  to: Date;
}

/**
 * Per stage × group × owner: how many stages were finished in the period, on time or late, how
 * long they took, and which overdue ones are still open. A stage finishing exactly at its deadline
 * is on time. Open overdue rows are counted whatever their deadline day: a backlog stays visible
 * until it is handled.
 */
export function summariseHandling(
  rows: readonly StageHandlingRow[],
  period: Period,
  now: Date,
): HandlingSummary[] {
  const cutoff = Math.min(period.to.getTime(), now.getTime());
  const groups = new Map<string, { summary: HandlingSummary; minutes: number[] }>();
  for (const row of rows) {
    const finished = row.finishedAt?.getTime() ?? null;
    const handled = finished !== null && finished >= period.from.getTime() && finished < period.to.getTime();
    const openOverdue = (finished === null || finished >= cutoff) && row.deadline.getTime() < cutoff;
    if (!handled && !openOverdue) continue;
    const key = JSON.stringify([row.stage, row.groupId, row.ownerId]);
    let group = groups.get(key);
    if (!group) {
      group = { summary: emptySummary(row), minutes: [] };
      groups.set(key, group);
    }
    const { summary } = group;
    summary.escalations += row.escalations;
    if (!handled) {
      summary.openOverdue++;
      continue;
    }
    summary.handled++;
    if (finished! <= row.deadline.getTime()) summary.onTime++;
    else summary.late++;
    group.minutes.push((finished! - row.startedAt.getTime()) / MINUTE_MS);
  }
  return [...groups.values()]
    .map(({ summary, minutes }) => {
      if (minutes.length === 0) return summary;
      const sum = minutes.reduce((total, value) => total + value, 0);
      return {
        ...summary,
        avgMinutes: round1(sum / minutes.length),
        p90Minutes: round1(percentile(minutes.sort(ascending), 0.9)!),
      };
    })
    .sort(compareSummaries);
}

function emptySummary(row: StageHandlingRow): HandlingSummary {
  return {
    stage: row.stage,
    groupId: row.groupId,
    ownerId: row.ownerId,
    handled: 0,
    onTime: 0,
    late: 0,
    openOverdue: 0,
    avgMinutes: null,
    p90Minutes: null,
    escalations: 0,
  };
}

const compareText = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');
const compareSummaries = (a: HandlingSummary, b: HandlingSummary) =>
  compareText(a.stage, b.stage) || compareText(a.groupId, b.groupId) || compareText(a.ownerId, b.ownerId);

/** Nearest-rank percentile (`p` in 0..1) of values sorted ascending; null for none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.max(0, Math.ceil(p * sorted.length) - 1)];
}

const ascending = (a: number, b: number) => a - b;

const round1 = (value: number) => Math.round(value * 10) / 10;

/** How fast a source must report that an order reached a state. */
export interface FreshnessTarget {
  stage: OrderState;
  source: EventSource;
  targetSeconds: number;
}

/** The customer's targets: created in real time (60 s), payment ≤ 5 min, accepted ≤ 30 min, shipped ≤ 1 h. */
export const FRESHNESS_TARGETS: readonly FreshnessTarget[] = [
  { stage: 'CREATED', source: 'CHANNEL', targetSeconds: 60 },
  { stage: 'PAID', source: 'PAYMENT', targetSeconds: 5 * 60 },
  { stage: 'WAREHOUSE_ACCEPTED', source: 'WMS', targetSeconds: 30 * 60 },
  { stage: 'SHIPPED', source: 'TMS', targetSeconds: 60 * 60 },
];

/** A stage+source is behind when fewer than this share of its events arrived within target. */
export const FRESHNESS_MIN_SHARE = 0.9;

export interface FreshnessEvent {
  stage: OrderState;
  source: EventSource;
  occurredAt: Date;
  receivedAt: Date;
}

export interface FreshnessStat {
  stage: OrderState;
  source: EventSource;
  count: number;
  p50Seconds: number | null;
  p90Seconds: number | null;
  maxSeconds: number | null;
  /** Null when no target is set for this stage+source. */
  targetSeconds: number | null;
  /** Share (0..1) of events received within target; null without a target or without events. */
  shareWithinTarget: number | null;
  behind: boolean;
}

/**
 * Lag from when a thing happened to when the platform heard of it, per stage+source. Every
 * target appears, even without events (count 0, not behind); stage+sources without a target follow.
 * A negative lag (clock skew between systems) counts as 0.
 */
export function freshnessStats(
  rows: readonly FreshnessEvent[],
  targets: readonly FreshnessTarget[] = FRESHNESS_TARGETS,
): FreshnessStat[] {
  const lags = new Map<string, { stage: OrderState; source: EventSource; seconds: number[] }>();
  const keyOf = (stage: OrderState, source: EventSource) => `${stage}/${source}`;
  for (const { stage, source } of targets) lags.set(keyOf(stage, source), { stage, source, seconds: [] });
  const untargeted: string[] = [];
  for (const row of rows) {
    const key = keyOf(row.stage, row.source);
    let group = lags.get(key);
    if (!group) {
      group = { stage: row.stage, source: row.source, seconds: [] };
      lags.set(key, group);
      untargeted.push(key);
    }
    group.seconds.push(Math.max(0, (row.receivedAt.getTime() - row.occurredAt.getTime()) / 1000));
  }
  untargeted.sort();
  const targetOf = new Map(
    targets.map((target) => [keyOf(target.stage, target.source), target.targetSeconds]),
  );
  const keys = [...targets.map((target) => keyOf(target.stage, target.source)), ...untargeted];
  return [...new Set(keys)].map((key) => {
    const { stage, source, seconds } = lags.get(key)!;
    seconds.sort(ascending);
    const targetSeconds = targetOf.get(key) ?? null;
    const share =
      targetSeconds === null || seconds.length === 0
        ? null
        : seconds.filter((lag) => lag <= targetSeconds).length / seconds.length;
    return {
      stage,
      source,
      count: seconds.length,
      p50Seconds: percentile(seconds, 0.5),
      p90Seconds: percentile(seconds, 0.9),
      maxSeconds: percentile(seconds, 1),
      targetSeconds,
      shareWithinTarget: share,
      behind: share !== null && share < FRESHNESS_MIN_SHARE,
    };
  });
}
