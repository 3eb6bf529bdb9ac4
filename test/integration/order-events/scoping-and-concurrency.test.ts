import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderState } from '../../../api/src/domain/order/order-types.js';
import { applyOrderEvents } from '../../../api/src/modules/order-events/order-event.service.js';
import { sleep } from '../../support/wait-for.js';
import {
  type EventsDb,
  ev,
  historyOf,
  openEventsDb,
  orderRow,
  outboxOf,
  RECEIVED_AT,
  seedOrder,
} from './order-events-kit.js';

describe('applyOrderEvents: channel scoping', () => {
  let db: EventsDb;
  beforeAll(async () => {
    db = await openEventsDb('events_scope');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('lets a caller limited to JD touch JD orders only, and answers others like unknown orders', async () => {
    const jd = await seedOrder(db.pool, 'PAID', 'JD');
    const taobao = await seedOrder(db.pool, 'PAID', 'TAOBAO');
    const results = await applyOrderEvents(
      db.pool,
      [
        { orderRef: { orderId: jd.id }, event: ev('WMS_ACCEPTED', 'WMS', 1) },
        { orderRef: { orderId: taobao.id }, event: ev('WMS_ACCEPTED', 'WMS', 1) },
        {
          orderRef: { orderId: '00000000-0000-4000-8000-000000000001' },
          event: ev('WMS_ACCEPTED', 'WMS', 1),
        },
        {
          orderRef: { channel: 'TAOBAO', channelOrderNo: taobao.channelOrderNo },
          event: ev('WMS_ACCEPTED', 'WMS', 1),
        },
      ],
      RECEIVED_AT,
      { allowedChannels: ['JD'] },
    );
    expect(results[0].outcome).toBe('APPLIED');
    // Another channel's order by id reads exactly like an id that does not exist.
    const { index: _1, ...otherChannel } = results[1];
    const { index: _2, ...missing } = results[2];
    expect(otherChannel).toEqual(missing);
    expect(missing.errors[0].code).toBe('ORDER_NOT_FOUND');
    expect(results[3]).toMatchObject({ outcome: 'INVALID', errors: [{ code: 'CHANNEL_NOT_ALLOWED' }] });
    expect((await orderRow(db.pool, taobao.id)).state).toBe('PAID');
    expect(await historyOf(db.pool, taobao.id)).toHaveLength(0);
  });
});

describe('applyOrderEvents: concurrent calls', () => {
  let db: EventsDb;
  beforeAll(async () => {
    db = await openEventsDb('events_conc');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('waits for a transaction holding the order and decides on the state it committed', async () => {
    const order = await seedOrder(db.pool, 'PAID');
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query(
        `update orders set state = 'WAREHOUSE_ACCEPTED', version = version + 1 where id = $1`,
        [order.id],
      );
      let settled = false;
      const call = applyOrderEvents(
        db.pool,
        [{ orderRef: { orderId: order.id }, event: ev('WMS_PICKING_STARTED', 'WMS', 20) }],
        RECEIVED_AT,
      ).finally(() => {
        settled = true;
      });
      await sleep(300);
      expect(settled).toBe(false);
      await holder.query('commit');
      const [result] = await call;
      expect(result).toMatchObject({
        outcome: 'APPLIED',
        fromState: 'WAREHOUSE_ACCEPTED',
        toState: 'PICKING',
      });
      expect((await orderRow(db.pool, order.id)).version).toBe(3);
    } finally {
      await holder.end();
    }
  });

  it('never loses an update when calls on the same orders race, and never deadlocks', async () => {
    const orders = await Promise.all(Array.from({ length: 6 }, () => seedOrder(db.pool, 'PAID')));
    const steps: [string, string][] = [
      ['WMS_ACCEPTED', 'WMS'],
      ['WMS_PICKING_STARTED', 'WMS'],
      ['WMS_PACKED', 'WMS'],
      ['WMS_SHIPPED', 'WMS'],
      ['TMS_PICKED_UP', 'TMS'],
      ['TMS_OUT_FOR_DELIVERY', 'TMS'],
      ['TMS_DELIVERY_FAILED', 'TMS'],
      ['TMS_DELIVERED', 'TMS'],
    ];
    // Eight callers, each one step for every order, listing the orders in a different order.
    const calls = steps.map(([type, source], step) => {
      const listed = step % 2 === 0 ? orders : [...orders].reverse();
      return applyOrderEvents(
        db.pool,
        listed.map((o) => ({ orderRef: { orderId: o.id }, event: ev(type, source, 10 + step) })),
        new Date(RECEIVED_AT.getTime() + step),
      );
    });
    const settled = await Promise.all(calls);
    expect(settled.flat()).toHaveLength(steps.length * orders.length);

    for (const order of orders) {
      const history = await historyOf(db.pool, order.id);
      expect(history.filter((h) => h.outcome !== 'IMPLIED')).toHaveLength(steps.length);
      const moves = history.filter((h) => h.outcome === 'APPLIED' || h.outcome === 'IMPLIED');
      // The moves form one chain from the initial state: no two moves read the same state.
      const byFrom = new Map(moves.map((m) => [m.from_state, m]));
      expect(byFrom.size).toBe(moves.length);
      let state: string | null = 'PAID';
      for (let move = byFrom.get(state); move; move = byFrom.get(state)) {
        byFrom.delete(state);
        state = move.to_state;
      }
      expect(byFrom.size).toBe(0);
      const row = await orderRow(db.pool, order.id);
      expect(row.state).toBe(state as OrderState);
      // Whatever order the calls ran in, the feed ends where its last event says.
      expect(row.state).toBe('DELIVERED');
      const outbox = await outboxOf(db.pool, order.id);
      // One version step and one message per call that moved the order.
      expect(row.version - 1).toBe(outbox.length);
    }
  });
});
