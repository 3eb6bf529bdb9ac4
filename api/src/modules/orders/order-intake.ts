import type pg from 'pg';
import { textDefects } from '../../domain/edge/edge-text.js';
import { orderPlausibility } from '../../domain/edge/order-plausibility.js';
import type { NormalizedOrder } from '../../domain/intake/normalized-order.js';
import { parseChannelOrder } from '../../domain/intake/parse-channel-order.js';
import type { Channel } from '../../domain/order/order-types.js';
import type { FieldError } from '../../domain/shared/result.js';
import { routeForIntake } from '../routing/routing.service.js';
import { ingestOrders } from './order-intake.service.js';

export const MAX_ORDERS_PER_CALL = 5000;

export interface SubmittedOrderResult {
  index: number;
  orderId: string;
  channelOrderNo: string;
  outcome: 'CREATED' | 'UPDATED' | 'UNCHANGED';
  state: string;
}

export interface SubmitOptions {
  /** Route the orders as they are taken in. Off only to measure what routing costs. @default true */
  routing?: boolean;
  /**
   * Refuse orders whose times lie more than a few minutes past this moment: set by the network
   * edges (webhooks, `submitOrders`) to the time they received the call. @default no check
   */
  plausibleAt?: Date;
}

/**
 * Parses each payload with its channel's adapter, routes the valid ones to processing groups and
 * commits them together; each rejected order is reported with its index and every defect, and
 * nothing of it is written.
 */
export async function submitChannelOrders(
  pool: pg.Pool,
  channel: Channel,
  payloads: readonly unknown[],
  now: Date,
  options: SubmitOptions = {},
): Promise<{ results: SubmittedOrderResult[]; errors: FieldError[] }> {
  if (payloads.length > MAX_ORDERS_PER_CALL) {
    return {
      results: [],
      errors: [
        {
          field: 'orders',
          code: 'TOO_MANY',
          message: `at most ${MAX_ORDERS_PER_CALL} orders per call, got ${payloads.length}`,
        },
      ],
    };
  }
  const accepted: { index: number; order: NormalizedOrder }[] = [];
  const errors: FieldError[] = [];
  payloads.forEach((raw, index) => {
    const field = (e: FieldError) => ({ ...e, field: `orders[${index}]${e.field ? `.${e.field}` : ''}` });
    // Text no store can hold is refused per order before parsing, so the rest of the call commits.
    const poison = textDefects(raw);
    if (poison.length > 0) {
      errors.push(...poison.map(field));
      return;
    }
    const parsed = parseChannelOrder(channel, raw);
    const defects = parsed.ok ? orderPlausibility(parsed.value, options.plausibleAt ?? null) : parsed.errors;
    if (parsed.ok && defects.length === 0) accepted.push({ index, order: parsed.value });
    else errors.push(...defects.map(field));
  });
  const orders = accepted.map((a) => a.order);
  const routing =
    options.routing === false || orders.length === 0 ? undefined : await routeForIntake(pool, orders, now);
  const written = await ingestOrders(pool, orders, now, routing);
  const results = written.map((row, i) => ({
    index: accepted[i].index,
    orderId: row.orderId,
    channelOrderNo: row.channelOrderNo,
    outcome: row.outcome,
    state: row.state,
  }));
  return { results, errors };
}
