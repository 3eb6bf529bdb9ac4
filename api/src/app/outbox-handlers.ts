import type { OutboxHandler } from '../infra/outbox/outbox-dispatcher.js';
import { flowHealthChangedHandler } from '../modules/flow-health/flow-health-changed.handler.js';
import { orderUpdatedHandler } from '../modules/orders/order-updated.handler.js';
import { ticketRaisedHandler } from '../modules/tickets/ticket-raised.js';
import { wecomMessageHandler } from '../modules/wecom/wecom-outbox.js';

/** Every outbox topic the worker delivers, with its handler. */
export const OUTBOX_HANDLERS: readonly OutboxHandler[] = [
  orderUpdatedHandler,
  flowHealthChangedHandler,
  wecomMessageHandler,
  ticketRaisedHandler,
];
