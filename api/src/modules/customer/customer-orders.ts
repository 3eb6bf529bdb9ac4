import type pg from 'pg';
import type { ChannelAddress, NormalizedItem } from '../../domain/intake/normalized-order.js';
import { customerStatusLabel } from '../../domain/order/order-labels.js';
import type { OrderState } from '../../domain/order/order-types.js';
import { maskAddress, maskName, maskPhone } from '../../domain/privacy/mask.js';
import { SHIPMENT_STATE_LABELS, type ShipmentState } from '../../domain/tracking/carrier-state.js';
import { customerPromise } from '../../domain/tracking/customer-promise.js';
import { etaText } from '../../domain/tracking/eta.js';
import type { CustomerSession } from './customer-keys.js';

/** Carrier names a shopper recognises, by Kuaidi100 code. */
const CARRIER_NAMES: Record<string, string> = {
  shunfeng: '顺丰速运',
  zhongtong: '中通快递',
  yuantong: '圆通速递',
  yunda: '韵达快递',
  shentong: '申通快递',
  jd: '京东物流',
  ems: 'EMS',
  jtexpress: '极兔速递',
  debangkuaidi: '德邦快递',
};
export const carrierName = (code: string) => CARRIER_NAMES[code] ?? code;

export interface CustomerTraceLine {
  at: Date;
  text: string;
  location: string | null;
}

export interface CustomerShipment {
  id: string;
  carrier: string;
  carrierName: string;
  waybillNo: string;
  status: string;
  etaText: string | null;
  stalled: boolean;
  stallReason: string | null;
  lastEventAt: Date | null;
  trace: CustomerTraceLine[];
}

export interface CustomerOrder {
  id: string;
  channelOrderNo: string;
  state: OrderState;
  status: string;
  orderedAt: Date;
  items: string[];
  receiverName: string;
  receiverPhone: string;
  receiverAddress: string;
  shipments: CustomerShipment[];
  timeline: CustomerTraceLine[];
}

/** Newest orders a phone may see at once; more is not what a phone page is for. */
export const CUSTOMER_ORDER_LIMIT = 20;
/** Newest trace lines shown per parcel. */
const TRACE_LINES = 30;

interface LookupRow {
  id: string;
  channel_order_no: string;
  state: OrderState;
  ordered_at: Date;
  items: NormalizedItem[];
  buyer_name: string;
  buyer_phone: string;
  address: ChannelAddress;
  sla_deadline: Date | null;
  shipments: {
    id: string;
    carrier: string;
    waybill_no: string;
    state: ShipmentState;
    eta: string | null;
    delivered_at: string | null;
    last_event_at: string | null;
    stalled_since: string | null;
    stall_reason: string | null;
    trace: { at: string; text: string; location: string | null }[];
  }[];
  timeline: { at: string; state: OrderState }[];
}

/**
 * One statement, one round trip: the phone's newest orders by the index on (buyer_phone,
 * ordered_at), each with its parcels, their newest trace lines and the order's status history
 * (each an index lookup per order), and the audit line of the lookup written by the same
 * statement, so a lookup is never answered unaudited.
 */
export const CUSTOMER_LOOKUP_SQL = `
  with o as (
    select id, channel_order_no, state, ordered_at, items, buyer_name, buyer_phone, address, sla_deadline
      from orders where buyer_phone = $1 order by ordered_at desc, id desc limit $2),
  audited as (
    insert into customer_audit (phone_digest, phone_masked, action, order_count, at)
    select $3, $4, 'ORDERS_VIEWED', count(*), $5 from o)
  select o.*,
    coalesce((
      select json_agg(json_build_object('id', s.id, 'carrier', s.carrier, 'waybill_no', s.waybill_no,
               'state', s.state, 'eta', s.eta, 'delivered_at', s.delivered_at, 'last_event_at', s.last_event_at,
               'stalled_since', s.stalled_since, 'stall_reason', s.stall_reason,
               'trace', coalesce((
                  select json_agg(json_build_object('at', t.occurred_at, 'text', t.description, 'location', t.location)
                           order by t.occurred_at desc, t.id desc)
                    from (select id, occurred_at, description, location from shipment_trace
                           where shipment_id = s.id order by occurred_at desc, id desc limit $6) t), '[]'))
               order by s.created_at, s.id)
        from shipment s where s.order_id = o.id), '[]') as shipments,
    coalesce((
      select json_agg(json_build_object('at', e.occurred_at, 'state', e.to_state) order by e.occurred_at desc, e.id desc)
        from order_event e
       where e.order_id = o.id and e.outcome = 'APPLIED' and e.to_state is not null), '[]') as timeline
    from o order by o.ordered_at desc, o.id desc`;

