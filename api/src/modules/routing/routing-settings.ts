import type { Logger } from '../../infra/logging/logger.js';
import { divisionFileSource, divisionRegistry } from './division-registry.js';

/** Process-wide routing settings, set once at start-up from the configuration. */
export const routingSettings = {
  /** Accept `http://127.0.0.1…` / `http://localhost…` robot URLs (test robots). */
  allowLocalWebhooks: false,
};

/**
 * Applies the configuration and loads the division data. A failed load is logged as an error and
 * does not stop the process: intake then holds new orders as `ADDRESS_DATA_UNAVAILABLE` until a
 * `reloadDivisionData` succeeds.
 */
export function startRouting(options: {
  allowLocalWebhooks: boolean;
  divisionFile: string | null;
  logger: Logger;
  now?: Date;
}): void {
  routingSettings.allowLocalWebhooks = options.allowLocalWebhooks;
  divisionRegistry.useLogger(options.logger);
  if (options.divisionFile) divisionRegistry.useSource(divisionFileSource(options.divisionFile));
  divisionRegistry.reload(options.now);
}
