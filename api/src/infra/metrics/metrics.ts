import type { Express } from 'express';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import type { Logger } from '../logging/logger.js';

/** Figures read from the database for one scrape. */
export interface OpsSnapshot {
  /** Address-parse success ratio over the health window; `channel: 'all'` is the overall rate. Absent without samples. */
  parseSuccess: Array<{ channel: string; ratio: number }>;
  /** The whole platform's routing. */
  routingPaused: boolean;
  /** Channels whose routing is paused on their own, out of `channelsKnown`. */
  routingPausedChannels: string[];
  channelsKnown: readonly string[];
  heldOrders: Array<{ reason: string; count: number }>;
  incomplete: Array<{ field: 'phone' | 'address_detail' | 'items'; count: number }>;
  /** Seconds since the last event of each source (`WMS`…) and the last order of each channel (`orders/TAOBAO`…). */
  lastEventAgeSeconds: Array<{ source: string; seconds: number }>;
  /** Null when routing keeps no rule statistics. */
  ruleHitsToday: Array<{ rule: string; hits: number }> | null;
  outboxPending: number;
  outboxDead: number;
}

export interface PlatformMetrics {
  registry: Registry;
  /** Mounts `GET /metrics` (Prometheus text format). */
  mount(app: Express): void;
}

/**
 * Prometheus metrics on their own registry: the process's default metrics and the operations
 * gauges, read from the database when scraped. One snapshot serves every gauge of a scrape and
 * is reused for `cacheMs`, so a scrape storm costs one set of queries per interval.
 */
export function createPlatformMetrics(opts: {
  snapshot: () => Promise<OpsSnapshot>;
  logger: Logger;
  /** @default 5000 */
  cacheMs?: number;
}): PlatformMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const read = cachedSnapshot(opts.snapshot, opts.cacheMs ?? 5000, opts.logger);

  const gauge = <L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[],
    fill: (g: Gauge<L>, s: OpsSnapshot) => void,
  ) =>
    new Gauge<L>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        const snapshot = await read();
        this.reset();
        if (snapshot) fill(this, snapshot);
        // Unknown is not zero: a gauge without labels says NaN when the figures could not be read.
        else if (labelNames.length === 0) (this as Gauge<string>).set(Number.NaN);
      },
    });

  new Gauge({
    name: 'orderops_metrics_database_up',
    help: 'Whether the operations figures below could be read from the database (1) or not (0).',
    registers: [registry],
    async collect() {
      this.set((await read()) ? 1 : 0);
    },
  });

  gauge(
    'orderops_address_parse_success_ratio',
    'Address-parse success ratio over the routing health window, per channel and overall (channel="all"); absent without samples.',
    ['channel'],
    (g, s) => {
      for (const { channel, ratio } of s.parseSuccess) g.set({ channel }, ratio);
    },
  );
  gauge(
    'orderops_routing_paused',
    'Whether routing is paused for the whole platform (1) or not (0).',
    [],
    (g, s) => g.set(s.routingPaused ? 1 : 0),
  );
  gauge(
    'orderops_routing_channel_paused',
    'Whether routing is paused for a channel on its own (1) or not (0).',
    ['channel'],
    (g, s) => {
      for (const channel of s.channelsKnown)
        g.set({ channel }, s.routingPausedChannels.includes(channel) ? 1 : 0);
    },
  );
  gauge('orderops_orders_held', 'Orders held back from processing, by hold reason.', ['reason'], (g, s) => {
    for (const { reason, count } of s.heldOrders) g.set({ reason }, count);
  });
  gauge(
    'orderops_orders_incomplete',
    'Open orders (not shipped, not cancelled) missing a field fulfilment needs.',
    ['field'],
    (g, s) => {
      for (const { field, count } of s.incomplete) g.set({ field }, count);
    },
  );
  gauge(
    'orderops_last_event_age_seconds',
    'Seconds since the last event from each source (CHANNEL, PAYMENT, WMS…) and the last new order of each channel (source="orders/<CHANNEL>").',
    ['source'],
    (g, s) => {
      for (const { source, seconds } of s.lastEventAgeSeconds) g.set({ source }, seconds);
    },
  );
  gauge(
    'orderops_rule_hits_today',
    "Orders each routing rule matched on today's business day (Asia/Shanghai).",
    ['rule'],
    (g, s) => {
      for (const { rule, hits } of s.ruleHitsToday ?? []) g.set({ rule }, hits);
    },
  );
  gauge('orderops_outbox_pending', 'Outbox messages waiting to be delivered.', [], (g, s) =>
    g.set(s.outboxPending),
  );
  gauge('orderops_outbox_dead', 'Outbox messages given up on after their retries.', [], (g, s) =>
    g.set(s.outboxDead),
  );

  return {
    registry,
    mount(app) {
      app.get('/metrics', async (_req, res) => {
        try {
          const text = await registry.metrics();
          res.setHeader('content-type', registry.contentType);
          res.send(text);
        } catch (error) {
          opts.logger.warn({ err: (error as Error).message }, 'metrics scrape failed');
          res.status(500).send('metrics unavailable\n');
        }
      });
    },
  };
}

/**
 * `load` shared by concurrent callers and reused for `ttlMs`; a failed load answers null (and is
 * logged) so the process metrics are still served when the database is down.
 */
function cachedSnapshot(
  load: () => Promise<OpsSnapshot>,
  ttlMs: number,
  logger: Logger,
): () => Promise<OpsSnapshot | null> {
  let current: { at: number; value: Promise<OpsSnapshot | null> } | null = null;
  return () => {
    const now = Date.now();
    if (current && now - current.at < ttlMs) return current.value;
    const value = load().catch((error: Error) => {
      logger.warn({ err: error.message }, 'could not read the operations figures for metrics');
      return null;
    });
    current = { at: now, value };
    return value;
  };
}
