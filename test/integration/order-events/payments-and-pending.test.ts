import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPendingEvents } from '../../../api/src/modules/flow-health/flow-health-report.js';
import { applyOrderEvents } from '../../../api/src/modules/order-events/order-event.service.js';
import { expirePendingEvents } from '../../../api/src/modules/order-events/pending-expiry.js';
import { loadPayments } from '../../../api/src/modules/payments/payment.service.js';
import {
  type EventsDb,
  ev,
  historyOf,
  openEventsDb,
  orderRow,
  RECEIVED_AT,
  seedOrder,
} from './order-events-kit.js';

async function paidFigures(db: EventsDb, id: string) {
  const { rows } = await db.pool.query<{ paid_cents: string; paid_at: Date | null }>(
    'select paid_cents, paid_at from orders where id = $1',
    [id],
  );
  return { paidCents: Number(rows[0].paid_cents), paidAt: rows[0].paid_at };
}

describe('payments from payment events', () => {
  let db: EventsDb;
  beforeAll(async () => {
    db = await openEventsDb('payments');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('records a deposit and its balance per payment, and derives paidAt and paidCents from them', async () => {
    const order = await seedOrder(db.pool, 'CREATED', 'TAOBAO', { paid_cents: 0, paid_at: null });
    const orderRef = { orderId: order.id };
    const deposit = ev('PAYMENT_CONFIRMED', 'PAYMENT', 5, 'pay-dep', {
      amountCents: 3000,
      currency: 'CNY',
      paymentNo: '2026112522001',
      gateway: 'ALIPAY',
      kind: 'DEPOSIT',
    });
    const [first] = await applyOrderEvents(db.pool, [{ orderRef, event: deposit }], RECEIVED_AT);
    expect(first.outcome).toBe('APPLIED');
    expect(await paidFigures(db, order.id)).toEqual({
      paidCents: 3000,
      paidAt: new Date('2026-11-25T02:05:00Z'),
    });

    // The balance arrives twice (the second time under another key): it counts once.
    const balance = (key: string) =>
      ev('PAYMENT_CONFIRMED', 'PAYMENT', 40, key, {
        amountCents: '9007199254740993',
        paymentNo: '2026112522002',
        gateway: 'ALIPAY',
        kind: 'BALANCE',
      });
    const results = await applyOrderEvents(
      db.pool,
      [
        { orderRef, event: balance('pay-bal') },
        { orderRef, event: balance('pay-bal-again') },
      ],
      RECEIVED_AT,
    );
    expect(results.map((r) => r.outcome)).toEqual(['RECORDED', 'RECORDED']);
    const payments = (await loadPayments(db.pool, [order.id])).get(order.id) ?? [];
    expect(payments.map((p) => [p.kind, p.gateway, p.paymentNo, p.amountCents, p.currency])).toEqual([
      ['DEPOSIT', 'ALIPAY', '2026112522001', '3000', 'CNY'],
      ['BALANCE', 'ALIPAY', '2026112522002', '9007199254740993', 'CNY'],
    ]);
    const { rows } = await db.pool.query<{ paid_cents: string }>(
      'select paid_cents::text from orders where id = $1',
      [order.id],
    );
    // Beyond 2^53: kept exactly as 64-bit cents.
    expect(rows[0].paid_cents).toBe('9007199254743993');
  });

  it('counts a refund against the paid figure', async () => {
    const order = await seedOrder(db.pool, 'CREATED');
    const orderRef = { orderId: order.id };
    await applyOrderEvents(
      db.pool,
      [
        {
          orderRef,
          event: ev('PAYMENT_CONFIRMED', 'PAYMENT', 5, 'p', { amountCents: 5000, gateway: 'WECHAT_PAY' }),
        },
        { orderRef, event: ev('ORDER_CANCELLED', 'CHANNEL', 10) },
        {
          orderRef,
          event: ev('PAYMENT_REFUNDED', 'PAYMENT', 20, 'r', { amountCents: 5000, gateway: 'WECHAT_PAY' }),
        },
      ],
      RECEIVED_AT,
    );
    expect((await orderRow(db.pool, order.id)).state).toBe('REFUNDED');
    expect((await paidFigures(db, order.id)).paidCents).toBe(0);
  });

  it('refuses a broken amount as INVALID, naming the field, and writes nothing', async () => {
    const order = await seedOrder(db.pool, 'CREATED');
    const [result] = await applyOrderEvents(
      db.pool,
      [
        {
          orderRef: { orderId: order.id },
          event: ev('PAYMENT_CONFIRMED', 'PAYMENT', 5, 'bad', { amountCents: 12.5, currency: 'yuan' }),
        },
      ],
      RECEIVED_AT,
    );
    expect(result.outcome).toBe('INVALID');
    expect(result.errors.map((e) => [e.field, e.code])).toEqual([
      ['payload.amountCents', 'INVALID_MONEY'],
      ['payload.currency', 'INVALID_CURRENCY'],
    ]);
    expect(await historyOf(db.pool, order.id)).toEqual([]);
    expect((await orderRow(db.pool, order.id)).state).toBe('CREATED');
  });
});

describe('feeds with steps missing and events early', () => {
  let db: EventsDb;
  beforeAll(async () => {
    db = await openEventsDb('pending');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('takes a feed of only payment, carrier pick-up and delivery to DELIVERED in one pass, in any order', async () => {
    const order = await seedOrder(db.pool, 'CREATED');
    const orderRef = { orderId: order.id };
    const results = await applyOrderEvents(
      db.pool,
      [
        { orderRef, event: ev('TMS_DELIVERED', 'TMS', 50) },
        { orderRef, event: ev('TMS_PICKED_UP', 'TMS', 30) },
        { orderRef, event: ev('PAYMENT_CONFIRMED', 'PAYMENT', 10, 'pay', { amountCents: 1000 }) },
      ],
      RECEIVED_AT,
    );
    expect(results.map((r) => r.outcome)).toEqual(['APPLIED', 'APPLIED', 'APPLIED']);
    expect(results[1].impliedSteps).toEqual(['WAREHOUSE_ACCEPTED', 'PICKING', 'PACKED', 'SHIPPED']);
    expect((await orderRow(db.pool, order.id)).state).toBe('DELIVERED');
    const history = await historyOf(db.pool, order.id);
    expect(history.filter((h) => h.outcome === 'IMPLIED').map((h) => h.to_state)).toEqual([
      'WAREHOUSE_ACCEPTED',
      'PICKING',
      'PACKED',
      'SHIPPED',
    ]);
  });

  it('shows waiting events in flow health, and rejects them with the reason once they waited too long', async () => {
    const order = await seedOrder(db.pool, 'CREATED');
    const [early] = await applyOrderEvents(
      db.pool,
      [{ orderRef: { orderId: order.id }, event: ev('TMS_PICKED_UP', 'TMS', 30, 'early') }],
      RECEIVED_AT,
    );
    expect(early.outcome).toBe('PENDING');
    const pending = await loadPendingEvents(db.pool);
    expect(pending.events).toBeGreaterThanOrEqual(1);
    expect(pending.oldestReceivedAt).toEqual(RECEIVED_AT);

    const hour = 3_600_000;
    expect(await expirePendingEvents(db.pool, new Date(RECEIVED_AT.getTime() + hour / 2), hour)).toBe(0);
    expect(await expirePendingEvents(db.pool, new Date(RECEIVED_AT.getTime() + 2 * hour), hour)).toBe(1);
    const [row] = await historyOf(db.pool, order.id);
    expect(row.outcome).toBe('REJECTED');
    expect(row.reason).toMatch(
      /^PENDING_EXPIRED: waited 1 h and never fitted the order; TMS_PICKED_UP arrived early/,
    );
    expect((await loadPendingEvents(db.pool)).events).toBe(pending.events - 1);
  });
});
