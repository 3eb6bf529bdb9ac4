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
  /**
   * How many channels, each with at least `minSamples` samples, must be below the threshold (with
   * the overall rate below it too) before the whole platform pauses. One channel alone only ever
   * pauses itself. @default 2
   */
  platformMinChannels: number;
}

export const DEFAULT_PARSE_HEALTH_POLICY: Readonly<ParseHealthPolicy> = Object.freeze({
  windowMinutes: 15,
  threshold: 0.95,
  minSamples: 20,
  platformMinChannels: 2,
});

export interface ParseHealth {
  overall: ParseRate;
  byChannel: Partial<Record<Channel, ParseRate>>;
  /** Channels with at least `minSamples` samples whose rate is below the threshold. */
  channelsBelowThreshold: Channel[];
  /**
   * The rate dropped across channels: the overall rate is below the threshold with enough
   * samples, and so are at least `platformMinChannels` channels, each with enough samples.
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
 * With `countFrom`, minutes that began before it are left out too.
 */
export function parseHealth(
  state: ParseHealthState,
  now: Date,
  options: Partial<ParseHealthPolicy> = {},
  countFrom: Date | null = null,
): ParseHealth {
  const policy: ParseHealthPolicy = { ...DEFAULT_PARSE_HEALTH_POLICY, ...options };
  checkPolicy(policy, state.retentionMinutes);

  const nowMinute = Math.floor(now.getTime() / MINUTE_MS);
  let fromMinute = nowMinute - policy.windowMinutes + 1;
  if (countFrom) fromMinute = Math.max(fromMinute, Math.ceil(countFrom.getTime() / MINUTE_MS));
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
  for (const channel of CHANNELS) {
    const sum = totals.get(channel);
    if (!sum) continue;
    byChannel[channel] = toRate(sum.total, sum.ok);
    total += sum.total;
    ok += sum.ok;
  }
  const overall = toRate(total, ok);
  const below = (r: ParseRate) => isBelow(r, policy.threshold, policy.minSamples);
  const channelsBelowThreshold = CHANNELS.filter((c) => byChannel[c] !== undefined && below(byChannel[c]!));
  return {
    overall,
    byChannel,
    channelsBelowThreshold,
    belowThreshold: below(overall) && channelsBelowThreshold.length >= policy.platformMinChannels,
    policy,
  };
}

function checkPolicy(policy: ParseHealthPolicy, retentionMinutes: number): void {
  const { windowMinutes, threshold, minSamples, platformMinChannels } = policy;
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || windowMinutes > retentionMinutes) {
    throw new RangeError(`windowMinutes must be an integer in 1..${retentionMinutes}, got ${windowMinutes}`);
  }
  if (!(threshold > 0 && threshold <= 1))
    throw new RangeError(`threshold must be in (0, 1], got ${threshold}`);
  if (!Number.isInteger(minSamples) || minSamples < 1) {
    throw new RangeError(`minSamples must be a positive integer, got ${minSamples}`);
  }
  if (!Number.isInteger(platformMinChannels) || platformMinChannels < 1) {
    throw new RangeError(`platformMinChannels must be a positive integer, got ${platformMinChannels}`);
  }
}

const toRate = (total: number, ok: number): ParseRate => ({
  total,
  ok,
  rate: total === 0 ? null : ok / total,
});

/** Enough samples to say anything, and a rate under `bar`. */
const isBelow = (r: ParseRate, bar: number, minSamples: number) =>
  r.total >= minSamples && r.rate !== null && r.rate < bar;

export type RoutingMode = 'ACTIVE' | 'PAUSED';

export interface RoutingModeOptions {
  /** Resume on its own once healthy again; otherwise an operator resumes. */
  autoResume: boolean;
  /**
   * The rate a scope must reach before resuming; above the pause threshold so a rate hovering
   * around it does not flap. @default threshold + 0.02 (at most 1)
   */
  resumeThreshold?: number;
}

export interface RoutingModeDecision {
  mode: RoutingMode;
  changed: boolean;
  reason: string;
}

