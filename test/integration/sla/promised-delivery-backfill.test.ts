import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTimeoutReport } from '../../../api/src/modules/reports/timeout-report.js';
import { timeoutReportCsv } from '../../../api/src/modules/reports/timeout-report-csv.js';
import { saveSlaPolicy } from '../../../api/src/modules/sla/sla-policy.store.js';
import { runSlaSweep } from '../../../api/src/modules/sla/sla-sweep.service.js';
import { mountWebhooks } from '../../../api/src/modules/webhooks/webhook-routes.js';
import { postSigned } from '../../support/signed-webhook.js';
import { type OrdersPlatform, startOrdersPlatform } from '../orders/orders-kit.js';
import { createGroup, historyOf, logger, outboxOf, stageRecordsOf, ticketsOf } from './sla-kit.js';

/**
 * Promised delivery and backfill through the real API (`submitOrders`, `recordOrderEvents`,
 * `order`, `timeoutReport` over HTTP) and the real SLA sweep on a real PostgreSQL.
 */

const MINUTE = 60_000;
const ROBOT = 'http://127.0.0.1:9/cgi-bin/webhook/send?key=test';

const SUBMIT = `mutation ($input: SubmitOrdersInput!) { submitOrders(input: $input) {
  results { index orderId outcome state } userErrors { field code message } } }`;
const RECORD = `mutation ($input: RecordOrderEventsInput!) { recordOrderEvents(input: $input) {
  results { index outcome toState reason } userErrors { field code message } } }`;
const ORDER = `query ($id: ID!) { order(id: $id) { state abnormal promisedDeliveryAt promisedDeliverySource } }`;

interface Submitted {
  submitOrders: {
    results: { orderId: string; state: string }[];
    userErrors: { field: string; code: string }[];
  };
}

let seq = 0;

/** A paid NORMAL web shop order, placed and paid at `placedAt`. */
function webshopOrder(placedAt: Date, extra: Record<string, unknown> = {}) {
  seq += 1;
  return {
    orderNo: `WS-PD-${process.pid}-${seq}`,
    status: 'PAID',
    businessType: 'NORMAL',
    createdAt: placedAt.toISOString(),
    paidAt: placedAt.toISOString(),
    updatedAt: placedAt.toISOString(),
    goodsCents: 1000,
    shippingCents: 0,
    totalCents: 1000,
    paidCents: 1000,
    presale: null,
    buyer: { name: '测试', phone: '13800000000' },
    shippingAddress: {
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      street: null,
      detail: '示例路 1 号',
    },
    items: [
      { lineNo: '1', sku: 'SKU-1', title: '测试商品', quantity: 1, unitPriceCents: 1000, category: 'test' },
    ],
    paymentNo: `PAY-${seq}`,
    ...extra,
  };
}

