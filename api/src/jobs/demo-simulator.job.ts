import type { Agenda } from 'agenda';
import type pg from 'pg';
import type { Logger } from '../infra/logging/logger.js';
import { simulateDemoTick } from '../modules/demo/demo-simulator.js';

export const DEMO_SIMULATE_JOB = 'demo.simulate';

/**
 * Keeps the demo alive from the worker: one recurring Agenda job (one job row, whatever the
 * number of orders) that every 5 s sends a few new orders and moves a few open ones along. It
 * does nothing on a database the demo did not seed. Disabled, it removes its job row.
 */
export async function scheduleDemoSimulator(
  agenda: Agenda,
  deps: { pool: pg.Pool; logger: Logger; enabled: boolean },
): Promise<void> {
  if (!deps.enabled) {
    await agenda.cancel({ name: DEMO_SIMULATE_JOB });
    return;
  }
  agenda.define(
    DEMO_SIMULATE_JOB,
    async () => {
      await simulateDemoTick(deps.pool, new Date(), deps.logger);
    },
    { concurrency: 1, lockLimit: 1, lockLifetime: 60_000 },
  );
  await agenda.every('5 seconds', DEMO_SIMULATE_JOB);
}
