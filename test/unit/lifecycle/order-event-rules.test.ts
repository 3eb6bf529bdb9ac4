import { describe, expect, it } from 'vitest';
import {
  decideEvent,
  EVENT_TARGET_STATE,
  type EventSubject,
} from '../../../api/src/domain/order/order-event-rules.js';
import type { OrderEventType } from '../../../api/src/domain/order/order-events.js';
import type { OrderState } from '../../../api/src/domain/order/order-types.js';

const at = (hhmm: string) => new Date(`2024-11-25T${hhmm}:00+08:00`);
const event = (type: OrderEventType, occurredAt = at('12:00'), idempotencyKey = `${type}-1`) => ({
  type,
  occurredAt,
  idempotencyKey,
});
const order = (state: OrderState, extra: Omit<EventSubject, 'state'> = {}): EventSubject => ({
  state,
  ...extra,
});

describe('decideEvent', () => {
  it('applies the next step on the main path', () => {
    expect(decideEvent(order('PICKING'), event('WMS_PACKED'))).toEqual({
      outcome: 'APPLIED',
      from: 'PICKING',
      to: 'PACKED',
      implied: [],
    });
  });

  it('walks an order from payment to delivery', () => {
    const feed: OrderEventType[] = [
      'PAYMENT_CONFIRMED',
      'WMS_ACCEPTED',
      'WMS_PICKING_STARTED',
      'WMS_PACKED',
      'WMS_SHIPPED',
      'TMS_PICKED_UP',
      'TMS_OUT_FOR_DELIVERY',
      'TMS_DELIVERED',
    ];
    let state: OrderState = 'CREATED';
    for (const type of feed) {
      const decision = decideEvent(order(state), event(type));
      expect(decision).toMatchObject({ outcome: 'APPLIED' });
      if (decision.outcome === 'APPLIED') state = decision.to;
    }
    expect(state).toBe('DELIVERED');
  });

  describe('duplicates', () => {
    it('ignores a key the order has already taken', () => {
      const appliedKeys = new Set(['wms-7731-packed']);
      expect(
        decideEvent(order('PACKED', { appliedKeys }), event('WMS_PACKED', at('12:00'), 'wms-7731-packed')),
      ).toEqual({ outcome: 'DUPLICATE' });
    });

    it('checks the key before anything else, even for an event that would now apply', () => {
      const appliedKeys = new Set(['k1']);
      expect(decideEvent(order('PICKING', { appliedKeys }), event('WMS_PACKED', at('12:00'), 'k1'))).toEqual({
        outcome: 'DUPLICATE',
      });
    });
  });

  describe('events that change no state', () => {
    it('records notes and carrier exceptions', () => {
      expect(decideEvent(order('IN_TRANSIT'), event('NOTE_ADDED'))).toEqual({ outcome: 'RECORDED' });
      expect(decideEvent(order('IN_TRANSIT'), event('TMS_EXCEPTION_REPORTED'))).toEqual({
        outcome: 'RECORDED',
      });
    });

    it('records a further scan for the state the order is in', () => {
      expect(decideEvent(order('IN_TRANSIT'), event('TMS_IN_TRANSIT', at('14:00'), 'scan-2'))).toEqual({
        outcome: 'RECORDED',
      });
    });
  });

  describe('out-of-order arrivals', () => {
    it('keeps a late "shipped" after "delivered" as STALE', () => {
      const delivered = order('DELIVERED', { lastEventOccurredAt: at('15:00') });
      expect(decideEvent(delivered, event('WMS_SHIPPED', at('09:00')))).toEqual({
        outcome: 'STALE',
        reason: 'WMS_SHIPPED arrived late: the order is already past SHIPPED, in DELIVERED',
      });
    });

    it.each([
      ['DELIVERED', 'WMS_PICKING_STARTED'],
      ['DELIVERED', 'TMS_OUT_FOR_DELIVERY'],
      ['IN_TRANSIT', 'WMS_SHIPPED'],
      ['IN_TRANSIT', 'WMS_PACKED'],
      ['CANCELLED', 'WMS_PICKING_STARTED'],
      ['CANCELLED', 'PAYMENT_CONFIRMED'],
      ['RETURNED', 'CRM_RETURN_REQUESTED'],
      ['REFUNDED', 'TMS_DELIVERED'],
    ] as const)('never moves %s back for %s', (state, type) => {
      expect(decideEvent(order(state), event(type))).toMatchObject({ outcome: 'STALE' });
    });

    it('applies a carrier scan that overtook the warehouse "shipped", and keeps the late "shipped"', () => {
      expect(decideEvent(order('PACKED'), event('TMS_PICKED_UP', at('10:05')))).toEqual({
        outcome: 'APPLIED',
        from: 'PACKED',
        to: 'IN_TRANSIT',
        implied: [],
      });
      expect(
        decideEvent(
          order('IN_TRANSIT', { lastEventOccurredAt: at('10:05') }),
          event('WMS_SHIPPED', at('10:00')),
        ),
      ).toMatchObject({ outcome: 'STALE' });
    });

    it('applies a forward move even when the other system’s clock says it happened a little earlier', () => {
      const packed = order('PACKED', { lastEventOccurredAt: at('10:05') });
      expect(decideEvent(packed, event('TMS_PICKED_UP', at('10:03')))).toMatchObject({ outcome: 'APPLIED' });
    });
  });

  describe('delivery retries', () => {
    it('applies a new attempt after a failed one', () => {
      const failed = order('DELIVERY_FAILED', { lastEventOccurredAt: at('11:00') });
      expect(decideEvent(failed, event('TMS_OUT_FOR_DELIVERY', at('16:00'), 'ofd-2'))).toEqual({
        outcome: 'APPLIED',
        from: 'DELIVERY_FAILED',
        to: 'OUT_FOR_DELIVERY',
        implied: [],
      });
    });

    it('keeps the first attempt’s late out-for-delivery scan as STALE', () => {
      const failed = order('DELIVERY_FAILED', { lastEventOccurredAt: at('11:00') });
      expect(decideEvent(failed, event('TMS_OUT_FOR_DELIVERY', at('09:00'), 'ofd-1'))).toEqual({
        outcome: 'STALE',
        reason:
          "TMS_OUT_FOR_DELIVERY happened before the order's last change to DELIVERY_FAILED; it belongs to an earlier attempt",
      });
    });

    it('keeps the first attempt’s late failure as STALE once the retry is out', () => {
      const retry = order('OUT_FOR_DELIVERY', { lastEventOccurredAt: at('16:00') });
      expect(decideEvent(retry, event('TMS_DELIVERY_FAILED', at('11:00')))).toMatchObject({
        outcome: 'STALE',
      });
      expect(decideEvent(retry, event('TMS_DELIVERY_FAILED', at('17:00')))).toMatchObject({
        outcome: 'APPLIED',
      });
    });
  });

  describe('forward skips', () => {
    it.each([
      ['PAID', 'WMS_PICKING_STARTED', 'PICKING'],
      ['PACKED', 'TMS_IN_TRANSIT', 'IN_TRANSIT'],
      ['SHIPPED', 'TMS_OUT_FOR_DELIVERY', 'OUT_FOR_DELIVERY'],
      ['SHIPPED', 'TMS_DELIVERED', 'DELIVERED'],
      ['IN_TRANSIT', 'TMS_DELIVERED', 'DELIVERED'],
      ['DELIVERY_FAILED', 'TMS_DELIVERED', 'DELIVERED'],
    ] as const)('from %s, %s skips straight to %s', (state, type, to) => {
      expect(decideEvent(order(state), event(type))).toEqual({
        outcome: 'APPLIED',
        from: state,
        to,
        implied: [],
      });
    });

    it('implies the warehouse steps a later fact proves, instead of refusing the jump', () => {
      expect(decideEvent(order('PAID'), event('WMS_PACKED'))).toEqual({
        outcome: 'APPLIED',
        from: 'PAID',
        to: 'PACKED',
        implied: ['WAREHOUSE_ACCEPTED', 'PICKING'],
      });
      expect(decideEvent(order('PAID'), event('TMS_PICKED_UP'))).toEqual({
        outcome: 'APPLIED',
        from: 'PAID',
        to: 'IN_TRANSIT',
        implied: ['WAREHOUSE_ACCEPTED', 'PICKING', 'PACKED', 'SHIPPED'],
      });
      expect(decideEvent(order('WAREHOUSE_ACCEPTED'), event('TMS_DELIVERED'))).toMatchObject({
        implied: ['PICKING', 'PACKED', 'SHIPPED', 'IN_TRANSIT'],
      });
    });

    it('keeps an event that needs an unreported payment as PENDING, not REJECTED', () => {
      const decision = decideEvent(order('CREATED'), event('WMS_SHIPPED'));
      expect(decision.outcome).toBe('PENDING');
      expect(decision).toMatchObject({ reason: expect.stringContaining('arrived early') });
    });
  });

  describe('cancellation', () => {
    it.each(['CREATED', 'PAID', 'WAREHOUSE_ACCEPTED', 'PICKING', 'PACKED'] as const)(
      'cancels from %s',
      (state) => {
        expect(decideEvent(order(state), event('CRM_CANCEL_REQUESTED'))).toEqual({
          outcome: 'APPLIED',
          from: state,
          to: 'CANCELLED',
          implied: [],
        });
      },
    );

    it.each([
      'SHIPPED',
      'IN_TRANSIT',
      'OUT_FOR_DELIVERY',
      'DELIVERED',
      'DELIVERY_FAILED',
      'RETURNING',
    ] as const)('rejects a cancel once the order is %s', (state) => {
      expect(decideEvent(order(state), event('ORDER_CANCELLED'))).toMatchObject({
        outcome: 'REJECTED',
        code: 'TRANSITION_NOT_ALLOWED',
      });
    });

    it('rejects a cancel after shipping with a reason', () => {
      expect(decideEvent(order('SHIPPED'), event('CRM_CANCEL_REQUESTED'))).toEqual({
        outcome: 'REJECTED',
        code: 'TRANSITION_NOT_ALLOWED',
        reason:
          'CRM_CANCEL_REQUESTED: order cannot move from SHIPPED to CANCELLED; from SHIPPED it can move to IN_TRANSIT, OUT_FOR_DELIVERY, DELIVERED, DELIVERY_FAILED, RETURNING',
      });
    });

    it('rejects a shipment of a cancelled order: it is a conflict, not a late report', () => {
      expect(decideEvent(order('CANCELLED'), event('WMS_SHIPPED'))).toEqual({
        outcome: 'REJECTED',
        code: 'TRANSITION_NOT_ALLOWED',
        reason:
          'WMS_SHIPPED: order cannot move from CANCELLED to SHIPPED; from CANCELLED it can move to REFUNDED',
      });
      expect(decideEvent(order('CANCELLED'), event('TMS_PICKED_UP'))).toMatchObject({ outcome: 'REJECTED' });
    });
  });

  describe('refunds', () => {
    it('refunds a cancelled order', () => {
      expect(decideEvent(order('CANCELLED'), event('PAYMENT_REFUNDED'))).toEqual({
        outcome: 'APPLIED',
        from: 'CANCELLED',
        to: 'REFUNDED',
        implied: [],
      });
    });

    it('walks a customer return to its refund', () => {
      expect(decideEvent(order('DELIVERED'), event('CRM_RETURN_REQUESTED'))).toMatchObject({
        to: 'RETURNING',
      });
      expect(decideEvent(order('RETURNING'), event('TMS_RETURNING'))).toEqual({ outcome: 'RECORDED' });
      expect(decideEvent(order('RETURNING'), event('WMS_RETURN_RECEIVED'))).toMatchObject({ to: 'RETURNED' });
      expect(decideEvent(order('RETURNED'), event('PAYMENT_REFUNDED'))).toMatchObject({ to: 'REFUNDED' });
    });

    it('sends a refused parcel back after a failed delivery', () => {
      expect(decideEvent(order('DELIVERY_FAILED'), event('TMS_RETURNING'))).toMatchObject({
        to: 'RETURNING',
      });
      expect(decideEvent(order('RETURNING'), event('TMS_RETURNED'))).toMatchObject({ to: 'RETURNED' });
    });

    it('keeps a refund that overtook the cancel or the return as PENDING: nothing implies those', () => {
      expect(decideEvent(order('PAID'), event('PAYMENT_REFUNDED'))).toMatchObject({ outcome: 'PENDING' });
      expect(decideEvent(order('DELIVERED'), event('PAYMENT_REFUNDED'))).toMatchObject({
        outcome: 'PENDING',
      });
    });

    it('rejects a return request for an order that was never delivered', () => {
      expect(decideEvent(order('CANCELLED'), event('CRM_RETURN_REQUESTED'))).toMatchObject({
        outcome: 'REJECTED',
      });
    });

    it('keeps anything after the refund as history only', () => {
      expect(decideEvent(order('REFUNDED'), event('PAYMENT_REFUNDED', at('13:00'), 'refund-2'))).toEqual({
        outcome: 'RECORDED',
      });
      expect(decideEvent(order('REFUNDED'), event('ORDER_CANCELLED'))).toMatchObject({ outcome: 'STALE' });
    });
  });

  it('maps every event type to a state or to none', () => {
    expect(
      Object.entries(EVENT_TARGET_STATE)
        .filter(([, to]) => to === null)
        .map(([type]) => type),
    ).toEqual(['TMS_EXCEPTION_REPORTED', 'NOTE_ADDED']);
  });
});
