import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, Int, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { staffStatusLabel } from '../../domain/order/order-labels.js';
import { isBusinessDate } from '../../domain/sla/business-time.js';
import { FRESHNESS_MIN_SHARE } from '../../domain/sla/sla-report.js';
import { PageInfo } from '../orders/order-connection.type.js';
import { loadFreshness } from './freshness.js';
import {
  FreshnessStatType,
  StatusFreshnessType,
  TimeoutReportRowType,
  TimeoutReportSnapshotConnection,
  TimeoutReportSnapshotEdge,
  TimeoutReportSnapshotType,
  TimeoutReportType,
} from './report.types.js';
import { REPORT_READERS } from './report-access.js';
import { parseReportPeriod } from './report-period.js';
import { loadTimeoutReport, type TimeoutReportRow } from './timeout-report.js';
import { listTimeoutSnapshots } from './timeout-report-snapshot.js';

/** A week: with each day's rows, a page stays within the default query cost limit. */
const DEFAULT_SNAPSHOTS = 7;
const MAX_SNAPSHOTS = 100;
const MAX_GROUP_IDS = 200;
/** Freshness is read from the event history; a longer period is a job for the daily reports. */
const MAX_FRESHNESS_DAYS = 31;

const PERIOD_HELP =
  'A Shanghai business day YYYY-MM-DD (`from` at 00:00, `to` through 24:00, both inclusive) or an ISO 8601 instant with an offset (`to` exclusive).';

const badInput = (argument: string, message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });

@Resolver()
export class ReportResolver {
  @Authorized(...REPORT_READERS)
  @Query(() => TimeoutReportType, {
    description:
      'SLA timeout report per stage, processing group and owner: handled, on time, late, average and p90 handling minutes, escalations, open overdue (OPS, SUPERVISOR). Also as CSV: GET /reports/timeout.csv?from=…&to=….',
  })
  async timeoutReport(
    @Arg('from', () => String, { description: PERIOD_HELP }) from: string,
    @Arg('to', () => String, { description: PERIOD_HELP }) to: string,
    @Arg('groupIds', () => [String], { nullable: true, description: 'Only these processing groups.' })
    groupIds: string[] | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TimeoutReportType> {
    const parsed = parseReportPeriod(from, to);
    if (!parsed.ok) throw badInput(parsed.argument, parsed.message);
    if (groupIds && groupIds.length > MAX_GROUP_IDS)
      throw badInput('groupIds', `groupIds: at most ${MAX_GROUP_IDS} groups.`);
    const report = await loadTimeoutReport(ctx.pool, parsed.period, ctx.now, { groupIds });
    return Object.assign(new TimeoutReportType(), {
      from: report.period.from,
      to: report.period.to,
      generatedAt: report.generatedAt,
      rows: report.rows.map(toRowType),
    });
  }

  @Authorized(...REPORT_READERS)
  @Query(() => TimeoutReportSnapshotConnection, {
    description: `The timeout report of each past business day, as stored shortly after the day ended, newest first. At most ${MAX_SNAPSHOTS} per page (OPS, SUPERVISOR).`,
  })
  async timeoutReportSnapshots(
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_SNAPSHOTS }) first: number | null,
    @Arg('after', () => String, { nullable: true, description: 'A cursor (day) from an earlier page.' })
    after: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TimeoutReportSnapshotConnection> {
    const size = first ?? DEFAULT_SNAPSHOTS;
    if (!Number.isInteger(size) || size < 0 || size > MAX_SNAPSHOTS)
      throw badInput('first', `first must be from 0 to ${MAX_SNAPSHOTS}, got ${size}.`);
    if (after != null && !isBusinessDate(after))
      throw badInput(
        'after',
        'after is not a cursor returned by this API (use an `endCursor` or edge `cursor`).',
      );
    const page = await listTimeoutSnapshots(ctx.pool, { first: size, after: after ?? null });
    const edges = page.snapshots.map((snapshot) =>
      Object.assign(new TimeoutReportSnapshotEdge(), {
        cursor: snapshot.day,
        node: Object.assign(new TimeoutReportSnapshotType(), {
          day: snapshot.day,
          generatedAt: snapshot.generatedAt,
          rows: snapshot.rows.map(toRowType),
        }),
      }),
    );
    return Object.assign(new TimeoutReportSnapshotConnection(), {
      edges,
      pageInfo: Object.assign(new PageInfo(), {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      }),
    });
  }

  @Authorized(...REPORT_READERS)
  @Query(() => StatusFreshnessType, {
    description: `How late each source reports orders reaching each stage, over reports received in the period: p50/p90/max lag from occurredAt at the source to receivedAt here, and the share within target. At most ${MAX_FRESHNESS_DAYS} days (OPS, SUPERVISOR).`,
  })
  async statusFreshness(
    @Arg('from', () => String, { description: PERIOD_HELP }) from: string,
    @Arg('to', () => String, { description: PERIOD_HELP }) to: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<StatusFreshnessType> {
    const parsed = parseReportPeriod(from, to, MAX_FRESHNESS_DAYS);
    if (!parsed.ok) throw badInput(parsed.argument, parsed.message);
    const stats = await loadFreshness(ctx.pool, parsed.period);
    return Object.assign(new StatusFreshnessType(), {
      from: parsed.period.from,
      to: parsed.period.to,
      minShare: FRESHNESS_MIN_SHARE,
      stats: stats.map((stat) =>
        Object.assign(new FreshnessStatType(), { ...stat, stageLabel: staffStatusLabel(stat.stage) }),
      ),
    });
  }
}

const toRowType = (row: TimeoutReportRow): TimeoutReportRowType =>
  Object.assign(new TimeoutReportRowType(), row);