/** The parameters of `CUSTOMER_LOOKUP_SQL` for a session. */
export const customerLookupParams = (session: Pick<CustomerSession, 'phone' | 'phoneDigest'>, now: Date) => [
  session.phone,
  CUSTOMER_ORDER_LIMIT,
  session.phoneDigest,
  maskPhone(session.phone),
  now,
  TRACE_LINES,
];

const date = (iso: string | null) => (iso === null ? null : new Date(iso));

/**
 * The orders of one phone, and nothing else: `buyer_phone` is the only condition and it comes
 * from the verified token, never from the request. Personal data is masked even for the owner,
 * since a phone may be shared or lost. The lookup is audited (masked and digested phone, the
 * number of orders shown) by the statement that reads it.
 */
export async function customerOrders(
  pool: pg.Pool,
  session: Pick<CustomerSession, 'phone' | 'phoneDigest'>,
  now: Date,
): Promise<CustomerOrder[]> {
  // A named statement: each connection plans it once, not on every lookup.
  const { rows } = await pool.query<LookupRow>({
    name: 'customer-lookup',
    text: CUSTOMER_LOOKUP_SQL,
    values: customerLookupParams(session, now),
  });
  return rows.map((r) => {
    const own = r.shipments.map((s) => ({ ...s, eta: date(s.eta), deliveredAt: date(s.delivered_at) }));
    return {
      id: r.id,
      channelOrderNo: r.channel_order_no,
      state: r.state,
      status: customerPromise(
        {
          state: r.state,
          slaDeadline: r.sla_deadline,
          etas: own.filter((s) => s.eta && !s.deliveredAt).map((s) => s.eta!),
        },
        now,
      ),
      orderedAt: r.ordered_at,
      items: (r.items ?? []).map((i) => `${i.title} ×${i.quantity}`),
      receiverName: maskName(r.buyer_name),
      receiverPhone: maskPhone(r.buyer_phone),
      receiverAddress: maskAddress(r.address),
      shipments: own.map((s) => ({
        id: s.id,
        carrier: s.carrier,
        carrierName: carrierName(s.carrier),
        waybillNo: s.waybill_no,
        status: SHIPMENT_STATE_LABELS[s.state],
        etaText: s.eta && !s.deliveredAt ? etaText(s.eta, now) : null,
        stalled: s.stalled_since !== null,
        stallReason: s.stall_reason,
        lastEventAt: date(s.last_event_at),
        trace: s.trace.map((t) => ({ at: new Date(t.at), text: t.text, location: t.location })),
      })),
      timeline: r.timeline.map((e) => ({
        at: new Date(e.at),
        text: customerStatusLabel(e.state),
        location: null,
      })),
    };
  });
}

/** How long a looked-up order owner is trusted; a buyer's phone is set at intake and rarely corrected. */
const OWNER_TTL_MS = 60_000;
const OWNERS_KEPT = 20_000;
const owners = new Map<string, { phone: Promise<string | null>; until: number }>();

/** The buyer's phone of an order, shared by every subscriber of the process for a minute. */
function ownerOf(pool: pg.Pool, orderId: string, nowMs: number): Promise<string | null> {
  const known = owners.get(orderId);
  if (known && known.until > nowMs) return known.phone;
  const phone = pool
    .query<{ buyer_phone: string }>('select buyer_phone from orders where id = $1', [orderId])
    .then((r) => r.rows[0]?.buyer_phone ?? null);
  if (owners.size >= OWNERS_KEPT) owners.delete(owners.keys().next().value as string);
  owners.set(orderId, { phone, until: nowMs + OWNER_TTL_MS });
  phone.catch(() => owners.delete(orderId));
  return phone;
}

/**
 * Whether the order belongs to the phone; what the live updates filter by. One event is checked
 * for every connected customer: the owner is read once per order (and minute) for all of them,
 * not once per subscriber.
 */
export async function ownsOrder(pool: pg.Pool, phone: string, orderId: string): Promise<boolean> {
  return (await ownerOf(pool, orderId, Date.now())) === phone;
}
