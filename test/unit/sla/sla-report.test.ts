import { describe, expect, it } from 'vitest';
import {
  FRESHNESS_TARGETS,
  type FreshnessEvent,
  freshnessStats,
  type StageHandlingRow,
  summariseHandling,
} from '../../../api/src/domain/sla/sla-report.js';
import { sh } from './sla-fixtures.js';

const minutes = (start: Date, count: number) => new Date(start.getTime() + count * 60_000);
const seconds = (start: Date, count: number) => new Date(start.getTime() + count * 1000);

describe('summariseHandling', () => {
  const period = { from: sh('2025-11-11 00:00'), to: sh('2025-11-12 00:00') };
  const now = sh('2025-11-12 08:00');
  const start = sh('2025-11-11 10:00');
  /** A picking stage by owner u1 of g-east that took `took` minutes against a 60-minute deadline. */
  const handledIn = (took: number, escalations = 0): StageHandlingRow => ({
    stage: 'PICKING@PAID_AT',
    groupId: 'g-east',
    ownerId: 'u1',
    startedAt: start,
    finishedAt: minutes(start, took),
    deadline: minutes(start, 60),
    escalations,
  });

  it('counts on-time and late stages with their average and p90 per stage × group × owner', () => {
    const rows = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100].map((took) => handledIn(took, took > 60 ? 1 : 0));
    expect(summariseHandling(rows, period, now)).toEqual([
      {
        stage: 'PICKING@PAID_AT',
        groupId: 'g-east',
        ownerId: 'u1',
        handled: 10,
        onTime: 6,
        late: 4,
        openOverdue: 0,
        avgMinutes: 55,
        p90Minutes: 90,
        escalations: 4,
      },
    ]);
  });

  it('takes p90 by nearest rank and rounds to a tenth of a minute', () => {
    const rows = [1, 2, 3, 4.25].map((took) => handledIn(took));
    expect(summariseHandling(rows, period, now)[0]).toMatchObject({ avgMinutes: 2.6, p90Minutes: 4.3 });
  });

  it('splits groups and owners, sorted, and keeps overdue stages still open apart', () => {
    const rows: StageHandlingRow[] = [
      handledIn(30),
      { ...handledIn(45), ownerId: 'u2' },
      { ...handledIn(90), groupId: 'g-west', ownerId: 'u9' },
      // Still open, deadline passed yesterday: a backlog item, not handled.
      { ...handledIn(0), finishedAt: null, deadline: sh('2025-11-10 18:00'), escalations: 2 },
      // Finished after the period but overdue within it.
      { ...handledIn(0), finishedAt: sh('2025-11-12 01:00'), deadline: sh('2025-11-11 23:00') },
      // Still open and not yet due: nothing to report.
      { ...handledIn(0), finishedAt: null, deadline: sh('2025-11-12 09:00') },
      // Finished before the period: another day's report.
      { ...handledIn(0), finishedAt: sh('2025-11-10 12:00') },
    ];
    const summary = summariseHandling(rows, period, now);
    expect(
      summary.map(({ groupId, ownerId, handled, late, openOverdue, escalations }) => [
        groupId,
        ownerId,
        handled,
        late,
        openOverdue,
        escalations,
      ]),
    ).toEqual([
      ['g-east', 'u1', 1, 0, 2, 2],
      ['g-east', 'u2', 1, 0, 0, 0],
      ['g-west', 'u9', 1, 1, 0, 0],
    ]);
    expect(summary[0]).toMatchObject({ avgMinutes: 30, p90Minutes: 30 });
  });

  it('reports open overdue stages as of now when the period is still running', () => {
    const today = { from: sh('2025-11-11 00:00'), to: sh('2025-11-12 00:00') };
    const open = { ...handledIn(0), finishedAt: null, deadline: sh('2025-11-11 16:00') };
    expect(summariseHandling([open], today, sh('2025-11-11 15:00'))).toEqual([]);
    expect(summariseHandling([open], today, sh('2025-11-11 17:00'))[0]).toMatchObject({
      handled: 0,
      openOverdue: 1,
      avgMinutes: null,
      p90Minutes: null,
    });
  });
});

describe('freshnessStats', () => {
  const occurredAt = sh('2025-11-11 10:00');
  const event = (
    stage: FreshnessEvent['stage'],
    source: FreshnessEvent['source'],
    lag: number,
  ): FreshnessEvent => ({
    stage,
    source,
    occurredAt,
    receivedAt: seconds(occurredAt, lag),
  });

  it('gives lag percentiles, the share within target and whether a source is behind', () => {
    const rows = [
      ...[5, 10, 20, 30, 200].map((lag) => event('CREATED', 'CHANNEL', lag)),
      ...[30, 60, 120, 240, 300].map((lag) => event('PAID', 'PAYMENT', lag)),
      event('SHIPPED', 'TMS', -4),
      event('SHIPPED', 'CRM', 100),
    ];
    expect(freshnessStats(rows)).toEqual([
      {
        stage: 'CREATED',
        source: 'CHANNEL',
        count: 5,
        p50Seconds: 20,
        p90Seconds: 200,
        maxSeconds: 200,
        targetSeconds: 60,
        shareWithinTarget: 0.8,
        behind: true,
      },
      {
        stage: 'PAID',
        source: 'PAYMENT',
        count: 5,
        p50Seconds: 120,
        p90Seconds: 300,
        maxSeconds: 300,
        targetSeconds: 300,
        shareWithinTarget: 1,
        behind: false,
      },
      {
        stage: 'WAREHOUSE_ACCEPTED',
        source: 'WMS',
        count: 0,
        p50Seconds: null,
        p90Seconds: null,
        maxSeconds: null,
        targetSeconds: 1800,
        shareWithinTarget: null,
        behind: false,
      },
      {
        stage: 'SHIPPED',
        source: 'TMS',
        count: 1,
        p50Seconds: 0,
        p90Seconds: 0,
        maxSeconds: 0,
        targetSeconds: 3600,
        shareWithinTarget: 1,
        behind: false,
      },
      {
        stage: 'SHIPPED',
        source: 'CRM',
        count: 1,
        p50Seconds: 100,
        p90Seconds: 100,
        maxSeconds: 100,
        targetSeconds: null,
        shareWithinTarget: null,
        behind: false,
      },
    ]);
  });

  it('is behind exactly when fewer than 90 % arrive within target', () => {
    const lags = (late: number) => [
      ...Array.from({ length: 10 - late }, () => event('WAREHOUSE_ACCEPTED', 'WMS', 60)),
      ...Array.from({ length: late }, () => event('WAREHOUSE_ACCEPTED', 'WMS', 1801)),
    ];
    const wms = (late: number) => freshnessStats(lags(late)).find(({ source }) => source === 'WMS')!;
    expect(wms(1)).toMatchObject({ shareWithinTarget: 0.9, p90Seconds: 60, behind: false });
    expect(wms(2)).toMatchObject({ shareWithinTarget: 0.8, p90Seconds: 1801, behind: true });
  });

  it('holds the customer’s targets', () => {
    expect(
      FRESHNESS_TARGETS.map(({ stage, source, targetSeconds }) => `${stage} ${source} ${targetSeconds}`),
    ).toEqual(['CREATED CHANNEL 60', 'PAID PAYMENT 300', 'WAREHOUSE_ACCEPTED WMS 1800', 'SHIPPED TMS 3600']);
  });
});
