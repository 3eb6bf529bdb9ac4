import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { OrderColumn } from '../../api/src/modules/orders/order-row.js';

/**
 * The one way tests and benchmarks put order rows straight into `orders` (a state intake would
 * not take, a clock already running, a year of history). Column names are the orders module's
 * (`OrderColumn`), so a renamed column fails to compile here and not in twenty hand-written
 * INSERTs; the defaults make a valid PAID Taobao order, and a seed names only what its test is
 * about. The platform itself never writes orders this way: it goes through the orders module.
 */

/** A value per column: text, numbers, booleans, Dates (as timestamptz) or objects (as jsonb). */
export type OrderSeed = Partial<Record<OrderColumn, unknown>>;

/** A Hangzhou address, as the channel split it. */
export const SEED_ADDRESS = {
  province: '浙江省',
  city: '杭州市',
  district: '西湖区',
  street: null,
  detail: '文三路 1 号',
};

let seq = 0;

/**
 * A full seed: `overrides` over a PAID Taobao order of 10.00 CNY ordered and paid at `ordered_at`
 * (default now), with a unique channel order number, a new id and `state_entered_at` holding its
 * state at that time. An override of `undefined` leaves that column to the table's default.
 */
export function orderSeed(overrides: OrderSeed = {}): OrderSeed {
  seq += 1;
  const orderedAt = (overrides.ordered_at as Date | string | undefined) ?? new Date();
  const at = typeof orderedAt === 'string' ? orderedAt : orderedAt.toISOString();
  const state = (overrides.state as string | undefined) ?? 'PAID';
  const seed: OrderSeed = {
    id: randomUUID(),
    channel: 'TAOBAO',
    channel_order_no: `SEED-${process.pid}-${seq}`,
    business_type: 'NORMAL',
    state,
    channel_status: 'TEST',
    ordered_at: at,
    paid_at: at,
    source_updated_at: at,
    goods_cents: 1000,
    shipping_cents: 0,
    total_cents: 1000,
    paid_cents: 1000,
    buyer_name: '测试',
    buyer_phone: '13800000000',
    address: SEED_ADDRESS,
    items: [],
    state_entered_at: { [state]: at },
    ...overrides,
  };
  // `undefined` leaves the column to the table's default.
  for (const [column, value] of Object.entries(seed))
    if (value === undefined) delete seed[column as OrderColumn];
  return seed;
}

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

/**
 * Inserts `seeds` (each completed by `orderSeed`) and returns their ids in the same order. One
 * statement per set of named columns (`jsonb_populate_recordset` over the table's own row type),
 * so a column a seed leaves out takes the table's default.
 */
export async function insertOrderRows(db: Queryable, seeds: readonly OrderSeed[]): Promise<string[]> {
  const rows = seeds.map((seed) => orderSeed(seed));
  const byColumns = new Map<string, OrderSeed[]>();
  for (const row of rows) {
    const key = Object.keys(row).sort().join(',');
    byColumns.set(key, [...(byColumns.get(key) ?? []), row]);
  }
  for (const [key, group] of byColumns) {
    const list = key
      .split(',')
      .map((c) => `"${c}"`)
      .join(', ');
    await db.query(
      `insert into orders (${list}) select ${list} from jsonb_populate_recordset(null::orders, $1::jsonb)`,
      [JSON.stringify(group)],
    );
  }
  return rows.map((row) => row.id as string);
}

/** Inserts one order (see `orderSeed`) and returns its id. */
export async function insertOrderRow(db: Queryable, seed: OrderSeed = {}): Promise<string> {
  const [id] = await insertOrderRows(db, [seed]);
  return id;
}

/**
 * Set-wise bulk load for benchmarks: `insert into orders (…) select … from <from>`, with one SQL
 * expression per column (over the names `from` brings in, such as `g` of a `generate_series`).
 * Columns not given take the expressions of `orderSeed`'s defaults below, or the table's default.
 */
export function bulkOrderInsertSql(columns: Partial<Record<OrderColumn, string>>, from: string): string {
  const all: Partial<Record<OrderColumn, string>> = { ...BULK_DEFAULTS, ...columns };
  const names = Object.keys(all) as OrderColumn[];
  return `insert into orders (${names.join(', ')})
select ${names.map((name) => all[name]).join(',\n       ')}
  from ${from}`;
}

const BULK_DEFAULTS: Partial<Record<OrderColumn, string>> = {
  channel: `'TAOBAO'`,
  business_type: `'NORMAL'`,
  state: `'PAID'`,
  channel_status: `'TEST'`,
  ordered_at: 'now()',
  paid_at: 'now()',
  source_updated_at: 'now()',
  goods_cents: '1000',
  shipping_cents: '0',
  total_cents: '1000',
  paid_cents: '1000',
  buyer_name: `'测试'`,
  buyer_phone: `'13800000000'`,
  address: `'${JSON.stringify(SEED_ADDRESS)}'::jsonb`,
  items: `'[]'::jsonb`,
};
