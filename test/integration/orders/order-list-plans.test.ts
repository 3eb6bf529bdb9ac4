import { readFileSync } from 'node:fs';
import { buildSchema, type GraphQLInputObjectType } from 'graphql';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Channel } from '../../../api/src/domain/order/order-types.js';
import { customerOrders } from '../../../api/src/modules/customer/customer-orders.js';
import { loadTimelines } from '../../../api/src/modules/order-events/order-timeline.js';
import {
  countOrders,
  listOrders,
  type OrderListFilter,
  type OrderSort,
} from '../../../api/src/modules/orders/order-query.js';
import { loadPayments } from '../../../api/src/modules/payments/payment.service.js';
import { listDiscrepancies } from '../../../api/src/modules/reconciliation/discrepancy.store.js';
import { shipmentsOfOrders, traceOfShipments } from '../../../api/src/modules/shipments/shipment.store.js';
import { listTickets } from '../../../api/src/modules/tickets/ticket-query.js';
import { insertChunkSql, PERIOD_END } from '../../../bench/support/bulk-orders.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import { explainingDb, type PlanNode, planText, unboundedParts } from '../../support/query-plans.js';

/**
 * Every list a partner, a shopper or staff can ask for has a plan that does not grow with the
 * table: the SQL the real query code builds for each filter kind, order and viewer is EXPLAINed
 * on a generated table of 30,000 orders (a year, 40 / 25 / 25 / 10 % by channel, 1.5 % abnormal,
 * analysed), with sequential scans and sorts disabled in the planner: a Seq Scan of `orders`, or
 * a Sort of its rows that no Limit bounds, that remains means no index serves the query. (A
 * table of 30,000 rows is too small for the planner's own choice to be that of 1,000,000: it
 * would rightly sort a few hundred rows there.) A filter added without an index fails here.
 */

const ORDERS = 30_000;
const DAY = 24 * 3600_000;
const end = Date.parse(PERIOD_END);
const at = (daysBack: number) => new Date(end - daysBack * DAY);

/** Viewers: staff see every channel; partner keys see theirs (one, or several). */
const VIEWERS: Record<string, readonly Channel[] | null> = {
  staff: null,
  'partner TAOBAO+JD': ['TAOBAO', 'JD'],
  'partner WEBSHOP': ['WEBSHOP'],
};

/** Every filter kind `orders` offers, alone and in the combinations screens use. */
const PLACED_FILTERS: Record<string, OrderListFilter> = {
  none: {},
  'one channel': { channels: ['JD'] },
  'several channels': { channels: ['JD', 'DOUYIN', 'WEBSHOP'] },
  'one state': { states: ['PAID'] },
  'several open states': { states: ['CREATED', 'PAID', 'WAREHOUSE_ACCEPTED', 'PICKING', 'PACKED'] },
  'a rare state': { states: ['RETURNED'] },
  'business type': { businessTypes: ['CUSTOM'] },
  'one group': { groupIds: ['G03'] },
  'several groups': { groupIds: ['G01', 'G02', 'G07'] },
  abnormal: { abnormal: true },
  'not abnormal': { abnormal: false },
  'ordered in a day': { orderedFrom: at(30), orderedTo: at(29) },
  'ordered from a day on': { orderedFrom: at(3) },
  'buyer phone': { buyerPhone: '13800130042' },
  'channel + state': { channels: ['DOUYIN'], states: ['SHIPPED'] },
  'channels + states': { channels: ['TAOBAO', 'WEBSHOP'], states: ['PAID', 'PICKING', 'CANCELLED'] },
  'state + group': { states: ['PAID', 'SHIPPED'], groupIds: ['G05'] },
  'group + abnormal': { groupIds: ['G01', 'G02'], abnormal: true },
  'state + ordered range': { states: ['DELIVERED', 'CANCELLED'], orderedFrom: at(60), orderedTo: at(59) },
  everything: {
    channels: ['JD', 'TAOBAO'],
    states: ['DELIVERED', 'REFUNDED'],
    businessTypes: ['NORMAL'],
    groupIds: ['G01', 'G04'],
    abnormal: false,
    orderedFrom: at(200),
    orderedTo: at(10),
  },
};

