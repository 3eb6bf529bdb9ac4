import type { Agenda } from 'agenda';
import type pg from 'pg';
import type { Logger } from '../infra/logging/logger.js';
import { orderEventSettings } from '../modules/order-events/order-event-settings.js';
import { expirePendingEvents } from '../modules/order-events/pending-expiry.js';

export const PENDING_EVENTS_EXPIRY_JOB = 'order-events.expire-pending';

/**
 * One recurring job: events that waited as PENDING longer than `PENDING_EVENT_TTL_HOURS` are
 * REJECTED with the reason, so a person sees them. The waiting events sit in a partial index, so
 * a run with nothing due costs one index probe.
 */
export async function schedulePendingEventsExpiry(
  agenda: Agenda,
  deps: { pool: pg.Pool; logger: Logger; everyMinutes?: number },
): Promise<void> {
  agenda.define(
    PENDING_EVENTS_EXPIRY_JOB,
    async () => {
      const expired = await expirePendingEvents(deps.pool, new Date(), orderEventSettings.pendingTtlMs);
      if (expired > 0) deps.logger.warn({ expired }, 'pending order events expired as REJECTED');
    },
    { concurrency: 1, lockLimit: 1 },
  );
  await agenda.every(`${deps.everyMinutes ?? 5} minutes`, PENDING_EVENTS_EXPIRY_JOB);
}
