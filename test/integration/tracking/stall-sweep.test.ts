import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_STALL_SETTINGS } from '../../../api/src/domain/tracking/stall.js';
import { CustomerKeys } from '../../../api/src/modules/customer/customer-keys.js';
import { recordCarrierReport } from '../../../api/src/modules/shipments/shipment.service.js';
import { runStallSweep } from '../../../api/src/modules/shipments/stall-sweep.service.js';
import type { MigratedDb } from '../../support/migrated-db.js';
import { openEventsDb, seedOrder } from '../order-events/order-events-kit.js';

let db: MigratedDb;
let keys: CustomerKeys;
const settings = { stall: DEFAULT_STALL_SETTINGS, smsPerPhonePerDay: 2 };

beforeAll(async () => {
  db = await openEventsDb('stall');
  keys = await CustomerKeys.open(db.pool);
});
afterAll(async () => {
  await db?.close();
});

const sweep = (now: Date, batchSize = 2) =>
  runStallSweep({ pool: db.pool, settings, phoneDigest: keys, batchSize, budgetMs: 10_000 }, now);

async function parcel(waybillNo: string, lastScan: Date, phone = '13800138101') {
  const order = await seedOrder(db.pool, 'SHIPPED');
  await db.pool.query('update orders set buyer_phone = $2 where id = $1', [order.id, phone]);
  const scan = {
    entryKey: `${waybillNo}-1`,
    occurredAt: lastScan,
    description: '到达转运中心',
    location: null,
    carrierCode: 0,
    state: 'IN_TRANSIT' as const,
    orderEvents: ['TMS_IN_TRANSIT' as const],
  };
  const result = await recordCarrierReport(
    { pool: db.pool, stall: DEFAULT_STALL_SETTINGS },
    { orderId: order.id, carrier: 'zhongtong', waybillNo, source: 'KUAIDI100', entries: [scan] },
    new Date(lastScan.getTime() + 60_000),
  );
  if (!result.ok) throw new Error(result.message);
  return { order, shipment: result.shipment };
}

const smsOf = async (phone: string) =>
  (
    await db.pool.query(
      'select template_code, send_after, preview from sms_message where phone_digest = $1 order by created_at',
      [keys.phoneDigest(phone)],
    )
  ).rows;

