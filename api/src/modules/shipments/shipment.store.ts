import type pg from 'pg';
import type { ShipmentState } from '../../domain/tracking/carrier-state.js';
import type { RouteHistory } from '../../domain/tracking/eta.js';
import type { TraceEntry } from '../../domain/tracking/trace.js';

/** The `shipment` table: this module owns its writes; everything goes through here. */
export interface ShipmentRow {
  id: string;
  orderId: string;
  carrier: string;
  waybillNo: string;
  state: ShipmentState;
  stateAt: Date | null;
  lastEventAt: Date | null;
  shippedAt: Date | null;
  deliveredAt: Date | null;
  eta: Date | null;
  originProvince: string | null;
  destinationProvince: string | null;
  nextStallCheckAt: Date | null;
  stalledSince: Date | null;
  stallReason: string | null;
  stallCount: number;
  subscribedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}

const COLUMN_NAMES = [
  'id',
  'order_id',
  'carrier',
  'waybill_no',
  'state',
  'state_at',
  'last_event_at',
  'shipped_at',
  'delivered_at',
  'eta',
  'origin_province',
  'destination_province',
  'next_stall_check_at',
  'stalled_since',
  'stall_reason',
  'stall_count',
  'subscribed_at',
  'created_at',
  'updated_at',
];

/** The select list of a shipment row, optionally qualified by a table alias. */
export const shipmentColumns = (alias?: string) =>
  COLUMN_NAMES.map((c) => (alias ? `${alias}.${c}` : c)).join(', ');
const SHIPMENT_COLUMNS = shipmentColumns();

