import type pg from 'pg';
import type { OrderEventType } from '../../domain/order/order-events.js';
import { estimateDelivery } from '../../domain/tracking/eta.js';
import { nextStallCheckAt, type StallSettings } from '../../domain/tracking/stall.js';
import { foldProgress, type TraceEntry } from '../../domain/tracking/trace.js';
import { inTransaction } from '../../infra/db/transaction.js';
import { enqueueOutbox } from '../../infra/outbox/outbox.js';
import { liveEventsEntry } from '../../infra/pubsub/live-events.js';
import { applyOrderEvents, type OrderEventResult } from '../order-events/order-event.service.js';
import { kuaidi100SubscribeEntry } from './kuaidi100-subscription.js';
import { newsOrder, parcelNewsEvent } from './parcel-news.js';
import {
  createShipment,
  insertTrace,
  lockShipment,
  routeHistory,
  type ShipmentRow,
  saveProgress,
} from './shipment.store.js';

export interface CarrierReport {
  /** The order the parcel belongs to; needed only when the platform does not know the waybill yet. */
  orderId: string | null;
  carrier: string;
  waybillNo: string;
  originProvince?: string | null;
  /** `KUAIDI100` or `TMS`. */
  source: string;
  /** The whole known trace, or the one new event; entries already held are recognised by key. */
  entries: readonly TraceEntry[];
}

export type CarrierReportResult =
  | { ok: true; shipment: ShipmentRow; newEntries: number; orderEvents: OrderEventResult[] }
  | { ok: false; code: 'UNKNOWN_WAYBILL' | 'ORDER_NOT_FOUND'; message: string };

export interface ShipmentDeps {
  pool: pg.Pool;
  stall: StallSettings;
}

/**
 * Records what a carrier (or the TMS) reports about a parcel, out of order and repeated as feeds
 * are: new trace entries are kept once each; the parcel's state follows its latest scan by time;
 * a new event clears a stall and re-arms the stall check; the ETA is revised from the route's
 * delivered history; an `orderUpdated` event (`parcelChange: TRACE`) announces the new scans in
 * the same transaction. Then every entry that reports an order event goes to the order-event
 * service, keyed per entry, so the order moves by the lifecycle's rules (duplicates and late
 * scans included) and a retry after a crash between the two steps completes the order's part.
 */
export async function recordCarrierReport(
  deps: ShipmentDeps,
  report: CarrierReport,
  receivedAt: Date,
): Promise<CarrierReportResult> {
  const recorded = await inTransaction(deps.pool, async (tx) => {
    let shipment = await lockShipment(tx, report.carrier, report.waybillNo);
    if (!shipment) {
      if (!report.orderId)
        return {
          ok: false as const,
          code: 'UNKNOWN_WAYBILL' as const,
          message: 'no shipment has this waybill; name its order',
        };
      shipment = await createShipment(tx, {
        orderId: report.orderId,
        carrier: report.carrier,
        waybillNo: report.waybillNo,
        originProvince: report.originProvince ?? null,
        now: receivedAt,
      });
      if (!shipment)
        return { ok: false as const, code: 'ORDER_NOT_FOUND' as const, message: 'no order has this id' };
      // A waybill first heard of from the TMS: ask Kuaidi100 to push its changes from now on.
      if (report.source === 'TMS')
        await enqueueOutbox(tx, [
          kuaidi100SubscribeEntry({
            shipmentId: shipment.id,
            orderId: shipment.orderId,
            carrier: shipment.carrier,
            waybillNo: shipment.waybillNo,
          }),
        ]);
    }
    const fresh = await insertTrace(tx, shipment.id, report.source, report.entries, receivedAt);
    if (fresh.length > 0) {
      shipment = await progress(tx, deps.stall, shipment, fresh, receivedAt);
      // New scans change what the customer's page shows even when the order keeps its state:
      // announced with the trace they add, in its transaction.
      const order = await newsOrder(tx, shipment.orderId);
      if (order)
        await enqueueOutbox(
          tx,
          liveEventsEntry('ORDER_UPDATED', [
            parcelNewsEvent(order, { waybillNo: shipment.waybillNo, change: 'TRACE' }, receivedAt),
          ]),
        );
    }
    return { ok: true as const, shipment, newEntries: fresh.length };
  });
  if (!recorded.ok) return recorded;
  const submissions = orderEventsOf(recorded.shipment, report);
  const orderEvents =
    submissions.length > 0 ? await applyOrderEvents(deps.pool, submissions, receivedAt) : [];
  return { ...recorded, orderEvents };
}

async function progress(
  tx: pg.PoolClient,
  stall: StallSettings,
  current: ShipmentRow,
  fresh: readonly TraceEntry[],
  now: Date,
): Promise<ShipmentRow> {
  const folded = foldProgress(current, fresh);
  const earliest = Math.min(...fresh.map((e) => e.occurredAt.getTime()));
  const shippedAt = new Date(Math.min(current.shippedAt?.getTime() ?? earliest, earliest));
  const delivered = folded.state === 'DELIVERED';
  // A new event, whatever it says, ends a stall: the parcel moves again.
  const next: ShipmentRow = {
    ...current,
    ...folded,
    shippedAt,
    deliveredAt: delivered ? (current.deliveredAt ?? folded.stateAt) : null,
    stalledSince: null,
    stallReason: null,
  };
  if (!delivered) {
    const history = await routeHistory(tx, next, now);
    next.eta = estimateDelivery(next, shippedAt, history);
  }
  next.nextStallCheckAt = nextStallCheckAt(next, stall);
  await saveProgress(tx, next, now);
  return next;
}

function orderEventsOf(shipment: ShipmentRow, report: CarrierReport) {
  const events: { at: Date; type: OrderEventType; key: string; entry: TraceEntry }[] = [];
  for (const entry of report.entries)
    for (const type of entry.orderEvents)
      events.push({
        at: entry.occurredAt,
        type,
        key: `${report.source}:${report.carrier}:${report.waybillNo}:${entry.entryKey}:${type}`,
        entry,
      });
  events.sort((a, b) => a.at.getTime() - b.at.getTime());
  return events.map(({ at, type, key, entry }) => ({
    orderRef: { orderId: shipment.orderId },
    event: {
      source: 'TMS',
      type,
      idempotencyKey: key,
      occurredAt: at,
      payload: {
        carrier: report.carrier,
        waybillNo: report.waybillNo,
        description: entry.description.slice(0, 200),
        location: entry.location,
      },
    },
  }));
}
