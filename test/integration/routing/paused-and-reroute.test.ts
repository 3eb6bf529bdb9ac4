import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { divisionRegistry } from '../../../api/src/modules/routing/division-registry.js';
import { rerouteOrders } from '../../../api/src/modules/routing/reroute.service.js';
import { DEFAULT_RULES } from '../../../api/src/modules/routing/routing-defaults.js';
import { ensureRoutingDefaults } from '../../../api/src/modules/routing/routing-rules.store.js';
import {
  gql,
  openRoutingDb,
  parseStats,
  type RoutingDb,
  routingOf,
  ruleHits,
  setRoutingMode,
  staff,
  submit,
} from './routing-kit.js';

const OPS = staff('OPS');
const PAUSED_AT = new Date('2026-11-20T02:00:00Z');
const RESUMED_AT = new Date('2026-11-20T03:00:00Z');

const REROUTE = `mutation ($filter: RerouteFilterInput!) {
  rerouteOrders(filter: $filter) { evaluated moved stillHeld released userErrors { field code } } }`;

async function historyOf(db: RoutingDb, orderId: string) {
  const { rows } = await db.pool.query(
    `select source, type, outcome, reason, payload, occurred_at from order_event
      where order_id = $1 and type = 'ROUTED' order by id`,
    [orderId],
  );
  return rows;
}

async function routedMessages(db: RoutingDb, orderId: string) {
  const { rows } = await db.pool.query<{ dedupe_key: string; payload: Record<string, unknown> }>(
    `select dedupe_key, payload from outbox_message
      where topic = 'order.updated' and payload->>'orderId' = $1 and dedupe_key like '%:ROUTED:%' order by id`,
    [orderId],
  );
  return rows;
}

