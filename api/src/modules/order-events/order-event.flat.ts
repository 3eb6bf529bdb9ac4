import type pg from 'pg';
import { textDefects } from '../../domain/edge/edge-text.js';
import { parseOrderEvent } from '../../domain/order/order-events.js';
import type { EventSource } from '../../domain/order/order-types.js';
import type { FieldError } from '../../domain/shared/result.js';
import {
  type ApplyOrderEventsOptions,
  applyOrderEvents,
  type OrderEventResult,
  type OrderEventSubmission,
} from './order-event.service.js';
import { readFlatOrderRef } from './order-ref.js';

export const MAX_EVENTS_PER_CALL = 5000;

export interface FlatEventOptions extends ApplyOrderEventsOptions {
  /** The one source an endpoint takes: filled in when absent, a different one is refused. */
  source?: EventSource;
}

/**
 * Events as webhooks and the GraphQL input carry them: the order reference flat on the event
 * (`orderId`, or `channel` + `channelOrderNo`) beside `source`, `type`, `idempotencyKey`,
 * `occurredAt` and `payload`. Every defect of an event is reported at once, each `field` named
 * as in this flat form; the valid events are applied together.
 */
export async function applyFlatOrderEvents(
  pool: pg.Pool,
  raws: readonly unknown[],
  receivedAt: Date,
  opts: FlatEventOptions = {},
): Promise<OrderEventResult[]> {
  const results: OrderEventResult[] = new Array(raws.length);
  const accepted: { index: number; submission: OrderEventSubmission; byId: boolean }[] = [];
  raws.forEach((raw, index) => {
    // Text no store can hold is refused per event before parsing, so the rest of the call commits.
    const poison = textDefects(raw);
    if (poison.length > 0) {
      results[index] = invalid(index, poison);
      return;
    }
    const record = isRecord(raw) ? raw : null;
    const errors: FieldError[] = [];
    let event: unknown = raw;
    if (record && opts.source) {
      // Parsed as the endpoint's source, so the type is checked against the system that sent it.
      event = { ...record, source: opts.source };
      const given = record.source;
      if (given !== undefined && given !== null && given !== '' && given !== opts.source)
        errors.push({
          field: 'source',
          code: 'SOURCE_MISMATCH',
          message: `this endpoint takes ${opts.source} events only`,
        });
    }
    const ref = record ? readFlatOrderRef(record) : null;
    if (ref && 'error' in ref) errors.push(ref.error);
    if (!ref || errors.length > 0) {
      const parsed = parseOrderEvent(event, receivedAt);
      results[index] = invalid(index, [...errors, ...(parsed.ok ? [] : parsed.errors)]);
    } else if ('ref' in ref) {
      accepted.push({ index, submission: { orderRef: ref.ref, event }, byId: 'orderId' in ref.ref });
    }
  });
  const applied = await applyOrderEvents(
    pool,
    accepted.map((a) => a.submission),
    receivedAt,
    opts,
  );
  applied.forEach((result, i) => {
    const { index, byId } = accepted[i];
    results[index] = { ...result, index, errors: result.errors.map((e) => flatField(e, byId)) };
  });
  return results;
}

/** Names a reference error by the flat field the caller sent. */
function flatField(error: FieldError, byId: boolean): FieldError {
  if (error.field !== 'orderRef') return error;
  const field = byId ? 'orderId' : error.code === 'CHANNEL_NOT_ALLOWED' ? 'channel' : 'channelOrderNo';
  return { ...error, field };
}

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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
