import type pg from 'pg';
import { detectStall, smsSendTime } from '../../domain/tracking/stall.js';
import { inTransaction } from '../../infra/db/transaction.js';
import type { CustomerKeys } from '../customer/customer-keys.js';
import { carrierName } from '../customer/customer-orders.js';
import { enqueueSms } from '../sms/sms-outbox.js';
import { templateFor } from '../sms/sms-template.store.js';
import { openServiceTicket } from '../tickets/service-ticket.js';
import { shipmentColumns, toShipment } from './shipment.store.js';
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

async function sweepBatch(
  tx: pg.PoolClient,
  deps: StallSweepDeps,
  now: Date,
  totals: StallSweepTotals,
): Promise<number> {
  const { rows } = await tx.query(
    `select ${shipmentColumns('s')}, o.buyer_phone, o.channel, o.channel_order_no, o.group_id
       from shipment s join orders o on o.id = s.order_id
      where s.next_stall_check_at <= $1
      order by s.next_stall_check_at
      limit $2
      for update of s skip locked`,
    [now, deps.batchSize],
  );
  const sendAt = smsSendTime(now);
  const template = rows.length > 0 ? await templateFor(tx, 'STALL_NOTICE') : undefined;
  const rearm: { id: string; at: Date | null }[] = [];
  for (const row of rows) {
    const shipment = toShipment(row);
    const decision = detectStall(shipment, deps.settings.stall, now);
    if (!decision.stalled) {
      rearm.push({ id: shipment.id, at: decision.recheckAt });
      continue;
    }
    const stallNo = shipment.stallCount + 1;
    await tx.query(
      `update shipment set stalled_since = $2, stall_reason = $3, stall_count = $4, next_stall_check_at = null, updated_at = $5
        where id = $1`,
      [shipment.id, decision.since, decision.reason, stallNo, now],
    );
    totals.stalled += 1;
    const ticket = await openServiceTicket(
      tx,
      {
        orderId: shipment.orderId,
        channel: row.channel,
        channelOrderNo: row.channel_order_no,
        stage: `STALL@${shipment.waybillNo}#${stallNo}`,
        deadline: now,
        groupId: row.group_id,
      },
      now,
    );
    if (ticket) totals.tickets += 1;
    const phone: string = row.buyer_phone;
    const sms = await enqueueSms(
      tx,
      {
        dedupeKey: `stall:${shipment.id}:${stallNo}`,
        phone,
        phoneDigest: deps.phoneDigest.phoneDigest(phone),
        template: 'STALL_NOTICE',
        params: {
          orderNo: row.channel_order_no,
          carrier: carrierName(shipment.carrier),
          waybillNo: shipment.waybillNo,
          reason: decision.reason,
        },
        sendAfter: sendAt,
        loadedTemplate: template,
        perPhonePerDay: deps.settings.smsPerPhonePerDay,
      },
      now,
    );
    if (sms.queued) totals.smsQueued += 1;
    else totals.smsRefused += 1;
  }
  if (rearm.length > 0)
    await tx.query(
      `update shipment s set next_stall_check_at = t.at
         from json_to_recordset($1::json) as t(id uuid, at timestamptz) where s.id = t.id`,
      [JSON.stringify(rearm)],
    );
  return rows.length;
}
