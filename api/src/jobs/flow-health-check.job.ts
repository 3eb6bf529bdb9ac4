import type { Agenda } from 'agenda';
import type { Logger } from '../infra/logging/logger.js';
import type { FlowHealthService } from '../modules/flow-health/flow-health.service.js';

export const FLOW_HEALTH_CHECK_JOB = 'flow-health.check';

/**
 * The address-parse health check as one recurring Agenda job (a single job row, whatever the
 * number of workers): reads the window, pauses or resumes routing (each channel, and the whole
 * platform) on a change, and routes again orders left held where routing is active.
 */
export async function scheduleFlowHealthCheck(
  agenda: Agenda,
  deps: { service: FlowHealthService; everySeconds: number; logger: Logger },
): Promise<void> {
  agenda.define(
    FLOW_HEALTH_CHECK_JOB,
    async () => {
      const outcome = await deps.service.check(new Date());
      for (const change of outcome.changes)
        deps.logger.info(
          {
            changeId: change.id,
            channel: change.channel ?? 'ALL',
            routingMode: change.to,
            rerouted: outcome.rerouted,
          },
          'flow-health check changed the routing mode',
        );
    },
    { concurrency: 1, lockLimit: 1, lockLifetime: 60_000 },
  );
  await agenda.every(`${deps.everySeconds} seconds`, FLOW_HEALTH_CHECK_JOB);
}
