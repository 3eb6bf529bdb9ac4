/** Process-wide settings of the event feed, set once at start-up from the configuration. */
export const orderEventSettings = {
  /**
   * How long an event that does not fit its order yet waits as PENDING before it is REJECTED
   * (`PENDING_EVENT_TTL_HOURS`). @default 48 hours
   */
  pendingTtlMs: 48 * 3_600_000,
};
