import { createPubSub } from '@graphql-yoga/subscription';
import { type ExecutionResult, type GraphQLSchema, graphql } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { authChecker } from '../../../api/src/app/auth-checker.js';
import type { Viewer } from '../../../api/src/domain/auth/viewer.js';
import { buildGraphQLSchema } from '../../../api/src/infra/graphql/build-schema.js';
import { FlowHealthResolver } from '../../../api/src/modules/flow-health/flow-health.resolver.js';
import type { FlowHealthService } from '../../../api/src/modules/flow-health/flow-health.service.js';
import {
  insertOrder,
  openFlowHealthDatabase,
  recordParses,
  serviceWithCountingReroute,
  silentLogger,
  testSettings,
} from './flow-health-kit.js';

const NOW = new Date('2026-11-25T06:00:00.000Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);
const ADMIN: Viewer = { kind: 'STAFF', userId: 'u-1', username: 'admin', roles: ['ADMIN'] };
const OPS: Viewer = { kind: 'STAFF', userId: 'u-2', username: 'ops-wang', roles: ['OPS'] };
const SERVICE_DESK: Viewer = { kind: 'STAFF', userId: 'u-3', username: 'kefu', roles: ['SERVICE'] };
const PARTNER: Viewer = {
  kind: 'PARTNER',
  clientId: 'c-1',
  name: 'erp',
  channels: ['TAOBAO'],
  scopes: ['orders:read', 'orders:write'],
};

const FLOW_HEALTH = `{ flowHealth {
  checkedAt
  routing { mode reason since changedBy autoResume lastCheckedAt }
  parseSuccess { windowMinutes threshold resumeThreshold minSamples belowThreshold
    overall { total ok rate } byChannel { channel total ok rate } }
  completeness { openOrders missingPhone missingAddressDetail missingItems incompleteOrders }
  connectivity { eventSources { source lastReceivedAt } channels { channel lastOrderAt } webhooks { name requests } }
  ruleHitsToday { ruleId hits }
  heldOrders { reason count }
  opsAlerts { configured failedDeliveries }
  problems
  recentChanges { fromMode toMode trigger actor reason parseSuccessRate alertSent reroutedOrders }
} }`;

describe('flowHealth, pauseRouting and resumeRouting over GraphQL', () => {
  let db: Awaited<ReturnType<typeof openFlowHealthDatabase>>;
  let schema: GraphQLSchema;
  let service: FlowHealthService;

  /** Executes one operation; the answer is read back as a client gets it (JSON). */
  const run = async <T = Record<string, unknown>>(
    viewer: Viewer,
    source: string,
    variableValues: Record<string, unknown> = {},
  ): Promise<ExecutionResult<T>> =>
    JSON.parse(
      JSON.stringify(
        await graphql({
          schema,
          source,
          variableValues,
          contextValue: {
            orm: db.orm,
            pool: db.pool,
            logger: silentLogger,
            platform: { version: 'test', schedulerBackend: 'postgresql' },
            viewer,
            now: NOW,
            flowHealth: service,
          },
        }),
      ),
    ) as ExecutionResult<T>;

  beforeAll(async () => {
    db = await openFlowHealthDatabase('fh_query');
    schema = await buildGraphQLSchema([FlowHealthResolver], createPubSub() as never, authChecker);
  });
  afterAll(() => db?.close());
  beforeEach(async () => {
    await db.pool.query(
      'truncate flow_health_state, channel_routing_state, flow_health_event, address_parse_stat, outbox_message, orders, order_event, routing_rule_hit cascade',
    );
    service = serviceWithCountingReroute(db.pool, testSettings({ minSamples: 100 })).service;
  });

  it('answers completeness, connectivity, held orders, parse rates, rule hits and the problems', async () => {
    // Open orders: complete, no phone, no detail, no items, no phone and no items.
    await insertOrder(db.pool, { createdAt: minutesAgo(5) });
    await insertOrder(db.pool, { buyerPhone: '', createdAt: minutesAgo(5) });
    await insertOrder(db.pool, { detail: '  ', channel: 'JD', createdAt: minutesAgo(30) });
    await insertOrder(db.pool, { items: [], holdReason: 'ROUTING_PAUSED', createdAt: minutesAgo(3) });
    await insertOrder(db.pool, { buyerPhone: '', items: [], holdReason: 'ROUTING_PAUSED', state: 'CREATED' });
    // Not open any more: neither incomplete nor held back (a hold left on a shipped order holds nothing).
    await insertOrder(db.pool, { buyerPhone: '', state: 'SHIPPED', holdReason: 'ADDRESS_UNPARSED' });
    // A channel silent for eight hours.
    await insertOrder(db.pool, { channel: 'DOUYIN', createdAt: minutesAgo(8 * 60) });
    const [someOrder] = (await db.pool.query<{ id: string }>('select id from orders limit 1')).rows;
    await db.pool.query(
      `insert into order_event (order_id, source, type, idempotency_key, occurred_at, received_at, outcome)
       values ($1, 'WMS', 'PICKED', 'k1', $2, $2, 'APPLIED'), ($1, 'PAYMENT', 'PAID', 'k2', $3, $3, 'APPLIED')`,
      [someOrder.id, minutesAgo(7 * 60), minutesAgo(1)],
    );
    await recordParses(db.pool, minutesAgo(2), 'TAOBAO', 45, 5);
    await recordParses(db.pool, minutesAgo(1), 'JD', 3, 1);
    await db.pool.query(
      `insert into routing_rule_hit (day, rule_id, count) values
         ('2026-11-25', 'east-china', 12), ('2026-11-25', 'DEFAULT', 30), ('2026-11-24', 'east-china', 99)`,
    );
    await service.check(minutesAgo(1));

    const result = await run<{ flowHealth: Record<string, never> }>(OPS, FLOW_HEALTH);
    expect(result.errors).toBeUndefined();
    const health = result.data!.flowHealth as Record<string, unknown>;
    expect(health.routing).toMatchObject({ mode: 'ACTIVE', reason: null, since: null, autoResume: true });
    expect(health.parseSuccess).toEqual({
      windowMinutes: 15,
      threshold: 0.95,
      resumeThreshold: 0.97,
      minSamples: 100,
      belowThreshold: false,
      overall: { total: 54, ok: 48, rate: 48 / 54 },
      byChannel: [
        { channel: 'TAOBAO', total: 50, ok: 45, rate: 0.9 },
        { channel: 'JD', total: 4, ok: 3, rate: 0.75 },
      ],
    });
    expect(health.completeness).toEqual({
      openOrders: 6,
      missingPhone: 2,
      missingAddressDetail: 1,
      missingItems: 2,
      incompleteOrders: 4,
    });
    const connectivity = health.connectivity as {
      eventSources: { source: string; lastReceivedAt: string | null }[];
      channels: { channel: string; lastOrderAt: string | null }[];
    };
    expect(connectivity.eventSources).toContainEqual({
      source: 'WMS',
      lastReceivedAt: minutesAgo(420).toISOString(),
    });
    expect(connectivity.eventSources).toContainEqual({
      source: 'PAYMENT',
      lastReceivedAt: minutesAgo(1).toISOString(),
    });
    expect(connectivity.eventSources).toContainEqual({ source: 'TMS', lastReceivedAt: null });
    expect(connectivity.channels).toContainEqual({
      channel: 'DOUYIN',
      lastOrderAt: minutesAgo(480).toISOString(),
    });
    expect(connectivity.channels).toContainEqual({
      channel: 'JD',
      lastOrderAt: minutesAgo(30).toISOString(),
    });
    expect(connectivity.channels).toContainEqual({ channel: 'WEBSHOP', lastOrderAt: null });
    expect(health.ruleHitsToday).toEqual([
      { ruleId: 'DEFAULT', hits: 30 },
      { ruleId: 'east-china', hits: 12 },
    ]);
    expect(health.heldOrders).toEqual([{ reason: 'ROUTING_PAUSED', count: 2 }]);
    expect(health.opsAlerts).toEqual({ configured: false, failedDeliveries: 0 });
    const problems = health.problems as string[];
    expect(problems).toEqual([
      '自动分配已恢复，但仍有 2 个订单以 ROUTING_PAUSED 挂起：下一次健康检查会重新分配，也可再次执行「恢复分配」。',
      '近 15 分钟地址解析成功率低于 95.0%：总体 88.9%（48/54，样本不足 100，暂不暂停）；淘宝(TAOBAO) 90.0%（45/50，样本不足 100，暂不暂停）；京东(JD) 75.0%（3/4，样本不足 100，暂不暂停）。请检查城市数据库更新与地址解析。',
      '2 个未发货订单缺少收件手机号，无法派送与通知：请向渠道补全或联系买家。',
      '1 个未发货订单缺少详细地址，无法派送：请向渠道补全或联系买家。',
      '2 个未发货订单没有商品明细，仓库无法拣货：请核对渠道推送的订单数据。',
      '抖音(DOUYIN) 已 8小时 没有新订单进入：请检查该渠道接口授权与推送。',
      'WMS 已 7小时 没有推送事件：请检查与 WMS 的对接。',
      '运维企业微信群未配置（OPS_WECOM_WEBHOOK_URL）：暂停/恢复分配的告警只记录在日志和历史中，请配置群机器人地址。',
    ]);
  });

  it('reports a checker that has stopped and a paused routing in words to act on', async () => {
    await service.pause({ username: 'ops-wang', userId: 'u-2' }, '城市数据库更新失败', minutesAgo(10));
    await db.pool.query('update flow_health_state set last_checked_at = $1', [minutesAgo(10)]);
    const { data } = await run<{
      flowHealth: { problems: string[]; routing: Record<string, unknown>; recentChanges: unknown[] };
    }>(ADMIN, FLOW_HEALTH);
    expect(data!.flowHealth.routing).toMatchObject({
      mode: 'PAUSED',
      reason: '城市数据库更新失败',
      since: minutesAgo(10).toISOString(),
      changedBy: 'ops-wang',
      autoResume: false,
    });
    expect(data!.flowHealth.problems[0]).toBe(
      '全平台自动分配已暂停（自 2026-11-25 13:50 起，ops-wang人工）：城市数据库更新失败。0 个新订单以 ROUTING_PAUSED 挂起，修复地址解析后请执行「恢复分配」(resumeRouting)，恢复后挂起订单自动重新分配。',
    );
    expect(data!.flowHealth.problems[1]).toBe(
      '地址解析健康检查已 10分钟 未运行，解析失败时无法自动暂停分配：请确认 worker 进程在运行。',
    );
    expect(data!.flowHealth.recentChanges).toEqual([
      {
        fromMode: 'ACTIVE',
        toMode: 'PAUSED',
        trigger: 'MANUAL',
        actor: 'ops-wang',
        reason: '城市数据库更新失败',
        parseSuccessRate: null,
        alertSent: false,
        reroutedOrders: null,
      },
    ]);
  });

  it('lets staff read it and only OPS or ADMIN pause and resume; partners are refused', async () => {
    expect((await run(SERVICE_DESK, '{ flowHealth { routing { mode } } }')).errors).toBeUndefined();
    const partner = await run(PARTNER, '{ flowHealth { routing { mode } } }');
    expect(partner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await run({ kind: 'ANONYMOUS' }, '{ flowHealth { routing { mode } } }');
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    const refused = await run(SERVICE_DESK, 'mutation { pauseRouting(reason: "x") { changed } }');
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const refusedPartner = await run(PARTNER, 'mutation { resumeRouting { changed } }');
    expect(refusedPartner.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('pauses and resumes by mutation, refusing an empty reason', async () => {
    const mutation = `mutation ($reason: String!) { pauseRouting(reason: $reason) {
      changed reroutedOrders routing { mode reason changedBy autoResume } userErrors { field code message } } }`;
    const empty = await run<{ pauseRouting: Record<string, unknown> }>(OPS, mutation, { reason: '  ' });
    expect(empty.data!.pauseRouting).toMatchObject({
      changed: false,
      routing: { mode: 'ACTIVE' },
      userErrors: [{ field: 'reason', code: 'REQUIRED' }],
    });
    const paused = await run<{ pauseRouting: Record<string, unknown> }>(OPS, mutation, {
      reason: '城市库更新',
    });
    expect(paused.data!.pauseRouting).toEqual({
      changed: true,
      reroutedOrders: null,
      routing: { mode: 'PAUSED', reason: '城市库更新', changedBy: 'ops-wang', autoResume: false },
      userErrors: [],
    });
    const resumed = await run<{ resumeRouting: Record<string, unknown> }>(
      OPS,
      'mutation { resumeRouting(note: "已修复") { changed reroutedOrders routing { mode reason } userErrors { code } } }',
    );
    expect(resumed.data!.resumeRouting).toEqual({
      changed: true,
      reroutedOrders: 3,
      routing: { mode: 'ACTIVE', reason: '人工恢复分配：已修复' },
      userErrors: [],
    });
  });

  it('says when re-routing after a resume failed, with routing resumed all the same', async () => {
    const { FlowHealthService } = await import('../../../api/src/modules/flow-health/flow-health.service.js');
    service = new FlowHealthService({
      pool: db.pool,
      settings: testSettings(),
      logger: silentLogger,
      rerouteHeld: async () => {
        throw new Error('division data unavailable');
      },
    });
    await service.pause({ username: 'ops-wang', userId: 'u-2' }, '手动', NOW);
    const resumed = await run<{ resumeRouting: Record<string, unknown> }>(
      OPS,
      'mutation { resumeRouting { changed reroutedOrders routing { mode } userErrors { field code } } }',
    );
    expect(resumed.data!.resumeRouting).toEqual({
      changed: true,
      reroutedOrders: null,
      routing: { mode: 'ACTIVE' },
      userErrors: [{ field: 'reroute', code: 'REROUTE_FAILED' }],
    });
  });
});