describe('promised delivery and backfill', () => {
  let api: OrdersPlatform;
  let ops: Record<string, string>;

  beforeAll(async () => {
    api = await startOrdersPlatform('sla_promise_backfill');
    ops = await api.staff('OPS');
    await createGroup(api.pool, { id: 'east', webhookUrl: ROBOT });
  });

  afterAll(async () => {
    await api?.close();
  });

  async function submit(orders: unknown[], backfill?: boolean): Promise<string[]> {
    const input =
      backfill === undefined ? { channel: 'WEBSHOP', orders } : { channel: 'WEBSHOP', orders, backfill };
    const body = await api.post<Submitted>(SUBMIT, { input }, ops);
    expect(body.errors).toBeUndefined();
    expect(body.data!.submitOrders.userErrors).toEqual([]);
    const ids = body.data!.submitOrders.results.map((r) => r.orderId);
    // Into the group that has a WeCom robot, so reminders would be sent if raised.
    await api.pool.query(`update orders set group_id = 'east' where id = any($1::uuid[])`, [ids]);
    return ids;
  }

  async function record(orderId: string, source: string, type: string, occurredAt: Date) {
    const body = await api.post<{ recordOrderEvents: { results: { outcome: string }[] } }>(
      RECORD,
      {
        input: {
          events: [
            {
              orderId,
              source,
              type,
              idempotencyKey: `${type}-${orderId}`,
              occurredAt: occurredAt.toISOString(),
            },
          ],
        },
      },
      ops,
    );
    expect(body.errors).toBeUndefined();
    expect(body.data!.recordOrderEvents.results[0].outcome).toBe('APPLIED');
  }

  const sweep = (now: Date) => runSlaSweep({ pool: api.pool, batchSize: 100, logger }, now);
  const reminders = async (id: string) =>
    (await outboxOf(api.pool, id)).filter(
      (m) => m.dedupe_key.includes(':sla') || m.dedupe_key.startsWith('sla:'),
    );

  it('records a backfill of old orders as late and raises no ticket, reminder or escalation', async () => {
    const old = new Date('2023-06-01T10:00:00+08:00');
    const ids = await submit(
      Array.from({ length: 12 }, (_, i) => webshopOrder(new Date(old.getTime() + i * MINUTE))),
      true,
    );
    const totals = await sweep(new Date(Date.now() + MINUTE));
    expect(totals.tickets).toBe(0);
    for (const id of ids) {
      expect(await ticketsOf(api.pool, id)).toEqual([]);
      expect(await reminders(id)).toEqual([]);
      const [stage] = await stageRecordsOf(api.pool, id);
      expect(stage).toMatchObject({ stage: 'WAREHOUSE_ACCEPTED@PAID_AT', finished_at: null });
      expect(stage.deadline.getTime()).toBeLessThan(Date.now());
      const { rows } = await api.pool.query<{ late_on_arrival: boolean }>(
        'select late_on_arrival from sla_stage_record where order_id = $1',
        [id],
      );
      expect(rows[0].late_on_arrival).toBe(true);
      expect((await historyOf(api.pool, id)).map((h) => h.type)).toEqual(['SLA_LATE_ON_ARRIVAL']);
    }
    const flagged = await api.pool.query('select 1 from orders where id = any($1::uuid[]) and abnormal', [
      ids,
    ]);
    expect(flagged.rowCount).toBe(0);
    // The timeout report still counts them as open and overdue.
    const report = await loadTimeoutReport(
      api.pool,
      { from: new Date(Date.now() - MINUTE), to: new Date(Date.now() + MINUTE) },
      new Date(Date.now() + MINUTE),
    );
    const accepted = report.rows.find((r) => r.stage === 'WAREHOUSE_ACCEPTED@PAID_AT');
    expect(accepted?.openOverdue).toBeGreaterThanOrEqual(ids.length);
  });

  it('without the flag, reminds an open order recently late on arrival but not one late for years', async () => {
    const [ancient, recent] = await submit([
      webshopOrder(new Date('2023-06-01T10:00:00+08:00')),
      webshopOrder(new Date(Date.now() - 3 * 60 * MINUTE)),
    ]);
    await sweep(new Date(Date.now() + MINUTE));
    expect(await ticketsOf(api.pool, ancient)).toEqual([]);
    expect(await reminders(ancient)).toEqual([]);
    expect((await ticketsOf(api.pool, recent)).map((t) => t.stage)).toContain('WAREHOUSE_ACCEPTED@PAID_AT');
    expect((await reminders(recent)).length).toBeGreaterThan(0);
  });

  it('flags a delivery after the promise and counts it under the DELIVERED stage of the timeout report', async () => {
    const t = new Date();
    const promise = new Date(t.getTime() + 3 * MINUTE);
    const [id] = await submit([
      webshopOrder(new Date(t.getTime() - 2 * MINUTE), { promisedDeliveryAt: promise.toISOString() }),
    ]);
    await record(id, 'WMS', 'WMS_SHIPPED', new Date(t.getTime() - MINUTE));
    await sweep(new Date(t.getTime() + MINUTE));
    const [timed] = (await stageRecordsOf(api.pool, id)).filter((r) => r.stage.startsWith('DELIVERED'));
    expect(timed).toMatchObject({
      stage: 'DELIVERED@PROMISED_DELIVERY_AT',
      deadline: promise,
      finished_at: null,
    });

    // The promise passes with the parcel still out: flagged, reminded, ticketed.
    await sweep(new Date(t.getTime() + 10 * MINUTE));
    expect((await ticketsOf(api.pool, id)).map((x) => x.stage)).toEqual(['DELIVERED@PROMISED_DELIVERY_AT']);
    expect((await reminders(id)).length).toBeGreaterThan(0);

    // Delivered a minute after the promise: still flagged once delivered, with the reason.
    const deliveredAt = new Date(t.getTime() + 4 * MINUTE);
    await record(id, 'TMS', 'TMS_DELIVERED', deliveredAt);
    await sweep(new Date(t.getTime() + 11 * MINUTE));
    const order = await api.post<{ order: { state: string; abnormal: boolean } }>(ORDER, { id }, ops);
    expect(order.data!.order).toMatchObject({ state: 'DELIVERED', abnormal: true });
    expect((await historyOf(api.pool, id)).map((h) => h.type)).toContain('SLA_DELIVERED_LATE');
    const [closed] = (await stageRecordsOf(api.pool, id)).filter((r) => r.stage.startsWith('DELIVERED'));
    expect(closed.finished_at).toEqual(deliveredAt);

    const from = new Date(t.getTime() - 60 * MINUTE).toISOString();
    const to = new Date(t.getTime() + 60 * MINUTE).toISOString();
    const report = await api.post<{
      timeoutReport: { rows: { stage: string; stageLabel: string; late: number }[] };
    }>(
      `query ($from: String!, $to: String!) { timeoutReport(from: $from, to: $to) { rows { stage stageLabel late } } }`,
      { from, to },
      ops,
    );
    expect(report.errors).toBeUndefined();
    expect(report.data!.timeoutReport.rows).toContainEqual({
      stage: 'DELIVERED@PROMISED_DELIVERY_AT',
      stageLabel: '承诺送达时间 → 已签收',
      late: 1,
    });
    const csv = timeoutReportCsv(
      (
        await loadTimeoutReport(
          api.pool,
          { from: new Date(from), to: new Date(to) },
          new Date(t.getTime() + 11 * MINUTE),
        )
      ).rows,
    );
    expect(csv).toMatch(/承诺送达时间 → 已签收,DELIVERED@PROMISED_DELIVERY_AT,east,east,[^\r\n]*,1,0,1,/);
  });

  it('shows partners the promise from the channel payload, and the policy’s promise otherwise', async () => {
    const promise = new Date('2026-12-24T18:00:00+08:00');
    const [fromChannel] = await submit([
      webshopOrder(new Date(Date.now() - MINUTE), { promisedDeliveryAt: promise.toISOString() }),
    ]);
    const partner = await api.partner(['WEBSHOP']);
    const seen = await api.post<{ order: { promisedDeliveryAt: string; promisedDeliverySource: string } }>(
      ORDER,
      { id: fromChannel },
      partner,
    );
    expect(seen.errors).toBeUndefined();
    expect(seen.data!.order).toMatchObject({
      promisedDeliveryAt: promise.toISOString(),
      promisedDeliverySource: 'CHANNEL',
    });

    // A policy of the web shop's own: delivered within 3 days of shipping.
    const saved = await saveSlaPolicy(
      api.pool,
      {
        name: '官网三日达',
        businessType: 'NORMAL',
        channel: 'WEBSHOP',
        stages: [
          { target: 'SHIPPED', from: 'PAID_AT', withinMinutes: 24 * 60 },
          { target: 'DELIVERED', from: 'STATE_ENTERED:SHIPPED', withinMinutes: 3 * 24 * 60 },
        ],
        escalation: [{ afterMinutes: 0, actions: ['FLAG_ABNORMAL'] }],
      },
      { createdBy: 'test', comment: null, now: new Date() },
    );
    expect(saved.ok).toBe(true);
    const [derived] = await submit([webshopOrder(new Date(Date.now() - MINUTE))]);
    const shippedAt = new Date(Date.now() - 30_000);
    await record(derived, 'WMS', 'WMS_SHIPPED', shippedAt);
    await sweep(new Date(Date.now() + MINUTE));
    const policyPromise = await api.post<{
      order: { promisedDeliveryAt: string; promisedDeliverySource: string };
    }>(ORDER, { id: derived }, partner);
    expect(policyPromise.data!.order).toEqual({
      state: 'SHIPPED',
      abnormal: false,
      promisedDeliveryAt: new Date(shippedAt.getTime() + 3 * 24 * 60 * MINUTE).toISOString(),
      promisedDeliverySource: 'SLA_POLICY',
    });
    // The sweep writing the promise it derived does not make the order due again.
    const { rows } = await api.pool.query<{ sla_next_check_at: Date }>(
      'select sla_next_check_at from orders where id = $1',
      [derived],
    );
    expect(rows[0].sla_next_check_at).toEqual(new Date(shippedAt.getTime() + 3 * 24 * 60 * MINUTE));
  });

  it('makes an order due again when a newer payload changes the channel’s promise', async () => {
    const placedAt = new Date(Date.now() - MINUTE);
    const first = webshopOrder(placedAt, {
      promisedDeliveryAt: new Date(Date.now() + 3 * 24 * 60 * MINUTE).toISOString(),
    });
    const [id] = await submit([first]);
    await sweep(new Date(Date.now() + MINUTE));
    const dueAt = async () =>
      (
        await api.pool.query<{ sla_next_check_at: Date | null }>(
          'select sla_next_check_at from orders where id = $1',
          [id],
        )
      ).rows[0].sla_next_check_at;
    expect((await dueAt())!.getTime()).toBeGreaterThan(Date.now() + 5 * MINUTE);
    const moved = new Date(Date.now() + 2 * 24 * 60 * MINUTE);
    const body = await api.post<Submitted>(
      SUBMIT,
      {
        input: {
          channel: 'WEBSHOP',
          orders: [
            { ...first, updatedAt: new Date().toISOString(), promisedDeliveryAt: moved.toISOString() },
          ],
        },
      },
      ops,
    );
    expect(body.data!.submitOrders.results[0]).toMatchObject({ orderId: id });
    expect((await dueAt())!.getTime()).toBeLessThanOrEqual(Date.now());
    const seen = await api.post<{ order: { promisedDeliveryAt: string } }>(ORDER, { id }, ops);
    expect(seen.data!.order.promisedDeliveryAt).toBe(moved.toISOString());
  });

  it('takes the backfill flag on the signed order webhook too', async () => {
    const secret = 'webshop-secret-for-tests-0001';
    const app = express();
    mountWebhooks(app, { pool: api.pool, secrets: { WEBSHOP: secret }, logger });
    const server: Server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/webhooks/orders/webshop`;
    try {
      const old = webshopOrder(new Date('2023-06-01T10:00:00+08:00'));
      const bad = await postSigned(url, JSON.stringify({ orders: [old], backfill: 'yes' }), secret);
      expect(bad.status).toBe(400);
      expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'backfill', code: 'INVALID_TYPE' })]);
      const sent = await postSigned(url, JSON.stringify({ orders: [old], backfill: true }), secret);
      expect(sent.status).toBe(200);
      const id = sent.body.results[0].orderId as string;
      const { rows } = await api.pool.query<{ backfill: boolean }>(
        'select backfill from orders where id = $1',
        [id],
      );
      expect(rows[0].backfill).toBe(true);
      await api.pool.query(`update orders set group_id = 'east' where id = $1`, [id]);
      await sweep(new Date(Date.now() + MINUTE));
      expect(await ticketsOf(api.pool, id)).toEqual([]);
      expect(await reminders(id)).toEqual([]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
