import type { OutboxHandler } from '../../infra/outbox/outbox-dispatcher.js';
import { notifyStatement } from '../../infra/pubsub/pg-pubsub.js';
import type { FlowHealthChangedEvent } from '../../infra/pubsub/topics.js';
import { FLOW_HEALTH_CHANGED_TOPIC } from './flow-health.service.js';

/**
 * Delivers `flow.health.changed` outbox messages to every API process's `flowHealthChanged`
 * subscribers; the NOTIFY commits with the "delivered" mark.
 */
export const flowHealthChangedHandler: OutboxHandler = {
  topic: FLOW_HEALTH_CHANGED_TOPIC,
  async deliver(messages, tx) {
    for (const message of messages) {
      const event = { ...(message.payload as Omit<FlowHealthChangedEvent, 'eventId'>), eventId: message.id };
      const [sql, params] = notifyStatement('FLOW_HEALTH_CHANGED', event);
      await tx.query(sql, params);
    }
    return messages.map(() => ({ ok: true }) as const);
  },
};
