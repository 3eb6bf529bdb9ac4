import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FlowHealthService } from '../../../api/src/modules/flow-health/flow-health.service.js';
import { rerouteHeldOrders } from '../../../api/src/modules/flow-health/reroute-held.js';
import { submitChannelOrders } from '../../../api/src/modules/orders/order-intake.js';
import { divisionRegistry } from '../../../api/src/modules/routing/division-registry.js';
import { ensureRoutingDefaults } from '../../../api/src/modules/routing/routing-rules.store.js';
import { openFlowHealthDatabase, silentLogger, testSettings, webshopOrder } from './flow-health-kit.js';

const T0 = new Date('2026-11-25T06:03:10.000Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/**
 * The outage, through real intake and real routing: addresses stop parsing, the check pauses
 * routing, new orders are held with ROUTING_PAUSED, and resuming routes them again.
 */
describe('pause on blind routing, hold, resume and re-route', () => {
  let db: Awaited<ReturnType<typeof openFlowHealthDatabase>>;
  let service: FlowHealthService;

  const submit = async (orders: Record<string, unknown>[], now: Date) => {
    const { results, errors } = await submitChannelOrders(db.pool, 'WEBSHOP', orders, now);
    expect(errors).toEqual([]);
    return results.map((r) => r.orderId);
  };
  const routing = async (ids: string[]) =>
    (
      await db.pool.query<{ id: string; group_id: string | null; hold_reason: string | null }>(
        'select id, group_id, hold_reason from orders where id = any($1::uuid[])',
        [ids],
      )
    ).rows.sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id));

  beforeAll(async () => {
    db = await openFlowHealthDatabase('fh_reroute');
    divisionRegistry.useLogger(silentLogger);
    expect(divisionRegistry.reload().ok).toBe(true);
    await ensureRoutingDefaults(db.pool);
    service = new FlowHealthService({
      pool: db.pool,
      settings: testSettings({ minSamples: 10 }),
      logger: silentLogger,
      rerouteHeld: rerouteHeldOrders(db.pool),
    });
  });
  afterAll(() => db?.close());

  it('holds new orders while paused and releases them when an operator resumes', async () => {
    // Healthy: orders are routed.
    const [routed] = await submit([webshopOrder()], T0);
    expect((await routing([routed]))[0]).toMatchObject({ group_id: 'east-china', hold_reason: null });

    // The outage: the web shop's addresses stop parsing; the check sees it and pauses that channel.
    await submit(
      Array.from({ length: 12 }, () => webshopOrder({ garbage: true })),
      at(5),
    );
    const check = await service.check(at(10));
    expect(check.change).toBeNull();
    expect(check.changes).toEqual([
      expect.objectContaining({ channel: 'WEBSHOP', to: 'PAUSED', trigger: 'AUTOMATIC' }),
    ]);
    expect(check.health.overall).toMatchObject({ total: 13, ok: 1 });

    // Orders arriving now are held, even those whose address parses.
    const held = await submit([webshopOrder(), webshopOrder(), webshopOrder({ garbage: true })], at(20));
    expect((await routing(held)).map((o) => [o.group_id, o.hold_reason])).toEqual([
      [null, 'ROUTING_PAUSED'],
      [null, 'ROUTING_PAUSED'],
      [null, 'ROUTING_PAUSED'],
    ]);
    const heldCount = await db.pool.query(
      `select count(*)::int as n from orders where hold_reason = 'ROUTING_PAUSED'`,
    );
    expect(heldCount.rows[0].n).toBe(3);

    // Resuming routes every held order again: the readable ones get a group.
    const resumed = await service.resume(
      { username: 'ops-li', userId: 'u-1' },
      '城市库已回滚',
      at(60),
      'WEBSHOP',
    );
    expect(resumed.change).toMatchObject({
      channel: 'WEBSHOP',
      from: 'PAUSED',
      to: 'ACTIVE',
      trigger: 'MANUAL',
    });
    expect(resumed.rerouted).toBe(2);
    expect(resumed.rerouteError).toBeNull();
    expect((await routing(held)).map((o) => [o.group_id, o.hold_reason])).toEqual([
      ['east-china', null],
      ['east-china', null],
      [null, 'ADDRESS_UNPARSED'],
    ]);
    const { rows } = await db.pool.query(
      'select rerouted_orders from flow_health_event order by id desc limit 1',
    );
    expect(rows[0].rerouted_orders).toBe(2);

    // The garbage parsed before the resume does not pause routing again.
    expect((await service.check(at(70))).changes).toEqual([]);
  });
});
