import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../api/src/infra/db/transaction.js';
import { ORDER_COLUMNS, type OrderRow, orderColumns } from '../../../api/src/modules/orders/order-row.js';
import {
  derivePaidFigures,
  makeOrdersDueForSla,
  moveOrderStates,
} from '../../../api/src/modules/orders/order-store.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import { insertOrderRow, insertOrderRows } from '../../support/order-rows.js';

describe('the order row, owned by the orders module', () => {
  let db: MigratedDb;

  beforeAll(async () => {
    db = await openMigratedDb('order_row', 4);
  });

  afterAll(async () => {
    await db?.close();
  });

  it('names exactly the columns of the orders table, in table order', async () => {
    const { rows } = await db.pool.query<{ column_name: string }>(
      `select column_name from information_schema.columns
        where table_schema = current_schema() and table_name = 'orders' order by ordinal_position`,
    );
    expect(rows.map((r) => r.column_name)).toEqual([...ORDER_COLUMNS]);
  });

  it('builds rows through the one helper: ids in order, defaults filled, undefined left to the table', async () => {
    const orderedAt = new Date('2026-11-25T02:00:00Z');
    const ids = await insertOrderRows(db.pool, [
      { state: 'CREATED', paid_at: null, ordered_at: orderedAt },
      { channel: 'JD', state_entered_at: undefined, abnormal: true },
    ]);
    const { rows } = await db.pool.query<OrderRow>(
      `select ${orderColumns(ORDER_COLUMNS)} from orders where id = any($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    const [created, jd] = ids.map((id) => byId.get(id));
    expect(created).toMatchObject({
      channel: 'TAOBAO',
      state: 'CREATED',
      paid_at: null,
      ordered_at: orderedAt,
      state_entered_at: { CREATED: orderedAt.toISOString() },
      abnormal: false,
      version: 1,
      goods_cents: '1000',
    });
    expect(jd).toMatchObject({ channel: 'JD', state: 'PAID', state_entered_at: {}, abnormal: true });
    expect(created?.channel_order_no).not.toBe(jd?.channel_order_no);
  });

  it('writes states, paid figures and SLA due marks only through its named functions, in the caller transaction', async () => {
    const id = await insertOrderRow(db.pool, {
      state: 'PAID',
      paid_cents: 0,
      paid_at: null,
      sla_next_check_at: null,
    });
    const at = new Date('2026-11-25T03:00:00Z');
    await expect(
      inTransaction(db.pool, async (tx) => {
        await moveOrderStates(
          tx,
          [{ orderId: id, state: 'WAREHOUSE_ACCEPTED', entered: { WAREHOUSE_ACCEPTED: at.toISOString() } }],
          at,
        );
        throw new Error('caller fails after the write');
      }),
    ).rejects.toThrow('caller fails');
    const kept = await db.pool.query<OrderRow>('select state, version from orders where id = $1', [id]);
    expect(kept.rows[0]).toMatchObject({ state: 'PAID', version: 1 });

    await inTransaction(db.pool, async (tx) => {
      await moveOrderStates(
        tx,
        [{ orderId: id, state: 'WAREHOUSE_ACCEPTED', entered: { WAREHOUSE_ACCEPTED: at.toISOString() } }],
        at,
      );
      await tx.query(
        `insert into order_payment (order_id, gateway, payment_no, kind, amount_cents, currency, paid_at, event_key, recorded_at)
         values ($1, 'ALIPAY', 'P1', 'FULL', 1500, 'CNY', $2, 'k1', $2), ($1, 'ALIPAY', 'P1', 'REFUND', 500, 'CNY', $2, 'k2', $2)`,
        [id, at],
      );
      await derivePaidFigures(tx, [id]);
      await tx.query('update orders set sla_next_check_at = null where id = $1', [id]);
      await makeOrdersDueForSla(tx, { businessType: 'NORMAL', channel: 'TAOBAO', groupId: null });
    });
    const { rows } = await db.pool.query<OrderRow>(
      'select state, version, updated_at, paid_cents, paid_at, state_entered_at, sla_next_check_at from orders where id = $1',
      [id],
    );
    expect(rows[0]).toMatchObject({
      state: 'WAREHOUSE_ACCEPTED',
      version: 2,
      updated_at: at,
      paid_cents: '1000',
      paid_at: at,
    });
    expect(rows[0].state_entered_at.WAREHOUSE_ACCEPTED).toBe(at.toISOString());
    expect(rows[0].sla_next_check_at).not.toBeNull();
  });
});
