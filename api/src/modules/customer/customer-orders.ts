import type pg from 'pg';
import type { ChannelAddress, NormalizedItem } from '../../domain/intake/normalized-order.js';
import { customerStatusLabel } from '../../domain/order/order-labels.js';
import type { OrderState } from '../../domain/order/order-types.js';
import { maskAddress, maskName, maskPhone } from '../../domain/privacy/mask.js';
import { SHIPMENT_STATE_LABELS } from '../../domain/tracking/carrier-state.js';
import { customerPromise } from '../../domain/tracking/customer-promise.js';
import { etaText } from '../../domain/tracking/eta.js';
import { shipmentsOfOrders, traceOfShipments } from '../shipments/shipment.store.js';

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

/**
 * The orders of one phone, and nothing else: `buyer_phone` is the only condition and it comes
 * from the verified token, never from the request. Personal data is masked even for the owner,
 * since a phone may be shared or lost.
 */
export async function customerOrders(pool: pg.Pool, phone: string, now: Date): Promise<CustomerOrder[]> {
  const { rows } = await pool.query<{
    id: string;
    channel_order_no: string;
    state: OrderState;
    ordered_at: Date;
    items: NormalizedItem[];
    buyer_name: string;
    buyer_phone: string;
    address: ChannelAddress;
    sla_deadline: Date | null;
  }>(
    `select id, channel_order_no, state, ordered_at, items, buyer_name, buyer_phone, address, sla_deadline
       from orders where buyer_phone = $1 order by ordered_at desc, id desc limit $2`,
    [phone, CUSTOMER_ORDER_LIMIT],
  );
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [shipments, events] = await Promise.all([
    shipmentsOfOrders(pool, ids),
    pool.query<{ order_id: string; to_state: OrderState; occurred_at: Date }>(
      `select order_id, to_state, occurred_at from order_event
        where order_id = any($1::uuid[]) and outcome = 'APPLIED' and to_state is not null
        order by occurred_at desc, id desc`,
      [ids],
    ),
  ]);
  const trace = await traceOfShipments(
    pool,
    shipments.map((s) => s.id),
    30,
  );
  return rows.map((r) => {
    const own = shipments.filter((s) => s.orderId === r.id);
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
        waybillNo: s.waybillNo,
        status: SHIPMENT_STATE_LABELS[s.state],
        etaText: s.eta && !s.deliveredAt ? etaText(s.eta, now) : null,
        stalled: s.stalledSince !== null,
        stallReason: s.stallReason,
        lastEventAt: s.lastEventAt,
        trace: trace
          .filter((t) => t.shipmentId === s.id)
          .map((t) => ({ at: t.occurredAt, text: t.description, location: t.location })),
      })),
      timeline: events.rows
        .filter((e) => e.order_id === r.id)
        .map((e) => ({ at: e.occurred_at, text: customerStatusLabel(e.to_state), location: null })),
    };
  });
}

/** Whether the order belongs to the phone; what the live updates filter by. */
export async function ownsOrder(pool: pg.Pool, phone: string, orderId: string): Promise<boolean> {
  const { rowCount } = await pool.query('select 1 from orders where id = $1 and buyer_phone = $2', [
    orderId,
    phone,
  ]);
  return (rowCount ?? 0) > 0;
}
