import { CHANNELS, type Channel } from '../order/order-types.js';
import { CHANNEL_LABELS } from './routing-rule.js';

/**
 * The rolling address-parse success rate that tells routing when it is blind. Samples are
 * counted in one-minute buckets per channel, and buckets older than the retention are dropped,
 * so the state stays small however many orders arrive. Every function returns a new value.
 */
export interface ParseHealthState {
  readonly retentionMinutes: number;
  /** Ascending by minute; only minutes that saw a sample. */
  readonly buckets: readonly ParseBucket[];
}

export interface ParseBucket {
  /** Minutes since the Unix epoch. */
  readonly minute: number;
  readonly counts: Readonly<Partial<Record<Channel, ParseCount>>>;
}

export interface ParseCount {
  readonly total: number;
  readonly ok: number;
}

export interface ParseSample {
  channel: Channel;
  ok: boolean;
  /** When the platform parsed the address (its own clock, not the channel's). */
  at: Date;
}

export interface ParseRate extends ParseCount {
  /** `ok / total`; `null` when there was no sample, which is not the same as 100 %. */
  rate: number | null;
}

export interface ParseHealthPolicy {
  /** @default 15 */
  windowMinutes: number;
  /** Below this success rate routing is blind. @default 0.95 */
  threshold: number;
  /** Fewer samples than this in a scope say nothing about it. @default 20 */
  minSamples: number;
}

export interface ParseHealth {
  overall: ParseRate;
  byChannel: Partial<Record<Channel, ParseRate>>;
  /** Channels with at least `minSamples` samples whose rate is below the threshold. */
  channelsBelowThreshold: Channel[];
  /**
   * Overall or any single channel is below the threshold with enough samples. A channel counts
   * on its own because one broken channel feed can hide inside a healthy overall rate.
   */
  belowThreshold: boolean;
  policy: ParseHealthPolicy;
}

const MINUTE_MS = 60_000;

/** @param retentionMinutes the longest window `parseHealth` can be asked for. @default 60 */
export function createParseHealthState(retentionMinutes = 60): ParseHealthState {
  if (!Number.isInteger(retentionMinutes) || retentionMinutes < 1) {
    throw new RangeError(`retentionMinutes must be a positive integer, got ${retentionMinutes}`);
  }
  return { retentionMinutes, buckets: [] };
}

/** Counts one parse attempt. A sample older than the retention behind the newest is ignored. */
export function recordParse(state: ParseHealthState, sample: ParseSample): ParseHealthState {
  const minute = Math.floor(sample.at.getTime() / MINUTE_MS);
  const newest = state.buckets.length > 0 ? state.buckets[state.buckets.length - 1].minute : minute;
  const oldestKept = Math.max(newest, minute) - state.retentionMinutes + 1;
  if (minute < oldestKept) return state;

  const buckets = state.buckets.filter((b) => b.minute >= oldestKept && b.minute !== minute);
  const existing = state.buckets.find((b) => b.minute === minute);
  const before = existing?.counts[sample.channel] ?? { total: 0, ok: 0 };
  const counts = {
    ...existing?.counts,
    [sample.channel]: { total: before.total + 1, ok: before.ok + (sample.ok ? 1 : 0) },
  };
  const at = buckets.findIndex((b) => b.minute > minute);
  buckets.splice(at === -1 ? buckets.length : at, 0, { minute, counts });
  return { retentionMinutes: state.retentionMinutes, buckets };
}

/**
 * The success rate over the last `windowMinutes` minutes up to `now`, the current minute
 * included (so the window is up to one minute shorter than its name at the start of a minute).
 */
export function parseHealth(
  state: ParseHealthState,
  now: Date,
  options: Partial<ParseHealthPolicy> = {},
): ParseHealth {
  const policy: ParseHealthPolicy = { windowMinutes: 15, threshold: 0.95, minSamples: 20, ...options };
  checkPolicy(policy, state.retentionMinutes);

  const nowMinute = Math.floor(now.getTime() / MINUTE_MS);
  const fromMinute = nowMinute - policy.windowMinutes + 1;
  const totals = new Map<Channel, { total: number; ok: number }>();
  for (const bucket of state.buckets) {
    if (bucket.minute < fromMinute || bucket.minute > nowMinute) continue;
    for (const channel of CHANNELS) {
      const count = bucket.counts[channel];
      if (!count) continue;
      const sum = totals.get(channel) ?? { total: 0, ok: 0 };
      sum.total += count.total;
      sum.ok += count.ok;
      totals.set(channel, sum);
    }
  }

  const byChannel: Partial<Record<Channel, ParseRate>> = {};
  let total = 0;
  let ok = 0;
  for (const [channel, sum] of totals) {
    byChannel[channel] = toRate(sum.total, sum.ok);
    total += sum.total;
    ok += sum.ok;
  }
  const overall = toRate(total, ok);
  const isBelow = (r: ParseRate) => r.total >= policy.minSamples && r.rate! < policy.threshold;
  const channelsBelowThreshold = CHANNELS.filter((c) => byChannel[c] !== undefined && isBelow(byChannel[c]!));
  return {
    overall,
    byChannel,
    channelsBelowThreshold,
    belowThreshold: isBelow(overall) || channelsBelowThreshold.length > 0,
    policy,
  };
}

