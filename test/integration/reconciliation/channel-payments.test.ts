import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NormalizedOrder } from '../../../api/src/domain/intake/normalized-order.js';
import { insertLedgerEntries } from '../../../api/src/modules/ledger/ledger.store.js';
import { applyOrderEvents } from '../../../api/src/modules/order-events/order-event.service.js';
import { ingestOrders } from '../../../api/src/modules/orders/order-intake.service.js';
import { loadPayments } from '../../../api/src/modules/payments/payment.service.js';
import { RECONCILED_ORDER_SQL } from '../../../api/src/modules/reconciliation/reconciled-orders.js';
import { runReconciliation } from '../../../api/src/modules/reconciliation/reconciliation-run.service.js';
import { DEFAULT_MATCHING } from '../../../api/src/modules/reconciliation/reconciliation-settings.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';

let db: MigratedDb;
beforeAll(async () => {
  db = await openMigratedDb('channel_payments');
});
afterAll(async () => {
  await db?.close();
});

const PAID_AT = new Date('2026-11-20T02:00:00Z'); // 10:00 Shanghai
const order = (no: string, extra: Partial<NormalizedOrder> = {}): NormalizedOrder => ({
  channel: 'TAOBAO',
  channelOrderNo: no,
  businessType: 'NORMAL',
  state: 'PAID',
  channelStatus: 'WAIT_SELLER_SEND_GOODS',
  createdAt: new Date(PAID_AT.getTime() - 60_000),
  paidAt: PAID_AT,
  sourceUpdatedAt: PAID_AT,
  goodsCents: 10_000,
  shippingCents: 0,
  totalCents: 10_000,
  paidCents: 10_000,
  presale: null,
  buyer: { name: '测试', phone: '13800000000' },
  address: { province: '浙江省', city: '杭州市', district: '西湖区', street: null, detail: '文三路 1 号' },
  items: [{ lineNo: '1', sku: null, title: '商品', quantity: 1, unitPriceCents: 10_000, category: '' }],
  paymentNo: null,
  ...extra,
});
const payments = async (id: string) =>
  ((await loadPayments(db.pool, [id])).get(id) ?? []).map((p) => `${p.kind} ${p.paymentNo} ${p.amountCents}`);
const paidCents = async (id: string) =>
  (await db.pool.query('select paid_cents::text as c from orders where id = $1', [id])).rows[0].c as string;

