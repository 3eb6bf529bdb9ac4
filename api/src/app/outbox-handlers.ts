import type { OutboxHandler } from '../infra/outbox/outbox-dispatcher.js';
import { liveEventsHandler } from '../infra/pubsub/live-events.js';
import { PUBSUB_TOPICS } from '../infra/pubsub/topics.js';
import { invoiceIssueHandlerFromEnv } from '../modules/invoices/invoice.service.js';
import { wecomMessageHandler } from '../modules/wecom/wecom-outbox.js';

/** Every outbox topic the worker delivers, with its handler. */
export const OUTBOX_HANDLERS: readonly OutboxHandler[] = [
  ...PUBSUB_TOPICS.map(liveEventsHandler),
  wecomMessageHandler,
  invoiceIssueHandlerFromEnv(process.env),
];