function checkPolicy(policy: ParseHealthPolicy, retentionMinutes: number): void {
  const { windowMinutes, threshold, minSamples } = policy;
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > retentionMinutes) {
    throw new RangeError(`windowMinutes must be an integer in 1..${retentionMinutes}, got ${windowMinutes}`);
  }
  if (!(threshold > 0 && threshold <= 1))
    throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new RangeError(`minSamples must be a positive integer, got ${minSamples}`);
  }
}

const toRate = (total: number, ok: number): ParseRate => ({
  total,
  ok,
  rate: total === 0 ? null : ok / total,
});

export type RoutingMode = 'ACTIVE' | 'PAUSED';

export interface RoutingModeOptions {
  /** Resume on its own once healthy again; otherwise an operator resumes. */
  autoResume: boolean;
  /**
   * The rate every scope with enough samples must reach before resuming; above the pause
   * threshold so a rate hovering around it does not flap. @default threshold + 0.02 (at most 1)
   */
  resumeThreshold?: number;
}

export interface RoutingModeDecision {
  mode: RoutingMode;
  changed: boolean;
  reason: string;
}

/**
 * Pauses routing when it is blind and, if allowed, resumes it when it can see again. Both ways
 * need at least `minSamples` samples, so a handful of orders in a quiet hour never flips it.
 */
export function decideRoutingMode(
  current: RoutingMode,
  health: ParseHealth,
  options: RoutingModeOptions,
): RoutingModeDecision {
  const { threshold, minSamples, windowMinutes } = health.policy;
  const resumeThreshold = options.resumeThreshold ?? Math.min(1, threshold + 0.02);
  if (!(resumeThreshold >= threshold && resumeThreshold <= 1)) {
    throw new RangeError(`resumeThreshold must be in [${threshold}, 1], got ${resumeThreshold}`);
  }
  const now = `近 ${windowMinutes} 分钟地址解析成功率 ${describeRate(health.overall)}`;
  const stay = (reason: string): RoutingModeDecision => ({ mode: current, changed: false, reason });

  if (current === 'ACTIVE') {
    if (!health.belowThreshold) {
      return stay(
        health.overall.total < minSamples ? `${now}，样本不足 ${minSamples}，保持分配` : `${now}，正常`,
      );
    }
    const low = lowScopes(health, threshold, minSamples).join('；');
    return { mode: 'PAUSED', changed: true, reason: `${low}，低于 ${percent(threshold)}，暂停自动分配` };
  }

  if (!options.autoResume) return stay(`${now}，已暂停，需人工恢复`);
  if (health.overall.total < minSamples) return stay(`${now}，样本不足 ${minSamples}，保持暂停`);
  const low = lowScopes(health, resumeThreshold, minSamples);
  if (low.length > 0) return stay(`${low.join('；')}，未达到恢复阈值 ${percent(resumeThreshold)}，保持暂停`);
  return {
    mode: 'ACTIVE',
    changed: true,
    reason: `${now}，达到恢复阈值 ${percent(resumeThreshold)}，自动恢复分配`,
  };
}

/** Overall and each channel with enough samples whose rate is under `bar`, described. */
function lowScopes(health: ParseHealth, bar: number, minSamples: number): string[] {
  const scopes: Array<[string, ParseRate]> = [['总体', health.overall]];
  for (const channel of CHANNELS) {
    const rate = health.byChannel[channel];
    if (rate) scopes.push([`渠道 ${CHANNEL_LABELS[channel]}(${channel}) `, rate]);
  }
  return scopes
    .filter(([, r]) => r.total >= minSamples && r.rate! < bar)
    .map(([label, r]) => `${label}地址解析成功率 ${describeRate(r)}`);
}

const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const describeRate = (r: ParseRate) =>
  r.rate === null ? '无样本' : `${percent(r.rate)}（${r.ok}/${r.total}）`;