export function toShipment(r: Record<string, unknown>): ShipmentRow {
  return {
    id: r.id as string,
    orderId: r.order_id as string,
    carrier: r.carrier as string,
    waybillNo: r.waybill_no as string,
    state: r.state as ShipmentState,
    stateAt: r.state_at as Date | null,
    lastEventAt: r.last_event_at as Date | null,
    shippedAt: r.shipped_at as Date | null,
    deliveredAt: r.delivered_at as Date | null,
    eta: r.eta as Date | null,
    originProvince: r.origin_province as string | null,
    destinationProvince: r.destination_province as string | null,
    nextStallCheckAt: r.next_stall_check_at as Date | null,
    stalledSince: r.stalled_since as Date | null,
    stallReason: r.stall_reason as string | null,
    stallCount: Number(r.stall_count),
    subscribedAt: r.subscribed_at as Date | null,
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

export async function lockShipment(
  tx: pg.PoolClient,
  carrier: string,
  waybillNo: string,
): Promise<ShipmentRow | null> {
  const { rows } = await tx.query(
    `select ${SHIPMENT_COLUMNS} from shipment where carrier = $1 and waybill_no = $2 for update`,
    [carrier, waybillNo],
  );
  return rows[0] ? toShipment(rows[0]) : null;
}

/**
 * Creates the shipment of an order's parcel, or returns the one that exists (two pushes racing for
 * a new waybill create it once). The destination comes from the order's parsed region.
 */
export async function createShipment(
  tx: pg.PoolClient,
  input: { orderId: string; carrier: string; waybillNo: string; originProvince: string | null; now: Date },
): Promise<ShipmentRow | null> {
  await tx.query(
    `insert into shipment (order_id, carrier, waybill_no, state, origin_province, destination_province,
        created_at, updated_at)
     select o.id, $2, $3, 'AWAITING_PICKUP', $4, o.region->>'provinceCode', $5, $5
       from orders o where o.id = $1
     on conflict (carrier, waybill_no) do nothing`,
    [input.orderId, input.carrier, input.waybillNo, input.originProvince, input.now],
  );
  return lockShipment(tx, input.carrier, input.waybillNo);
}

/** Inserts trace entries; returns the ones the platform had not seen (by entry key). */
export async function insertTrace(
  tx: pg.PoolClient,
  shipmentId: string,
  source: string,
  entries: readonly TraceEntry[],
  receivedAt: Date,
): Promise<TraceEntry[]> {
  if (entries.length === 0) return [];
  const { rows } = await tx.query<{ entry_key: string }>(
    `insert into shipment_trace (shipment_id, entry_key, occurred_at, description, location, source, carrier_code,
        state, received_at)
     select $1, t.entry_key, t.occurred_at, t.description, t.location, $2, t.carrier_code, t.state, $3
       from json_to_recordset($4::json) as t(entry_key text, occurred_at timestamptz, description text,
            location text, carrier_code int, state text)
     on conflict (shipment_id, entry_key) do nothing
     returning entry_key`,
    [
      shipmentId,
      source,
      receivedAt,
      JSON.stringify(
        entries.map((e) => ({
          entry_key: e.entryKey,
          occurred_at: e.occurredAt.toISOString(),
          description: e.description,
          location: e.location,
          carrier_code: e.carrierCode,
          state: e.state,
        })),
      ),
    ],
  );
  const fresh = new Set(rows.map((r) => r.entry_key));
  return entries.filter((e) => fresh.has(e.entryKey));
}

export async function saveProgress(tx: pg.PoolClient, s: ShipmentRow, now: Date): Promise<void> {
  await tx.query(
    `update shipment set state = $2, state_at = $3, last_event_at = $4, shipped_at = $5, delivered_at = $6, eta = $7,
        next_stall_check_at = $8, stalled_since = $9, stall_reason = $10, updated_at = $11
      where id = $1`,
    [
      s.id,
      s.state,
      s.stateAt,
      s.lastEventAt,
      s.shippedAt,
      s.deliveredAt,
      s.eta,
      s.nextStallCheckAt,
      s.stalledSince,
      s.stallReason,
      now,
    ],
  );
}

/** Marks parcels stalled (one statement): the check stays off until a new carrier event re-arms it. */
export async function markStalled(
  tx: pg.PoolClient,
  stalls: readonly { id: string; since: Date; reason: string; stallNo: number }[],
  now: Date,
): Promise<void> {
  if (stalls.length === 0) return;
  await tx.query(
    `update shipment s set stalled_since = t.since, stall_reason = t.reason, stall_count = t.stall_no,
        next_stall_check_at = null, updated_at = $1
       from unnest($2::uuid[], $3::timestamptz[], $4::text[], $5::int[]) as t(id, since, reason, stall_no)
      where s.id = t.id`,
    [
      now,
      stalls.map((s) => s.id),
      stalls.map((s) => s.since),
      stalls.map((s) => s.reason),
      stalls.map((s) => s.stallNo),
    ],
  );
}

/** Delivered history of a route over the last 90 days: count and p80 transit hours. */
export async function routeHistory(
  db: pg.Pool | pg.PoolClient,
  route: { carrier: string; originProvince: string | null; destinationProvince: string | null },
  now: Date,
): Promise<RouteHistory> {
  const { rows } = await db.query<{ n: string; p80: number | null }>(
    `select count(*) as n,
            percentile_cont(0.8) within group (order by extract(epoch from delivered_at - shipped_at) / 3600) as p80
       from shipment
      where carrier = $1 and origin_province is not distinct from $2 and destination_province is not distinct from $3
        and delivered_at is not null and shipped_at is not null and delivered_at > $4::timestamptz - interval '90 days'`,
    [route.carrier, route.originProvince, route.destinationProvince, now],
  );
  return { deliveredCount: Number(rows[0].n), p80Hours: Number(rows[0].p80 ?? 0) };
}

export async function shipmentsOfOrders(
  db: pg.Pool | pg.PoolClient,
  orderIds: readonly string[],
): Promise<ShipmentRow[]> {
  if (orderIds.length === 0) return [];
  const { rows } = await db.query(
    `select ${SHIPMENT_COLUMNS} from shipment where order_id = any($1::uuid[]) order by created_at, id`,
    [orderIds],
  );
  return rows.map(toShipment);
}

export interface TraceRow {
  shipmentId: string;
  occurredAt: Date;
  description: string;
  location: string | null;
  state: string | null;
}

export async function traceOfShipments(
  db: pg.Pool | pg.PoolClient,
  shipmentIds: readonly string[],
  perShipment = 50,
): Promise<TraceRow[]> {
  if (shipmentIds.length === 0) return [];
  const { rows } = await db.query<{
    shipment_id: string;
    occurred_at: Date;
    description: string;
    location: string | null;
    state: string | null;
  }>(
    `select t.shipment_id, t.occurred_at, t.description, t.location, t.state
       from unnest($1::uuid[]) as s(id)
       cross join lateral (
         select shipment_id, occurred_at, description, location, state from shipment_trace
          where shipment_id = s.id order by occurred_at desc, id desc limit $2) t`,
    [shipmentIds, perShipment],
  );
  return rows.map((r) => ({
    shipmentId: r.shipment_id,
    occurredAt: r.occurred_at,
    description: r.description,
    location: r.location,
    state: r.state,
  }));
}