describe('payments reported in a channel payload', () => {
  it('are recorded by intake, under the payload’s payment number, in the order’s transaction', async () => {
    const [result] = await ingestOrders(db.pool, [order('TB-C1', { paymentNo: '2026112022001' })], PAID_AT);
    expect(await payments(result.orderId)).toEqual(['FULL 2026112022001 10000']);
    // The same payment from a payment event counts once; a refund then counts against it.
    const ref = { orderId: result.orderId };
    await applyOrderEvents(
      db.pool,
      [
        {
          orderRef: ref,
          event: {
            source: 'PAYMENT',
            type: 'PAYMENT_CONFIRMED',
            idempotencyKey: 'pay-1',
            occurredAt: PAID_AT.toISOString(),
            payload: { amountCents: 10_000, paymentNo: '2026112022001', gateway: 'ALIPAY' },
          },
        },
        {
          orderRef: ref,
          event: {
            source: 'PAYMENT',
            type: 'PAYMENT_REFUNDED',
            idempotencyKey: 'refund-1',
            occurredAt: new Date(PAID_AT.getTime() + 3_600_000).toISOString(),
            payload: { amountCents: 2_500, paymentNo: 'RF-1', gateway: 'ALIPAY' },
          },
        },
      ],
      new Date(PAID_AT.getTime() + 7_200_000),
    );
    expect(await payments(result.orderId)).toEqual(['FULL 2026112022001 10000', 'REFUND RF-1 2500']);
    expect(await paidCents(result.orderId)).toBe('7500');
  });

  it('keep an unnumbered payment under a placeholder that a numbered one replaces', async () => {
    const [first] = await ingestOrders(db.pool, [order('TB-C2')], PAID_AT);
    expect(await payments(first.orderId)).toEqual(['FULL channel-payload:FULL 10000']);
    const later = new Date(PAID_AT.getTime() + 60_000);
    await ingestOrders(
      db.pool,
      [order('TB-C2', { sourceUpdatedAt: later, paymentNo: '2026112022002' })],
      later,
    );
    expect(await payments(first.orderId)).toEqual(['FULL 2026112022002 10000']);
  });

  it('record a presale deposit, then its balance; an unpaid order records nothing', async () => {
    const presale = (balancePaidAt: Date | null, at: Date) =>
      order('TB-C3', {
        businessType: 'PRESALE',
        paidAt: null,
        paidCents: balancePaidAt ? 10_000 : 2_000,
        sourceUpdatedAt: at,
        paymentNo: balancePaidAt ? '2026112022003' : null,
        presale: {
          depositCents: 2_000,
          balanceCents: 8_000,
          depositPaidAt: PAID_AT,
          balancePaidAt,
          promisedShipAt: null,
        },
      });
    const [deposit] = await ingestOrders(db.pool, [presale(null, PAID_AT)], PAID_AT);
    expect(await payments(deposit.orderId)).toEqual(['DEPOSIT channel-payload:DEPOSIT 2000']);
    const later = new Date(PAID_AT.getTime() + 86_400_000);
    await ingestOrders(db.pool, [presale(later, later)], later);
    expect((await payments(deposit.orderId)).sort()).toEqual([
      'BALANCE 2026112022003 8000',
      'DEPOSIT channel-payload:DEPOSIT 2000',
    ]);
    const [unpaid] = await ingestOrders(db.pool, [order('TB-C4', { paidAt: null, paidCents: 0 })], PAID_AT);
    expect(await payments(unpaid.orderId)).toEqual([]);
  });

  it('are what reconciliation expects: a payload payment matches its money, a missing one is found', async () => {
    const [matched, missing] = await ingestOrders(
      db.pool,
      [order('TB-C5', { paymentNo: 'A5' }), order('TB-C6', { paymentNo: 'A6', paidCents: 5_000 })],
      PAID_AT,
    );
    const client = await db.pool.connect();
    try {
      await insertLedgerEntries(
        client,
        [
          {
            kind: 'PAYMENT',
            gateway: 'ALIPAY',
            recordNo: 'A5',
            paymentNo: 'A5',
            merchantOrderNo: 'TB-C5',
            part: null,
            lineType: null,
            amountCents: 10_000n,
            feeCents: null,
            currency: 'CNY',
            occurredAt: PAID_AT,
          },
        ],
        'TAOBAO',
        null,
      );
    } finally {
      client.release();
    }
    const reconciled = async () =>
      (
        await db.pool.query(`select ${RECONCILED_ORDER_SQL} as reconciled from orders o where o.id = $1`, [
          matched.orderId,
        ])
      ).rows[0].reconciled;
    expect(await reconciled()).toBe(false);
    const run = await runReconciliation(db.pool, {
      shop: 'TAOBAO',
      fromDate: '2026-11-20',
      toDate: '2026-11-20',
      trigger: 'MANUAL',
      startedBy: 't',
      settings: DEFAULT_MATCHING,
      now: new Date('2026-12-10T00:00:00Z'),
    });
    expect(run.state).toBe('DONE');
    const { rows } = await db.pool.query(
      `select order_id, outcome, payment_no, expected_cents::text as expected from reconciliation_item
        where order_id = any($1::uuid[]) order by outcome`,
      [[matched.orderId, missing.orderId]],
    );
    // The queue holds the difference; the matched payment is counted, and its order reconciled.
    expect(rows).toEqual([
      { order_id: missing.orderId, outcome: 'MISSING_PAYMENT', payment_no: 'A6', expected: '5000' },
    ]);
    expect(run.counts.MATCHED).toBe(1);
    expect(await reconciled()).toBe(true);
  });
});
