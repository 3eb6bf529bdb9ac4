import type pg from 'pg';
import type { Config } from '../config/config.js';
import type { Logger } from '../infra/logging/logger.js';
import type { OutboxHandler } from '../infra/outbox/outbox-handler.js';
import { liveEventsHandler } from '../infra/pubsub/live-events.js';
import { PUBSUB_TOPICS } from '../infra/pubsub/topics.js';
import { invoiceIssueHandlerFromEnv } from '../modules/invoices/invoice.service.js';
import { kuaidi100SubscribeHandler } from '../modules/shipments/kuaidi100-subscription.js';
import { smsMessageHandler } from '../modules/sms/sms-outbox.js';
import { wecomMessageHandler } from '../modules/wecom/wecom-outbox.js';

/** Every outbox topic the worker delivers, with its handler. A new topic adds one line here. */
export function outboxHandlers(config: Config, logger: Logger, pool: pg.Pool): readonly OutboxHandler[] {
  return [
    ...PUBSUB_TOPICS.map(liveEventsHandler),
    wecomMessageHandler({
      logger,
      messagesPerWindow: config.wecomRobotMessagesPerWindow,
      windowMs: config.wecomRobotWindowMs,
    }),
    smsMessageHandler(pool),
    kuaidi100SubscribeHandler(pool),
    invoiceIssueHandlerFromEnv(process.env),
  ];
}
