import type pg from 'pg';
import { staffStatusLabel } from '../../domain/order/order-labels.js';
import { ORDER_STATES, type OrderState } from '../../domain/order/order-types.js';
import {
  type HandlingSummary,
  type Period,
  type StageHandlingRow,
  summariseHandling,
} from '../../domain/sla/sla-report.js';

/** One line of the timeout report: a stage handled by one group and owner. */
export interface TimeoutReportRow extends HandlingSummary {
  /** The stage in words, e.g. "付款 → 仓库已接单". */
  stageLabel: string;
  groupName: string | null;
  ownerName: string | null;
}

export interface TimeoutReport {
  period: Period;
  generatedAt: Date;
  rows: TimeoutReportRow[];
}

export interface TimeoutReportOptions {
  /** Only these processing groups; null or empty for all. */
  groupIds?: readonly string[] | null;
  /**
   * `rows` reads the stage rows and aggregates them with `summariseHandling`; `sql` aggregates in
   * the database. `auto` (default) aggregates in the database for periods longer than
   * {@link ROW_AGGREGATION_MAX_DAYS}.
   */
  strategy?: 'auto' | 'rows' | 'sql';
}

/** Periods up to this many days are aggregated from their rows; longer ones in the database. */
export const ROW_AGGREGATION_MAX_DAYS = 3;
const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Per stage × group × owner over `period`: stages finished in it (on time or late), handling
 * minutes, escalations, and stages still open past their deadline at the period end (or `now`, if
 * earlier). "Late" has one definition, `summariseHandling`'s: finished after the deadline, or still
 * open past it at the cut-off; the database aggregation applies the same predicates (see
 * {@link STAGE_SELECTION}) and the integration tests check the two agree.
 */
export async function loadTimeoutReport(
  pool: pg.Pool,
  period: Period,
  now: Date,
  options: TimeoutReportOptions = {},
): Promise<TimeoutReport> {
  const groupIds = options.groupIds && options.groupIds.length > 0 ? [...options.groupIds] : null;
  const strategy = options.strategy ?? 'auto';
  const long = period.to.getTime() - period.from.getTime() > ROW_AGGREGATION_MAX_DAYS * DAY_MS;
  const summaries =
    strategy === 'sql' || (strategy === 'auto' && long)
      ? await aggregateInDatabase(pool, period, now, groupIds)
      : summariseHandling(await loadStageRows(pool, period, now, groupIds), period, now);
  return { period, generatedAt: now, rows: await withNames(pool, summaries) };
}

/**
 * The rows `summariseHandling` counts: finished within the period, or still open at the cut-off
 * (`$3`, the earlier of the period end and now) with the deadline before it. Parameters: `$1`
 * period start, `$2` period end, `$3` cut-off, `$4` group ids or null.
 */
const STAGE_SELECTION = `
  from sla_stage_record r
  left join orders o on r.finished_at is null and o.id = r.order_id and o.escalation_stage = r.stage
 where ((r.finished_at >= $1 and r.finished_at < $2)
        or ((r.finished_at is null or r.finished_at >= $3) and r.deadline < $3))
   and ($4::text[] is null or r.group_id = any($4::text[]))`;

/** The level a stage reached: written when it closed; while open, the order's current level. */
const LEVEL_REACHED = 'greatest(coalesce(r.max_level, 0), coalesce(o.escalation_level, 0))';

interface StageRecordRow {
  stage: string;
  group_id: string | null;
  owner_id: string | null;
  started_at: Date;
  deadline: Date;
  finished_at: Date | null;
  max_level: number | null;
}

/** Reads the stage rows of the period in one statement. */
export async function loadStageRows(
  pool: pg.Pool,
  period: Period,
  now: Date,
  groupIds: readonly string[] | null = null,
): Promise<StageHandlingRow[]> {
  const { rows } = await pool.query<StageRecordRow>(
    `select r.stage, r.group_id, r.owner_id, r.started_at, r.deadline, r.finished_at, ${LEVEL_REACHED} as max_level
     ${STAGE_SELECTION}`,
    [period.from, period.to, cutoffOf(period, now), groupIds],
  );
  return rows.map((r) => ({
    stage: r.stage,
    groupId: r.group_id,
    ownerId: r.owner_id,
    startedAt: r.started_at,
    deadline: r.deadline,
    finishedAt: r.finished_at,
    escalations: r.max_level ?? 0,
  }));
}

/**
 * `summariseHandling` as one aggregate query: the same selection, the same on-time rule (finished
 * at or before the deadline), the average over handled stages and the nearest-rank p90
 * (`percentile_disc`, not the interpolating `percentile_cont`), both rounded to 0.1 min.
 */