/** Every field of the query's filter: a new one must be named here (and so be planned below). */
const FILTER_FIELDS: Record<keyof OrderListFilter, true> = {
  channels: true,
  states: true,
  businessTypes: true,
  groupIds: true,
  abnormal: true,
  orderedFrom: true,
  orderedTo: true,
  paidFrom: true,
  paidTo: true,
  buyerPhone: true,
};

const PAID_FILTERS: Record<string, OrderListFilter> = {
  none: {},
  'paid in a day': { paidFrom: at(30), paidTo: at(29) },
  'paid in a week': { paidFrom: at(37), paidTo: at(30) },
  'paid from a day on': { paidFrom: at(1) },
  'paid before': { paidTo: at(300) },
  'paid in a week, one channel': { channels: ['WEBSHOP'], paidFrom: at(37), paidTo: at(30) },
  'paid in a week, state': { states: ['DELIVERED'], paidFrom: at(37), paidTo: at(30) },
};

const CURSOR = {
  at: new Date(end - 40 * DAY).toISOString().replace('Z', '000Z'),
  id: 'ffffffff-ffff-4fff-bfff-ffffffffffff',
};

describe('every list has a bounded plan on a large table', () => {
  let db: MigratedDb;
  let sampleOrderIds: string[];

  beforeAll(async () => {
    db = await openMigratedDb('order_plans', 4);
    await db.pool.query(insertChunkSql(), [1, ORDERS]);
    await db.pool.query('analyze');
    const { rows } = await db.pool.query<{ id: string }>('select id from orders order by id limit 20');
    sampleOrderIds = rows.map((r) => r.id);
  });

  afterAll(async () => {
    await db?.close();
  });

  function expectBounded(explained: { text: string; plan: PlanNode }[], table: string, boundedKey?: RegExp) {
    expect(explained.length).toBeGreaterThan(0);
    for (const { text, plan } of explained) {
      const problems = unboundedParts(plan, table, boundedKey);
      expect(problems, `${problems.join('; ')}\n${text}\n${planText(plan)}`).toEqual([]);
    }
  }

  const cases = (sort: OrderSort, filters: Record<string, OrderListFilter>) =>
    Object.entries(VIEWERS).flatMap(([viewer, channels]) =>
      Object.entries(filters).map(([kind, filter]) => ({ viewer, channels, kind, filter, sort })),
    );

  describe.each([...cases('ORDERED_AT_DESC', PLACED_FILTERS), ...cases('PAID_AT_DESC', PAID_FILTERS)])(
    '$sort, $viewer, $kind',
    ({ channels, filter, sort }) => {
      it('first page, next page and count read an index, with no sort of unbounded rows', async () => {
        const explained = await indexOnly(async (explaining) => {
          const pool = explaining as unknown as pg.Pool;
          for (const after of [null, { sort, ...CURSOR }])
            await listOrders(pool, { visibleChannels: channels, filter, orderBy: sort, first: 50, after });
          await countOrders(pool, { visibleChannels: channels, filter, orderBy: sort });
        });
        // An empty intersection of channels skips the database: nothing to plan.
        if (explained.length > 0) expectBounded(explained, 'orders');
      });
    },
  );

  it('plans every field of the GraphQL OrderFilter, both orders', () => {
    const schema = buildSchema(readFileSync('schema/schema.graphql', 'utf8'));
    const input = schema.getType('OrderFilter') as GraphQLInputObjectType;
    expect(Object.keys(input.getFields()).sort()).toEqual(Object.keys(FILTER_FIELDS).sort());
    const planned = new Set(
      [...Object.values(PLACED_FILTERS), ...Object.values(PAID_FILTERS)].flatMap((f) => Object.keys(f)),
    );
    expect([...planned].sort()).toEqual(Object.keys(FILTER_FIELDS).sort());
    const sorts = schema.getType('OrderSort') as unknown as { getValues(): { name: string }[] };
    expect(sorts.getValues().map((v) => v.name)).toEqual(['ORDERED_AT_DESC', 'PAID_AT_DESC']);
  });

  it('the checks catch what they are for: an order and a filter without index', async () => {
    const explained = await indexOnly(async (explaining) => {
      await explaining.query('select id from orders order by updated_at desc, id desc limit 51');
      await explaining.query(
        `select id from orders where address->>'city' = $1 order by ordered_at desc, id desc limit 51`,
        ['杭州市'],
      );
      await explaining.query('select id from orders where channel_status = $1', ['TRADE_CLOSED']);
    });
    const found = explained.map(({ plan }) => unboundedParts(plan, 'orders'));
    expect(found[0].join()).toMatch(/Sort over/);
    expect(found[2].join()).toMatch(/Seq Scan on orders/);
    // The walk along the ordered index with a filter is bounded by how rare matches are: allowed.
    expect(found[1]).toEqual([]);
  });

  it("a shopper's orders (myOrders) and what they show", async () => {
    const explained = await indexOnly(async (explaining) => {
      await customerOrders(
        explaining as unknown as pg.Pool,
        { phone: '13800130042', phoneDigest: 'digest' },
        new Date(end),
      );
    });
    expectBounded(explained, 'orders');
  });

  /** Plans with sequential scans and sorts disabled, so that a missing index shows. */
  async function indexOnly(check: (db: ReturnType<typeof explainingDb>) => Promise<void>) {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query('set local enable_seqscan = off');
      await client.query('set local enable_sort = off');
      const explaining = explainingDb(client);
      await check(explaining);
      return explaining.explained;
    } finally {
      await client.query('rollback');
      client.release();
    }
  }

  it('the fields of a page of orders: payments, shipments, traces, timelines', async () => {
    const ids = sampleOrderIds;
    const perOrder = /\b(order_id|shipment_id|id)\b = /;
    const explained = await indexOnly(async (x) => {
      const pool = x as unknown as pg.Pool;
      await loadPayments(pool, ids);
      await shipmentsOfOrders(pool, ids);
      await traceOfShipments(pool, ids, 30);
      await loadTimelines(pool, ids, true);
    });
    for (const table of ['order_payment', 'shipment', 'shipment_trace', 'order_event', 'order_note'])
      expectBounded(explained, table, perOrder);
  });

  it('tickets, by every filter, first and next pages', async () => {
    const explained = await indexOnly(async (x) => {
      const filters = [
        {},
        { state: 'OPEN' as const },
        { groupId: 'G01' },
        { assigneeUserId: 'u1' },
        { orderId: sampleOrderIds[0] },
        { state: 'ESCALATED' as const, groupId: 'G02' },
      ];
      for (const filter of filters)
        for (const after of [null, { createdAt: CURSOR.at, id: CURSOR.id }])
          await listTickets(x as unknown as pg.Pool, filter, 50, after);
    });
    expectBounded(explained, 'ticket', /\border_id\b = /);
    expectBounded(explained, 'orders', /\bid\b = /);
  });

  it('discrepancies, by every filter', async () => {
    const explained = await indexOnly(async (x) => {
      const filters = [
        {},
        { state: 'OPEN' as const },
        { shop: 'TAOBAO-1' },
        { channel: 'JD' },
        { gateway: 'ALIPAY' },
        { type: 'AMOUNT_MISMATCH' },
        { assignee: 'finance' },
        { fromDate: '2026-11-01', toDate: '2026-11-20' },
      ];
      for (const filter of filters)
        for (const after of [null, { businessDate: '2026-11-10', id: CURSOR.id }])
          await listDiscrepancies(x, filter, 50, after);
    });
    expectBounded(explained, 'reconciliation_item');
  });
});
