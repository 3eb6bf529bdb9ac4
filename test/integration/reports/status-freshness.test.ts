import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatchOutboxBatch } from '../../../api/src/infra/outbox/outbox-dispatcher.js';
import { FlowHealthService } from '../../../api/src/modules/flow-health/flow-health.service.js';
import type { FlowHealthSettings } from '../../../api/src/modules/flow-health/flow-health-settings.js';
import { FreshnessMonitor } from '../../../api/src/modules/reports/freshness-monitor.js';
import {
  createWecomMessageHandler,
  WECOM_MESSAGE_TOPIC,
} from '../../../api/src/modules/wecom/wecom-outbox.js';
import { HttpWecomSender } from '../../../api/src/modules/wecom/wecom-sender.js';
import { type RecordingServer, startRecordingServer } from '../../support/recording-server.js';
import {
  type EventSpec,
  gql,
  insertEvents,
  insertOrder,
  openReportsDb,
  type ReportsDb,
  silentLogger,
  staff,
} from './reports-kit.js';

const MINUTE = 60_000;
/** 14:00 on 2026-11-25 in Shanghai. */
const T0 = new Date('2026-11-25T14:00:00+08:00');
const at = (minutes: number, seconds = 0) => new Date(T0.getTime() + minutes * MINUTE + seconds * 1000);

/** A report of `type` from `source` received at `receivedAt`, `lagSeconds` after it happened. */
const event = (
  source: string,
  type: string,
  receivedAt: Date,
  lagSeconds: number,
  extra: Partial<EventSpec> = {},
) => ({
  source,
  type,
  receivedAt,
  occurredAt: new Date(receivedAt.getTime() - lagSeconds * 1000),
  toState: null,
  ...extra,
});