async function aggregateInDatabase(
  pool: pg.Pool,
  period: Period,
  now: Date,
  groupIds: readonly string[] | null,
): Promise<HandlingSummary[]> {
  const { rows } = await pool.query<{
    stage: string;
    group_id: string | null;
    owner_id: string | null;
    handled: string;
    on_time: string;
    late: string;
    open_overdue: string;
    avg_minutes: string | null;
    p90_minutes: string | null;
    escalations: string;
  }>(
    `with selected as (
       select r.stage, r.group_id, r.owner_id, r.deadline, r.finished_at, ${LEVEL_REACHED} as escalations,
              coalesce(r.finished_at >= $1 and r.finished_at < $2, false) as handled,
              extract(epoch from r.finished_at - r.started_at) * 1000 / 60000 as minutes
         ${STAGE_SELECTION}
     )
     select stage, group_id, owner_id,
            count(*) filter (where handled) as handled,
            count(*) filter (where handled and finished_at <= deadline) as on_time,
            count(*) filter (where handled and finished_at > deadline) as late,
            count(*) filter (where not handled) as open_overdue,
            avg(minutes) filter (where handled) as avg_minutes,
            percentile_disc(0.9) within group (order by minutes) filter (where handled) as p90_minutes,
            sum(escalations) as escalations
       from selected
      group by stage, group_id, owner_id`,
    [period.from, period.to, cutoffOf(period, now), groupIds],
  );
  const summaries = rows.map(
    (r): HandlingSummary => ({
      stage: r.stage,
      groupId: r.group_id,
      ownerId: r.owner_id,
      handled: Number(r.handled),
      onTime: Number(r.on_time),
      late: Number(r.late),
      openOverdue: Number(r.open_overdue),
      avgMinutes: r.avg_minutes === null ? null : round1(Number(r.avg_minutes)),
      p90Minutes: r.p90_minutes === null ? null : round1(Number(r.p90_minutes)),
      escalations: Number(r.escalations),
    }),
  );
  return summaries.sort(compareSummaries);
}

const cutoffOf = (period: Period, now: Date) => new Date(Math.min(period.to.getTime(), now.getTime()));
const round1 = (value: number) => Math.round(value * 10) / 10;
const compareText = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');
const compareSummaries = (a: HandlingSummary, b: HandlingSummary) =>
  compareText(a.stage, b.stage) || compareText(a.groupId, b.groupId) || compareText(a.ownerId, b.ownerId);

/** Adds the group and owner names, as they are now. */
export async function withNames(
  pool: pg.Pool,
  summaries: readonly HandlingSummary[],
): Promise<TimeoutReportRow[]> {
  const groupIds = [...new Set(summaries.map((s) => s.groupId).filter((id) => id !== null))];
  const ownerIds = [...new Set(summaries.map((s) => s.ownerId).filter((id) => id !== null))];
  const [groups, owners] = await Promise.all([
    groupIds.length === 0
      ? { rows: [] }
      : pool.query<{ id: string; name: string }>('select id, name from processing_group where id = any($1)', [
          groupIds,
        ]),
    ownerIds.length === 0
      ? { rows: [] }
      : pool.query<{ id: string; name: string }>(
          'select id::text as id, display_name as name from staff_user where id::text = any($1)',
          [ownerIds],
        ),
  ]);
  const groupName = new Map(groups.rows.map((g) => [g.id, g.name]));
  const ownerName = new Map(owners.rows.map((o) => [o.id, o.name]));
  return summaries.map((s) => ({
    ...s,
    stageLabel: stageLabel(s.stage),
    groupName: s.groupId === null ? null : (groupName.get(s.groupId) ?? null),
    ownerName: s.ownerId === null ? null : (ownerName.get(s.ownerId) ?? null),
  }));
}

const ANCHOR_LABELS: Readonly<Record<string, string>> = {
  PAID_AT: '付款',
  BALANCE_PAID_AT: '尾款付清',
  PROMISED_SHIP_AT: '承诺发货时间',
  PROMISED_DELIVERY_AT: '承诺送达时间',
};

/**
 * An SLA stage name (`<target>@<from>`, e.g. `PICKING@PAID_AT`, `SHIPPED@STATE_ENTERED:PACKED`) in
 * words: "付款 → 拣货中", "已打包 → 已发货". Any other text is shown as it is.
 */
export function stageLabel(stage: string): string {
  const [target, from] = stage.split('@', 2);
  if (!isState(target) || from === undefined) return stage;
  const entered = from.startsWith('STATE_ENTERED:') ? from.slice('STATE_ENTERED:'.length) : null;
  const start =
    entered !== null ? (isState(entered) ? staffStatusLabel(entered) : null) : ANCHOR_LABELS[from];
  return start ? `${start} → ${staffStatusLabel(target)}` : stage;
}

const isState = (text: string | undefined): text is OrderState =>
  text !== undefined && (ORDER_STATES as readonly string[]).includes(text);