/**
 * The whole platform's routing: pauses only when the rate dropped across channels (see
 * `ParseHealth.belowThreshold`), and, if allowed, resumes when that is over at the resume
 * threshold: the overall rate reaches it, or fewer than `platformMinChannels` channels are still
 * under it (those pause on their own). Both ways need `minSamples` overall, so a handful of orders
 * in a quiet hour never flips it.
 */
export function decideRoutingMode(
  current: RoutingMode,
  health: ParseHealth,
  options: RoutingModeOptions,
): RoutingModeDecision {
  const { threshold, minSamples, windowMinutes, platformMinChannels } = health.policy;
  const resumeThreshold = resumeBar(threshold, options.resumeThreshold);
  const now = `近 ${windowMinutes} 分钟总体地址解析成功率 ${describeRate(health.overall)}`;
  const stay = (reason: string): RoutingModeDecision => ({ mode: current, changed: false, reason });
  const channelsUnder = (bar: number) =>
    CHANNELS.filter((c) => health.byChannel[c] && isBelow(health.byChannel[c]!, bar, minSamples));

  if (current === 'ACTIVE') {
    if (!health.belowThreshold) {
      if (health.overall.total < minSamples) return stay(`${now}，样本不足 ${minSamples}，保持分配`);
      const low = health.channelsBelowThreshold.length;
      return stay(
        low === 0
          ? `${now}，正常`
          : `${now}；${low} 个渠道低于 ${percent(threshold)}（全平台暂停需 ${platformMinChannels} 个），仅暂停这些渠道`,
      );
    }
    return {
      mode: 'PAUSED',
      changed: true,
      reason: `${now}，且 ${health.channelsBelowThreshold.length} 个渠道低于 ${percent(threshold)}（${describeChannels(health, health.channelsBelowThreshold)}），暂停全平台自动分配`,
    };
  }

  if (!options.autoResume) return stay(`${now}，已暂停，需人工恢复`);
  if (health.overall.total < minSamples) return stay(`${now}，样本不足 ${minSamples}，保持暂停`);
  const under = channelsUnder(resumeThreshold);
  const overallUnder = isBelow(health.overall, resumeThreshold, minSamples);
  if (overallUnder && under.length >= platformMinChannels) {
    return stay(
      `${now}，${under.length} 个渠道未达到恢复阈值 ${percent(resumeThreshold)}（${describeChannels(health, under)}），保持暂停`,
    );
  }
  return {
    mode: 'ACTIVE',
    changed: true,
    reason: overallUnder
      ? `${now}，仅 ${under.length} 个渠道未达到恢复阈值 ${percent(resumeThreshold)}，全平台自动恢复分配（这些渠道各自暂停）`
      : `${now}，达到恢复阈值 ${percent(resumeThreshold)}，全平台自动恢复分配`,
  };
}

/**
 * One channel's routing, from that channel's rate alone: pauses below the threshold with enough
 * samples, and, if allowed, resumes at the resume threshold with enough samples.
 */
export function decideChannelMode(
  channel: Channel,
  current: RoutingMode,
  rate: ParseRate,
  policy: ParseHealthPolicy,
  options: RoutingModeOptions,
): RoutingModeDecision {
  const { threshold, minSamples, windowMinutes } = policy;
  const resumeThreshold = resumeBar(threshold, options.resumeThreshold);
  const now = `渠道 ${channelLabel(channel)} 近 ${windowMinutes} 分钟地址解析成功率 ${describeRate(rate)}`;
  const stay = (reason: string): RoutingModeDecision => ({ mode: current, changed: false, reason });
  if (current === 'ACTIVE') {
    if (rate.total < minSamples) return stay(`${now}，样本不足 ${minSamples}，保持分配`);
    if (!isBelow(rate, threshold, minSamples)) return stay(`${now}，正常`);
    return {
      mode: 'PAUSED',
      changed: true,
      reason: `${now}，低于 ${percent(threshold)}，暂停该渠道自动分配（其他渠道照常）`,
    };
  }
  if (!options.autoResume) return stay(`${now}，已暂停，需人工恢复`);
  if (rate.total < minSamples) return stay(`${now}，样本不足 ${minSamples}，保持暂停`);
  if (isBelow(rate, resumeThreshold, minSamples))
    return stay(`${now}，未达到恢复阈值 ${percent(resumeThreshold)}，保持暂停`);
  return {
    mode: 'ACTIVE',
    changed: true,
    reason: `${now}，达到恢复阈值 ${percent(resumeThreshold)}，该渠道自动恢复分配`,
  };
}

