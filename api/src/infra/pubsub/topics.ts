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
}

export interface PubSubTopics {
  ORDER_UPDATED: OrderUpdatedEvent;
}

export type PubSubTopic = keyof PubSubTopics;
export const PUBSUB_TOPICS: readonly PubSubTopic[] = ['ORDER_UPDATED'];
