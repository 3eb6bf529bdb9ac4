import { businessDayRange, isBusinessDate } from '../../domain/sla/business-time.js';
import type { Period } from '../../domain/sla/sla-report.js';

/** The longest period a report covers. */
export const MAX_REPORT_DAYS = 366;

const DAY_MS = 24 * 60 * 60 * 1000;
// An instant must carry its offset: a bare "2026-11-25 18:00" is ambiguous.
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export type PeriodArgument = 'from' | 'to';

export type PeriodParse =
  | { ok: true; period: Period }
  | { ok: false; argument: PeriodArgument; message: string };

/**
 * A report period from two arguments, each a Shanghai business day `YYYY-MM-DD` or an ISO 8601
 * instant with an offset. Business days are inclusive at both ends (`from` starts at 00:00 of
 * its day, `to` ends at 24:00 of its day); instants are exact, and the period is `[from, to)`.
 */
export function parseReportPeriod(from: string, to: string, maxDays = MAX_REPORT_DAYS): PeriodParse {
  const start = readBound(from.trim(), 'from');
  if (start === null) return invalid('from', from);
  const end = readBound(to.trim(), 'to');
  if (end === null) return invalid('to', to);
  if (end.getTime() <= start.getTime())
    return {
      ok: false,
      argument: 'to',
      message: 'to: the period ends before it starts; give a `to` on or after `from`.',
    };
  if (end.getTime() - start.getTime() > maxDays * DAY_MS)
    return { ok: false, argument: 'to', message: `to: a report covers at most ${maxDays} days.` };
  return { ok: true, period: { from: start, to: end } };
}

function readBound(text: string, side: PeriodArgument): Date | null {
  if (isBusinessDate(text)) {
    const day = businessDayRange(text);
    return side === 'from' ? day.from : day.to;
  }
  if (!ISO_INSTANT.test(text)) return null;
  const instant = new Date(text);
  return Number.isNaN(instant.getTime()) ? null : instant;
}

const invalid = (argument: PeriodArgument, value: string): PeriodParse => ({
  ok: false,
  argument,
  message: `${argument}: expected a business date YYYY-MM-DD (Shanghai) or an ISO 8601 instant with an offset, got "${value.slice(0, 40)}".`,
});
