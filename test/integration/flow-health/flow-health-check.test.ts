import pg from 'pg';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { dispatchOutboxBatch } from '../../../api/src/infra/outbox/outbox-dispatcher.js';
import { liveEventsHandler } from '../../../api/src/infra/pubsub/live-events.js';
import { PUBSUB_CHANNEL } from '../../../api/src/infra/pubsub/pg-pubsub.js';
import type { FlowHealthSettings } from '../../../api/src/modules/flow-health/flow-health-settings.js';
import { createWecomMessageHandler } from '../../../api/src/modules/wecom/wecom-outbox.js';
import { HttpWecomSender } from '../../../api/src/modules/wecom/wecom-sender.js';
import { type RecordingServer, startRecordingServer } from '../../support/recording-server.js';
import { waitFor } from '../../support/wait-for.js';
import {
  insertOrder,
  openFlowHealthDatabase,
  outboxRows,
  recordParses,
  serviceWithCountingReroute,
  testSettings,
} from './flow-health-kit.js';

const MINUTE = 60_000;
/** 14:03:30 in Shanghai. */
const T0 = new Date('2026-11-25T06:03:30.000Z');
const at = (minutes: number, seconds = 0) => new Date(T0.getTime() + minutes * MINUTE + seconds * 1000);

const PAUSE_REASON =
  '渠道 淘宝(TAOBAO) 近 15 分钟地址解析成功率 40.0%（12/30），低于 95.0%，暂停该渠道自动分配（其他渠道照常）';

type Markdown = { markdown: { content: string } };

