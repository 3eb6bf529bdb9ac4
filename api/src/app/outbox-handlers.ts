import type { OutboxHandler } from '../infra/outbox/outbox-dispatcher.js';
import { orderUpdatedHandler } from '../modules/orders/order-updated.handler.js';

/** Every outbox topic the worker delivers, with its handler. */
export const OUTBOX_HANDLERS: readonly OutboxHandler[] = [orderUpdatedHandler];
