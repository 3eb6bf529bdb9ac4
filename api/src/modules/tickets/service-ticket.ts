import type pg from 'pg';
import { timeOrderedUuid } from '../../infra/ids/time-ordered-uuid.js';
import { enqueueOutbox } from '../../infra/outbox/outbox.js';
import { liveEventsEntry } from '../../infra/pubsub/live-events.js';
import { ticketRaisedEvent } from './ticket-raised.js';

/** A level-1 ticket for service staff about an order. */
export interface ServiceTicketInput {
  orderId: string;
  channel: string;
  channelOrderNo: string;
  /** e.g. a stalled parcel, `STALL@<waybill>#<n>`. */
  stage: string;
  deadline: Date;
  groupId: string | null;
}

/**
 * Opens a level-1 ticket for service staff about an order (e.g. a stalled parcel, stage
 * `STALL@<waybill>#<n>`), in the caller's transaction, with its `ticketRaised` event through the
 * outbox. The same order, stage and level opens one ticket only; returns null for a repeat.
 */
export async function openServiceTicket(
  tx: pg.PoolClient,
  input: ServiceTicketInput,
  now: Date,
): Promise<string | null> {
  const [id] = await openServiceTickets(tx, [input], now);
  return id;
}

/**
 * `openServiceTicket` for many at once in two statements (the tickets, then one outbox row with
 * the `ticketRaised` events of those that were new). Answers in input order: the new ticket's
 * id, or null for a repeat.
 */
export async function openServiceTickets(
  tx: pg.PoolClient,
  inputs: readonly ServiceTicketInput[],
  now: Date,
): Promise<(string | null)[]> {
  if (inputs.length === 0) return [];
  const ids = inputs.map(() => timeOrderedUuid());
  const { rows } = await tx.query<{ id: string }>(
    `insert into ticket (id, order_id, stage, level, deadline, group_id, state, created_at, updated_at)
     select t.id, t.order_id, t.stage, 1, t.deadline, t.group_id, 'OPEN', $1, $1
       from unnest($2::uuid[], $3::uuid[], $4::text[], $5::timestamptz[], $6::text[])
         as t(id, order_id, stage, deadline, group_id)
     on conflict (order_id, stage, level) do nothing returning id`,
    [
      now,
      ids,
      inputs.map((i) => i.orderId),
      inputs.map((i) => i.stage),
      inputs.map((i) => i.deadline),
      inputs.map((i) => i.groupId),
    ],
  );
  const opened = new Set(rows.map((r) => r.id));
  const answers = ids.map((id) => (opened.has(id) ? id : null));
  await enqueueOutbox(
    tx,
    liveEventsEntry(
      'TICKET_RAISED',
      inputs.flatMap((input, i) =>
        answers[i] ? [ticketRaisedEvent({ ...input, id: ids[i], level: 1, assigneeUserId: null }, now)] : [],
      ),
    ),
  );
  return answers;
}
