import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { progressRank } from '../../../api/src/domain/order/order-lifecycle.js';
import type { OrderState } from '../../../api/src/domain/order/order-types.js';
import { applyOrderEvents } from '../../../api/src/modules/order-events/order-event.service.js';
import {
  type EventsDb,
  ev,
  historyOf,
  openEventsDb,
  orderRow,
  RECEIVED_AT,
  seedOrder,
} from './order-events-kit.js';

/** The main path as the systems report it; a generated feed reports any subset of it. */
const JOURNEY: [string, string][] = [
  ['PAYMENT_CONFIRMED', 'PAYMENT'],
  ['WMS_ACCEPTED', 'WMS'],
  ['WMS_PICKING_STARTED', 'WMS'],
  ['WMS_PACKED', 'WMS'],
  ['WMS_SHIPPED', 'WMS'],
  ['TMS_PICKED_UP', 'TMS'],
  ['TMS_IN_TRANSIT', 'TMS'],
  ['TMS_OUT_FOR_DELIVERY', 'TMS'],
  ['TMS_DELIVERED', 'TMS'],
];
const EXTRAS: [string, string][] = [
  ['TMS_EXCEPTION_REPORTED', 'TMS'],
  ['NOTE_ADDED', 'STAFF'],
];

type RawEvent = ReturnType<typeof ev>;

/**
 * A feed: some of the journey's steps (the payment always, or the order would wait forever), a
 * few events that change no state, at non-decreasing minutes (equal minutes included), then the
 * arrival: a permutation, some events sent twice, cut into calls.
 */
const feedArb = fc
  .record({
    steps: fc.subarray(JOURNEY.slice(1), { minLength: 1 }),
    extras: fc.subarray(EXTRAS),
    withPayment: fc.boolean(),
    gaps: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 12, maxLength: 12 }),
  })
  .chain(({ steps, extras, withPayment, gaps }) => {
    const picked = [...(withPayment ? [JOURNEY[0]] : []), ...steps];
    let minute = 0;
    const events: RawEvent[] = picked.map(([type, source], i) => {
      minute += gaps[i] ?? 1;
      return ev(type, source, minute, `${type}-k`);
    });
    for (const [i, [type, source]] of extras.entries()) events.push(ev(type, source, 1 + i * 4, `${type}-x`));
    return fc.record({
      sorted: fc.constant(events),
      arrival: fc.shuffledSubarray(events, { minLength: events.length, maxLength: events.length }),
      resent: fc.subarray(events, { maxLength: Math.min(3, events.length) }),
      cuts: fc.array(fc.integer({ min: 1, max: 14 }), { maxLength: 4 }),
    });
  });

function calls(arrival: readonly RawEvent[], resent: readonly RawEvent[], cuts: readonly number[]) {
  const stream = [...arrival];
  for (const [i, event] of resent.entries()) stream.splice((i * 5) % (stream.length + 1), 0, event);
  const points = [...new Set(cuts.filter((c) => c < stream.length))].sort((a, b) => a - b);
  const batches: RawEvent[][] = [];
  let from = 0;
  for (const point of [...points, stream.length]) {
    batches.push(stream.slice(from, point));
    from = point;
  }
  return batches.filter((b) => b.length > 0);
}

/** The history as a person reads it: what happened, in the order it happened, and what it did. */
async function story(db: EventsDb, id: string) {
  const rows = await historyOf(db.pool, id);
  return rows
    .map((r) => ({
      at: r.occurred_at.toISOString(),
      type: r.type,
      key: r.idempotency_key,
      outcome: r.outcome,
      from: r.from_state,
      to: r.to_state,
      reason: r.reason,
    }))
    .sort((a, b) => (a.at === b.at ? (a.key < b.key ? -1 : 1) : a.at < b.at ? -1 : 1));
}

describe('any arrival order of the same events', () => {
  let db: EventsDb;
  beforeAll(async () => {
    db = await openEventsDb('feed_property');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('ends in the same state and history as the sorted feed, never moving back, each implied step once', async () => {
    await fc.assert(
      fc.asyncProperty(feedArb, async ({ sorted, arrival, resent, cuts }) => {
        const reference = await seedOrder(db.pool, 'CREATED');
        await applyOrderEvents(
          db.pool,
          sorted.map((event) => ({ orderRef: { orderId: reference.id }, event })),
          RECEIVED_AT,
        );

        const shuffled = await seedOrder(db.pool, 'CREATED');
        let rank = progressRank('CREATED');
        for (const batch of calls(arrival, resent, cuts)) {
          await applyOrderEvents(
            db.pool,
            batch.map((event) => ({ orderRef: { orderId: shuffled.id }, event })),
            RECEIVED_AT,
          );
          const { state } = await orderRow(db.pool, shuffled.id);
          expect(progressRank(state as OrderState)).toBeGreaterThanOrEqual(rank);
          rank = progressRank(state as OrderState);
        }

        const [want, got] = [await orderRow(db.pool, reference.id), await orderRow(db.pool, shuffled.id)];
        expect(got.state).toBe(want.state);
        const history = await story(db, shuffled.id);
        expect(history).toEqual(await story(db, reference.id));

        const entered = history
          .filter((h) => h.outcome === 'APPLIED' || h.outcome === 'IMPLIED')
          .map((h) => h.to);
        expect(new Set(entered).size).toBe(entered.length);
        const implied = history.filter((h) => h.outcome === 'IMPLIED');
        for (const step of implied) expect(step.reason).toMatch(/^implied by [A-Z_]+ \(/);
        // A paid feed never leaves anything waiting; an unpaid one leaves every state change waiting.
        const waiting = history.filter((h) => h.outcome === 'PENDING');
        if (sorted.some((e) => e.type === 'PAYMENT_CONFIRMED')) expect(waiting).toEqual([]);
        else expect(got.state).toBe('CREATED');
      }),
      { numRuns: 60 },
    );
  });
});
