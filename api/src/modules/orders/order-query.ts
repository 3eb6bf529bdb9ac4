import type pg from 'pg';
import type { ChannelAddress, NormalizedItem, PresaleTerms } from '../../domain/intake/normalized-order.js';
import type { BusinessType, Channel, OrderState } from '../../domain/order/order-types.js';
import type { OrderRegion } from './order.entity.js';

/**
 * Read side of the order pool in plain SQL: one order by id or by channel order number, and
 * pages of orders newest first (`ordered_at desc, id desc`) with keyset pagination. The viewer's
 * channels are always part of the WHERE clause, so nothing outside them is ever read.
 */

/** Every condition is optional; all given ones must hold. Ranges are half-open: `from <= t < to`. */
export interface OrderListFilter {
  channels?: readonly Channel[] | null;
  states?: readonly OrderState[] | null;
  businessTypes?: readonly BusinessType[] | null;
  groupIds?: readonly string[] | null;
  abnormal?: boolean | null;
  orderedFrom?: Date | null;
  orderedTo?: Date | null;
  paidFrom?: Date | null;
  paidTo?: Date | null;
  /** A normalised 11-digit mainland mobile number. */
  buyerPhone?: string | null;
}

/** Position after which the next page starts: the last row's `ordered_at` (to the µs) and id. */
export interface OrderCursor {
  orderedAt: string;
  id: string;
}

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
  presale: PresaleTerms | null;
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

const COLUMNS = `id, channel, channel_order_no, business_type, state, channel_status, ordered_at, paid_at,
  source_updated_at, goods_cents, shipping_cents, total_cents, paid_cents, presale, buyer_name, buyer_phone,
  address, region, items, payment_no, group_id, owner_id, state_entered_at, abnormal, hold_reason, created_at,
  updated_at, version, promised_delivery_at, promised_delivery_source,
  to_char(ordered_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at`;

interface Row {
  id: string;
  channel: Channel;
  channel_order_no: string;
  business_type: BusinessType;
  state: OrderState;
  channel_status: string;
  ordered_at: Date;
  paid_at: Date | null;
  source_updated_at: Date;
  goods_cents: string;
  shipping_cents: string;
  total_cents: string;
  paid_cents: string;
  presale: PresaleTerms | null;
  buyer_name: string;
  buyer_phone: string;
  address: ChannelAddress;
  region: OrderRegion | null;
  items: NormalizedItem[];
  payment_no: string | null;
  group_id: string | null;
  owner_id: string | null;
  state_entered_at: Partial<Record<OrderState, string>>;
  abnormal: boolean;
  hold_reason: string | null;
  promised_delivery_at: Date | null;
  promised_delivery_source: string | null;
  created_at: Date;
  updated_at: Date;
  version: number;
  cursor_at: string;
}

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

const CURSOR_PREFIX = 'o1|';
const CURSOR_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Opaque to clients: base64url of a versioned `o1|<ordered_at µs, UTC>|<id>`. */
export function encodeCursor(cursor: OrderCursor): string {
  return Buffer.from(`${CURSOR_PREFIX}${cursor.orderedAt}|${cursor.id}`, 'utf8').toString('base64url');
}

/** The cursor, or null when the text is not one this server issued. */
export function decodeCursor(text: string): OrderCursor | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  if (!decoded.startsWith(CURSOR_PREFIX)) return null;
  const [orderedAt, id, ...rest] = decoded.slice(CURSOR_PREFIX.length).split('|');
  if (rest.length > 0 || !CURSOR_TIME.test(orderedAt ?? '') || !UUID.test(id ?? '')) return null;
  if (Number.isNaN(Date.parse(orderedAt))) return null;
  return { orderedAt, id: id.toLowerCase() };
}

// ---------------------------------------------------------------------------------------------
// Queries

class Conditions {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  /** `column = $n` for one value (the planner sees plain equality), `= any($n)` for several. */
  oneOf(column: string, values: readonly string[], type = 'text'): void {
    if (values.length === 1) this.clauses.push(`${column} = ${this.param(values[0])}::${type}`);
    else this.clauses.push(`${column} = any(${this.param(values)}::${type}[])`);
  }

  get where(): string {
    return this.clauses.length > 0 ? `where ${this.clauses.join(' and ')}` : '';
  }
}

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

function filterConditions(channels: readonly Channel[] | null, filter: OrderListFilter): Conditions {
  const c = new Conditions();
  if (channels) c.oneOf('channel', channels);
  if (filter.states?.length) c.oneOf('state', filter.states);
  if (filter.businessTypes?.length) c.oneOf('business_type', filter.businessTypes);
  if (filter.groupIds?.length) c.oneOf('group_id', filter.groupIds);
  if (filter.abnormal === true) c.clauses.push('abnormal');
  if (filter.abnormal === false) c.clauses.push('not abnormal');
  if (filter.orderedFrom) c.clauses.push(`ordered_at >= ${c.param(filter.orderedFrom)}::timestamptz`);
  if (filter.orderedTo) c.clauses.push(`ordered_at < ${c.param(filter.orderedTo)}::timestamptz`);
  if (filter.paidFrom) c.clauses.push(`paid_at >= ${c.param(filter.paidFrom)}::timestamptz`);
  if (filter.paidTo) c.clauses.push(`paid_at < ${c.param(filter.paidTo)}::timestamptz`);
  if (filter.buyerPhone) c.clauses.push(`buyer_phone = ${c.param(filter.buyerPhone)}::text`);
  return c;
}

