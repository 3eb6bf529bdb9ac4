import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatformMetrics, type OpsSnapshot } from '../../../api/src/infra/metrics/metrics.js';
import { loadOpsSnapshot } from '../../../api/src/modules/flow-health/flow-health-metrics.js';
import {
  insertOrder,
  openFlowHealthDatabase,
  recordParses,
  serviceWithCountingReroute,
  silentLogger,
  testSettings,
} from './flow-health-kit.js';

/** Serves `GET /metrics` on a free port of 127.0.0.1. */
async function serve(snapshot: () => Promise<OpsSnapshot>, cacheMs: number) {
  const metrics = createPlatformMetrics({ snapshot, logger: silentLogger, cacheMs });
  const app = express();
  metrics.mount(app);
  const server: Server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

describe('GET /metrics', () => {
  let db: Awaited<ReturnType<typeof openFlowHealthDatabase>>;
  let endpoint: Awaited<ReturnType<typeof serve>>;
  let snapshots = 0;

  beforeAll(async () => {
    db = await openFlowHealthDatabase('fh_metrics');
    const { service } = serviceWithCountingReroute(db.pool, testSettings());
    const now = new Date();
    await recordParses(db.pool, now, 'TAOBAO', 3, 1);
    await recordParses(db.pool, now, 'JD', 10, 0);
    await service.pause({ username: 'ops-wang', userId: 'u-2' }, '城市库更新', now);
    await insertOrder(db.pool, { holdReason: 'ROUTING_PAUSED', buyerPhone: '' });
    await insertOrder(db.pool, { holdReason: 'ROUTING_PAUSED', items: [] });
    await insertOrder(db.pool, { channel: 'JD', createdAt: new Date(now.getTime() - 120_000) });
    await db.pool.query(
      `insert into routing_rule_hit (day, rule_id, count)
       values ((now() at time zone 'Asia/Shanghai')::date, 'east-china', 7)`,
    );
    endpoint = await serve(async () => {
      snapshots++;
      return loadOpsSnapshot(service, db.pool, new Date());
    }, 60_000);
  });

  afterAll(async () => {
    await endpoint?.close();
    await db?.close();
  });

  it('exposes the operations gauges and the process metrics in Prometheus text format', async () => {
    const response = await fetch(endpoint.url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('orderops_routing_paused 1');
    expect(text).toContain('orderops_address_parse_success_ratio{channel="all"} 0.9285714285714286');
    expect(text).toContain('orderops_address_parse_success_ratio{channel="TAOBAO"} 0.75');
    expect(text).toContain('orderops_address_parse_success_ratio{channel="JD"} 1');
    expect(text).not.toContain('orderops_address_parse_success_ratio{channel="DOUYIN"}');
    expect(text).toContain('orderops_orders_held{reason="ROUTING_PAUSED"} 2');
    expect(text).toContain('orderops_orders_incomplete{field="phone"} 1');
    expect(text).toContain('orderops_orders_incomplete{field="items"} 1');
    expect(text).toContain('orderops_orders_incomplete{field="address_detail"} 0');
    expect(text).toMatch(/orderops_last_event_age_seconds\{source="orders\/JD"\} 1[12]\d/);
    expect(text).toContain('orderops_rule_hits_today{rule="east-china"} 7');
    // The pause enqueued its subscription event; nothing has been delivered in this test.
    expect(text).toContain('orderops_outbox_pending 1');
    expect(text).toContain('orderops_outbox_dead 0');
    expect(text).toContain('orderops_metrics_database_up 1');
    expect(text).toContain('# HELP orderops_routing_paused');
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^nodejs_heap_size_used_bytes /m);
  });

  it('reads the database once for a burst of scrapes', async () => {
    const before = snapshots;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => fetch(endpoint.url).then((r) => r.text())),
    );
    expect(answers.every((t) => t.includes('orderops_routing_paused 1'))).toBe(true);
    expect(snapshots - before).toBe(0);
  });

  it('reads again once the cache has expired', async () => {
    let reads = 0;
    const short = await serve(async () => {
      reads++;
      return loadOpsSnapshot(
        serviceWithCountingReroute(db.pool, testSettings()).service,
        db.pool,
        new Date(),
      );
    }, 200);
    try {
      await fetch(short.url);
      await new Promise((resolve) => setTimeout(resolve, 300));
      await fetch(short.url);
      expect(reads).toBe(2);
    } finally {
      await short.close();
    }
  });

  it('still answers, with the process metrics, when the database cannot be read', async () => {
    const broken = await serve(async () => {
      throw new Error('database unavailable');
    }, 5000);
    try {
      const response = await fetch(broken.url);
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('orderops_metrics_database_up 0');
      expect(text).toContain('orderops_routing_paused Nan');
      expect(text).not.toMatch(/^orderops_orders_held\{/m);
      expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    } finally {
      await broken.close();
    }
  });
});
