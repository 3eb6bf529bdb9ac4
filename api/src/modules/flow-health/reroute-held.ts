import type pg from 'pg';
import { rerouteOrders } from '../routing/reroute.service.js';
import { ROUTING_PAUSED } from './flow-health.service.js';

/** Routes again the orders held while routing was paused; answers how many got a group. */
export function rerouteHeldOrders(pool: pg.Pool): (now: Date) => Promise<number> {
  return async (now) => (await rerouteOrders(pool, { holdReason: ROUTING_PAUSED }, now)).released;
}