describe('paused routing and re-routing', () => {
  let db: RoutingDb;

  beforeAll(async () => {
    db = await openRoutingDb('routing_paused');
    expect(divisionRegistry.reload().ok).toBe(true);
    await ensureRoutingDefaults(db.pool);
  });
  afterAll(async () => {
    await db?.close();
  });

  it('routes while flow health has published no mode, or has no table yet', async () => {
    const [order] = await submit(db, [{}], PAUSED_AT);
    expect((await routingOf(db, order.orderId)).group_id).toBe('east-china');
    await db.pool.query('drop table if exists flow_health_state cascade');
    const [another] = await submit(db, [{}], PAUSED_AT);
    expect((await routingOf(db, another.orderId)).group_id).toBe('east-china');
  });

  it('holds new orders as ROUTING_PAUSED while paused, parsed and counted, and releases them on re-route once resumed', async () => {
    await setRoutingMode(db, 'PAUSED');
    const statsBefore = await parseStats(db);
    const results = await submit(
      db,
      [
        {},
        { province: '广东省', city: '深圳市', district: '福田区' },
        { province: null, city: null, district: null, detail: '🏠' },
      ],
      PAUSED_AT,
    );
    const held = await Promise.all(results.map((r) => routingOf(db, r.orderId)));
    expect(held.map((h) => [h.group_id, h.hold_reason, h.routing_rule_id])).toEqual([
      [null, 'ROUTING_PAUSED', null],
      [null, 'ROUTING_PAUSED', null],
      [null, 'ROUTING_PAUSED', null],
    ]);
    expect(held[0].region?.provinceCode).toBe('330000');
    expect(held[1].region?.districtCode).toBe('440304');
    expect(held[0].routing_reason).toContain('自动分配已暂停[ROUTING_PAUSED]');
    const stats = await parseStats(db);
    const sum = (rows: typeof stats, k: 'ok_count' | 'failed_count') => rows.reduce((n, r) => n + r[k], 0);
    expect(sum(stats, 'ok_count') - sum(statsBefore, 'ok_count')).toBe(2);
    expect(sum(stats, 'failed_count') - sum(statsBefore, 'failed_count')).toBe(1);

    // Still paused: nothing is released.
    expect(await rerouteOrders(db.pool, { holdReason: 'ROUTING_PAUSED' }, PAUSED_AT)).toEqual({
      evaluated: 3,
      moved: 0,
      stillHeld: 3,
      released: 0,
    });

    await setRoutingMode(db, 'ACTIVE');
    const hitsBefore = await ruleHits(db);
    const outcome = await rerouteOrders(db.pool, { holdReason: 'ROUTING_PAUSED' }, RESUMED_AT);
    expect(outcome).toEqual({ evaluated: 3, moved: 2, stillHeld: 1, released: 2 });
    const after = await Promise.all(results.map((r) => routingOf(db, r.orderId)));
    expect(after.map((a) => [a.group_id, a.hold_reason, a.routing_rule_id])).toEqual([
      ['east-china', null, 'east-china'],
      ['south-china', null, 'south-china'],
      [null, 'ADDRESS_UNPARSED', null],
    ]);
    expect(after[0].routed_at).toEqual(RESUMED_AT);
    expect(after[0].version).toBe(held[0].version + 1);

    const [history] = await historyOf(db, results[0].orderId);
    expect(history).toMatchObject({
      source: 'SYSTEM',
      type: 'ROUTED',
      outcome: 'RECORDED',
      reason: '规则「华东地区」命中：省份 330000',
      payload: {
        fromGroupId: null,
        toGroupId: 'east-china',
        ruleId: 'east-china',
        previousHoldReason: 'ROUTING_PAUSED',
        holdReason: null,
      },
    });
    expect(history.occurred_at).toEqual(RESUMED_AT);
    const messages = await routedMessages(db, results[0].orderId);
    expect(messages.map((m) => m.payload)).toEqual([
      {
        orderId: results[0].orderId,
        channel: 'WEBSHOP',
        channelOrderNo: held[0].channel_order_no,
        state: 'PAID',
        previousState: 'PAID',
        groupId: 'east-china',
        abnormal: false,
        occurredAt: RESUMED_AT.toISOString(),
      },
    ]);
    // The order that is still held changed its reason: it is recorded too, without a group.
    const [stillHeld] = await historyOf(db, results[2].orderId);
    expect(stillHeld.payload).toMatchObject({
      previousHoldReason: 'ROUTING_PAUSED',
      holdReason: 'ADDRESS_UNPARSED',
      toGroupId: null,
    });

    const hits = await ruleHits(db);
    const count = (rows: typeof hits, id: string) => rows.find((r) => r.rule_id === id)?.count ?? 0;
    expect(count(hits, 'east-china') - count(hitsBefore, 'east-china')).toBe(1);
    expect(count(hits, 'south-china') - count(hitsBefore, 'south-china')).toBe(1);

    // Nothing is left held as paused, and a second run changes nothing.
    expect(await rerouteOrders(db.pool, { holdReason: 'ROUTING_PAUSED' }, RESUMED_AT)).toEqual({
      evaluated: 0,
      moved: 0,
      stillHeld: 0,
      released: 0,
    });
    expect(await rerouteOrders(db.pool, { orderIds: results.map((r) => r.orderId) }, RESUMED_AT)).toEqual({
      evaluated: 3,
      moved: 0,
      stillHeld: 1,
      released: 0,
    });
    expect(await historyOf(db, results[0].orderId)).toHaveLength(1);
  });

  it('never takes a routed order out of its group to hold it', async () => {
    const [order] = await submit(
      db,
      [{ province: '安徽省', city: '合肥市', district: '蜀山区' }],
      RESUMED_AT,
    );
    await setRoutingMode(db, 'PAUSED');
    expect(await rerouteOrders(db.pool, { orderIds: [order.orderId] }, RESUMED_AT)).toEqual({
      evaluated: 1,
      moved: 0,
      stillHeld: 0,
      released: 0,
    });
    expect((await routingOf(db, order.orderId)).group_id).toBe('east-china');
    await setRoutingMode(db, 'ACTIVE');
  });

  it("holds only the paused channel's new orders, and re-routing keeps them held until it resumes", async () => {
    const pauseChannel = (channel: string, mode: 'ACTIVE' | 'PAUSED') =>
      db.pool.query(
        `insert into channel_routing_state (channel, routing_mode) values ($1, $2)
         on conflict (channel) do update set routing_mode = excluded.routing_mode`,
        [channel, mode],
      );
    // Another channel paused: the web shop is routed.
    await pauseChannel('TAOBAO', 'PAUSED');
    const [routed] = await submit(db, [{}], RESUMED_AT);
    expect((await routingOf(db, routed.orderId)).group_id).toBe('east-china');

    await pauseChannel('WEBSHOP', 'PAUSED');
    const [held] = await submit(db, [{}], RESUMED_AT);
    expect(await routingOf(db, held.orderId)).toMatchObject({
      group_id: null,
      hold_reason: 'ROUTING_PAUSED',
      routing_reason:
        '渠道 官网商城(WEBSHOP) 自动分配已暂停[ROUTING_PAUSED]，订单暂不分配；该渠道恢复分配后重新分配',
    });
    expect(await rerouteOrders(db.pool, { orderIds: [held.orderId] }, RESUMED_AT)).toMatchObject({
      stillHeld: 1,
      released: 0,
    });

    await pauseChannel('WEBSHOP', 'ACTIVE');
    expect(
      await rerouteOrders(db.pool, { holdReason: 'ROUTING_PAUSED', channels: ['WEBSHOP'] }, RESUMED_AT),
    ).toMatchObject({ evaluated: 1, released: 1 });
    expect((await routingOf(db, held.orderId)).group_id).toBe('east-china');
    await pauseChannel('TAOBAO', 'ACTIVE');
  });

  it('moves routed orders to follow new rules, through the mutation, in batches', async () => {
    const many = await submit(
      db,
      Array.from({ length: 1_203 }, () => ({ province: '四川省', city: '成都市', district: '锦江区' })),
      RESUMED_AT,
    );
    expect(
      new Set(
        await Promise.all(many.slice(0, 3).map(async (r) => (await routingOf(db, r.orderId)).group_id)),
      ),
    ).toEqual(new Set(['general']));
    const save = await gql<{ saveRoutingRules: { userErrors: unknown[] } }>(
      db,
      OPS,
      `mutation ($input: RoutingRuleSetInput!) { saveRoutingRules(input: $input) { userErrors { field code } } }`,
      {
        input: {
          defaultGroupId: 'general',
          rules: [
            ...DEFAULT_RULES,
            {
              id: 'sichuan',
              name: '四川',
              priority: 50,
              groupId: 'south-china',
              enabled: true,
              conditions: { provinceCodes: ['510000'] },
            },
          ],
        },
      },
    );
    expect(save.data.saveRoutingRules.userErrors).toEqual([]);
    const answer = await gql<{ rerouteOrders: Record<string, unknown> }>(db, OPS, REROUTE, {
      filter: { groupIds: ['general'], states: ['PAID'] },
    });
    expect(answer.errors).toEqual([]);
    expect(answer.data.rerouteOrders).toEqual({
      evaluated: 1_203,
      moved: 1_203,
      stillHeld: 0,
      released: 0,
      userErrors: [],
    });
    const moved = await routingOf(db, many[1_202].orderId);
    expect([moved.group_id, moved.routing_rule_id]).toEqual(['south-china', 'sichuan']);
    expect(await historyOf(db, many[0].orderId)).toHaveLength(1);
  });

  it('checks the filter, and lets only OPS and ADMIN re-route', async () => {
    const invalid = await gql<{ rerouteOrders: { userErrors: { field: string; code: string }[] } }>(
      db,
      OPS,
      REROUTE,
      {
        filter: { orderIds: ['not-an-id'], states: ['LOST'] },
      },
    );
    expect(invalid.data.rerouteOrders.userErrors).toEqual([
      { field: 'orderIds[0]', code: 'INVALID_ID' },
      { field: 'states[0]', code: 'UNKNOWN_STATE' },
    ]);
    const forbidden = await gql(db, staff('SERVICE'), REROUTE, { filter: {} });
    expect(forbidden.errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    // Closed orders are never routed again.
    const [delivered] = await submit(
      db,
      [{ status: 'DELIVERED', province: '四川省', city: '成都市', district: '锦江区' }],
      RESUMED_AT,
    );
    expect(await rerouteOrders(db.pool, { orderIds: [delivered.orderId] }, RESUMED_AT)).toMatchObject({
      evaluated: 0,
    });
  });
});
