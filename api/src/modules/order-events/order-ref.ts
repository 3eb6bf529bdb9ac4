import { CHANNELS, type Channel } from '../../domain/order/order-types.js';
import type { FieldError } from '../../domain/shared/result.js';

/** Names one order: by its pool id, or by its channel's own order number. */
export type OrderRef = { orderId: string } | { channel: Channel; channelOrderNo: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A reference checked against its shape and the caller's channels, before any lookup. */
export type CheckedRef =
  | { kind: 'ID'; orderId: string }
  | { kind: 'CHANNEL'; channel: Channel; channelOrderNo: string }
  /** Well-formed but certain to match nothing visible (e.g. an id that is no UUID). */
  | { kind: 'NONE' }
  | { kind: 'INVALID'; error: FieldError };

export const orderNotFound = (): FieldError => ({
  field: 'orderRef',
  code: 'ORDER_NOT_FOUND',
  message: 'no order matches this reference',
});

/**
 * Checks a reference from an untyped caller. A channel the caller may not use is refused here,
 * from the request alone, so nothing about that channel's orders is revealed.
 */
export function checkOrderRef(ref: unknown, allowed: readonly Channel[] | null): CheckedRef {
  const r = (typeof ref === 'object' && ref !== null ? ref : {}) as Record<string, unknown>;
  if (typeof r.orderId === 'string') {
    const orderId = r.orderId.trim();
    return UUID.test(orderId) ? { kind: 'ID', orderId: orderId.toLowerCase() } : { kind: 'NONE' };
  }
  const channel = r.channel;
  const channelOrderNo = typeof r.channelOrderNo === 'string' ? r.channelOrderNo.trim() : '';
  if (!(CHANNELS as readonly unknown[]).includes(channel) || channelOrderNo === '') {
    return {
      kind: 'INVALID',
      error: {
        field: 'orderRef',
        code: 'INVALID_ORDER_REF',
        message: `give orderId, or channel (${CHANNELS.join(', ')}) with channelOrderNo`,
      },
    };
  }
  if (allowed && !allowed.includes(channel as Channel)) {
    return {
      kind: 'INVALID',
      error: {
        field: 'orderRef',
        code: 'CHANNEL_NOT_ALLOWED',
        message: `this caller may not report events for ${channel} orders`,
      },
    };
  }
  return { kind: 'CHANNEL', channel: channel as Channel, channelOrderNo };
}

/**
 * Reads the reference carried flat on an event (`orderId`, or `channel` + `channelOrderNo`), as
 * webhooks and the GraphQL input send it. Both forms at once is refused rather than guessed at.
 */
export function readFlatOrderRef(raw: unknown): { ref: OrderRef } | { error: FieldError } {
  const r = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
  const given = (v: unknown) => v !== undefined && v !== null && v !== '';
  const byId = given(r.orderId);
  const byChannel = given(r.channel) || given(r.channelOrderNo);
  if (byId && byChannel)
    return {
      error: {
        field: 'orderId',
        code: 'AMBIGUOUS_ORDER_REF',
        message: 'give either orderId or channel with channelOrderNo, not both',
      },
    };
  if (byId) {
    if (typeof r.orderId !== 'string')
      return { error: { field: 'orderId', code: 'INVALID_TYPE', message: 'orderId must be a string' } };
    return { ref: { orderId: r.orderId } };
  }
  if (!byChannel)
    return {
      error: { field: 'orderId', code: 'REQUIRED', message: 'give orderId, or channel with channelOrderNo' },
    };
  if (!(CHANNELS as readonly unknown[]).includes(r.channel))
    return {
      error: {
        field: 'channel',
        code: 'UNKNOWN_VALUE',
        message: `channel must be one of ${CHANNELS.join(', ')}`,
      },
    };
  if (typeof r.channelOrderNo !== 'string' || r.channelOrderNo.trim() === '')
    return {
      error: {
        field: 'channelOrderNo',
        code: 'REQUIRED',
        message: 'channelOrderNo must be a non-empty string',
      },
    };
  return { ref: { channel: r.channel as Channel, channelOrderNo: r.channelOrderNo } };
}
