import type pg from 'pg';
import type { LiveEvent } from '../../infra/pubsub/live-events.js';
import type { ParcelChange } from '../../infra/pubsub/topics.js';

/** What a parcel's `orderUpdated` event needs to know of its order. */
export interface NewsOrder {
  orderId: string;
  channel: string;
  channelOrderNo: string;
  state: string;
  groupId: string | null;
  abnormal: boolean;
}

/**
 * The `orderUpdated` event of news about a parcel that leaves the order's state as it was (new
 * carrier scans, a stall found): subscribers (the customer's page, staff screens) learn that
 * what they show changed even though the order did not move.
 */
export function parcelNewsEvent(
  order: NewsOrder,
  parcel: { waybillNo: string; change: ParcelChange },
  now: Date,
): LiveEvent<'ORDER_UPDATED'> {
  return {
    orderId: order.orderId,
    channel: order.channel,
    channelOrderNo: order.channelOrderNo,
    state: order.state,
    previousState: order.state,
    groupId: order.groupId,
    abnormal: order.abnormal,
    occurredAt: now.toISOString(),
    parcelChange: parcel.change,
    waybillNo: parcel.waybillNo,
  };
}

/** The order of a parcel as its news event names it (read in the transaction of the news). */
export async function newsOrder(tx: pg.PoolClient, orderId: string): Promise<NewsOrder | null> {
  const { rows } = await tx.query<{
    channel: string;
    channel_order_no: string;
    state: string;
    group_id: string | null;
    abnormal: boolean;
  }>('select channel, channel_order_no, state, group_id, abnormal from orders where id = $1', [orderId]);
  const r = rows[0];
  return r
    ? {
        orderId,
        channel: r.channel,
        channelOrderNo: r.channel_order_no,
        state: r.state,
        groupId: r.group_id,
        abnormal: r.abnormal,
      }
    : null;
}
