import type { OutboxEntry } from '../../infra/outbox/outbox.js';
import type { OutboxHandler } from '../../infra/outbox/outbox-dispatcher.js';
import { notifyStatement } from '../../infra/pubsub/pg-pubsub.js';
import type { TicketRaisedEvent } from '../../infra/pubsub/topics.js';

/** Outbox topic of a newly opened ticket; delivered as the `TICKET_RAISED` subscription event. */
export const TICKET_RAISED_TOPIC = 'ticket.raised';

export interface RaisedTicket {
  id: string;
  orderId: string;
  channel: string;
  channelOrderNo: string;
  stage: string;
  level: number;
  groupId: string | null;
  assigneeUserId: string | null;
}

/** One entry per ticket: keyed by order, stage and level, like the ticket itself. */
export function ticketRaisedEntry(ticket: RaisedTicket, now: Date): OutboxEntry {
  const payload: Omit<TicketRaisedEvent, 'eventId'> = {
    ticketId: ticket.id,
    orderId: ticket.orderId,
    channel: ticket.channel,
    channelOrderNo: ticket.channelOrderNo,
    stage: ticket.stage,
    level: ticket.level,
    groupId: ticket.groupId,
    assigneeUserId: ticket.assigneeUserId,
    occurredAt: now.toISOString(),
  };
  return {
    topic: TICKET_RAISED_TOPIC,
    dedupeKey: `${TICKET_RAISED_TOPIC}:${ticket.orderId}:${ticket.stage}:${ticket.level}`,
    payload: payload as unknown as Record<string, unknown>,
  };
}

/**
 * Delivers `ticket.raised` messages to every API process's subscribers; the NOTIFY commits with
 * the dispatcher's "delivered" mark.
 */
export const ticketRaisedHandler: OutboxHandler = {
  topic: TICKET_RAISED_TOPIC,
  async deliver(messages, tx) {
    for (const message of messages) {
      const event = { ...(message.payload as Omit<TicketRaisedEvent, 'eventId'>), eventId: message.id };
      const [sql, params] = notifyStatement('TICKET_RAISED', event);
      await tx.query(sql, params);
    }
    return messages.map(() => ({ ok: true }) as const);
  },
};
