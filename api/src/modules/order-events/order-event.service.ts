import type pg from 'pg';
import { type OrderEvent, parseOrderEvent } from '../../domain/order/order-events.js';
import type { Channel, OrderState } from '../../domain/order/order-types.js';
import { readPaymentFact } from '../../domain/payments/payment-event.js';
import type { FieldError } from '../../domain/shared/result.js';
import { inTransaction } from '../../infra/db/transaction.js';
import { enqueueOutbox, type OutboxEntry } from '../../infra/outbox/outbox.js';
import { moveOrderStates } from '../orders/order-store.js';
import { recordPaymentEvents } from '../payments/payment.service.js';
import { ordersToReplay, type PlanItem, type PlannedChange, planEvents } from './order-event.plan.js';
import {
  deleteFeedRows,
  factKey,
  insertHistory,
  loadEventFacts,
  loadOrderFeeds,
  lockOrders,
  reviseHistory,
} from './order-event.sql.js';
import { orderEventSettings } from './order-event-settings.js';
import { checkOrderRef, orderNotFound } from './order-ref.js';

export interface OrderEventSubmission {
  orderRef: { orderId: string } | { channel: Channel; channelOrderNo: string };
  /** Raw, as received; parsed with `parseOrderEvent`. */
  event: unknown;
}

export type OrderEventOutcome =
  | 'APPLIED'
  | 'DUPLICATE'
  | 'STALE'
  | 'REJECTED'
  | 'RECORDED'
  | 'PENDING'
  | 'INVALID';

export interface OrderEventResult {
  index: number;
  orderId: string | null;
  outcome: OrderEventOutcome;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  /** Steps the event implied on its way to `toState`, in order. */
  impliedSteps: OrderState[];
  errors: FieldError[];
}

export interface ApplyOrderEventsOptions {
  /** Channels the caller may report for; null or absent means all. */
  allowedChannels?: readonly Channel[] | null;
  /** Overrides `orderEventSettings.pendingTtlMs`. */
  pendingTtlMs?: number;
}

/**
 * Applies lifecycle events to orders in one transaction per call.
 *
 * Every event is parsed; its order is found by id or by (channel, channel order no) and locked.
 * An unknown order, or one in a channel the caller may not use, is INVALID with the same answer
 * (ORDER_NOT_FOUND), so a partner cannot probe other channels; naming a forbidden channel
 * outright is CHANNEL_NOT_ALLOWED. Each order's events, with its PENDING ones, are decided by
 * `planEvents` (canonical order, implied steps, early events waiting); an order that receives an
 * event from before its latest decided one has its whole feed decided again, so any arrival
 * order ends in the same state and history. Every decided event is written to `order_event` with
 * its outcome and reason (`received_at` apart from `occurred_at`), each implied step as a row of
 * its own, duplicates excepted. Payment events are recorded in the payments ledger. Orders that
 * moved get their new state, `state_entered_at`, `version` and `updated_at`, and one
 * `order.updated` outbox message each, in the same transaction. Results come in input order.
 */
