import type pg from 'pg';
import type { Channel } from '../../domain/order/order-types.js';
import { rerouteOrders } from '../routing/reroute.service.js';
import { ROUTING_PAUSED } from './flow-health.service.js';

/**
 * Routes again the open orders held while routing was paused (of these channels; all when null);
 * answers how many got a group.
 */
export function rerouteHeldOrders(
  pool: pg.Pool,
): (now: Date, channels: readonly Channel[] | null) => Promise<number> {
  return async (now, channels) =>
    (await rerouteOrders(pool, { holdReason: ROUTING_PAUSED, channels: channels ?? undefined }, now))
      .released;
}
