import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import type pg from 'pg';
import { kuaidi100Sign } from '../../../api/src/domain/tracking/kuaidi100-push.js';
import { createLogger } from '../../../api/src/infra/logging/logger.js';

export const logger = createLogger('silent', 'tracking-test');
export const SALT = 'test-salt-kuaidi100';

/** An express app on 127.0.0.1 and a free port, with `mount` applied. */
export async function serve(mount: (app: Express) => void): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  mount(app);
  const server: Server = await new Promise((resolve) => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface Scan {
  time: string;
  context: string;
  status?: string;
}

export const pushParam = (nu: string, state: number, scans: Scan[], com = 'zhongtong') =>
  JSON.stringify({
    status: 'polling',
    billstatus: 'change',
    message: '',
    lastResult: {
      message: 'ok',
      nu,
      ischeck: state === 3 ? '1' : '0',
      condition: 'F00',
      com,
      status: '200',
      state: String(state),
      data: [...scans]
        .reverse()
        .map((s) => ({ ...s, ftime: s.time, location: '', areaName: '浙江省,杭州市' })),
    },
  });

/** Posts a push as Kuaidi100 does: form-encoded `param` and `sign`. */
export async function postPush(url: string, param: string, opts: { orderId?: string; salt?: string } = {}) {
  const target = `${url}/webhooks/kuaidi100${opts.orderId ? `?order=${opts.orderId}` : ''}`;
  const response = await fetch(target, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ param, sign: kuaidi100Sign(param, opts.salt ?? SALT) }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function shipmentOf(pool: pg.Pool, waybillNo: string) {
  const { rows } = await pool.query(
    'select s.*, (select count(*)::int from shipment_trace t where t.shipment_id = s.id) as trace_count from shipment s where waybill_no = $1',
    [waybillNo],
  );
  return rows[0];
}

export async function orderState(pool: pg.Pool, id: string): Promise<string> {
  const { rows } = await pool.query<{ state: string }>('select state from orders where id = $1', [id]);
  return rows[0].state;
}
