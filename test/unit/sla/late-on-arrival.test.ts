import { describe, expect, it } from 'vitest';
import {
  alertsWithheld,
  DEFAULT_RECENT_LATE_MINUTES,
  passedBeforeArrival,
} from '../../../api/src/domain/sla/late-on-arrival.js';
import { sh } from './sla-fixtures.js';

/** Deadlines that passed before the order arrived, with fixed dates around Shanghai midnight. */
describe('deadlines past before the order arrived', () => {
  // 23:50 on 11-24 in Shanghai is 15:50 UTC; the order arrives 20 minutes later, on 11-25.
  const deadline = sh('2026-11-24 23:50');
  const arrivedAt = sh('2026-11-25 00:10');

  it('counts a deadline before the arrival as passed, one at or after it as not', () => {
    expect(passedBeforeArrival(deadline, { arrivedAt })).toBe(true);
    expect(passedBeforeArrival(arrivedAt, { arrivedAt })).toBe(false);
    expect(passedBeforeArrival(sh('2026-11-25 00:11'), { arrivedAt })).toBe(false);
  });

  it('reminds as usual for an open order that arrived only recently late (across midnight)', () => {
    expect(alertsWithheld(deadline, { arrivedAt, backfill: false }, DEFAULT_RECENT_LATE_MINUTES)).toBe(false);
  });

  it('reminds nobody for a backfill, however recently late', () => {
    expect(alertsWithheld(deadline, { arrivedAt, backfill: true }, DEFAULT_RECENT_LATE_MINUTES)).toBe(true);
  });

  it('reminds nobody once the order arrived late by the configured age or more', () => {
    const day = 24 * 60;
    // Late by exactly one day when it arrived at 23:50 on 11-25: withheld.
    expect(alertsWithheld(deadline, { arrivedAt: sh('2026-11-25 23:50'), backfill: false }, day)).toBe(true);
    // One minute less: reminded.
    expect(alertsWithheld(deadline, { arrivedAt: sh('2026-11-25 23:49'), backfill: false }, day)).toBe(false);
    // A smaller age makes the same 20 minutes too old.
    expect(alertsWithheld(deadline, { arrivedAt, backfill: false }, 20)).toBe(true);
    expect(alertsWithheld(deadline, { arrivedAt, backfill: false }, 21)).toBe(false);
  });

  it('reminds nobody for an order no longer open when it arrived', () => {
    expect(alertsWithheld(deadline, { arrivedAt, backfill: false }, DEFAULT_RECENT_LATE_MINUTES, false)).toBe(
      true,
    );
  });

  it('never withholds a deadline that was still ahead when the order arrived, backfill or not', () => {
    const ahead = sh('2026-11-25 00:30');
    expect(alertsWithheld(ahead, { arrivedAt, backfill: true }, 0)).toBe(false);
    expect(alertsWithheld(ahead, { arrivedAt, backfill: false }, 0, false)).toBe(false);
  });
});
