import type pg from 'pg';
import type { ChannelAddress, NormalizedItem } from '../../domain/intake/normalized-order.js';
import type { BusinessType, Channel, OrderState } from '../../domain/order/order-types.js';
import type { OrderRegion } from './order.entity.js';
import {
  type OrderCursor,
  type OrderListFilter,
  type OrderSort,
  orderPageStatement,
} from './order-page-sql.js';
import {
  ORDER_COLUMNS,
  type OrderColumn,
  type OrderRow,
  orderColumns,
  type StoredPresale,
} from './order-row.js';

export type { OrderCursor, OrderListFilter, OrderSort } from './order-page-sql.js';

/**
 * Read side of the order pool in plain SQL: one order by id or by channel order number, and
 * pages of orders newest first (placed or paid; see `order-page-sql.ts`) with keyset pagination.
 * The viewer's channels are always part of the WHERE clause, so nothing outside them is ever read.
 */

/** One row of `orders`, as the resolvers and field resolvers receive it. */
export interface OrderRecord {
  id: string;
  channel: Channel;
  channelOrderNo: string;
  businessType: BusinessType;
  state: OrderState;
  channelStatus: string;
  orderedAt: Date;
  paidAt: Date | null;
  sourceUpdatedAt: Date;
  goodsCents: number;
  shippingCents: number;
  totalCents: number;
  paidCents: number;
  /** Presale terms as stored (JSON: times as ISO text). */
  presale: StoredPresale | null;
  buyerName: string;
  buyerPhone: string;
  address: ChannelAddress;
  region: OrderRegion | null;
  items: NormalizedItem[];
  paymentNo: string | null;
  groupId: string | null;
  ownerId: string | null;
  stateEnteredAt: Partial<Record<OrderState, string>>;
  abnormal: boolean;
  holdReason: string | null;
  promisedDeliveryAt: Date | null;
  promisedDeliverySource: string | null;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

export interface OrderPage {
  rows: { cursor: string; order: OrderRecord }[];
  hasNextPage: boolean;
}

/** Columns of the row the resolvers do not show (routing and SLA bookkeeping). */
const NOT_SHOWN = [
  'routing_rule_id',
  'routing_reason',
  'routed_at',
  'address_parse',
  'sla_next_check_at',
  'sla_stage',
  'sla_deadline',
  'escalation_level',
  'escalation_stage',
  'sla_policy_key',
  'sla_policy_version',
  'backfill',
] as const satisfies readonly OrderColumn[];

type RecordColumn = Exclude<OrderColumn, (typeof NOT_SHOWN)[number]>;

/** The columns the resolvers read: the row's, less those not shown. */
const RECORD_COLUMNS = ORDER_COLUMNS.filter(
  (column): column is RecordColumn => !(NOT_SHOWN as readonly OrderColumn[]).includes(column),
);

const COLUMNS = orderColumns(RECORD_COLUMNS);

/** The columns of a page: every column, and the sort time as the cursor writes it. */
const PAGE_COLUMNS: Record<OrderSort, string> = {
  ORDERED_AT_DESC: `${COLUMNS}, to_char(ordered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at`,
  PAID_AT_DESC: `${COLUMNS}, to_char(paid_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at`,
};

type Row = Pick<OrderRow, RecordColumn> & { cursor_at: string };

const toRecord = (r: Row): OrderRecord => ({
  id: r.id,
  channel: r.channel,
  channelOrderNo: r.channel_order_no,
  businessType: r.business_type,
  state: r.state,
  channelStatus: r.channel_status,
  orderedAt: r.ordered_at,
  paidAt: r.paid_at,
  sourceUpdatedAt: r.source_updated_at,
  goodsCents: Number(r.goods_cents),
  shippingCents: Number(r.shipping_cents),
  totalCents: Number(r.total_cents),
  paidCents: Number(r.paid_cents),
  presale: r.presale,
  buyerName: r.buyer_name,
  buyerPhone: r.buyer_phone,
  address: r.address,
  region: r.region,
  items: r.items,
  paymentNo: r.payment_no,
  groupId: r.group_id,
  ownerId: r.owner_id,
  stateEnteredAt: r.state_entered_at,
  abnormal: r.abnormal,
  holdReason: r.hold_reason,
  promisedDeliveryAt: r.promised_delivery_at,
  promisedDeliverySource: r.promised_delivery_source,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  version: r.version,
});

// ---------------------------------------------------------------------------------------------
// Cursors

const CURSOR_PREFIX: Record<OrderSort, string> = { ORDERED_AT_DESC: 'o1|', PAID_AT_DESC: 'p1|' };
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: base64url of a versioned `o1|<ordered_at µs, UTC>|<id>` (`p1|` and `paid_at` for the paid order). */
export function encodeCursor(cursor: OrderCursor): string {
  return Buffer.from(`${CURSOR_PREFIX[cursor.sort]}${cursor.at}|${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor, or null when the text is not one this server issued. */
export function decodeCursor(text: string): OrderCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  const sort = (Object.keys(CURSOR_PREFIX) as OrderSort[]).find((s) => decoded.startsWith(CURSOR_PREFIX[s]));
  if (!sort) return null;
  const [at, id, ...rest] = decoded.slice(CURSOR_PREFIX[sort].length).split('|');
  if (rest.length > 0 || !CURSOR_TIME.test(at ?? '') || !UUID.test(id ?? '')) return null;
  if (Number.isNaN(Date.parse(at))) return null;
  return { sort, at, id: id.toLowerCase() };
}

// ---------------------------------------------------------------------------------------------
// Queries

/**
 * The channels the query may read: the viewer's (null = all) narrowed by the filter's. An empty
 * result means nothing can match, and the caller skips the database.
 */
export function effectiveChannels(
  visible: readonly Channel[] | null,
  requested: readonly Channel[] | null | undefined,
): readonly Channel[] | null {
  const wanted = requested && requested.length > 0 ? requested : null;
  if (visible === null) return wanted;
  return wanted ? visible.filter((channel) => wanted.includes(channel)) : visible;
}

/**
 * One page, newest first in the given order. Reads `first + 1` rows to know whether another page
 * follows. The caller has checked the filter with `refuseOrderList`.
 */
export async function listOrders(
  pool: pg.Pool,
  opts: {
    visibleChannels: readonly Channel[] | null;
    filter: OrderListFilter;
    orderBy?: OrderSort;
    first: number;
    after: OrderCursor | null;
  },
): Promise<OrderPage> {
  const channels = effectiveChannels(opts.visibleChannels, opts.filter.channels);
  if ((channels && channels.length === 0) || opts.first === 0) return { rows: [], hasNextPage: false };
  const sort = opts.orderBy ?? 'ORDERED_AT_DESC';
  const statement = orderPageStatement({
    columns: PAGE_COLUMNS[sort],
    channels,
    filter: opts.filter,
    sort,
    after: opts.after,
    limit: opts.first + 1,
  });
  const { rows } = await pool.query<Row>(statement.text, statement.values);
  return {
    rows: rows.slice(0, opts.first).map((row) => ({
      cursor: encodeCursor({ sort, at: row.cursor_at, id: row.id }),
      order: toRecord(row),
    })),
    hasNextPage: rows.length > opts.first,
  };
}

/** `totalCount` counts at most this many matches; more is refused (`COUNT_LIMIT_EXCEEDED`). */
export const COUNT_LIMIT = 10_000;

/**
 * How many orders match, across all pages, when at most `COUNT_LIMIT` do; null when more do.
 * Counts the rows of one page of `COUNT_LIMIT + 1`, so it takes the same bounded plan as a page.
 */
export async function countOrders(
  pool: pg.Pool,
  opts: {
    visibleChannels: readonly Channel[] | null;
    filter: OrderListFilter;
    orderBy?: OrderSort;
    /** The cap; tests scale it to their smaller tables. */
    limit?: number;
  },
): Promise<number | null> {
  const channels = effectiveChannels(opts.visibleChannels, opts.filter.channels);
  if (channels && channels.length === 0) return 0;
  const limit = opts.limit ?? COUNT_LIMIT;
  const page = orderPageStatement({
    columns: 'id, ordered_at, paid_at',
    channels,
    filter: opts.filter,
    sort: opts.orderBy ?? 'ORDERED_AT_DESC',
    after: null,
    limit: limit + 1,
  });
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from (${page.text}) counted`,
    page.values,
  );
  const n = rows[0]?.n ?? 0;
  return n > limit ? null : n;
}

/** One order by id or by (channel, channel order no); null when absent or outside `visibleChannels`. */
export async function findOrder(
  pool: pg.Pool,
  visibleChannels: readonly Channel[] | null,
  key: { id: string } | { channel: Channel; channelOrderNo: string },
): Promise<OrderRecord | null> {
  const where: string[] = [];
  const params: unknown[] = [];
  if ('id' in key) {
    if (!UUID.test(key.id)) return null;
    params.push(key.id);
    where.push('id = $1::uuid');
  } else {
    params.push(key.channel, key.channelOrderNo);
    where.push('channel = $1::text', 'channel_order_no = $2::text');
  }
  if (visibleChannels) {
    if (visibleChannels.length === 0) return null;
    params.push(visibleChannels);
    where.push(`channel = any($${params.length}::text[])`);
  }
  const { rows } = await pool.query<Row>(
    `select ${COLUMNS} from orders where ${where.join(' and ')}`,
    params,
  );
  return rows[0] ? toRecord(rows[0]) : null;
}
