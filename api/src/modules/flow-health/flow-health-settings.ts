import type { Config } from '../../config/config.js';

/** How the flow-health check decides, and where its alerts go. */
export interface FlowHealthSettings {
  /** Pause below this address-parse success rate. */
  threshold: number;
  /** Resume (automatically) only at or above this rate: the threshold plus 2 points, at most 1. */
  resumeThreshold: number;
  windowMinutes: number;
  minSamples: number;
  /** Channels below the threshold (with the overall rate) that pause the whole platform. */
  platformMinChannels: number;
  /** Whether an automatic pause may end on its own. */
  autoResume: boolean;
  /** How often the worker runs the check, in seconds. */
  checkEverySeconds: number;
  /** The operations group robot; null when not configured. */
  opsWebhookUrl: string | null;
}

export function flowHealthSettings(config: Config): FlowHealthSettings {
  return {
    threshold: config.routingParseThreshold,
    resumeThreshold: Math.min(1, config.routingParseThreshold + 0.02),
    windowMinutes: config.routingHealthWindowMinutes,
    minSamples: config.routingHealthMinSamples,
    platformMinChannels: config.routingPlatformPauseChannels,
    autoResume: config.routingAutoResume,
    checkEverySeconds: config.flowHealthCheckSeconds,
    opsWebhookUrl: config.opsWecomWebhookUrl,
  };
}