/** Where a routing scope stands now, as stored. */
export interface ScopeMode {
  mode: RoutingMode;
  /** Whether a pause of this scope may end on its own (false after an operator paused it). */
  autoResume: boolean;
  /**
   * When the scope last became ACTIVE; parses in minutes begun before it do not count towards
   * pausing it again. Null when it never changed.
   */
  activeSince: Date | null;
}

export const UNCHANGED_SCOPE: Readonly<ScopeMode> = Object.freeze({
  mode: 'ACTIVE',
  autoResume: true,
  activeSince: null,
});

export interface RoutingModes {
  platform: ScopeMode;
  /** A channel not listed is ACTIVE and never changed. */
  channels: Partial<Record<Channel, ScopeMode>>;
}

export interface RoutingModesDecision {
  platform: RoutingModeDecision & { health: ParseHealth };
  channels: Record<Channel, RoutingModeDecision & { rate: ParseRate }>;
}

/**
 * Every scope's next mode from the samples: each channel from its own samples only (a channel's
 * samples never pause another channel), the platform from all of them by the cross-channel rule.
 * `autoResume` applies where the scope's own `autoResume` allows it.
 */
export function decideRoutingModes(
  state: ParseHealthState,
  now: Date,
  current: RoutingModes,
  options: RoutingModeOptions & { policy?: Partial<ParseHealthPolicy> },
): RoutingModesDecision {
  const countFrom = (scope: ScopeMode) => (scope.mode === 'ACTIVE' ? scope.activeSince : null);
  const optionsFor = (scope: ScopeMode): RoutingModeOptions => ({
    autoResume: options.autoResume && scope.autoResume,
    resumeThreshold: options.resumeThreshold,
  });
  const health = parseHealth(state, now, options.policy, countFrom(current.platform));
  const channels = {} as RoutingModesDecision['channels'];
  for (const channel of CHANNELS) {
    const scope = current.channels[channel] ?? UNCHANGED_SCOPE;
    const own = parseHealth(state, now, options.policy, countFrom(scope));
    const rate = own.byChannel[channel] ?? toRate(0, 0);
    const decision = decideChannelMode(channel, scope.mode, rate, own.policy, optionsFor(scope));
    channels[channel] = { ...decision, rate };
  }
  const platform = decideRoutingMode(current.platform.mode, health, optionsFor(current.platform));
  return { platform: { ...platform, health }, channels };
}

/** Whether new orders of `channel` are routed: neither the platform nor the channel is paused. */
export const routesChannel = (platform: RoutingMode, channel: RoutingMode | undefined): boolean =>
  platform === 'ACTIVE' && channel !== 'PAUSED';

function resumeBar(threshold: number, resumeThreshold: number | undefined): number {
  const bar = resumeThreshold ?? Math.min(1, threshold + 0.02);
  if (!(bar >= threshold && bar <= 1)) {
    throw new RangeError(`resumeThreshold must be in [${threshold}, 1], got ${bar}`);
  }
  return bar;
}

function describeChannels(health: ParseHealth, channels: readonly Channel[]): string {
  return channels.map((c) => `${channelLabel(c)} ${describeRate(health.byChannel[c]!)}`).join('；');
}

const channelLabel = (channel: Channel) => `${CHANNEL_LABELS[channel]}(${channel})`;
const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const describeRate = (r: ParseRate) =>
  r.rate === null ? '无样本' : `${percent(r.rate)}（${r.ok}/${r.total}）`;
