import type { BusinessType, Channel, OrderState } from '../../domain/order/order-types.js';

/**
 * The SQL of an order list page, built without touching the database so that its plan can be
 * checked (test/integration/orders/order-list-plans.test.ts EXPLAINs what this builds).
 *
 * Every page is bounded whatever the table's size: it reads its rows from an index in the page's
 * order and stops after `limit` rows, never sorts the whole set of matches.
 * - Newest placed first (`ORDERED_AT_DESC`): the `(…, ordered_at, id)` indexes, read backwards.
 *   When a filter lists several values of an indexed column (`states: [PAID, PICKING]`, a
 *   partner's several channels), each value is its own index range of at most `limit` rows, and
 *   the ranges are merged (`union all` of limited branches: a Merge Append), since one range over
 *   several values is not in `ordered_at` order.
 * - Newest paid first (`PAID_AT_DESC`): the `(paid_at, id)` index, read backwards; only paid
 *   orders. A paid-time range is only offered in this order (see `OrderListRefusal`).
 * - Conditions without an index of their own (business type, `abnormal: false`, an ordered-time
 *   range beside another filter) are checked while walking: they cost reading past the orders
 *   that do not match, in proportion to how rare the matches are, not to the table's size.
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

/** The order of a list: newest placed first, or newest paid first (paid orders only). */
export type OrderSort = 'ORDERED_AT_DESC' | 'PAID_AT_DESC';

/** Position after which the next page starts: the last row's sort time (to the µs) and id. */
export interface OrderCursor {
  sort: OrderSort;
  /** `ordered_at` or `paid_at` of the last row, ISO with microseconds, UTC. */
  at: string;
  id: string;
}

/** At most this many processing groups in one filter: each is an index range of its own. */
export const MAX_GROUP_IDS = 20;

/** Why a filter is refused rather than run: the coded errors of `orders` (see the schema). */
export interface OrderListRefusal {
  code: 'PAID_RANGE_NEEDS_PAID_ORDER' | 'TOO_MANY_VALUES' | 'CURSOR_ORDER_MISMATCH';
  argument: string;
  message: string;
}

/** The refusal for a filter no bounded plan serves; null when it may run. */
export function refuseOrderList(
  filter: OrderListFilter,
  orderBy: OrderSort,
  after: OrderCursor | null,
): OrderListRefusal | null {
  if ((filter.paidFrom || filter.paidTo) && orderBy !== 'PAID_AT_DESC')
    return {
      code: 'PAID_RANGE_NEEDS_PAID_ORDER',
      argument: filter.paidFrom ? 'filter.paidFrom' : 'filter.paidTo',
      message:
        'filter.paidFrom / filter.paidTo list orders newest paid first: pass orderBy: PAID_AT_DESC with them.',
    };
  if ((filter.groupIds?.length ?? 0) > MAX_GROUP_IDS)
    return {
      code: 'TOO_MANY_VALUES',
      argument: 'filter.groupIds',
      message: `filter.groupIds takes at most ${MAX_GROUP_IDS} processing groups.`,
    };
  if (after && after.sort !== orderBy)
    return {
      code: 'CURSOR_ORDER_MISMATCH',
      argument: 'after',
      message: `after is a cursor of the ${after.sort} order; pass the same orderBy to continue.`,
    };
  return null;
}

export interface Statement {
  text: string;
  values: unknown[];
}

/** Sort column of each order; the cursor compares `(column, id)`. */
const SORT_COLUMN: Record<OrderSort, string> = { ORDERED_AT_DESC: 'ordered_at', PAID_AT_DESC: 'paid_at' };

