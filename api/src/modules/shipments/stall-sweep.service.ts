import type pg from 'pg';
import { detectStall, smsSendTime } from '../../domain/tracking/stall.js';
import { inTransaction } from '../../infra/db/transaction.js';
import { enqueueOutbox } from '../../infra/outbox/outbox.js';
import { liveEventsEntry } from '../../infra/pubsub/live-events.js';
import type { CustomerKeys } from '../customer/customer-keys.js';
import { carrierName } from '../customer/customer-orders.js';
import { enqueueSmsBatch } from '../sms/sms-outbox.js';
import { templateFor } from '../sms/sms-template.store.js';
import { openServiceTickets } from '../tickets/service-ticket.js';
import { parcelNewsEvent } from './parcel-news.js';
import { markStalled, type ShipmentRow, shipmentColumns, toShipment } from './shipment.store.js';
import type { TrackingSettings } from './tracking-settings.js';

export interface StallSweepDeps {
  pool: pg.Pool;
  settings: Pick<TrackingSettings, 'stall' | 'smsPerPhonePerDay'>;
  phoneDigest: Pick<CustomerKeys, 'phoneDigest'>;
  batchSize: number;
  /** Stop claiming new batches after this long. */
  budgetMs: number;
}

export interface StallSweepTotals {
  claimed: number;
  stalled: number;
  smsQueued: number;
  smsRefused: number;
  tickets: number;
  durationMs: number;
}

/**
 * Finds parcels due for a stall check (`next_stall_check_at <= now`, a partial index, so the
 * work is O(due) however many parcels move on time) in batches claimed with `FOR UPDATE SKIP
 * LOCKED`. A stalled parcel is marked once per stall (its check is cleared until a new carrier
 * event re-arms it), a ticket is opened for service staff, and the customer gets one SMS per
 * stall through the outbox: held until 08:00 when decided in quiet hours, and dropped beyond the
 * per-phone daily limit. A parcel found not yet stalled (its event moved the deadline) is
 * re-armed.
 */
export async function runStallSweep(deps: StallSweepDeps, now: Date): Promise<StallSweepTotals> {
  const started = Date.now();
  const totals: StallSweepTotals = {
    claimed: 0,
    stalled: 0,
    smsQueued: 0,
    smsRefused: 0,
    tickets: 0,
    durationMs: 0,
  };
  for (;;) {
    const claimed = await inTransaction(deps.pool, (tx) => sweepBatch(tx, deps, now, totals));
    totals.claimed += claimed;
    if (claimed < deps.batchSize || Date.now() - started > deps.budgetMs) break;
  }
  totals.durationMs = Date.now() - started;
  return totals;
}

/**
 * One batch in one transaction and a fixed number of statements, whatever its size: claim, plan
 * (pure: `detectStall` per parcel), then set-wise writes — the stalls and re-arms, the tickets,
 * the SMS (`enqueueSmsBatch`, which keeps to the per-phone limits), and one outbox row with the
 * `orderUpdated` events (`parcelChange: STALL`) so open pages show the notice live.
 */
async function sweepBatch(
  tx: pg.PoolClient,
  deps: StallSweepDeps,
  now: Date,
  totals: StallSweepTotals,
): Promise<number> {
  const { rows } = await tx.query(
    `select ${shipmentColumns('s')}, o.buyer_phone, o.channel, o.channel_order_no, o.group_id,
            o.state as order_state, o.abnormal
       from shipment s join orders o on o.id = s.order_id
      where s.next_stall_check_at <= $1
      order by s.next_stall_check_at
      limit $2
      for update of s skip locked`,
    [now, deps.batchSize],
  );
  if (rows.length === 0) return 0;
  const rearm: { id: string; at: Date | null }[] = [];
  const stalls: {
    row: Record<string, unknown>;
    shipment: ShipmentRow;
    stallNo: number;
    since: Date;
    reason: string;
  }[] = [];
  for (const row of rows) {
    const shipment = toShipment(row);
    const decision = detectStall(shipment, deps.settings.stall, now);
    if (decision.stalled)
      stalls.push({
        row,
        shipment,
        stallNo: shipment.stallCount + 1,
        since: decision.since,
        reason: decision.reason,
      });
    else rearm.push({ id: shipment.id, at: decision.recheckAt });
  }
  if (rearm.length > 0)
    await tx.query(
      `update shipment s set next_stall_check_at = t.at
         from unnest($1::uuid[], $2::timestamptz[]) as t(id, at) where s.id = t.id`,
      [rearm.map((r) => r.id), rearm.map((r) => r.at)],
    );
  if (stalls.length === 0) return rows.length;
  await markStalled(
    tx,
    stalls.map((s) => ({ id: s.shipment.id, since: s.since, reason: s.reason, stallNo: s.stallNo })),
    now,
  );
  totals.stalled += stalls.length;
  const tickets = await openServiceTickets(
    tx,
    stalls.map(({ row, shipment, stallNo }) => ({
      orderId: shipment.orderId,
      channel: row.channel as string,
      channelOrderNo: row.channel_order_no as string,
      stage: `STALL@${shipment.waybillNo}#${stallNo}`,
      deadline: now,
      groupId: row.group_id as string | null,
    })),
    now,
  );
  totals.tickets += tickets.filter((t) => t !== null).length;
  const sendAt = smsSendTime(now);
  const template = await templateFor(tx, 'STALL_NOTICE');
  const sms = await enqueueSmsBatch(
    tx,
    stalls.map(({ row, shipment, stallNo, reason }) => {
      const phone = row.buyer_phone as string;
      return {
        dedupeKey: `stall:${shipment.id}:${stallNo}`,
        phone,
        phoneDigest: deps.phoneDigest.phoneDigest(phone),
        template: 'STALL_NOTICE' as const,
        params: {
          orderNo: row.channel_order_no as string,
          carrier: carrierName(shipment.carrier),
          waybillNo: shipment.waybillNo,
          reason,
        },
        sendAfter: sendAt,
        loadedTemplate: template,
        perPhonePerDay: deps.settings.smsPerPhonePerDay,
      };
    }),
    now,
  );
  for (const answer of sms) {
    if (answer.queued) totals.smsQueued += 1;
    else totals.smsRefused += 1;
  }
  await enqueueOutbox(
    tx,
    liveEventsEntry(
      'ORDER_UPDATED',
      stalls.map(({ row, shipment }) =>
        parcelNewsEvent(
          {
            orderId: shipment.orderId,
            channel: row.channel as string,
            channelOrderNo: row.channel_order_no as string,
            state: row.order_state as string,
            groupId: row.group_id as string | null,
            abnormal: row.abnormal as boolean,
          },
          { waybillNo: shipment.waybillNo, change: 'STALL' },
          now,
        ),
      ),
    ),
  );
  return rows.length;
}
