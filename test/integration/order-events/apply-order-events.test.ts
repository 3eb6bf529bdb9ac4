import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyOrderEvents } from '../../../api/src/modules/order-events/order-event.service.js';
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

describe('applyOrderEvents', () => {
  let db: EventsDb;
  beforeAll(async () => {
    db = await openEventsDb('events');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('applies an event: state, state_entered_at, version, updated_at, history and one outbox message', async () => {
    const order = await seedOrder(db.pool, 'PAID');
    const [result] = await applyOrderEvents(
      db.pool,
      [{ orderRef: { orderId: order.id }, event: ev('WMS_ACCEPTED', 'WMS', 5, 'wms-1', { dock: 'A1' }) }],
      RECEIVED_AT,
    );
    expect(result).toEqual({
      index: 0,
      orderId: order.id,
      outcome: 'APPLIED',
      fromState: 'PAID',
      toState: 'WAREHOUSE_ACCEPTED',
      reason: null,
      impliedSteps: [],
      errors: [],
    });
    const row = await orderRow(db.pool, order.id);
    expect(row.state).toBe('WAREHOUSE_ACCEPTED');
    expect(row.version).toBe(2);
    expect(row.updated_at).toEqual(RECEIVED_AT);
    expect(row.state_entered_at.WAREHOUSE_ACCEPTED).toBe('2026-11-25T02:05:00.000Z');
    expect(row.state_entered_at.PAID).toBeDefined();

    const [history] = await historyOf(db.pool, order.id);
    expect(history).toMatchObject({
      type: 'WMS_ACCEPTED',
      idempotency_key: 'wms-1',
      outcome: 'APPLIED',
      from_state: 'PAID',
      to_state: 'WAREHOUSE_ACCEPTED',
      reason: null,
      payload: { dock: 'A1' },
    });
    // When it happened and when it arrived are kept apart.
    expect(history.occurred_at).toEqual(new Date('2026-11-25T02:05:00Z'));
    expect(history.received_at).toEqual(RECEIVED_AT);

    const outbox = await outboxOf(db.pool, order.id);
    expect(outbox).toHaveLength(1);
    expect(outbox[0].topic).toBe('order.updated');
    expect(outbox[0].payload).toEqual({
      orderId: order.id,
      channel: 'TAOBAO',
      channelOrderNo: order.channelOrderNo,
      state: 'WAREHOUSE_ACCEPTED',
      previousState: 'PAID',
      groupId: null,
      abnormal: false,
      occurredAt: '2026-11-25T02:05:00.000Z',
    });
  });

  it('decides one order’s events in occurredAt order, by channel order number, with one outbox message', async () => {
    const order = await seedOrder(db.pool, 'PAID', 'JD');
    const ref = { channel: 'JD' as const, channelOrderNo: order.channelOrderNo };
    const results = await applyOrderEvents(
      db.pool,
      [
        { orderRef: ref, event: ev('WMS_PACKED', 'WMS', 30) },
        { orderRef: ref, event: ev('WMS_PICKING_STARTED', 'WMS', 20) },
        { orderRef: ref, event: ev('WMS_ACCEPTED', 'WMS', 10) },
      ],
      RECEIVED_AT,
    );
    expect(results.map((r) => [r.index, r.outcome, r.fromState, r.toState])).toEqual([
      [0, 'APPLIED', 'PICKING', 'PACKED'],
      [1, 'APPLIED', 'WAREHOUSE_ACCEPTED', 'PICKING'],
      [2, 'APPLIED', 'PAID', 'WAREHOUSE_ACCEPTED'],
    ]);
    const row = await orderRow(db.pool, order.id);
    expect(row.state).toBe('PACKED');
    expect(row.version).toBe(2);
    expect(Object.keys(row.state_entered_at).sort()).toEqual([
      'PACKED',
      'PAID',
      'PICKING',
      'WAREHOUSE_ACCEPTED',
    ]);
    const outbox = await outboxOf(db.pool, order.id);
    expect(outbox.map((m) => [m.payload.previousState, m.payload.state])).toEqual([['PAID', 'PACKED']]);
  });

  it('treats a repeated idempotency key as a duplicate, in the same call and in a later one', async () => {
    const order = await seedOrder(db.pool, 'PAID');
    const orderRef = { orderId: order.id };
    const first = await applyOrderEvents(
      db.pool,
      [
        { orderRef, event: ev('WMS_ACCEPTED', 'WMS', 5, 'accept-1') },
        { orderRef, event: ev('WMS_ACCEPTED', 'WMS', 6, 'accept-1') },
      ],
      RECEIVED_AT,
    );
    expect(first.map((r) => r.outcome)).toEqual(['APPLIED', 'DUPLICATE']);
    expect(first[1].reason).toMatch(/already received/);

    const again = await applyOrderEvents(
      db.pool,
      [{ orderRef, event: ev('WMS_ACCEPTED', 'WMS', 5, 'accept-1') }],
      new Date(RECEIVED_AT.getTime() + 60_000),
    );
    expect(again[0]).toMatchObject({ outcome: 'DUPLICATE', orderId: order.id, toState: null });
    expect(await historyOf(db.pool, order.id)).toHaveLength(1);
    expect(await outboxOf(db.pool, order.id)).toHaveLength(1);
    expect((await orderRow(db.pool, order.id)).version).toBe(2);
  });

  it('records a late "shipped" after "delivered" as STALE and leaves the state alone', async () => {
    const order = await seedOrder(db.pool, 'IN_TRANSIT');
    const orderRef = { orderId: order.id };
    const delivered = await applyOrderEvents(
      db.pool,
      [{ orderRef, event: ev('TMS_DELIVERED', 'TMS', 50) }],
      RECEIVED_AT,
    );
    expect(delivered[0].outcome).toBe('APPLIED');
    const late = await applyOrderEvents(
      db.pool,
      [{ orderRef, event: ev('WMS_SHIPPED', 'WMS', 10) }],
      new Date(RECEIVED_AT.getTime() + 60_000),
    );
    // Decided where it belongs in time: the order was IN_TRANSIT at 10:10, already past SHIPPED.
    expect(late[0]).toMatchObject({ outcome: 'STALE', fromState: 'IN_TRANSIT', toState: null });
    expect(late[0].reason).toMatch(/arrived late/);
    expect((await orderRow(db.pool, order.id)).state).toBe('DELIVERED');
    const history = await historyOf(db.pool, order.id);
    expect(history.map((h) => [h.type, h.outcome])).toEqual([
      ['TMS_DELIVERED', 'APPLIED'],
      ['WMS_SHIPPED', 'STALE'],
    ]);
    expect(history[1].reason).toBe(late[0].reason);
    expect(history[1].received_at.getTime() - history[1].occurred_at.getTime()).toBeGreaterThan(0);
    // The delivery keeps its own arrival time; the state did not move again, so no second message.
    expect(history[0].received_at).toEqual(RECEIVED_AT);
    expect(await outboxOf(db.pool, order.id)).toHaveLength(1);
  });

  it('rejects a move that contradicts the order with the reason, and decides the same key again when re-sent', async () => {
    const order = await seedOrder(db.pool, 'CANCELLED');
    const orderRef = { orderId: order.id };
    const [rejected] = await applyOrderEvents(
      db.pool,
      [{ orderRef, event: ev('TMS_DELIVERED', 'TMS', 30, 'pack-1') }],
      RECEIVED_AT,
    );
    expect(rejected.outcome).toBe('REJECTED');
    expect(rejected.reason).toMatch(/^TMS_DELIVERED: order cannot move from CANCELLED to DELIVERED/);
    expect((await orderRow(db.pool, order.id)).state).toBe('CANCELLED');
    expect((await historyOf(db.pool, order.id))[0]).toMatchObject({
      outcome: 'REJECTED',
      from_state: 'CANCELLED',
    });
    expect(await outboxOf(db.pool, order.id)).toHaveLength(0);

    const later = new Date(RECEIVED_AT.getTime() + 60_000);
    const [again] = await applyOrderEvents(
      db.pool,
      [{ orderRef, event: ev('TMS_DELIVERED', 'TMS', 30, 'pack-1') }],
      later,
    );
    expect(again.outcome).toBe('REJECTED');
    const history = await historyOf(db.pool, order.id);
    expect(history).toHaveLength(1);
    expect(history[0].received_at).toEqual(later);
  });

  it('keeps an early event PENDING and applies it, with the steps it implies, in the call that makes it fit', async () => {
    const order = await seedOrder(db.pool, 'CREATED');
    const orderRef = { orderId: order.id };
    const [early] = await applyOrderEvents(
      db.pool,
      [{ orderRef, event: ev('WMS_PACKED', 'WMS', 30, 'pack-1') }],
      RECEIVED_AT,
    );
    expect(early).toMatchObject({ outcome: 'PENDING', fromState: 'CREATED', toState: null });
    expect(early.reason).toMatch(/arrived early/);
    expect((await orderRow(db.pool, order.id)).state).toBe('CREATED');
    expect(await outboxOf(db.pool, order.id)).toHaveLength(0);

    const later = new Date(RECEIVED_AT.getTime() + 60_000);
    const [paid] = await applyOrderEvents(
      db.pool,
      [{ orderRef, event: ev('PAYMENT_CONFIRMED', 'PAYMENT', 20) }],
      later,
    );
    expect(paid).toMatchObject({ outcome: 'APPLIED', fromState: 'CREATED', toState: 'PAID' });
    const row = await orderRow(db.pool, order.id);
    expect(row.state).toBe('PACKED');
    expect(row.state_entered_at.PICKING).toBe('2026-11-25T02:30:00.000Z');
    const history = await historyOf(db.pool, order.id);
    expect(history.map((h) => [h.idempotency_key, h.outcome, h.from_state, h.to_state])).toEqual([
      ['pack-1', 'APPLIED', 'PICKING', 'PACKED'],
      ['PAYMENT_CONFIRMED-20', 'APPLIED', 'CREATED', 'PAID'],
      ['implied:WAREHOUSE_ACCEPTED', 'IMPLIED', 'PAID', 'WAREHOUSE_ACCEPTED'],
      ['implied:PICKING', 'IMPLIED', 'WAREHOUSE_ACCEPTED', 'PICKING'],
    ]);
    // The early event keeps the time it arrived; the steps say what implied them.
    expect(history[0].received_at).toEqual(RECEIVED_AT);
    expect(history[2].reason).toBe('implied by WMS_PACKED (pack-1)');
    expect(await outboxOf(db.pool, order.id)).toHaveLength(1);
  });

  it('reports unknown orders and malformed events as INVALID and still commits the valid ones', async () => {
    const order = await seedOrder(db.pool, 'PAID');
    const results = await applyOrderEvents(
      db.pool,
      [
        {
          orderRef: { orderId: '00000000-0000-4000-8000-000000000000' },
          event: ev('WMS_ACCEPTED', 'WMS', 1),
        },
        { orderRef: { orderId: 'not-a-uuid' }, event: ev('WMS_ACCEPTED', 'WMS', 1) },
        { orderRef: { channel: 'DOUYIN', channelOrderNo: 'nope' }, event: ev('WMS_ACCEPTED', 'WMS', 1) },
        {
          orderRef: { orderId: order.id },
          event: { ...ev('WMS_ACCEPTED', 'TMS', 1), occurredAt: 'yesterday' },
        },
        { orderRef: { orderId: order.id }, event: ev('TMS_EXCEPTION_REPORTED', 'TMS', 2) },
      ],
      RECEIVED_AT,
    );
    const notFound = {
      field: 'orderRef',
      code: 'ORDER_NOT_FOUND',
      message: 'no order matches this reference',
    };
    expect(results[0]).toMatchObject({ outcome: 'INVALID', orderId: null, errors: [notFound] });
    expect(results[1]).toMatchObject({ outcome: 'INVALID', errors: [notFound] });
    expect(results[2]).toMatchObject({ outcome: 'INVALID', errors: [notFound] });
    expect(results[3].outcome).toBe('INVALID');
    expect(results[3].errors.map((e) => [e.field, e.code])).toEqual([
      ['source', 'SOURCE_MISMATCH'],
      ['occurredAt', 'INVALID_TIME'],
    ]);
    expect(results[4]).toMatchObject({ outcome: 'RECORDED', fromState: 'PAID', toState: null });
    expect((await historyOf(db.pool, order.id)).map((h) => h.outcome)).toEqual(['RECORDED']);
    // A recorded event changes no state: no message, no version step.
    expect(await outboxOf(db.pool, order.id)).toHaveLength(0);
    expect((await orderRow(db.pool, order.id)).version).toBe(1);
  });

  it('writes exactly one outbox message per order whose state changed, across a batch', async () => {
    const [a, b, c] = await Promise.all([
      seedOrder(db.pool, 'PAID'),
      seedOrder(db.pool, 'PACKED'),
      seedOrder(db.pool, 'DELIVERED'),
    ]);
    const results = await applyOrderEvents(
      db.pool,
      [
        { orderRef: { orderId: a.id }, event: ev('WMS_ACCEPTED', 'WMS', 1) },
        { orderRef: { orderId: b.id }, event: ev('WMS_SHIPPED', 'WMS', 1) },
        { orderRef: { orderId: a.id }, event: ev('WMS_PICKING_STARTED', 'WMS', 2) },
        { orderRef: { orderId: c.id }, event: ev('WMS_SHIPPED', 'WMS', 1) },
        { orderRef: { orderId: b.id }, event: ev('TMS_PICKED_UP', 'TMS', 3) },
      ],
      RECEIVED_AT,
    );
    expect(results.map((r) => r.outcome)).toEqual(['APPLIED', 'APPLIED', 'APPLIED', 'STALE', 'APPLIED']);
    const messages = await db.pool.query<{ dedupe_key: string; payload: { orderId: string; state: string } }>(
      `select dedupe_key, payload from outbox_message where payload->>'orderId' = any($1::text[])`,
      [[a.id, b.id, c.id]],
    );
    expect(messages.rows.map((m) => [m.payload.orderId, m.payload.state]).sort()).toEqual(
      [
        [a.id, 'PICKING'],
        [b.id, 'IN_TRANSIT'],
      ].sort(),
    );
    expect(new Set(messages.rows.map((m) => m.dedupe_key)).size).toBe(2);
  });
});
