import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { divisionRegistry } from '../../../api/src/modules/routing/division-registry.js';
import { ensureRoutingDefaults } from '../../../api/src/modules/routing/routing-rules.store.js';
import { routingSettings } from '../../../api/src/modules/routing/routing-settings.js';
import { type FlowHealthApi, jdOrder, startFlowHealthApi, taobaoTrade } from './flow-health-api.js';
import { silentLogger, testSettings, webshopOrder } from './flow-health-kit.js';

/** An address from abroad, as one web-shop merchant sends them: no Chinese division in it. */
const foreign = () => ({
  ...webshopOrder(),
  shippingAddress: {
    province: 'California',
    city: 'Mountain View',
    district: null,
    street: null,
    detail: '1600 Amphitheatre Parkway, CA 94043, USA',
  },
});
const TAOBAO_GARBAGE = {
  receiver_state: 'Bayern',
  receiver_city: 'München',
  receiver_district: '',
  receiver_town: '',
  receiver_address: 'Marienplatz 8, 80331 München',
};

interface Routing {
  groupId: string | null;
  holdReason: string | null;
  reason: string | null;
  addressConfidence: number | null;
}

interface ChannelRouting {
  channel: string;
  mode: string;
  routesNewOrders: boolean;
  reason: string | null;
  changedBy: string | null;
  autoResume: boolean;
  heldOrders: number;
}

interface FlowHealth {
  routing: { mode: string; reason: string | null };
  channelRouting: ChannelRouting[];
  parseSuccess: { belowThreshold: boolean; channelsBelowThreshold: string[]; platformMinChannels: number };
  heldOrders: { reason: string; count: number }[];
  problems: string[];
  recentChanges: { channel: string | null; toMode: string; trigger: string; actor: string; reason: string }[];
}

const FLOW_HEALTH = `{ flowHealth {
  routing { mode reason }
  channelRouting { channel mode routesNewOrders reason changedBy autoResume heldOrders }
  parseSuccess { belowThreshold channelsBelowThreshold platformMinChannels }
  heldOrders { reason count }
  problems
  recentChanges { channel toMode trigger actor reason }
} }`;

/**
 * Routing health per channel, through the GraphQL API over HTTP with real intake, real routing,
 * the flow-health check as the worker runs it, and real re-routing.
 */
