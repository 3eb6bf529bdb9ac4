import type pg from 'pg';
import { CHANNELS } from '../../domain/order/order-types.js';
import type { OpsSnapshot } from '../../infra/metrics/metrics.js';
import type { FlowHealthService } from './flow-health.service.js';
import {
  loadActivity,
  loadCompleteness,
  loadHeldOrders,
  loadOutboxCounts,
  loadRuleHitsToday,
} from './flow-health-report.js';

/** The figures `GET /metrics` exposes, read in parallel. */
export async function loadOpsSnapshot(
  service: FlowHealthService,
  pool: pg.Pool,
  now: Date,
): Promise<OpsSnapshot> {
  const [state, parse, completeness, activity, ruleHits, held, outbox] = await Promise.all([
    service.states(),
    service.parseHealth(now),
    loadCompleteness(pool),
    loadActivity(pool),
    loadRuleHitsToday(pool, now),
    loadHeldOrders(pool),
    loadOutboxCounts(pool),
  ]);
  const parseSuccess: OpsSnapshot['parseSuccess'] = [];
  if (parse.overall.rate !== null) parseSuccess.push({ channel: 'all', ratio: parse.overall.rate });
  for (const channel of CHANNELS) {
    const rate = parse.byChannel[channel]?.rate;
    if (rate !== undefined && rate !== null) parseSuccess.push({ channel, ratio: rate });
  }
  const age = (at: Date) => Math.max(0, Math.round((now.getTime() - at.getTime()) / 1000));
  return {
    parseSuccess,
    routingPaused: state.platform.mode === 'PAUSED',
    routingPausedChannels: CHANNELS.filter((c) => state.channels[c].mode === 'PAUSED'),
    channelsKnown: CHANNELS,
    heldOrders: held,
    incomplete: [
      { field: 'phone', count: completeness.missingPhone },
      { field: 'address_detail', count: completeness.missingAddressDetail },
      { field: 'items', count: completeness.missingItems },
    ],
    lastEventAgeSeconds: [
      ...activity.eventSources.flatMap((s) =>
        s.lastReceivedAt ? [{ source: s.source, seconds: age(s.lastReceivedAt) }] : [],
      ),
      ...activity.channels.flatMap((c) =>
        c.lastOrderAt ? [{ source: `orders/${c.channel}`, seconds: age(c.lastOrderAt) }] : [],
      ),
    ],
    ruleHitsToday: ruleHits?.map((r) => ({ rule: r.ruleId, hits: r.hits })) ?? null,
    outboxPending: outbox.pending,
    outboxDead: outbox.dead,
  };
}