describe('stall sweep', () => {
  it('marks a parcel 24 h without news once, opens a ticket and queues one SMS, held through quiet hours', async () => {
    const last = new Date('2026-11-24T02:00:00Z'); // 10:00 Shanghai
    const { order, shipment } = await parcel('ZTS1', last);
    const fresh = await parcel('ZTS2', new Date('2026-11-25T10:00:00Z'), '13800138102');
    const night = new Date('2026-11-25T15:00:00Z'); // 23:00 Shanghai
    const totals = await sweep(night);
    expect(totals).toMatchObject({ claimed: 1, stalled: 1, tickets: 1, smsQueued: 1 });
    const row = (await db.pool.query('select * from shipment where id = $1', [shipment.id])).rows[0];
    expect(row).toMatchObject({
      stall_count: 1,
      stall_reason: '物流信息已超过24小时没有更新',
      next_stall_check_at: null,
    });
    expect(row.stalled_since.toISOString()).toBe(last.toISOString());
    const tickets = await db.pool.query('select stage, level, state from ticket where order_id = $1', [
      order.id,
    ]);
    expect(tickets.rows).toEqual([{ stage: 'STALL@ZTS1#1', level: 1, state: 'OPEN' }]);
    const sms = await smsOf('13800138101');
    expect(sms).toHaveLength(1);
    expect(sms[0].send_after.toISOString()).toBe('2026-11-26T00:00:00.000Z'); // 08:00 Shanghai
    expect(sms[0].preview).toContain('物流信息已超过24小时没有更新');
    const outbox = await db.pool.query("select available_at from outbox_message where topic = 'sms.send'");
    expect(outbox.rows[0].available_at.toISOString()).toBe('2026-11-26T00:00:00.000Z');
    // Nothing more on the next sweeps: one SMS per stall.
    expect(await sweep(new Date('2026-11-26T03:00:00Z'))).toMatchObject({ stalled: 0 });
    expect(await smsOf('13800138101')).toHaveLength(1);
    // The fresh parcel was not touched until its own deadline.
    expect(
      (await db.pool.query('select stall_count from shipment where id = $1', [fresh.shipment.id])).rows[0]
        .stall_count,
    ).toBe(0);
  });

  it('a new carrier event clears the stall and re-arms the check; the next stall sends again', async () => {
    const { order, shipment } = await parcel('ZTS3', new Date('2026-11-20T02:00:00Z'), '13800138103');
    await sweep(new Date('2026-11-21T04:00:00Z'));
    await recordCarrierReport(
      { pool: db.pool, stall: DEFAULT_STALL_SETTINGS },
      {
        orderId: order.id,
        carrier: 'zhongtong',
        waybillNo: 'ZTS3',
        source: 'KUAIDI100',
        entries: [
          {
            entryKey: 'ZTS3-2',
            occurredAt: new Date('2026-11-21T05:00:00Z'),
            description: '离开转运中心',
            location: null,
            carrierCode: 0,
            state: 'IN_TRANSIT',
            orderEvents: [],
          },
        ],
      },
      new Date('2026-11-21T05:01:00Z'),
    );
    const row = (
      await db.pool.query('select stalled_since, next_stall_check_at from shipment where id = $1', [
        shipment.id,
      ])
    ).rows[0];
    expect(row.stalled_since).toBeNull();
    expect(row.next_stall_check_at.toISOString()).toBe('2026-11-22T05:00:00.000Z');
    expect(await sweep(new Date('2026-11-22T06:00:00Z'))).toMatchObject({ stalled: 1, smsQueued: 1 });
    expect(await smsOf('13800138103')).toHaveLength(2);
  });

  it('keeps to the per-phone daily limit; the stall and ticket still happen', async () => {
    const phone = '13800138104';
    for (const n of [1, 2, 3]) await parcel(`ZTL${n}`, new Date('2026-11-10T02:00:00Z'), phone);
    const totals = await sweep(new Date('2026-11-12T03:00:00Z'));
    expect(totals).toMatchObject({ stalled: 3, tickets: 3, smsQueued: 2, smsRefused: 1 });
    expect(await smsOf(phone)).toHaveLength(2);
  });

  it('in one large batch keeps the per-phone limit, one ticket and SMS per stall, and announces each stall live', async () => {
    const phone = '13800138105';
    const parcels = [];
    for (const n of [1, 2, 3, 4])
      parcels.push(await parcel(`ZTB${n}`, new Date('2026-10-10T02:00:00Z'), phone));
    const other = await parcel('ZTB9', new Date('2026-10-10T02:00:00Z'), '13800138106');
    const now = new Date('2026-10-12T03:00:00Z');
    const totals = await sweep(now, 1000);
    expect(totals).toMatchObject({ stalled: 5, tickets: 5, smsQueued: 3, smsRefused: 2 });
    expect(await smsOf(phone)).toHaveLength(2);
    expect(await smsOf('13800138106')).toHaveLength(1);
    const ids = [...parcels, other].map((p) => p.order.id);
    const tickets = await db.pool.query(
      'select stage from ticket where order_id = any($1::uuid[]) order by stage',
      [ids],
    );
    expect(tickets.rows.map((r) => r.stage)).toEqual([
      'STALL@ZTB1#1',
      'STALL@ZTB2#1',
      'STALL@ZTB3#1',
      'STALL@ZTB4#1',
      'STALL@ZTB9#1',
    ]);
    const raised = await db.pool.query(
      `select count(*)::int as n from outbox_message m, jsonb_array_elements(m.payload->'events') e
        where m.topic = 'ticket.raised' and (e->>'orderId')::uuid = any($1::uuid[])`,
      [ids],
    );
    expect(raised.rows[0].n).toBe(5);
    const news = await db.pool.query(
      `select e->>'waybillNo' as waybill, e->>'state' as state from outbox_message m,
              jsonb_array_elements(m.payload->'events') e
        where m.topic = 'order.updated' and e->>'parcelChange' = 'STALL' and (e->>'orderId')::uuid = any($1::uuid[])
        order by 1`,
      [ids],
    );
    expect(news.rows).toEqual(
      ['ZTB1', 'ZTB2', 'ZTB3', 'ZTB4', 'ZTB9'].map((waybill) => ({ waybill, state: 'IN_TRANSIT' })),
    );
    // Swept again: nothing more of anything.
    expect(await sweep(new Date('2026-10-12T04:00:00Z'), 1000)).toMatchObject({ stalled: 0, smsQueued: 0 });
    expect(await smsOf(phone)).toHaveLength(2);
  });

  it('two sweeps racing share the parcels: each stalls once, SMS within each phone’s limit, no deadlock on shared phones', async () => {
    const phones = ['13800138107', '13800138108', '13800138109'];
    const parcels = [];
    for (let n = 0; n < 12; n++)
      parcels.push(await parcel(`ZTR${n}`, new Date('2026-09-10T02:00:00Z'), phones[n % phones.length]));
    const now = new Date('2026-09-12T03:00:00Z');
    const [a, b] = await Promise.all([sweep(now, 3), sweep(now, 3)]);
    expect(a.stalled + b.stalled).toBe(12);
    expect(a.tickets + b.tickets).toBe(12);
    // Two a day per phone, whichever sweep sent them.
    expect(a.smsQueued + b.smsQueued).toBe(6);
    for (const phone of phones) expect(await smsOf(phone)).toHaveLength(2);
    const counts = await db.pool.query('select stall_count from shipment where id = any($1::uuid[])', [
      parcels.map((p) => p.shipment.id),
    ]);
    expect(counts.rows.every((r) => r.stall_count === 1)).toBe(true);
  });
});