/**
 * One page, newest first. Reads `first + 1` rows to know whether another page follows; the
 * cursor condition is a row comparison the `(ordered_at, id)` indexes answer directly.
 */
export async function listOrders(
  pool: pg.Pool,
  opts: {
    visibleChannels: readonly Channel[] | null;
    filter: OrderListFilter;
    first: number;
    after: OrderCursor | null;
    /** Tuning of the paid-time plan choice (see `pageStatement`); the default suits production. */
    paidSortLimit?: number;
  },
): Promise<OrderPage> {
  const channels = effectiveChannels(opts.visibleChannels, opts.filter.channels);
  if ((channels && channels.length === 0) || opts.first === 0) return { rows: [], hasNextPage: false };
  const c = filterConditions(channels, opts.filter);
  if (opts.after) {
    c.clauses.push(
      `(ordered_at, id) < (${c.param(opts.after.orderedAt)}::timestamptz, ${c.param(opts.after.id)}::uuid)`,
    );
  }
  const { rows } = await pool.query<Row>(
    await pageStatement(pool, c, opts.filter, opts.first + 1, opts.paidSortLimit),
    c.params,
  );
  return {
    rows: rows.slice(0, opts.first).map((row) => ({
      cursor: encodeCursor({ orderedAt: row.cursor_at, id: row.id }),
      order: toRecord(row),
    })),
    hasNextPage: rows.length > opts.first,
  };
}

/** Below this many matches, a paid-time filter reads its matches by `paid_at` and sorts them. */
const PAID_RANGE_SORT_LIMIT = 5000;
/** How far before its payment an order may have been placed at the latest (clock skew between systems). */
const PAID_BEFORE_ORDERED_SLACK = '1 day';

/**
 * The SELECT for one page. Usually the `(…, ordered_at, id)` indexes read backwards and stop
 * after `limit` rows. A paid-time filter is the exception: payment follows ordering closely, a
 * correlation the planner does not know, so it would walk the ordered index from today back to
 * the paid range row by row. A capped count by `paid_at` decides instead: few matches are read
 * by `paid_at` and sorted; many are read by the ordered index, starting at `paidTo` (an order is
 * placed before it is paid) rather than at today.
 */
async function pageStatement(
  pool: pg.Pool,
  c: Conditions,
  filter: OrderListFilter,
  limit: number,
  sortLimit = PAID_RANGE_SORT_LIMIT,
): Promise<string> {
  const order = `order by ordered_at desc, id desc limit ${c.param(limit)}`;
  if (!filter.paidFrom && !filter.paidTo) return `select ${COLUMNS} from orders ${c.where} ${order}`;
  const probe = await pool.query<{ n: string }>(
    `select count(*) as n from (select 1 from orders ${c.where} limit ${Math.trunc(sortLimit)}) matched`,
    c.params.slice(0, -1),
  );
  if (Number(probe.rows[0].n) < sortLimit) {
    // `offset 0` keeps the planner from turning this back into a walk along the ordered index.
    return `select * from (select ${COLUMNS} from orders ${c.where} offset 0) matched ${order}`;
  }
  const bounded = filter.paidTo
    ? `${c.where} and ordered_at < ${c.param(filter.paidTo)}::timestamptz + interval '${PAID_BEFORE_ORDERED_SLACK}'`
    : c.where;
  return `select ${COLUMNS} from orders ${bounded} ${order}`;
}

/** How many orders match, across all pages. A full count: only run when a client asks for it. */
export async function countOrders(
  pool: pg.Pool,
  opts: { visibleChannels: readonly Channel[] | null; filter: OrderListFilter },
): Promise<number> {
  const channels = effectiveChannels(opts.visibleChannels, opts.filter.channels);
  if (channels && channels.length === 0) return 0;
  const c = filterConditions(channels, opts.filter);
  const { rows } = await pool.query<{ n: string }>(`select count(*) as n from orders ${c.where}`, c.params);
  return Number(rows[0].n);
}

/** One order by id or by (channel, channel order no); null when absent or outside `visibleChannels`. */
export async function findOrder(
  pool: pg.Pool,
  visibleChannels: readonly Channel[] | null,
  key: { id: string } | { channel: Channel; channelOrderNo: string },
): Promise<OrderRecord | null> {
  const c = new Conditions();
  if ('id' in key) {
    if (!UUID.test(key.id)) return null;
    c.clauses.push(`id = ${c.param(key.id)}::uuid`);
  } else {
    c.clauses.push(`channel = ${c.param(key.channel)}::text`);
    c.clauses.push(`channel_order_no = ${c.param(key.channelOrderNo)}::text`);
  }
  if (visibleChannels) {
    if (visibleChannels.length === 0) return null;
    c.oneOf('channel', visibleChannels);
  }
  const { rows } = await pool.query<Row>(`select ${COLUMNS} from orders ${c.where}`, c.params);
  return rows[0] ? toRecord(rows[0]) : null;
}