describe('status freshness', () => {
  let db: ReportsDb;

  beforeAll(async () => {
    db = await openReportsDb('rpt_fresh');
  });
  afterAll(async () => {
    await db?.close();
  });

  describe('statusFreshness', () => {
    beforeAll(async () => {
      const paidOrder = await insertOrder(db.pool, { paidAt: at(-30, -90) });
      const within = (i: number) => at(-50 + i);
      await insertEvents(db.pool, [
        // Orders created at the channel: 4 of 5 within 60 s.
        ...[10, 20, 30, 120].map((lag, i) =>
          event('CHANNEL', 'ORDER_CREATED', within(i), lag, { toState: 'CREATED' }),
        ),
        // …one of them already paid, 90 s before it arrived.
        event('CHANNEL', 'ORDER_CREATED', at(-30), 40, { toState: 'PAID', orderId: paidOrder }),
        // Payments: 9 of 10 within 5 min.
        ...[60, 120, 240, 300, 301, 30, 45, 90, 100, 200].map((lag, i) =>
          event('PAYMENT', 'PAYMENT_CONFIRMED', within(i), lag),
        ),
        // Refused reports told nothing; refunds are no stage of the targets.
        event('PAYMENT', 'PAYMENT_CONFIRMED', within(11), 9999, { outcome: 'REJECTED' }),
        event('PAYMENT', 'PAYMENT_REFUNDED', within(12), 9999),
        // Warehouse acceptance; a WMS clock running ahead counts as no lag.
        ...[-5, 600, 1200].map((lag, i) => event('WMS', 'WMS_ACCEPTED', within(i), lag)),
        // The carrier's first scan is TMS's "shipped"; the warehouse's own shipped is measured apart.
        ...[3000, 4000].map((lag, i) => event('TMS', 'TMS_PICKED_UP', within(i), lag)),
        event('WMS', 'WMS_SHIPPED', within(5), 100),
        // Received outside the period.
        event('PAYMENT', 'PAYMENT_CONFIRMED', at(-61), 5000),
        event('PAYMENT', 'PAYMENT_CONFIRMED', at(0), 5000),
      ]);
    });

    it('reports p50, p90, max lag and the share within target per stage and source', async () => {
      const answer = await gql<{ statusFreshness: { minShare: number; stats: unknown[] } }>(
        db,
        staff('OPS'),
        `query ($from: String!, $to: String!) {
          statusFreshness(from: $from, to: $to) {
            minShare
            stats { stage stageLabel source count p50Seconds p90Seconds maxSeconds targetSeconds shareWithinTarget behind }
          }
        }`,
        { from: at(-60).toISOString(), to: T0.toISOString() },
      );
      expect(answer.errors).toEqual([]);
      expect(answer.data.statusFreshness.minShare).toBe(0.9);
      const stat = (
        stage: string,
        stageLabel: string,
        source: string,
        figures: [count: number, p50: number, p90: number, max: number],
        targetSeconds: number | null,
        shareWithinTarget: number | null,
        behind: boolean,
      ) => {
        const [count, p50Seconds, p90Seconds, maxSeconds] = figures;
        return {
          stage,
          stageLabel,
          source,
          count,
          p50Seconds,
          p90Seconds,
          maxSeconds,
          targetSeconds,
          shareWithinTarget,
          behind,
        };
      };
      expect(answer.data.statusFreshness.stats).toEqual([
        stat('CREATED', '待付款', 'CHANNEL', [5, 30, 120, 120], 60, 0.8, true),
        stat('PAID', '已付款', 'PAYMENT', [10, 100, 300, 301], 300, 0.9, false),
        stat('WAREHOUSE_ACCEPTED', '仓库已接单', 'WMS', [3, 600, 1200, 1200], 1800, 1, false),
        stat('SHIPPED', '已发货', 'TMS', [2, 3000, 4000, 4000], 3600, 0.5, true),
        stat('PAID', '已付款', 'CHANNEL', [1, 90, 90, 90], null, null, false),
        stat('SHIPPED', '已发货', 'WMS', [1, 100, 100, 100], null, null, false),
      ]);
    });

    it('refuses a bad period naming the argument, and staff outside operations', async () => {
      const query =
        'query ($from: String!, $to: String!) { statusFreshness(from: $from, to: $to) { minShare } }';
      const bad = await gql(db, staff('OPS'), query, { from: '2026-11-25T14:00', to: '2026-11-25' });
      expect(bad.errors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'from' })]);
      const tooLong = await gql(db, staff('OPS'), query, { from: '2026-01-01', to: '2026-11-25' });
      expect(tooLong.errors).toEqual([expect.objectContaining({ code: 'BAD_USER_INPUT', argument: 'to' })]);
      const service = await gql(db, staff('SERVICE'), query, { from: '2026-11-25', to: '2026-11-25' });
      expect(service.errors).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    });
  });

  describe('a source behind its target', () => {
    let server: RecordingServer;
    let monitor: FreshnessMonitor;
    let flowHealth: FlowHealthService;
    const handlers = new Map([
      [WECOM_MESSAGE_TOPIC, createWecomMessageHandler(new HttpWecomSender({ timeoutMs: 2000 }))],
    ]);
    const deliver = () =>
      dispatchOutboxBatch({
        pool: db.pool,
        handlers,
        batchSize: 50,
        deliveredBy: 'test',
        logger: silentLogger,
      });
    const alerts = async () =>
      (
        await db.pool.query<{
          stage: string;
          source: string;
          state: string;
          sample_count: number;
          alert_target: string;
        }>('select stage, source, state, sample_count, alert_target from freshness_alert order by id')
      ).rows;
    const problems = async (now: Date) => {
      const answer = await gql<{ flowHealth: { problems: string[] } }>(
        db,
        staff('OPS'),
        '{ flowHealth { problems } }',
        {},
        { now, extra: { flowHealth, freshness: monitor } },
      );
      expect(answer.errors).toEqual([]);
      return answer.data.flowHealth.problems;
    };
    /** `late` payments 10 min late and `onTime` 1 min late, received over the 20 minutes before `end`. */
    const payments = (end: Date, late: number, onTime: number) =>
      insertEvents(
        db.pool,
        Array.from({ length: late + onTime }, (_, i) =>
          event(
            'PAYMENT',
            'PAYMENT_CONFIRMED',
            new Date(end.getTime() - 20 * MINUTE + i * 1000),
            i < late ? 600 : 60,
          ),
        ),
      );

    beforeAll(async () => {
      server = await startRecordingServer();
    });
    afterAll(async () => {
      await server?.close();
    });
    beforeEach(async () => {
      server.reset();
      await db.pool.query('truncate order_event, orders, freshness_alert, outbox_message');
      const opsWebhookUrl = `${server.url}/cgi-bin/webhook/send?key=ops`;
      monitor = new FreshnessMonitor({
        pool: db.pool,
        settings: { windowMinutes: 60, minSamples: 20, opsWebhookUrl },
        logger: silentLogger,
      });
      const settings: FlowHealthSettings = {
        threshold: 0.95,
        resumeThreshold: 0.97,
        windowMinutes: 15,
        minSamples: 20,
        platformMinChannels: 2,
        autoResume: true,
        checkEverySeconds: 30,
        opsWebhookUrl,
      };
      flowHealth = new FlowHealthService({
        pool: db.pool,
        settings,
        logger: silentLogger,
        rerouteHeld: async () => 0,
      });
    });

    it('shows on the flow-health board and alerts once until it recovers', async () => {
      // PAYMENT: 20 of 25 over 5 min. CHANNEL: all late, but too few to judge.
      await payments(at(0), 20, 5);
      await insertEvents(
        db.pool,
        Array.from({ length: 5 }, (_, i) =>
          event('CHANNEL', 'ORDER_CREATED', at(-10, i), 600, { toState: 'CREATED' }),
        ),
      );
      const board = await problems(at(0));
      const payment = board.filter((p) => p.includes('PAYMENT'));
      expect(payment).toEqual([
        expect.stringContaining('支付(PAYMENT)「已付款」状态回传落后：近 60 分钟 25 条'),
      ]);
      expect(payment[0]).toContain('5分钟内送达 20.0%');
      expect(board.some((p) => p.includes('(CHANNEL)'))).toBe(false);

      expect(await monitor.check(at(0))).toEqual([
        expect.objectContaining({ stage: 'PAID', source: 'PAYMENT', state: 'BEHIND', alerted: true }),
      ]);
      await deliver();
      const [request] = await server.waitForRequests(1);
      const content = (request.body as { markdown: { content: string } }).markdown.content;
      expect(content).toContain('状态回传落后：支付(PAYMENT)「已付款」');
      expect(content).toContain('2026-11-25 14:00（北京时间）');

      // Still behind five and ten minutes later: nothing new.
      await payments(at(5), 5, 0);
      expect(await monitor.check(at(5))).toEqual([]);
      expect(await monitor.check(at(10))).toEqual([]);
      await deliver();
      expect(server.requests).toHaveLength(1);
      expect(await alerts()).toEqual([
        { stage: 'PAID', source: 'PAYMENT', state: 'BEHIND', sample_count: 25, alert_target: 'OPS_WECOM' },
      ]);

      // Fresh reports again: one recovery message, and the board is clear.
      await payments(at(15), 0, 300);
      expect(await monitor.check(at(15))).toEqual([
        expect.objectContaining({ state: 'RECOVERED', alerted: true }),
      ]);
      await deliver();
      const requests = await server.waitForRequests(2);
      expect((requests[1].body as { markdown: { content: string } }).markdown.content).toContain(
        '状态回传已恢复：支付(PAYMENT)「已付款」',
      );
      expect((await problems(at(15))).some((p) => p.includes('PAYMENT'))).toBe(false);
    });

    it('does not alert again for a source falling behind twice within the hour', async () => {
      await payments(at(0), 25, 0);
      await monitor.check(at(0));
      await payments(at(5), 0, 300);
      await monitor.check(at(5));
      await payments(at(10), 600, 0);
      expect(await monitor.check(at(10))).toEqual([
        expect.objectContaining({ state: 'BEHIND', alerted: false }),
      ]);
      await deliver();
      await server.waitForRequests(2);
      await new Promise((done) => setTimeout(done, 200));
      expect(server.requests).toHaveLength(2);
      expect((await alerts()).map((a) => [a.state, a.alert_target])).toEqual([
        ['BEHIND', 'OPS_WECOM'],
        ['RECOVERED', 'OPS_WECOM'],
        ['BEHIND', 'DUPLICATE'],
      ]);
      // The record of the change stands: the board and the next check see it as behind.
      expect((await problems(at(10))).filter((p) => p.includes('PAYMENT'))).toHaveLength(1);
      expect(await monitor.check(at(11))).toEqual([]);
    });
  });
});