export async function applyOrderEvents(
  pool: pg.Pool,
  submissions: readonly OrderEventSubmission[],
  receivedAt: Date,
  opts: ApplyOrderEventsOptions = {},
): Promise<OrderEventResult[]> {
  const allowed = opts.allowedChannels ?? null;
  const results: OrderEventResult[] = new Array(submissions.length);
  const pending: { index: number; ref: ReturnType<typeof checkOrderRef>; event: OrderEvent }[] = [];
  submissions.forEach((submission, index) => {
    const ref = checkOrderRef(submission?.orderRef, allowed);
    const parsed = parseOrderEvent(submission?.event, receivedAt);
    const money = parsed.ok ? readPaymentFact(parsed.value) : null;
    const errors = [
      ...(ref.kind === 'INVALID' ? [ref.error] : []),
      ...(parsed.ok ? [] : parsed.errors),
      ...(money && !money.ok ? money.errors : []),
    ];
    if (errors.length > 0 || !parsed.ok) results[index] = invalid(index, errors);
    else if (ref.kind === 'NONE') results[index] = invalid(index, [orderNotFound()]);
    else pending.push({ index, ref, event: parsed.value });
  });
  if (pending.length === 0) return results;

  const decisions = await inTransaction(pool, async (client) => {
    const ids = new Set<string>();
    const channelRefs = new Map<string, { channel: Channel; channelOrderNo: string }>();
    for (const { ref } of pending) {
      if (ref.kind === 'ID') ids.add(ref.orderId);
      else if (ref.kind === 'CHANNEL') channelRefs.set(channelKey(ref.channel, ref.channelOrderNo), ref);
    }
    const locked = await lockOrders(client, [...ids], [...channelRefs.values()], allowed);
    const byId = new Map(locked.map((o) => [o.id, o]));
    const byChannelNo = new Map(locked.map((o) => [channelKey(o.channel, o.channelOrderNo), o]));

    const items: PlanItem[] = [];
    for (const { index, ref, event } of pending) {
      const order =
        ref.kind === 'ID'
          ? byId.get(ref.orderId)
          : ref.kind === 'CHANNEL'
            ? byChannelNo.get(channelKey(ref.channel, ref.channelOrderNo))
            : undefined;
      if (order) items.push({ index, order, event });
      else results[index] = invalid(index, [orderNotFound()]);
    }

    const facts = await loadEventFacts(
      client,
      locked.map((o) => o.id),
      items.map((i) => ({ orderId: i.order.id, idempotencyKey: i.event.idempotencyKey })),
    );
    const replay = new Set(ordersToReplay(items, facts));
    const feeds = await loadOrderFeeds(
      client,
      locked.filter((o) => replay.has(o.id)),
    );
    const plan = planEvents(items, facts, feeds, {
      now: receivedAt,
      pendingTtlMs: opts.pendingTtlMs ?? orderEventSettings.pendingTtlMs,
    });
    await deleteFeedRows(client, plan.removed);
    const rowIds = await insertHistory(client, plan.history);
    for (const [key, id] of await reviseHistory(client, plan.revised)) rowIds.set(key, id);
    await moveOrderStates(client, plan.changes, receivedAt);
    await recordPaymentEvents(client, plan.taken, receivedAt);
    await enqueueOutbox(
      client,
      plan.changes.map((change) => orderUpdatedEntry(change, rowIds, receivedAt)),
    );
    return plan.decisions;
  });
  for (const d of decisions) results[d.index] = { ...d, errors: [] };
  return results;
}

const channelKey = (channel: string, channelOrderNo: string) => `${channel}\u0000${channelOrderNo}`;

const invalid = (index: number, errors: FieldError[]): OrderEventResult => ({
  index,
  orderId: null,
  outcome: 'INVALID',
  fromState: null,
  toState: null,
  reason: null,
  impliedSteps: [],
  errors,
});

/** Same shape as intake's message; named by the history row of the last applied event. */
function orderUpdatedEntry(
  change: PlannedChange,
  rowIds: Map<string, string>,
  receivedAt: Date,
): OutboxEntry {
  // A feed decided again may move the order with an event whose row did not change: then the
  // call's arrival time tells the message apart from the one that event sent before.
  const rowId = rowIds.get(factKey(change.orderId, change.lastApplied.idempotencyKey));
  const name = rowId ?? `${change.lastApplied.idempotencyKey}@${receivedAt.toISOString()}`;
  return {
    topic: 'order.updated',
    dedupeKey: `order.updated:${change.orderId}:event:${name}`,
    payload: {
      orderId: change.orderId,
      channel: change.order.channel,
      channelOrderNo: change.order.channelOrderNo,
      state: change.state,
      previousState: change.order.state,
      groupId: change.order.groupId,
      abnormal: change.order.abnormal,
      occurredAt: change.lastApplied.occurredAt.toISOString(),
    },
  };
}
