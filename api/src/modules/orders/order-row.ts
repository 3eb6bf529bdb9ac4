import type { ChannelAddress, NormalizedItem, PresaleTerms } from '../../domain/intake/normalized-order.js';
import type { BusinessType, Channel, OrderState } from '../../domain/order/order-types.js';
import type { OrderAddressParse, OrderRegion } from './order.entity.js';

/**
 * One `orders` row as `pg` returns it (snake_case columns; `bigint` money as text, since `pg`
 * does not turn int8 into a number). The orders module owns this table: other modules read the
 * columns they need by name from here (`orderColumns`) and write only through `order-store.ts`.
 * The integration test `order-row` checks that these names are exactly the table's columns.
 */
export interface OrderRow {
  id: string;
  channel: Channel;
  channel_order_no: string;
  business_type: BusinessType;
  state: OrderState;
  /** The channel's own status text, kept as sent. */
  channel_status: string;
  ordered_at: Date;
  paid_at: Date | null;
  /** When the channel last changed the payload; a re-sent payload older than this is ignored. */
  source_updated_at: Date;
  goods_cents: string;
  shipping_cents: string;
  total_cents: string;
  /** Net paid: payments less refunds (from the payment ledger once payment events arrive). */
  paid_cents: string;
  presale: StoredPresale | null;
  buyer_name: string;
  buyer_phone: string;
  address: ChannelAddress;
  region: OrderRegion | null;
  items: NormalizedItem[];
  payment_no: string | null;
  group_id: string | null;
  owner_id: string | null;
  /** When each state was entered (ISO text by state). */
  state_entered_at: Partial<Record<OrderState, string>>;
  abnormal: boolean;
  hold_reason: string | null;
  routing_rule_id: string | null;
  routing_reason: string | null;
  routed_at: Date | null;
  address_parse: OrderAddressParse | null;
  promised_delivery_at: Date | null;
  /** `CHANNEL` or `SLA_POLICY`. */
  promised_delivery_source: string | null;
  backfill: boolean;
  sla_next_check_at: Date | null;
  sla_stage: string | null;
  sla_deadline: Date | null;
  escalation_level: number;
  escalation_stage: string | null;
  sla_policy_key: string | null;
  sla_policy_version: number | null;
  created_at: Date;
  updated_at: Date;
  version: number;
}

/** Presale terms as stored in `jsonb`: the times are ISO text (or missing in old rows). */
export type StoredPresale = {
  [K in keyof PresaleTerms]?: PresaleTerms[K] extends Date | null ? string | null : PresaleTerms[K];
};

export type OrderColumn = keyof OrderRow;

/** Every column of `orders`, in table order. */
export const ORDER_COLUMNS = [
  'id',
  'channel',
  'channel_order_no',
  'business_type',
  'state',
  'channel_status',
  'ordered_at',
  'paid_at',
  'source_updated_at',
  'goods_cents',
  'shipping_cents',
  'total_cents',
  'paid_cents',
  'presale',
  'buyer_name',
  'buyer_phone',
  'address',
  'region',
  'items',
  'payment_no',
  'group_id',
  'owner_id',
  'state_entered_at',
  'abnormal',
  'hold_reason',
  'created_at',
  'updated_at',
  'version',
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
  'promised_delivery_at',
  'promised_delivery_source',
  'backfill',
] as const satisfies readonly OrderColumn[];

/**
 * A select list of the given columns, each qualified with `alias` when one is given. Typed by
 * column name, so a renamed or dropped column fails to compile wherever it is read.
 */
export function orderColumns(columns: readonly OrderColumn[], alias?: string): string {
  return columns.map((c) => (alias ? `${alias}.${c}` : c)).join(', ');
}

/** The row type of a select built with `orderColumns(columns)`. */
export type OrderRowOf<C extends readonly OrderColumn[]> = Pick<OrderRow, C[number]>;

/** Fails to compile when `OrderRow` gains a column `ORDER_COLUMNS` does not list. */
type Unlisted = Exclude<OrderColumn, (typeof ORDER_COLUMNS)[number]>;
const everyColumnListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyColumnListed;
