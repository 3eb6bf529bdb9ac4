import { readdirSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { mountWebhooks } from '../../../api/src/modules/webhooks/webhook-routes.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import { postSigned } from '../../support/signed-webhook.js';

/**
 * The README's ready-to-send examples, sent as the README sends them: each file's bytes as they
 * are, signed, to its webhook. A channel's order first (test/fixtures/channels), then what the
 * payment gateway, warehouse, carrier and customer service report about those orders
 * (test/fixtures/events).
 */
const SECRET = 'readme-example-secret-0001';
const CHANNEL_EXAMPLES: [file: string, path: string][] = [
  ['taobao-normal.json', 'taobao'],
  ['taobao-presale-step.json', 'taobao'],
  ['jd-normal.json', 'jd'],
  ['jd-presale.json', 'jd'],
  ['douyin-normal.json', 'douyin'],
  ['webshop-custom.json', 'webshop'],
];
const EVENT_EXAMPLES = ['payment', 'wms', 'tms', 'crm'] as const;

describe('README examples', () => {
  let db: MigratedDb;
  let server: Server;
  let base = '';

  beforeAll(async () => {
    db = await openMigratedDb('readme_examples');
    const app = express();
    const names = ['TAOBAO', 'JD', 'DOUYIN', 'WEBSHOP', 'PAYMENT', 'WMS', 'TMS', 'CRM'];
    mountWebhooks(app, {
      pool: db.pool,
      secrets: Object.fromEntries(names.map((name) => [name, SECRET])),
      logger: createLogger('silent', 'readme-examples'),
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
    await db?.close();
  });

  it('has an example for every channel and every event source', () => {
    const channels = new Set(CHANNEL_EXAMPLES.map(([, path]) => path));
    expect([...channels].sort()).toEqual(['douyin', 'jd', 'taobao', 'webshop']);
    const events = readdirSync('test/fixtures/events').map((file) => file.replace('.json', ''));
    expect(events.sort()).toEqual([...EVENT_EXAMPLES].sort());
  });

  it('takes in each channel example through its signed webhook', async () => {
    for (const [file, path] of CHANNEL_EXAMPLES) {
      const body = readFileSync(`test/fixtures/channels/${file}`, 'utf8');
      const reply = await postSigned(`${base}/webhooks/orders/${path}`, body, SECRET);
      expect([file, reply.status, reply.body.errors]).toEqual([file, 200, []]);
      expect(reply.body.results.map((r) => r.outcome)).toEqual(['CREATED']);
    }
  });

  it('applies every event example to those orders', async () => {
    for (const source of EVENT_EXAMPLES) {
      const body = readFileSync(`test/fixtures/events/${source}.json`, 'utf8');
      const reply = await postSigned(`${base}/webhooks/events/${source}`, body, SECRET);
      expect([source, reply.status, reply.body.errors]).toEqual([source, 200, []]);
      // RECORDED: kept in the history, no state change (a note; the carrier's pickup of a parcel the
      // warehouse already reported shipped).
      for (const result of reply.body.results)
        expect([source, ['APPLIED', 'RECORDED'].includes(result.outcome as string)]).toEqual([source, true]);
    }
    const { rows } = await db.pool.query<{ channel_order_no: string; state: string }>(
      `select channel_order_no, state from orders
        where channel_order_no in ('301234567999', '3571204498765432109', '6928374650192837465')
        order by channel_order_no`,
    );
    expect(rows).toEqual([
      { channel_order_no: '301234567999', state: 'PAID' },
      { channel_order_no: '3571204498765432109', state: 'DELIVERED' },
      { channel_order_no: '6928374650192837465', state: 'CANCELLED' },
    ]);
  });

  it('answers a second send of the same file as duplicates, changing nothing', async () => {
    const body = readFileSync('test/fixtures/events/tms.json', 'utf8');
    const reply = await postSigned(`${base}/webhooks/events/tms`, body, SECRET);
    expect(reply.status).toBe(200);
    expect(new Set(reply.body.results.map((r) => r.outcome))).toEqual(new Set(['DUPLICATE']));
  });
});