describe('flow-health check: pausing and resuming routing on the address-parse rate', () => {
  let db: Awaited<ReturnType<typeof openFlowHealthDatabase>>;
  let server: RecordingServer;
  let settings: FlowHealthSettings;
  const handlers = new Map(
    [
      createWecomMessageHandler(new HttpWecomSender({ timeoutMs: 2000 })),
      liveEventsHandler('FLOW_HEALTH_CHANGED'),
    ].map((h) => [h.topic, h] as const),
  );
  const dispatch = () =>
    dispatchOutboxBatch({
      pool: db.pool,
      handlers,
      batchSize: 50,
      deliveredBy: 'test',
      logger: createLogger('silent', 'test'),
    });
  const stateRow = async () =>
    (await db.pool.query('select * from flow_health_state where id = 1')).rows[0] as Record<string, unknown>;
  const channelRow = async (channel: string) =>
    (await db.pool.query('select * from channel_routing_state where channel = $1', [channel]))
      .rows[0] as Record<string, unknown>;
  const history = async () =>
    (await db.pool.query('select * from flow_health_event order by id')).rows as Record<string, unknown>[];
  const scopes = (changes: { channel: string | null; to: string }[]) =>
    changes.map((c) => `${c.channel ?? 'ALL'}:${c.to}`);

  beforeAll(async () => {
    db = await openFlowHealthDatabase('fh_check');
    server = await startRecordingServer();
  });
  afterAll(async () => {
    await server?.close();
    await db?.close();
  });
  beforeEach(async () => {
    server.reset();
    settings = testSettings({ opsWebhookUrl: `${server.url}/cgi-bin/webhook/send?key=ops` });
    await db.pool.query(
      'truncate flow_health_state, channel_routing_state, flow_health_event, address_parse_stat, outbox_message, orders cascade',
    );
  });

  it('does not pause on a low rate with fewer samples than the minimum', async () => {
    const { service, reroutes } = serviceWithCountingReroute(db.pool, settings);
    await recordParses(db.pool, at(0), 'TAOBAO', 2, 17);
    const outcome = await service.check(at(0, 10));
    expect(outcome.changes).toEqual([]);
    expect(outcome.decision).toMatchObject({ mode: 'ACTIVE', changed: false });
    expect(outcome.decision.reason).toContain('样本不足 20');
    expect(outcome.channelDecisions.TAOBAO.reason).toContain('样本不足 20');
    expect(await stateRow()).toMatchObject({
      routing_mode: 'ACTIVE',
      changed_at: null,
      last_checked_at: at(0, 10),
    });
    expect(await channelRow('TAOBAO')).toMatchObject({ routing_mode: 'ACTIVE', changed_at: null });
    expect(await history()).toHaveLength(0);
    expect(await outboxRows(db.pool, 'wecom.message')).toHaveLength(0);
    expect(reroutes).toHaveLength(0);
  });

  it('pauses a channel below the threshold: its state, history, ops alert and subscription event in one change', async () => {
    const { service } = serviceWithCountingReroute(db.pool, settings);
    await recordParses(db.pool, at(-3), 'TAOBAO', 8, 10);
    await recordParses(db.pool, at(0), 'TAOBAO', 4, 8);
    // Outside the 15-minute window: does not count.
    await recordParses(db.pool, at(-20), 'TAOBAO', 500, 0);

    const outcome = await service.check(T0);
    expect(outcome.change).toBeNull();
    expect(outcome.changes).toEqual([
      expect.objectContaining({ channel: 'TAOBAO', from: 'ACTIVE', to: 'PAUSED', trigger: 'AUTOMATIC' }),
    ]);
    expect(outcome.rerouted).toBeNull();

    expect(await stateRow()).toMatchObject({ routing_mode: 'ACTIVE', changed_at: null });
    expect(await channelRow('TAOBAO')).toMatchObject({
      routing_mode: 'PAUSED',
      reason: PAUSE_REASON,
      changed_at: T0,
      changed_by: 'system',
      auto_resume: true,
    });
    expect(await channelRow('JD')).toMatchObject({ routing_mode: 'ACTIVE' });
    const [event] = await history();
    expect(event).toMatchObject({
      channel: 'TAOBAO',
      from_mode: 'ACTIVE',
      to_mode: 'PAUSED',
      trigger: 'AUTOMATIC',
      actor: 'system',
      actor_id: null,
      reason: PAUSE_REASON,
      alert_target: 'OPS_WECOM',
      rerouted_orders: null,
      occurred_at: T0,
    });
    expect(event.parse_health).toEqual({
      windowMinutes: 15,
      threshold: 0.95,
      minSamples: 20,
      platformMinChannels: 2,
      overall: { total: 30, ok: 12, rate: 0.4 },
      byChannel: { TAOBAO: { total: 30, ok: 12, rate: 0.4 } },
    });

    const [changed] = await outboxRows(db.pool, 'flow.health.changed');
    expect(changed.dedupe_key).toBe(`flow.health.changed:${event.id}`);
    expect(changed.payload).toEqual({
      changeId: event.id,
      channel: 'TAOBAO',
      routingMode: 'PAUSED',
      previousMode: 'ACTIVE',
      trigger: 'AUTOMATIC',
      reason: PAUSE_REASON,
      changedBy: 'system',
      parseSuccessRate: 0.4,
      occurredAt: T0.toISOString(),
    });
    const [alert] = await outboxRows(db.pool, 'wecom.message');
    expect(alert.dedupe_key).toBe(`wecom:flow-health:${event.id}:PAUSED`);
    expect(alert.payload).toMatchObject({ purpose: 'flow-health', webhookUrl: settings.opsWebhookUrl });

    // Delivered by the outbox: the robot gets the markdown, subscribers get the event.
    const listener = new pg.Client({ connectionString: db.url });
    await listener.connect();
    const notified: unknown[] = [];
    listener.on('notification', (m) => notified.push(JSON.parse(m.payload ?? '{}')));
    await listener.query(`LISTEN ${PUBSUB_CHANNEL}`);
    expect(await dispatch()).toMatchObject({ claimed: 2, delivered: 2 });
    const [request] = await server.waitForRequests(1);
    expect(request.path).toBe('/cgi-bin/webhook/send?key=ops');
    expect(request.body).toEqual({
      msgtype: 'markdown',
      markdown: {
        content: [
          '## <font color="warning">渠道 淘宝(TAOBAO) 订单自动分配已暂停</font>',
          `> 原因：${PAUSE_REASON}`,
          '> 操作：系统自动',
          '> 时间：2026-11-25 14:03（北京时间）',
          '',
          '**近 15 分钟地址解析成功率**（阈值 95.0%）',
          '> 总体：<font color="warning">40.0%</font>（12/30）',
          '> 淘宝(TAOBAO)：<font color="warning">40.0%</font>（12/30）',
          '> 京东(JD)：<font color="comment">无样本</font>',
          '> 抖音(DOUYIN)：<font color="comment">无样本</font>',
          '> 官网商城(WEBSHOP)：<font color="comment">无样本</font>',
          '',
          '该渠道的新订单以 ROUTING_PAUSED 挂起，暂不自动分配，其他渠道照常分配。请检查该渠道推送的收货地址；成功率回到 97.0% 及以上时自动恢复，恢复后挂起的订单会自动重新分配。',
        ].join('\n'),
      },
    });
    const notice = await waitFor(() => notified[0], { message: 'the FLOW_HEALTH_CHANGED notification' });
    expect(notice).toMatchObject({
      topic: 'FLOW_HEALTH_CHANGED',
      event: { changeId: event.id, channel: 'TAOBAO', routingMode: 'PAUSED', previousMode: 'ACTIVE' },
    });
    await listener.end();

    // A second run with the same figures changes nothing and sends nothing more.
    const again = await service.check(at(0, 20));
    expect(again.changes).toEqual([]);
    expect(await history()).toHaveLength(1);
  });

  it('pauses one blind channel only, whether the overall rate looks healthy or it drags it to the floor', async () => {
    const { service } = serviceWithCountingReroute(db.pool, settings);
    await recordParses(db.pool, at(0), 'DOUYIN', 5, 20);
    await recordParses(db.pool, at(0), 'JD', 1000, 0);
    const healthy = await service.check(T0);
    expect(healthy.health.overall.rate).toBeGreaterThan(0.95);
    expect(scopes(healthy.changes)).toEqual(['DOUYIN:PAUSED']);
    expect(healthy.changes[0].reason).toContain('渠道 抖音(DOUYIN) 近 15 分钟地址解析成功率 20.0%（5/25）');

    // One merchant floods the web shop with foreign addresses: overall 7 %, still one channel.
    await db.pool.query('truncate address_parse_stat, channel_routing_state, flow_health_event');
    await recordParses(db.pool, at(0), 'WEBSHOP', 0, 500);
    await recordParses(db.pool, at(0), 'TAOBAO', 40, 0);
    const flooded = await service.check(at(0, 30));
    expect(flooded.health.overall.rate).toBeLessThan(0.1);
    expect(flooded.decision).toMatchObject({ mode: 'ACTIVE', changed: false });
    expect(flooded.decision.reason).toContain('1 个渠道低于 95.0%（全平台暂停需 2 个），仅暂停这些渠道');
    expect(scopes(flooded.changes)).toEqual(['WEBSHOP:PAUSED']);
    expect(await stateRow()).toMatchObject({ routing_mode: 'ACTIVE' });
  });

  it('pauses the whole platform only when the rate drops across channels, and each broken channel with it', async () => {
    const { service } = serviceWithCountingReroute(db.pool, settings);
    await recordParses(db.pool, at(0), 'TAOBAO', 0, 30);
    // 19 parses: too few to count as a second channel below the threshold.
    await recordParses(db.pool, at(0), 'JD', 0, 19);
    expect(scopes((await service.check(T0)).changes)).toEqual(['TAOBAO:PAUSED']);

    await recordParses(db.pool, at(0), 'JD', 2, 0);
    const outcome = await service.check(at(0, 10));
    expect(scopes(outcome.changes)).toEqual(['ALL:PAUSED', 'JD:PAUSED']);
    expect(outcome.change?.reason).toBe(
      '近 15 分钟总体地址解析成功率 3.9%（2/51），且 2 个渠道低于 95.0%（淘宝(TAOBAO) 0.0%（0/30）；京东(JD) 9.5%（2/21）），暂停全平台自动分配',
    );
    expect(await stateRow()).toMatchObject({ routing_mode: 'PAUSED', changed_by: 'system' });
    const events = await history();
    expect(events.map((e) => [e.channel, e.to_mode])).toEqual([
      ['TAOBAO', 'PAUSED'],
      [null, 'PAUSED'],
      ['JD', 'PAUSED'],
    ]);
    const alerts = await outboxRows(db.pool, 'wecom.message');
    expect((alerts[1].payload.message as Markdown).markdown.content.split('\n')[0]).toBe(
      '## <font color="warning">全平台订单自动分配已暂停</font>',
    );
    const [, platformEvent] = await outboxRows(db.pool, 'flow.health.changed');
    expect(platformEvent.payload).toMatchObject({ channel: null, parseSuccessRate: 2 / 51 });
  });

  it('resumes a channel on its own only once it reaches the resume threshold, then re-routes its orders', async () => {
    const { service, reroutes, reroutedChannels } = serviceWithCountingReroute(db.pool, settings);
    await recordParses(db.pool, at(0), 'TAOBAO', 12, 18);
    expect(scopes((await service.check(T0)).changes)).toEqual(['TAOBAO:PAUSED']);

    // The bad minute has left the window; 96 % is above the pause threshold but below 97 %.
    await recordParses(db.pool, at(16), 'TAOBAO', 96, 4);
    const hovering = await service.check(at(16, 30));
    expect(hovering.changes).toEqual([]);
    expect(hovering.channelDecisions.TAOBAO.mode).toBe('PAUSED');
    expect(hovering.channelDecisions.TAOBAO.reason).toContain('未达到恢复阈值 97.0%');
    expect(reroutes).toHaveLength(0);

    await recordParses(db.pool, at(17), 'TAOBAO', 100, 0);
    const recovered = await service.check(at(17, 30));
    expect(recovered.changes).toEqual([
      expect.objectContaining({ channel: 'TAOBAO', from: 'PAUSED', to: 'ACTIVE', trigger: 'AUTOMATIC' }),
    ]);
    expect(recovered.rerouted).toBe(3);
    expect(reroutes).toEqual([at(17, 30)]);
    expect(reroutedChannels).toEqual([['TAOBAO']]);
    expect(await channelRow('TAOBAO')).toMatchObject({ routing_mode: 'ACTIVE', changed_by: 'system' });
    const events = await history();
    expect(events.map((e) => [e.channel, e.from_mode, e.to_mode, e.trigger])).toEqual([
      ['TAOBAO', 'ACTIVE', 'PAUSED', 'AUTOMATIC'],
      ['TAOBAO', 'PAUSED', 'ACTIVE', 'AUTOMATIC'],
    ]);
    expect(events[1].rerouted_orders).toBe(3);
    const alerts = await outboxRows(db.pool, 'wecom.message');
    expect(alerts.map((a) => a.dedupe_key)).toEqual([
      `wecom:flow-health:${events[0].id}:PAUSED`,
      `wecom:flow-health:${events[1].id}:ACTIVE`,
    ]);
    const resumed = (alerts[1].payload.message as Markdown).markdown.content;
    expect(resumed.split('\n')[0]).toBe('## <font color="info">渠道 淘宝(TAOBAO) 订单自动分配已恢复</font>');
    expect(resumed).toContain('> 淘宝(TAOBAO)：<font color="info">98.0%</font>（196/200）');
    expect(resumed.split('\n').at(-1)).toBe('该渠道以 ROUTING_PAUSED 挂起的订单正在重新分配。');
  });

  it('resumes the platform when only one channel is still broken; that channel stays paused', async () => {
    const { service, reroutedChannels } = serviceWithCountingReroute(db.pool, settings);
    await recordParses(db.pool, at(0), 'TAOBAO', 0, 30);
    await recordParses(db.pool, at(0), 'JD', 0, 30);
    expect(scopes((await service.check(T0)).changes)).toEqual(['ALL:PAUSED', 'TAOBAO:PAUSED', 'JD:PAUSED']);

    await recordParses(db.pool, at(16), 'TAOBAO', 100, 0);
    await recordParses(db.pool, at(16), 'JD', 10, 20);
    const outcome = await service.check(at(16, 30));
    expect(scopes(outcome.changes)).toEqual(['ALL:ACTIVE', 'TAOBAO:ACTIVE']);
    expect(outcome.change?.reason).toContain('仅 1 个渠道未达到恢复阈值 97.0%');
    expect(outcome.channelDecisions.JD).toMatchObject({ mode: 'PAUSED', changed: false });
    // The platform's resume releases the channels routing is active for; JD's orders stay held.
    expect(reroutedChannels).toEqual([['TAOBAO', 'DOUYIN', 'WEBSHOP']]);
    const events = await history();
    expect(events.slice(3).map((e) => [e.channel, e.rerouted_orders])).toEqual([
      [null, 3],
      ['TAOBAO', null],
    ]);
  });

  it('stays paused when automatic resume is switched off', async () => {
    const { service } = serviceWithCountingReroute(db.pool, { ...settings, autoResume: false });
    await recordParses(db.pool, at(0), 'TAOBAO', 12, 18);
    expect(scopes((await service.check(T0)).changes)).toEqual(['TAOBAO:PAUSED']);
    await recordParses(db.pool, at(20), 'TAOBAO', 100, 0);
    const outcome = await service.check(at(20, 30));
    expect(outcome.changes).toEqual([]);
    expect(outcome.channelDecisions.TAOBAO.reason).toContain('需人工恢复');
    const [alert] = await outboxRows(db.pool, 'wecom.message');
    expect((alert.payload.message as Markdown).markdown.content).toContain('修复后请在中台执行「恢复分配」');
  });

  it('pauses and resumes the platform by hand, with who and why in the history, and re-routes on resume', async () => {
    const { service, reroutes } = serviceWithCountingReroute(db.pool, settings);
    const ops = { username: 'ops-li', userId: 'u-42' };
    const paused = await service.pause(ops, '城市数据库更新中', T0);
    expect(paused.change).toMatchObject({ channel: null, from: 'ACTIVE', to: 'PAUSED', trigger: 'MANUAL' });
    expect(paused.state).toMatchObject({ mode: 'PAUSED', changedBy: 'ops-li', autoResume: false });
    expect((await service.pause(ops, '再次暂停', at(0, 5))).change).toBeNull();

    // A manual pause is not lifted by healthy figures.
    await recordParses(db.pool, at(1), 'TAOBAO', 100, 0);
    expect((await service.check(at(1, 30))).changes).toEqual([]);

    const resumed = await service.resume(ops, '城市库已更新', at(2));
    expect(resumed.change).toMatchObject({ from: 'PAUSED', to: 'ACTIVE', trigger: 'MANUAL' });
    expect(resumed.rerouted).toBe(3);
    expect(reroutes).toEqual([at(2)]);
    expect(resumed.state).toMatchObject({ mode: 'ACTIVE', reason: '人工恢复分配：城市库已更新' });

    const events = await history();
    expect(events.map((e) => [e.channel, e.to_mode, e.trigger, e.actor, e.actor_id, e.reason])).toEqual([
      [null, 'PAUSED', 'MANUAL', 'ops-li', 'u-42', '城市数据库更新中'],
      [null, 'ACTIVE', 'MANUAL', 'ops-li', 'u-42', '人工恢复分配：城市库已更新'],
    ]);
    const alerts = await outboxRows(db.pool, 'wecom.message');
    expect(alerts).toHaveLength(2);
    expect((alerts[0].payload.message as Markdown).markdown.content).toContain('> 操作：ops-li（人工）');

    // Resuming while active re-routes whatever is still held and changes nothing else.
    const idle = await service.resume(ops, null, at(3));
    expect(idle.change).toBeNull();
    expect(reroutes).toHaveLength(2);
    expect(await history()).toHaveLength(2);
  });

  it('pauses and resumes one channel by hand; the platform and the other channels go on', async () => {
    const { service, reroutedChannels } = serviceWithCountingReroute(db.pool, settings);
    const ops = { username: 'ops-li', userId: 'u-42' };
    const paused = await service.pause(ops, '京东地址接口异常', T0, 'JD');
    expect(paused.change).toMatchObject({ channel: 'JD', to: 'PAUSED', trigger: 'MANUAL' });
    expect(paused.state).toMatchObject({ mode: 'PAUSED', changedBy: 'ops-li', autoResume: false });
    expect((await service.states()).platform.mode).toBe('ACTIVE');
    expect((await service.pause(ops, '再次暂停', at(0, 5), 'JD')).change).toBeNull();

    // Healthy JD figures do not lift a manual pause; a JD order left held is not retried meanwhile.
    await recordParses(db.pool, at(1), 'JD', 100, 0);
    await insertOrder(db.pool, { channel: 'JD', holdReason: 'ROUTING_PAUSED' });
    const check = await service.check(at(1, 30));
    expect(check.changes).toEqual([]);
    expect(check.rerouted).toBeNull();
    expect(reroutedChannels).toEqual([]);

    const resumed = await service.resume(ops, '接口已恢复', at(2), 'JD');
    expect(resumed.change).toMatchObject({ channel: 'JD', from: 'PAUSED', to: 'ACTIVE' });
    expect(resumed.state).toMatchObject({ mode: 'ACTIVE', reason: '人工恢复分配：接口已恢复' });
    expect(reroutedChannels).toEqual([['JD']]);
    const events = await history();
    expect(events.map((e) => [e.channel, e.to_mode, e.actor, e.reason, e.rerouted_orders])).toEqual([
      ['JD', 'PAUSED', 'ops-li', '京东地址接口异常', null],
      ['JD', 'ACTIVE', 'ops-li', '人工恢复分配：接口已恢复', 3],
    ]);
  });

  it('after a resume, only parses made after it can pause the channel again', async () => {
    const { service } = serviceWithCountingReroute(db.pool, settings);
    await recordParses(db.pool, at(0), 'TAOBAO', 10, 20);
    expect(scopes((await service.check(T0)).changes)).toEqual(['TAOBAO:PAUSED']);
    await service.resume({ username: 'ops-li', userId: 'u-42' }, null, at(1, 10), 'TAOBAO');

    // The bad minute is still inside the window, but it predates the resume.
    expect((await service.check(at(1, 40))).changes).toEqual([]);

    await recordParses(db.pool, at(3), 'TAOBAO', 5, 25);
    const again = await service.check(at(3, 30));
    expect(scopes(again.changes)).toEqual(['TAOBAO:PAUSED']);
    expect(again.changes[0].reason).toContain('（5/30）');
  });

  it('records the alert without sending it when no operations group is configured', async () => {
    const { service } = serviceWithCountingReroute(db.pool, { ...settings, opsWebhookUrl: null });
    await recordParses(db.pool, at(0), 'WEBSHOP', 0, 25);
    const outcome = await service.check(T0);
    expect(scopes(outcome.changes)).toEqual(['WEBSHOP:PAUSED']);
    const [event] = await history();
    expect(event.alert_target).toBe('NOT_CONFIGURED');
    expect(String(event.alert)).toContain(
      '## <font color="warning">渠道 官网商城(WEBSHOP) 订单自动分配已暂停</font>',
    );
    expect(await outboxRows(db.pool, 'wecom.message')).toHaveLength(0);
    expect(await outboxRows(db.pool, 'flow.health.changed')).toHaveLength(1);
  });

  it('re-routes orders left held with ROUTING_PAUSED while routing is active', async () => {
    const { service, reroutes } = serviceWithCountingReroute(db.pool, settings);
    expect((await service.check(T0)).rerouted).toBeNull();
    // Held orders that are delivered or cancelled hold nothing: no re-route for them.
    await insertOrder(db.pool, { holdReason: 'ROUTING_PAUSED', state: 'DELIVERED' });
    expect((await service.check(at(0, 10))).rerouted).toBeNull();
    await insertOrder(db.pool, { holdReason: 'ROUTING_PAUSED' });
    const outcome = await service.check(at(0, 30));
    expect(outcome.changes).toEqual([]);
    expect(outcome.rerouted).toBe(3);
    expect(reroutes).toHaveLength(1);
  });

  it('takes one change when checks run concurrently', async () => {
    const { service } = serviceWithCountingReroute(db.pool, settings);
    await recordParses(db.pool, at(0), 'TAOBAO', 0, 40);
    await recordParses(db.pool, at(0), 'DOUYIN', 0, 40);
    const outcomes = await Promise.all([service.check(T0), service.check(T0), service.check(T0)]);
    expect(outcomes.flatMap((o) => scopes(o.changes)).sort()).toEqual([
      'ALL:PAUSED',
      'DOUYIN:PAUSED',
      'TAOBAO:PAUSED',
    ]);
    expect(await history()).toHaveLength(3);
  });
});
