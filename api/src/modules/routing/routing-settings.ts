import type { Logger } from '../../infra/logging/logger.js';
import { divisionFileSource, divisionRegistry } from './division-registry.js';

/** Process-wide routing settings, set once at start-up from the configuration. */
export const routingSettings = {
  /** Accept `http://127.0.0.1…` / `http://localhost…` robot URLs (test robots). */
  allowLocalWebhooks: false,
  /**
   * A parsed address read with less confidence than this (`ROUTING_MIN_PARSE_CONFIDENCE`) holds
   * the order for a person (ADDRESS_LOW_CONFIDENCE) instead of routing it on a guess. @default 0.6
   */
  minParseConfidence: 0.6,
};

/**
 * Applies the configuration and loads the division data. A failed load is logged as an error and
 * does not stop the process: intake then holds new orders as `ADDRESS_DATA_UNAVAILABLE` until a
 * `reloadDivisionData` succeeds.
 */
export function startRouting(options: {
  allowLocalWebhooks: boolean;
  minParseConfidence?: number;
  divisionFile: string | null;
  logger: Logger;
  now?: Date;
}): void {
  routingSettings.allowLocalWebhooks = options.allowLocalWebhooks;
  if (options.minParseConfidence !== undefined)
    routingSettings.minParseConfidence = options.minParseConfidence;
  divisionRegistry.useLogger(options.logger);
  if (options.divisionFile) divisionRegistry.useSource(divisionFileSource(options.divisionFile));
  divisionRegistry.reload(options.now);
}