describe('routing health per channel, through the API', () => {
  let api: FlowHealthApi;
  const ids: Record<string, string> = {};

  const submit = async (channel: string, orders: Record<string, unknown>[]) => {
    const data = await api.gql<{
      submitOrders: { results: { orderId: string; outcome: string }[]; userErrors: unknown[] };
    }>(
      `mutation ($input: SubmitOrdersInput!) { submitOrders(input: $input) {
        results { orderId outcome } userErrors { field code message } } }`,
      { input: { channel, orders } },
    );
    expect(data.submitOrders.userErrors).toEqual([]);
    return data.submitOrders.results.map((r) => r.orderId);
  };
  const routingOf = async (id: string) =>
    (
      await api.gql<{ order: { state: string; routing: Routing } }>(
        'query ($id: ID!) { order(id: $id) { state routing { groupId holdReason reason addressConfidence } } }',
        { id },
      )
    ).order;
  const flowHealth = async () => (await api.gql<{ flowHealth: FlowHealth }>(FLOW_HEALTH)).flowHealth;
  const channel = (health: FlowHealth, name: string) =>
    health.channelRouting.find((c) => c.channel === name)!;
  const held = (health: FlowHealth, reason: string) =>
    health.heldOrders.find((h) => h.reason === reason)?.count ?? 0;

  beforeAll(async () => {
    api = await startFlowHealthApi('fh_channels', testSettings());
    divisionRegistry.useLogger(silentLogger);
    expect(divisionRegistry.reload().ok).toBe(true);
    routingSettings.minParseConfidence = 0.6;
    await ensureRoutingDefaults(api.pool);
  });
  afterAll(() => api?.close());

  it('one channel flooding unreadable addresses pauses that channel only: a valid order of another channel is routed', async () => {
    const [before] = await submit('TAOBAO', [taobaoTrade()]);
    await submit(
      'WEBSHOP',
      Array.from({ length: 25 }, () => foreign()),
    );
    await api.service.check(new Date());

    const health = await flowHealth();
    expect(health.routing.mode).toBe('ACTIVE');
    expect(health.parseSuccess).toEqual({
      belowThreshold: false,
      channelsBelowThreshold: ['WEBSHOP'],
      platformMinChannels: 2,
    });
    expect(channel(health, 'WEBSHOP')).toMatchObject({
      mode: 'PAUSED',
      routesNewOrders: false,
      changedBy: 'system',
      autoResume: true,
    });
    expect(channel(health, 'WEBSHOP').reason).toBe(
      '渠道 官网商城(WEBSHOP) 近 15 分钟地址解析成功率 0.0%（0/25），低于 95.0%，暂停该渠道自动分配（其他渠道照常）',
    );
    expect(channel(health, 'TAOBAO')).toMatchObject({ mode: 'ACTIVE', routesNewOrders: true });
    expect(health.recentChanges).toEqual([
      expect.objectContaining({
        channel: 'WEBSHOP',
        toMode: 'PAUSED',
        trigger: 'AUTOMATIC',
        actor: 'system',
      }),
    ]);
    expect(health.problems[0]).toMatch(/^渠道 官网商城\(WEBSHOP\) 自动分配已暂停（自 .+ 起，系统自动）/);

    // A valid 浙江省杭州市 order from Taobao is routed, not held; a valid web-shop order is held.
    const [taobao] = await submit('TAOBAO', [taobaoTrade()]);
    const [webshop] = await submit('WEBSHOP', [webshopOrder()]);
    expect((await routingOf(before)).routing).toMatchObject({ groupId: 'east-china', holdReason: null });
    expect((await routingOf(taobao)).routing).toMatchObject({ groupId: 'east-china', holdReason: null });
    const heldWebshop = (await routingOf(webshop)).routing;
    expect(heldWebshop).toMatchObject({ groupId: null, holdReason: 'ROUTING_PAUSED' });
    expect(heldWebshop.reason).toBe(
      '渠道 官网商城(WEBSHOP) 自动分配已暂停[ROUTING_PAUSED]，订单暂不分配；该渠道恢复分配后重新分配',
    );
    expect(channel(await flowHealth(), 'WEBSHOP').heldOrders).toBe(1);
    ids.webshop = webshop;
  });

  it('holds an address read with too little confidence for a person, with a coded reason', async () => {
    const vague = {
      receiver_state: '',
      receiver_city: '',
      receiver_district: '',
      receiver_town: '',
      receiver_address: '北京'.repeat(500),
    };
    const [id] = await submit('TAOBAO', [taobaoTrade(vague)]);
    const { routing } = await routingOf(id);
    expect(routing.groupId).toBeNull();
    expect(routing.holdReason).toBe('ADDRESS_LOW_CONFIDENCE');
    expect(routing.addressConfidence).toBeLessThan(0.6);
    expect(routing.reason).toContain('[ADDRESS_LOW_CONFIDENCE]');
    const health = await flowHealth();
    expect(held(health, 'ADDRESS_LOW_CONFIDENCE')).toBe(1);
    expect(health.problems).toContain('1 个订单因 ADDRESS_LOW_CONFIDENCE 挂起，需人工处理。');
  });

  it('pauses the whole platform only when the rate drops across channels', async () => {
    // Taobao: 3 readable so far and 15 unreadable: 18 parses, too few to judge the channel.
    await submit(
      'TAOBAO',
      Array.from({ length: 15 }, () => taobaoTrade(TAOBAO_GARBAGE)),
    );
    const early = await api.service.check(new Date());
    expect(early.changes).toEqual([]);
    expect((await flowHealth()).routing.mode).toBe('ACTIVE');

    // Five more: a second channel below the threshold with enough parses, and the overall rate too.
    await submit(
      'TAOBAO',
      Array.from({ length: 5 }, () => taobaoTrade(TAOBAO_GARBAGE)),
    );
    const check = await api.service.check(new Date());
    expect(check.changes.map((c) => `${c.channel ?? 'ALL'}:${c.to}`)).toEqual([
      'ALL:PAUSED',
      'TAOBAO:PAUSED',
    ]);
    const health = await flowHealth();
    expect(health.routing.mode).toBe('PAUSED');
    expect(health.routing.reason).toContain('且 2 个渠道低于 95.0%');
    expect(health.parseSuccess.belowThreshold).toBe(true);
    expect(channel(health, 'JD')).toMatchObject({ mode: 'ACTIVE', routesNewOrders: false });
    expect(health.problems[0]).toMatch(/^全平台自动分配已暂停/);

    // Now even a valid order of a healthy channel waits.
    const [jd] = await submit('JD', [jdOrder()]);
    expect((await routingOf(jd)).routing).toMatchObject({
      groupId: null,
      holdReason: 'ROUTING_PAUSED',
      reason: '自动分配已暂停[ROUTING_PAUSED]，订单暂不分配；恢复分配后重新分配',
    });
    ids.jd = jd;
  });

  it('resumes one channel or the whole platform by operator; held orders are routed where routing is active', async () => {
    const refused = await api.gql<{
      pauseRouting: { channel: string; changed: boolean; userErrors: unknown[] };
    }>(
      'mutation { pauseRouting(reason: " ", channel: DOUYIN) { channel changed userErrors { field code } } }',
    );
    expect(refused.pauseRouting).toEqual({
      channel: 'DOUYIN',
      changed: false,
      userErrors: [{ field: 'reason', code: 'REQUIRED' }],
    });

    const web = await api.gql<{ resumeRouting: Record<string, unknown> }>(
      `mutation { resumeRouting(note: "商家已改用国内地址", channel: WEBSHOP) {
        channel changed reroutedOrders routing { mode reason changedBy } userErrors { code } } }`,
    );
    expect(web.resumeRouting).toEqual({
      channel: 'WEBSHOP',
      changed: true,
      // The platform is still paused: nothing of the web shop can be routed yet.
      reroutedOrders: null,
      routing: { mode: 'ACTIVE', reason: '人工恢复分配：商家已改用国内地址', changedBy: 'ops-zhao' },
      userErrors: [],
    });
    expect((await routingOf(ids.webshop)).routing.holdReason).toBe('ROUTING_PAUSED');

    const all = await api.gql<{ resumeRouting: Record<string, unknown> }>(
      'mutation { resumeRouting(note: "已排查") { channel changed reroutedOrders routing { mode } userErrors { code } } }',
    );
    expect(all.resumeRouting).toEqual({
      channel: null,
      changed: true,
      reroutedOrders: 2,
      routing: { mode: 'ACTIVE' },
      userErrors: [],
    });
    expect((await routingOf(ids.webshop)).routing).toMatchObject({ groupId: 'east-china', holdReason: null });
    expect((await routingOf(ids.jd)).routing.holdReason).toBeNull();
    expect((await routingOf(ids.jd)).routing.groupId).not.toBeNull();

    // Taobao was paused on its own and stays paused: its next order waits.
    const health = await flowHealth();
    expect(channel(health, 'TAOBAO')).toMatchObject({ mode: 'PAUSED', routesNewOrders: false });
    expect(health.recentChanges.slice(0, 2)).toEqual([
      {
        channel: null,
        toMode: 'ACTIVE',
        trigger: 'MANUAL',
        actor: 'ops-zhao',
        reason: '人工恢复分配：已排查',
      },
      {
        channel: 'WEBSHOP',
        toMode: 'ACTIVE',
        trigger: 'MANUAL',
        actor: 'ops-zhao',
        reason: '人工恢复分配：商家已改用国内地址',
      },
    ]);
  });

  it('counts held orders that are still open only', async () => {
    const [id] = await submit('TAOBAO', [taobaoTrade()]);
    expect((await routingOf(id)).routing.holdReason).toBe('ROUTING_PAUSED');
    let health = await flowHealth();
    expect(channel(health, 'TAOBAO').heldOrders).toBe(1);
    expect(held(health, 'ROUTING_PAUSED')).toBe(1);

    // The parcel goes out and arrives while the order is still held: it holds nothing any more.
    const at = Date.now();
    const events = ['TMS_PICKED_UP', 'TMS_DELIVERED'].map((type, i) => ({
      orderId: id,
      source: 'TMS',
      type,
      idempotencyKey: `held-${type}`,
      occurredAt: new Date(at + i * 1000).toISOString(),
    }));
    const recorded = await api.gql<{ recordOrderEvents: { results: { outcome: string }[] } }>(
      'mutation ($input: RecordOrderEventsInput!) { recordOrderEvents(input: $input) { results { outcome } } }',
      { input: { events } },
    );
    expect(recorded.recordOrderEvents.results.map((r) => r.outcome)).toEqual(['APPLIED', 'APPLIED']);
    expect((await routingOf(id)).state).toBe('DELIVERED');
    health = await flowHealth();
    expect(channel(health, 'TAOBAO').heldOrders).toBe(0);
    expect(held(health, 'ROUTING_PAUSED')).toBe(0);
    expect(health.problems.join('\n')).toContain('该渠道 0 个新订单以 ROUTING_PAUSED 挂起');
  });
});
