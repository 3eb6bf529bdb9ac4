import type { LiveEvent } from '../../infra/pubsub/live-events.js';

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

/** The `ticketRaised` subscription event of a newly opened ticket. */
export function ticketRaisedEvent(ticket: RaisedTicket, now: Date): LiveEvent<'TICKET_RAISED'> {
  return {
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
}
