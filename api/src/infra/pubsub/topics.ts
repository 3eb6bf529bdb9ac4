/**
 * Subscription topics and their payloads. Payloads are small and serialisable: they cross
 * processes through PostgreSQL NOTIFY (8 kB limit), and subscribers load what else they need.
 */
export interface OrderUpdatedEvent {
  /** The outbox message that carried it, for de-duplication across redeliveries. */
  eventId: string;
  orderId: string;
  channel: string;
  channelOrderNo: string;
  state: string;
  previousState: string | null;
  groupId: string | null;
  abnormal: boolean;
  occurredAt: string;
  /**
   * Set when the change is news of a parcel rather than a move of the order: `TRACE` (the carrier
   * reported new scans) or `STALL` (the parcel was found stalled). The state is then unchanged.
   */
  parcelChange?: ParcelChange | null;
  /** The parcel the news is about, with `parcelChange`. */
  waybillNo?: string | null;
}

/** What changed about a parcel without moving its order. */
export type ParcelChange = 'TRACE' | 'STALL';

/** Routing was paused or resumed, automatically or by an operator. */
export interface FlowHealthChangedEvent {
  eventId: string;
  /** The history row (`flow_health_event.id`) of the change. */
  changeId: string;
  /** The channel whose routing changed; null for the whole platform. */
  channel: string | null;
  routingMode: 'ACTIVE' | 'PAUSED';
  previousMode: 'ACTIVE' | 'PAUSED';
  trigger: 'AUTOMATIC' | 'MANUAL';
  reason: string;
  changedBy: string;
  /** Overall address-parse success rate over the window when it changed; null without samples. */
  parseSuccessRate: number | null;
  occurredAt: string;
}

/** The SLA sweep opened a work ticket for a late order. */
export interface TicketRaisedEvent {
  eventId: string;
  ticketId: string;
  orderId: string;
  channel: string;
  channelOrderNo: string;
  /** The SLA stage that ran late, e.g. `PICKING@PAID_AT`. */
  stage: string;
  /** 1: the group's owner; 2: its supervisor. */
  level: number;
  groupId: string | null;
  assigneeUserId: string | null;
  occurredAt: string;
}

/** A reconciliation run found new differences on a business day: one event per run and day. */
export interface DiscrepancyFoundEvent {
  eventId: string;
  runId: string;
  /** null: the run covered every shop. */
  shop: string | null;
  businessDate: string;
  total: number;
  /** New discrepancies by outcome type. */
  byType: Record<string, number>;
  occurredAt: string;
}

export interface PubSubTopics {
  ORDER_UPDATED: OrderUpdatedEvent;
  FLOW_HEALTH_CHANGED: FlowHealthChangedEvent;
  TICKET_RAISED: TicketRaisedEvent;
  DISCREPANCY_FOUND: DiscrepancyFoundEvent;
}

export type PubSubTopic = keyof PubSubTopics;
export const PUBSUB_TOPICS: readonly PubSubTopic[] = [
  'ORDER_UPDATED',
  'FLOW_HEALTH_CHANGED',
  'TICKET_RAISED',
  'DISCREPANCY_FOUND',
];