class Params {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Indexed columns whose several values become merged ranges, in the order they are preferred. */
type SplitColumn = 'state' | 'channel' | 'group_id';

/**
 * The column whose values each get their own range, or null when one range serves: a buyer's
 * orders and abnormal ones have an index of their own, and the paid order walks `paid_at`.
 */
function splitColumn(channels: readonly Channel[] | null, filter: OrderListFilter, sort: OrderSort) {
  if (sort === 'PAID_AT_DESC' || filter.buyerPhone || filter.abnormal === true) return null;
  const many = (values: readonly unknown[] | null | undefined) => (values?.length ?? 0) > 1;
  const single = (values: readonly unknown[] | null | undefined) => values?.length === 1;
  // One value of an indexed column already gives a single range: keep it.
  if (single(filter.states) || single(channels) || single(filter.groupIds)) return null;
  if (many(filter.states)) return 'state';
  if (many(channels)) return 'channel';
  if (many(filter.groupIds)) return 'group_id';
  return null;
}

function conditions(
  p: Params,
  channels: readonly Channel[] | null,
  filter: OrderListFilter,
  sort: OrderSort,
  after: OrderCursor | null,
  split: { column: SplitColumn; value: string } | null,
): string[] {
  const where: string[] = [];
  const oneOf = (column: SplitColumn, values: readonly string[] | null | undefined) => {
    if (!values?.length) return;
    if (split?.column === column) where.push(`${column} = ${p.add(split.value)}::text`);
    else if (values.length === 1) where.push(`${column} = ${p.add(values[0])}::text`);
    else where.push(`${column} = any(${p.add(values)}::text[])`);
  };
  oneOf('channel', channels);
  oneOf('state', filter.states);
  if (filter.businessTypes?.length) where.push(`business_type = any(${p.add(filter.businessTypes)}::text[])`);
  oneOf('group_id', filter.groupIds);
  if (filter.abnormal === true) where.push('abnormal');
  if (filter.abnormal === false) where.push('not abnormal');
  if (filter.orderedFrom) where.push(`ordered_at >= ${p.add(filter.orderedFrom)}::timestamptz`);
  if (filter.orderedTo) where.push(`ordered_at < ${p.add(filter.orderedTo)}::timestamptz`);
  if (sort === 'PAID_AT_DESC') where.push('paid_at is not null');
  if (filter.paidFrom) where.push(`paid_at >= ${p.add(filter.paidFrom)}::timestamptz`);
  if (filter.paidTo) where.push(`paid_at < ${p.add(filter.paidTo)}::timestamptz`);
  if (filter.buyerPhone) where.push(`buyer_phone = ${p.add(filter.buyerPhone)}::text`);
  if (after) {
    const column = SORT_COLUMN[sort];
    where.push(`(${column}, id) < (${p.add(after.at)}::timestamptz, ${p.add(after.id)}::uuid)`);
  }
  return where;
}

/**
 * `select <columns> from orders where … order by <sort> desc, id desc limit <limit>`, or the merge
 * of one such select per value of the split column. `channels` are those the viewer may read,
 * already narrowed by the filter (an empty list must not reach here).
 */
export function orderPageStatement(opts: {
  columns: string;
  channels: readonly Channel[] | null;
  filter: OrderListFilter;
  sort: OrderSort;
  after: OrderCursor | null;
  limit: number;
}): Statement {
  const p = new Params();
  const column = SORT_COLUMN[opts.sort];
  const order = `order by ${column} desc, id desc`;
  const select = (split: { column: SplitColumn; value: string } | null) => {
    const where = conditions(p, opts.channels, opts.filter, opts.sort, opts.after, split);
    const clause = where.length > 0 ? ` where ${where.join(' and ')}` : '';
    return `select ${opts.columns} from orders${clause} ${order} limit ${p.add(opts.limit)}`;
  };
  const by = splitColumn(opts.channels, opts.filter, opts.sort);
  if (by === null) return { text: select(null), values: p.values };
  const values =
    by === 'state' ? opts.filter.states! : by === 'channel' ? opts.channels! : opts.filter.groupIds!;
  const branches = [...new Set(values)].map((value) => `(${select({ column: by, value })})`);
  const text = `select * from (${branches.join(' union all ')}) merged ${order} limit ${p.add(opts.limit)}`;
  return { text, values: p.values };
}
