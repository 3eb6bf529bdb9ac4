import type pg from 'pg';
import { timeOrderedUuid } from '../../infra/ids/time-ordered-uuid.js';
import { enqueueOutbox } from '../../infra/outbox/outbox.js';
import { liveEventsEntry } from '../../infra/pubsub/live-events.js';
import { ticketRaisedEvent } from './ticket-raised.js';

/**
 * Opens a level-1 ticket for service staff about an order (e.g. a stalled parcel, stage
 * `STALL@<waybill>#<n>`), in the caller's transaction, with its `ticketRaised` event through the
 * outbox. The same order, stage and level opens one ticket only; returns null for a repeat.
 */
export async function openServiceTicket(
  tx: pg.PoolClient,
  input: {
    orderId: string;
    channel: string;
    channelOrderNo: string;
    stage: string;
    deadline: Date;
    groupId: string | null;
  },
  now: Date,
): Promise<string | null> {
  const id = timeOrderedUuid();
  const { rows } = await tx.query<{ id: string }>(
    `insert into ticket (id, order_id, stage, level, deadline, group_id, state, created_at, updated_at)
     values ($1, $2, $3, 1, $4, $5, 'OPEN', $6, $6)
     on conflict (order_id, stage, level) do nothing returning id`,
    [id, input.orderId, input.stage, input.deadline, input.groupId, now],
  );
  if (rows.length === 0) return null;
  await enqueueOutbox(
    tx,
    liveEventsEntry('TICKET_RAISED', [
      ticketRaisedEvent({ ...input, id, level: 1, assigneeUserId: null }, now),
    ]),
  );
  return id;
}
