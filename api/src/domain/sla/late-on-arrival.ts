/**
 * Deadlines that passed before the order arrived: a backfill of old orders or a catch-up after an
 * outage. Such a stage is late all the same (its record says so), but reminding people of what
 * ended long ago only floods the desk: importing three years of orders must not open a ticket per
 * order. Only an order still open and late by less than `recentLateMinutes` when it arrived is
 * handled as usual; an explicit backfill reminds nobody of any deadline already past.
 */

/** Late by less than this when the order arrived: reminders and tickets as usual. @default 1 day */
export const DEFAULT_RECENT_LATE_MINUTES = 24 * 60;

const MINUTE_MS = 60_000;

export interface OrderArrival {
  /** When the platform took the order in. */
  arrivedAt: Date;
  /** Taken in with the backfill flag. */
  backfill: boolean;
}

/** The deadline lay before the order's arrival. */
export function passedBeforeArrival(deadline: Date, arrival: Pick<OrderArrival, 'arrivedAt'>): boolean {
  return deadline.getTime() < arrival.arrivedAt.getTime();
}

/**
 * Whether a stage's escalation levels are recorded without any action (no abnormal flag, reminder,
 * ticket or escalation): its deadline passed before the order arrived, and the order came as a
 * backfill, or was no longer open when it arrived (`openOnArrival` false), or was already late by
 * `recentLateMinutes` or more.
 */
export function alertsWithheld(
  deadline: Date,
  arrival: OrderArrival,
  recentLateMinutes: number,
  openOnArrival = true,
): boolean {
  if (!passedBeforeArrival(deadline, arrival)) return false;
  if (arrival.backfill || !openOnArrival) return true;
  return arrival.arrivedAt.getTime() - deadline.getTime() >= recentLateMinutes * MINUTE_MS;
}
