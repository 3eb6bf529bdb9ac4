import { CHANNELS, type Channel } from '../../domain/order/order-types.js';
import {
  type ParseBucket,
  type ParseCount,
  type ParseHealth,
  type ParseHealthPolicy,
  type ParseHealthState,
  parseHealth,
} from '../../domain/routing/parse-health.js';
import type { SqlExecutor } from '../../infra/outbox/outbox.js';
import type { ParseHealthSnapshot } from './flow-health-event.entity.js';

const MINUTE_MS = 60_000;

/**
 * The address-parse success rate over the policy's window up to `now`, from the per-minute counts
 * order intake keeps in `address_parse_stat`. With `countFrom`, minutes that began before it are
 * left out (after a resume, parses made before it no longer count against routing).
 */
export async function readParseHealth(
  db: SqlExecutor,
  now: Date,
  policy: ParseHealthPolicy,
  countFrom: Date | null = null,
): Promise<ParseHealth> {
  return parseHealth(await readParseWindow(db, now, policy.windowMinutes), now, policy, countFrom);
}

/** The per-minute counts of the last `windowMinutes` minutes up to `now`, per channel. */
export async function readParseWindow(
  db: SqlExecutor,
  now: Date,
  windowMinutes: number,
): Promise<ParseHealthState> {
  const nowMinute = Math.floor(now.getTime() / MINUTE_MS);
  const fromMinute = nowMinute - windowMinutes + 1;
  const { rows } = (await db.query(
    `select bucket_start, channel, ok_count, failed_count from address_parse_stat
      where bucket_start >= $1 and bucket_start < $2`,
    [new Date(fromMinute * MINUTE_MS), new Date((nowMinute + 1) * MINUTE_MS)],
  )) as { rows: { bucket_start: Date; channel: string; ok_count: number; failed_count: number }[] };
  const byMinute = new Map<number, Partial<Record<Channel, ParseCount>>>();
  for (const row of rows) {
    if (!(CHANNELS as readonly string[]).includes(row.channel)) continue;
    const minute = Math.floor(row.bucket_start.getTime() / MINUTE_MS);
    const counts = byMinute.get(minute) ?? {};
    const before = counts[row.channel as Channel] ?? { total: 0, ok: 0 };
    const ok = Number(row.ok_count);
    const failed = Number(row.failed_count);
    counts[row.channel as Channel] = { total: before.total + ok + failed, ok: before.ok + ok };
    byMinute.set(minute, counts);
  }
  const buckets: ParseBucket[] = [...byMinute]
    .sort(([a], [b]) => a - b)
    .map(([minute, counts]) => ({ minute, counts }));
  return { retentionMinutes: windowMinutes, buckets };
}

/** What is kept of a `ParseHealth` in the history. */
export function snapshotOf(health: ParseHealth): ParseHealthSnapshot {
  const byChannel: ParseHealthSnapshot['byChannel'] = {};
  for (const [channel, rate] of Object.entries(health.byChannel)) byChannel[channel] = { ...rate };
  return {
    windowMinutes: health.policy.windowMinutes,
    threshold: health.policy.threshold,
    minSamples: health.policy.minSamples,
    platformMinChannels: health.policy.platformMinChannels,
    overall: { ...health.overall },
    byChannel,
  };
}
