import { timeOrderedUuid } from '../ids/time-ordered-uuid.js';
import type { OutboxEntry } from '../outbox/outbox.js';
import type { OutboxHandler, OutboxRecord } from '../outbox/outbox-handler.js';
import { PUBSUB_CHANNEL } from './pg-pubsub.js';
import type { PubSubTopic, PubSubTopics } from './topics.js';

/**
 * Subscription events travel through the outbox, written in the transaction of the change they
 * announce. A message carries either one event (its payload is the event) or a batch (its payload
 * is `{ events: [...] }`): a sweep or an intake call that changes a thousand orders writes one
 * outbox row for their thousand events instead of a thousand rows.
 */

/** The outbox topic that carries each subscription topic. */
export const LIVE_EVENT_OUTBOX_TOPICS: { readonly [K in PubSubTopic]: string } = {
  ORDER_UPDATED: 'order.updated',
  FLOW_HEALTH_CHANGED: 'flow.health.changed',
  TICKET_RAISED: 'ticket.raised',
  DISCREPANCY_FOUND: 'reconciliation.discrepancy-found',
};

/** An event as its producer writes it; the delivering message gives it its `eventId`. */
export type LiveEvent<K extends PubSubTopic> = Omit<PubSubTopics[K], 'eventId'>;

/** The events of one change as one outbox entry; nothing when there are none. */
export function liveEventsEntry<K extends PubSubTopic>(
  topic: K,
  events: readonly LiveEvent<K>[],
): OutboxEntry[] {
  if (events.length === 0) return [];
  const outboxTopic = LIVE_EVENT_OUTBOX_TOPICS[topic];
  // The entry is written once, with the change it announces: a fresh key never collides.
  return [
    { topic: outboxTopic, dedupeKey: `${outboxTopic}:batch:${timeOrderedUuid()}`, payload: { events } },
  ];
}

/** The events a message carries, each with an id that is stable across redeliveries. */
export function eventsOf(message: Pick<OutboxRecord, 'id' | 'payload'>): Record<string, unknown>[] {
  const batch = message.payload.events;
  if (!Array.isArray(batch)) return [{ ...message.payload, eventId: message.id }];
  return batch.map((event: Record<string, unknown>, i) => ({ ...event, eventId: `${message.id}.${i}` }));
}

/**
 * Delivers a subscription topic's messages to every API process: one NOTIFY per event, sent in
 * the dispatcher's transaction, so exactly when the messages are marked delivered.
 */
export function liveEventsHandler(topic: PubSubTopic): OutboxHandler {
  return {
    topic: LIVE_EVENT_OUTBOX_TOPICS[topic],
    transactional: true,
    claimSize: 500,
    async deliver(messages, { tx }) {
      if (!tx) throw new Error('live events are delivered inside the claiming transaction');
      const notifications = messages.flatMap((m) =>
        eventsOf(m).map((event) => JSON.stringify({ topic, event })),
      );
      if (notifications.length > 0)
        await tx.query(
          'select pg_notify($1, n) from unnest($2::text[]) with ordinality as t(n, i) order by i',
          [PUBSUB_CHANNEL, notifications],
        );
      return messages.map(() => ({ ok: true }) as const);
    },
  };
}
