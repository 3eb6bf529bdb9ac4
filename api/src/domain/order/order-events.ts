import { type FieldError, fail, ok, type Result } from '../shared/result.js';
import { EVENT_SOURCES, type EventSource } from './order-types.js';

/**
 * Every event type the pool accepts, with the systems allowed to report it. Each source's adapter
 * turns its own format into one of these at the edge; a WMS type arriving from TMS is a wiring
 * mistake and is refused (SOURCE_MISMATCH) rather than guessed at.
 */
export const EVENT_TYPE_SOURCES = {
  /** Money received (the payment provider, or the channel for platform-collected payments). */
  PAYMENT_CONFIRMED: ['PAYMENT', 'CHANNEL'],
  PAYMENT_REFUNDED: ['PAYMENT', 'CHANNEL'],
  WMS_ACCEPTED: ['WMS'],
  WMS_PICKING_STARTED: ['WMS'],
  WMS_PACKED: ['WMS'],
  /** Handed to the carrier at the warehouse dock. */
  WMS_SHIPPED: ['WMS'],
  /** The warehouse booked a returned parcel back into stock. */
  WMS_RETURN_RECEIVED: ['WMS'],
  /** The carrier's first scan (揽收). */
  TMS_PICKED_UP: ['TMS'],
  TMS_IN_TRANSIT: ['TMS'],
  TMS_OUT_FOR_DELIVERY: ['TMS'],
  TMS_DELIVERED: ['TMS'],
  TMS_DELIVERY_FAILED: ['TMS'],
  TMS_RETURNING: ['TMS'],
  /** The carrier delivered the parcel back to the warehouse. */
  TMS_RETURNED: ['TMS'],
  /** Delay, damage, weather… worth showing, changes no state. */
  TMS_EXCEPTION_REPORTED: ['TMS'],
  /** Customer service cancelled at the customer's request. */
  CRM_CANCEL_REQUESTED: ['CRM'],
  /** The order was closed elsewhere: on the channel, by staff, or by an unpaid-order timeout. */
  ORDER_CANCELLED: ['CHANNEL', 'STAFF', 'SYSTEM'],
  CRM_RETURN_REQUESTED: ['CRM'],
  /** The channel's order status says the seller shipped (taken from a re-sent channel order). */
  CHANNEL_SHIPPED: ['CHANNEL'],
  /** The channel's order status says the buyer received the goods (taken from a re-sent channel order). */
  CHANNEL_DELIVERED: ['CHANNEL'],
  /** A note for the order's history; changes no state. */
  NOTE_ADDED: ['STAFF', 'CRM', 'SYSTEM'],
} as const satisfies Record<string, readonly EventSource[]>;

export type OrderEventType = keyof typeof EVENT_TYPE_SOURCES;
export const ORDER_EVENT_TYPES = Object.keys(EVENT_TYPE_SOURCES) as OrderEventType[];

/** One report about an order, parsed and typed. */
export interface OrderEvent {
  source: EventSource;
  type: OrderEventType;
  /** Unique per order; a redelivery carries the same key. */
  idempotencyKey: string;
  /** When it happened, by the reporting system's clock. */
  occurredAt: Date;
  /** When the pool received it, by our clock. */
  receivedAt: Date;
  /** The source's own details (tracking number, scan location, note text…), kept for history. */
  payload: Readonly<Record<string, unknown>>;
}

/** How far a reporting system's clock may run ahead of ours before an event counts as from the future. */
export const MAX_CLOCK_SKEW_MS = 5 * 60_000;

// An instant must carry its offset: a bare "2024-11-26 18:00" is ambiguous across systems.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * Validates an event from untrusted input (a webhook body, a GraphQL input) and reports every
 * defect at once. `occurredAt` is an ISO 8601 string with an offset, or a Date.
 */
export function parseOrderEvent(raw: unknown, receivedAt: Date): Result<OrderEvent> {
  if (!isRecord(raw)) return fail([error('', 'REQUIRED', 'an event must be an object')]);
  const errors: FieldError[] = [];

  const source = raw.source;
  const sourceKnown = (EVENT_SOURCES as readonly unknown[]).includes(source);
  if (source === undefined || source === null || source === '') {
    errors.push(error('source', 'REQUIRED', 'source is required'));
  } else if (!sourceKnown) {
    errors.push(error('source', 'UNKNOWN_SOURCE', `source must be one of ${EVENT_SOURCES.join(', ')}`));
  }

  const type = raw.type;
  if (type === undefined || type === null || type === '') {
    errors.push(error('type', 'REQUIRED', 'type is required'));
  } else if (typeof type !== 'string' || !Object.hasOwn(EVENT_TYPE_SOURCES, type)) {
    errors.push(
      error(
        'type',
        'UNKNOWN_EVENT_TYPE',
        typeof type === 'string'
          ? `"${type.slice(0, 60)}" is not a known event type`
          : `type must be a string, got ${Array.isArray(type) ? 'an array' : typeof type}`,
      ),
    );
  } else if (sourceKnown) {
    const allowed: readonly string[] = EVENT_TYPE_SOURCES[type as OrderEventType];
    if (!allowed.includes(source as string)) {
      errors.push(
        error(
          'source',
          'SOURCE_MISMATCH',
          `${type} is reported by ${allowed.join(' or ')}, not by ${source}`,
        ),
      );
    }
  }

  const key = raw.idempotencyKey;
  if (typeof key !== 'string' || key.trim() === '') {
    errors.push(error('idempotencyKey', 'REQUIRED', 'idempotencyKey must be a non-empty string'));
  }

  const occurredAt = parseInstant(raw.occurredAt);
  if (occurredAt === 'missing') {
    errors.push(error('occurredAt', 'REQUIRED', 'occurredAt is required'));
  } else if (occurredAt === 'invalid') {
    errors.push(
      error(
        'occurredAt',
        'INVALID_TIME',
        'occurredAt must be an ISO 8601 time with an offset, e.g. 2024-11-26T18:00:00+08:00',
      ),
    );
  } else if (occurredAt.getTime() - receivedAt.getTime() > MAX_CLOCK_SKEW_MS) {
    errors.push(
      error(
        'occurredAt',
        'FUTURE_EVENT',
        `occurredAt is more than ${MAX_CLOCK_SKEW_MS / 60_000} minutes after it was received`,
      ),
    );
  }

  const payload = raw.payload ?? {};
  if (!isRecord(payload)) errors.push(error('payload', 'INVALID_PAYLOAD', 'payload must be an object'));

  if (errors.length > 0) return fail(errors);
  return ok({
    source: source as EventSource,
    type: type as OrderEventType,
    idempotencyKey: (key as string).trim(),
    occurredAt: occurredAt as Date,
    receivedAt,
    payload: payload as Record<string, unknown>,
  });
}

function parseInstant(value: unknown): Date | 'missing' | 'invalid' {
  if (value === undefined || value === null || value === '') return 'missing';
  const date =
    value instanceof Date
      ? value
      : typeof value === 'string' && ISO_INSTANT.test(value)
        ? new Date(value)
        : null;
  return date && !Number.isNaN(date.getTime()) ? date : 'invalid';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

const error = (field: string, code: string, message: string): FieldError => ({ field, code, message });
