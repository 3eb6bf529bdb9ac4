import type pg from 'pg';
import { textDefects } from '../../domain/edge/edge-text.js';
import { orderPlausibility } from '../../domain/edge/order-plausibility.js';
import type { NormalizedOrder } from '../../domain/intake/normalized-order.js';
import { parseChannelOrder } from '../../domain/intake/parse-channel-order.js';
import { checkTotals } from '../../domain/intake/totals-check.js';
import { CHANNEL_STATUS_EVENT } from '../../domain/order/order-event-rules.js';
import type { Channel } from '../../domain/order/order-types.js';
import type { FieldError } from '../../domain/shared/result.js';
import { applyOrderEvents, type OrderEventSubmission } from '../order-events/order-event.service.js';
import { routeForIntake } from '../routing/routing.service.js';
import { type IntakeResult, ingestOrders } from './order-intake.service.js';

export const MAX_ORDERS_PER_CALL = 5000;

export interface SubmittedOrderResult {
  index: number;
  orderId: string;
  channelOrderNo: string;
  outcome: 'CREATED' | 'UPDATED' | 'UNCHANGED';
  state: string;
  /**
   * What was taken in only in part: a channel status the order could not take (STATUS_NOT_TAKEN)
   * or not yet (STATUS_PENDING), with the reason (the status is kept in the order's history);
   * figures that differ as the channel allows (totals-check.ts); fields the channel's format does
   * not have (UNKNOWN_FIELD, at most `MAX_UNKNOWN_FIELD_WARNINGS` per order).
   */
  warnings: FieldError[];
}

export interface SubmitOptions {
  /** Route the orders as they are taken in. Off only to measure what routing costs. @default true */
  routing?: boolean;
  /**
   * Refuse orders whose times lie more than a few minutes past this moment: set by the network
   * edges (webhooks, `submitOrders`) to the time they received the call. @default no check
   */
  plausibleAt?: Date;
  /** The orders are history: see `IngestOptions.backfill`. @default false */
  backfill?: boolean;
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
  const accepted: { index: number; order: NormalizedOrder; warnings: FieldError[] }[] = [];
  const errors: FieldError[] = [];
  const at = (index: number) => (e: FieldError) => ({ ...e, field: `orders[${index}].${e.field}` });
  payloads.forEach((raw, index) => {
    const field = (e: FieldError) => ({ ...e, field: `orders[${index}]${e.field ? `.${e.field}` : ''}` });
    // Text no store can hold is refused per order before parsing, so the rest of the call commits.
    const poison = textDefects(raw);
    if (poison.length > 0) {
      errors.push(...poison.map(field));
      return;
    }
    const parsed = parseChannelOrder(channel, raw);
    if (!parsed.ok) {
      errors.push(...parsed.errors.map(at(index)));
      return;
    }
    const defects = orderPlausibility(parsed.value, options.plausibleAt ?? null);
    if (defects.length > 0) {
      errors.push(...defects.map(field));
      return;
    }
    const totals = checkTotals(parsed.value);
    if (totals.errors.length > 0) errors.push(...totals.errors.map(at(index)));
    else accepted.push({ index, order: parsed.value, warnings: [...totals.warnings, ...parsed.warnings] });
  });
  const orders = accepted.map((a) => a.order);
  const routing =
    options.routing === false || orders.length === 0 ? undefined : await routeForIntake(pool, orders, now);
  const written = await ingestOrders(pool, orders, now, routing, {
    backfill: options.backfill ?? false,
    warnings: accepted.map((a) => a.warnings),
  });
  const results: SubmittedOrderResult[] = written.map((row, i) => ({
    index: accepted[i].index,
    orderId: row.orderId,
    channelOrderNo: row.channelOrderNo,
    outcome: row.outcome,
    state: row.state,
    warnings: [...accepted[i].warnings],
  }));
  await takeChannelStatuses(pool, orders, written, results, now);
  return { results, errors };
}

/**
 * A re-sent order whose channel status differs from the order's state reports a step: it is fed
 * to the lifecycle as the event it stands for (a paid status as PAYMENT_CONFIRMED with the paid
 * amount, a finished trade as CHANNEL_DELIVERED…), so it moves the order, implied steps included,
 * or is kept in the history with the reason it could not. Only a status that moved the order
 * makes the answer UPDATED; one that did not is a warning on the result.
 */
async function takeChannelStatuses(
  pool: pg.Pool,
  orders: readonly NormalizedOrder[],
  written: readonly IntakeResult[],
  results: SubmittedOrderResult[],
  now: Date,
): Promise<void> {
  const fed: { result: SubmittedOrderResult; submission: OrderEventSubmission }[] = [];
  written.forEach((row, i) => {
    const order = orders[i];
    if (row.outcome === 'CREATED' || row.orderId === '' || order.state === row.state) return;
    const result = results[i];
    const type = CHANNEL_STATUS_EVENT[order.state];
    if (!type) {
      result.warnings.push(
        statusWarning('STATUS_NOT_TAKEN', `${order.state} is not a step a channel reports`),
      );
      return;
    }
    const money =
      type === 'PAYMENT_CONFIRMED' && order.paidCents > 0
        ? {
            amountCents: String(order.paidCents),
            gateway: order.channel,
            ...(order.paymentNo ? { paymentNo: order.paymentNo } : {}),
          }
        : {};
    fed.push({
      result,
      submission: {
        orderRef: { orderId: row.orderId },
        event: {
          source: 'CHANNEL',
          type,
          idempotencyKey: `channel-status:${order.state}`,
          occurredAt: order.sourceUpdatedAt,
          payload: { channelStatus: order.channelStatus, ...money },
        },
      },
    });
  });
  if (fed.length === 0) return;
  const decided = await applyOrderEvents(
    pool,
    fed.map((f) => f.submission),
    now,
  );
  decided.forEach((decision, i) => {
    const { result } = fed[i];
    if (decision.outcome === 'APPLIED') {
      result.outcome = 'UPDATED';
      result.state = decision.toState ?? result.state;
    } else if (decision.outcome === 'PENDING') {
      result.warnings.push(statusWarning('STATUS_PENDING', decision.reason ?? 'waits for an earlier step'));
    } else {
      const why = decision.reason ?? decision.errors.map((e) => e.message).join('; ');
      result.warnings.push(statusWarning('STATUS_NOT_TAKEN', `${decision.outcome}: ${why}`));
    }
  });
}

const statusWarning = (code: string, reason: string): FieldError => ({
  field: 'status',
  code,
  message: `the channel status was not taken: ${reason}`.slice(0, 500),
});
