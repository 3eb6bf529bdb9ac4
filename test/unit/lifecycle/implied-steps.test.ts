import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IMPLIED_PREDECESSOR, impliedSteps } from '../../../api/src/domain/order/implied-steps.js';
import { foldOrderEvents } from '../../../api/src/domain/order/order-event-fold.js';
import { EVENT_TARGET_STATE } from '../../../api/src/domain/order/order-event-rules.js';
import type { OrderEventType } from '../../../api/src/domain/order/order-events.js';
import { orderLifecycle, progressRank } from '../../../api/src/domain/order/order-lifecycle.js';
import { ORDER_STATES, type OrderState } from '../../../api/src/domain/order/order-types.js';

describe('impliedSteps', () => {
  it('lists what a carrier pick-up after payment proves: the warehouse accepted, picked, packed and shipped', () => {
    expect(impliedSteps('PAID', 'IN_TRANSIT')).toEqual([
      'WAREHOUSE_ACCEPTED',
      'PICKING',
      'PACKED',
      'SHIPPED',
    ]);
    expect(impliedSteps('PICKING', 'DELIVERED')).toEqual(['PACKED', 'SHIPPED', 'IN_TRANSIT']);
    expect(impliedSteps('PACKED', 'IN_TRANSIT')).toEqual([]);
  });

  it('never implies the payment: a warehouse or carrier fact for an unpaid order implies nothing', () => {
    for (const to of ORDER_STATES) expect(impliedSteps('CREATED', to)?.includes('PAID') ?? false).toBe(false);
    expect(impliedSteps('CREATED', 'IN_TRANSIT')).toBeNull();
    expect(Object.keys(IMPLIED_PREDECESSOR)).not.toContain('PAID');
  });

  it('implies nothing across a cancellation or after-sales', () => {
    expect(impliedSteps('CANCELLED', 'SHIPPED')).toBeNull();
    expect(impliedSteps('DELIVERED', 'RETURNED')).toBeNull();
    expect(impliedSteps('PAID', 'REFUNDED')).toBeNull();
  });

  it('every implied path, for any pair of states, is a chain of moves the lifecycle allows, always forward', () => {
    for (const from of ORDER_STATES)
      for (const to of ORDER_STATES) {
        const steps = impliedSteps(from, to);
        if (steps === null) continue;
        const path = [from, ...steps, to];
        for (let i = 1; i < path.length; i += 1) {
          expect(orderLifecycle.canTransition(path[i - 1], path[i]).ok).toBe(true);
          if (steps.length > 0) expect(progressRank(path[i])).toBeGreaterThan(progressRank(path[i - 1]));
        }
      }
  });
});

const TYPES = Object.keys(EVENT_TARGET_STATE) as OrderEventType[];
const NOW = new Date('2026-11-25T12:00:00Z');
const eventArb = fc.record({
  type: fc.constantFrom(...TYPES),
  minute: fc.integer({ min: 0, max: 120 }),
});

describe('foldOrderEvents over any events', () => {
  const feedArb = fc.uniqueArray(eventArb, { maxLength: 12, selector: (e) => `${e.type}` }).map((list) =>
    list.map((e, i) => ({
      idempotencyKey: `k${i}-${e.type}`,
      type: e.type,
      occurredAt: new Date(Date.UTC(2026, 10, 25, 2, e.minute)),
      receivedAt: NOW,
    })),
  );

  it('gives the same answer for every arrival order, never moves back and enters each implied state once', () => {
    fc.assert(
      fc.property(
        feedArb,
        fc.constantFrom<OrderState>('CREATED', 'PAID', 'PACKED'),
        fc.integer(),
        (events, start, seed) => {
          const options = { now: NOW, pendingTtlMs: 3_600_000 };
          const sorted = foldOrderEvents({ state: start }, events, options);
          const shuffled = [...events].sort(
            (a, b) => ((a.idempotencyKey.length * seed) % 7) - ((b.idempotencyKey.length * seed) % 7),
          );
          const again = foldOrderEvents({ state: start }, shuffled, options);
          expect(again.state).toBe(sorted.state);
          expect(
            again.events.map((e) => [e.event.idempotencyKey, e.outcome, e.fromState, e.toState]),
          ).toEqual(sorted.events.map((e) => [e.event.idempotencyKey, e.outcome, e.fromState, e.toState]));

          let state = start;
          for (const folded of sorted.events.filter((e) => e.outcome === 'APPLIED')) {
            expect(folded.fromState).toBe(state);
            const path = [state, ...folded.implied, folded.toState as OrderState];
            for (let i = 1; i < path.length; i += 1)
              expect(orderLifecycle.canTransition(path[i - 1], path[i]).ok).toBe(true);
            // Never backwards; the one same-rank loop is a retried delivery.
            expect(progressRank(path.at(-1) as OrderState)).toBeGreaterThanOrEqual(progressRank(state));
            state = folded.toState as OrderState;
          }
          expect(state).toBe(sorted.state);
          const implied = sorted.implied.map((s) => s.state);
          expect(new Set(implied).size).toBe(implied.length);
          expect(sorted.events).toHaveLength(events.length);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('applies a payment, a carrier pick-up and a delivery in one pass, whatever order they come in', () => {
    const at = (m: number) => new Date(Date.UTC(2026, 10, 25, 2, m));
    const feed = [
      { idempotencyKey: 'd', type: 'TMS_DELIVERED' as const, occurredAt: at(30), receivedAt: NOW },
      { idempotencyKey: 'u', type: 'TMS_PICKED_UP' as const, occurredAt: at(20), receivedAt: NOW },
      { idempotencyKey: 'p', type: 'PAYMENT_CONFIRMED' as const, occurredAt: at(10), receivedAt: NOW },
    ];
    const result = foldOrderEvents({ state: 'CREATED' }, feed, { now: NOW, pendingTtlMs: 3_600_000 });
    expect(result.state).toBe('DELIVERED');
    expect(result.implied.map((s) => [s.state, s.impliedBy])).toEqual([
      ['WAREHOUSE_ACCEPTED', 'u'],
      ['PICKING', 'u'],
      ['PACKED', 'u'],
      ['SHIPPED', 'u'],
    ]);
    expect(result.entered.SHIPPED).toEqual(at(20));
  });

  it('rejects a waiting event once it is older than the time allowed, and keeps a younger one waiting', () => {
    const at = (m: number) => new Date(Date.UTC(2026, 10, 25, 2, m));
    const old = { idempotencyKey: 'old', type: 'WMS_PACKED' as const, occurredAt: at(1), receivedAt: at(0) };
    const young = {
      idempotencyKey: 'young',
      type: 'TMS_DELIVERED' as const,
      occurredAt: at(2),
      receivedAt: NOW,
    };
    const result = foldOrderEvents({ state: 'CREATED' }, [old, young], { now: NOW, pendingTtlMs: 3_600_000 });
    expect(result.events.map((e) => [e.event.idempotencyKey, e.outcome])).toEqual([
      ['old', 'REJECTED'],
      ['young', 'PENDING'],
    ]);
    expect(result.events[0].reason).toMatch(
      /^PENDING_EXPIRED: waited 1 h and never fitted the order; WMS_PACKED arrived early/,
    );
  });
});
