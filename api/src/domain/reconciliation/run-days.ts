import { businessDate, businessDayRange } from '../sla/business-time.js';
import type { MatchingSettings } from './reconciliation-types.js';

const DAY_MS = 86_400_000;
const shift = (date: string, days: number) =>
  businessDate(new Date(businessDayRange(date).from.getTime() + days * DAY_MS));

/**
 * The business days the daily run at `now` reconciles: up to yesterday (Shanghai), reaching back
 * over the longest settlement window (money of those days may have arrived since, so their
 * pending items must be judged again) and over the days no scheduled run covered since
 * `lastScheduledTo` (a worker that was down), at most `catchUpDays` back.
 */
export function scheduledRange(
  now: Date,
  lastScheduledTo: string | null,
  settings: MatchingSettings,
  catchUpDays: number,
): { fromDate: string; toDate: string } {
  const toDate = shift(businessDate(now), -1);
  const window = Math.max(settings.defaultSettlementDays, ...Object.values(settings.settlementDays));
  const reopenFrom = shift(toDate, -window);
  const oldest = shift(toDate, -catchUpDays);
  const missedFrom = lastScheduledTo === null ? toDate : shift(lastScheduledTo, 1);
  const catchUpFrom = later(missedFrom, oldest);
  const fromDate = later(catchUpFrom, reopenFrom) === catchUpFrom ? reopenFrom : catchUpFrom;
  return { fromDate, toDate };
}

/** The later of two `YYYY-MM-DD` dates (they compare as text). */
const later = (a: string, b: string) => (a < b ? b : a);
