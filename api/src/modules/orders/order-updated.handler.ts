import type { OutboxHandler } from '../../infra/outbox/outbox-dispatcher.js';
import { notifyStatement } from '../../infra/pubsub/pg-pubsub.js';
import type { OrderUpdatedEvent } from '../../infra/pubsub/topics.js';

/**
 * Delivers `order.updated` outbox messages to every API process's subscribers. The NOTIFY runs in
 * the dispatcher's transaction, so it is sent exactly when the message is marked delivered.
 */
export const orderUpdatedHandler: OutboxHandler = {
  topic: 'order.updated',
  async deliver(messages, tx) {
    for (const message of messages) {
      const event = { ...(message.payload as Omit<OrderUpdatedEvent, 'eventId'>), eventId: message.id };
      const [sql, params] = notifyStatement('ORDER_UPDATED', event);
      await tx.query(sql, params);
    }
    return messages.map(() => ({ ok: true }) as const);
  },
};
