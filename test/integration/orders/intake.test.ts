import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OrdersPlatform, startOrdersPlatform } from './orders-kit.js';

/** `submitOrders` over HTTP into a real PostgreSQL: each channel's format, bulk, defects, re-sends. */

const fixture = (name: string) =>
  JSON.parse(readFileSync(`test/fixtures/channels/${name}.json`, 'utf8')) as Record<string, unknown>;

const SUBMIT = `mutation ($input: SubmitOrdersInput!) { submitOrders(input: $input) {
  results { index orderId channelOrderNo outcome state warnings { field code message } }
  userErrors { field code message } } }`;

interface Submitted {
  submitOrders: {
    results: {
      index: number;
      orderId: string;
      channelOrderNo: string;
      outcome: string;
      state: string;
      warnings: { field: string; code: string; message: string }[];
    }[];
    userErrors: { field: string; code: string; message: string }[];
  };
}

interface Row {
  channel: string;
  business_type: string;
  state: string;
  ordered_at: Date;
  paid_at: Date | null;
  source_updated_at: Date;
  goods_cents: string;
  shipping_cents: string;
  total_cents: string;
  paid_cents: string;
  buyer_phone: string;
  presale: Record<string, unknown> | null;
  items: { lineNo: string; quantity: number; unitPriceCents: number }[];
  payment_no: string | null;
  version: number;
}

describe('order intake through submitOrders', () => {
  let api: OrdersPlatform;
  let ops: Record<string, string>;

  beforeAll(async () => {
    api = await startOrdersPlatform('orders_intake');
    ops = await api.staff('OPS');
  });

  afterAll(async () => {
    await api?.close();
  });

  async function submit(channel: string, orders: unknown[]) {
    const body = await api.post<Submitted>(SUBMIT, { input: { channel, orders } }, ops);
    expect(body.errors).toBeUndefined();
    return body.data!.submitOrders;
  }

  async function row(channel: string, no: string): Promise<Row> {
    const { rows } = await api.pool.query<Row>(
      'select * from orders where channel = $1 and channel_order_no = $2',
      [channel, no],
    );
    expect(rows).toHaveLength(1);
    return rows[0];
  }

  const money = (r: Row) => ({
    goods: Number(r.goods_cents),
    shipping: Number(r.shipping_cents),
    total: Number(r.total_cents),
    paid: Number(r.paid_cents),
  });

  it.each([
    {
      fixture: 'taobao-normal',
      channel: 'TAOBAO',
      no: '3571204498765432109',
      type: 'NORMAL',
      state: 'PAID',
      money: { goods: 26800, shipping: 850, total: 25650, paid: 25650 },
      orderedAt: '2026-11-20T06:03:11.000Z',
      paidAt: '2026-11-20T06:05:42.000Z',
      updatedAt: '2026-11-20T06:05:43.000Z',
      phone: '13800138000',
      lines: [
        ['3571204498765432110', 2, 5900],
        ['3571204498765432111', 1, 15000],
      ],
    },
    {
      fixture: 'taobao-presale-step',
      channel: 'TAOBAO',
      no: '3571209988776655443',
      type: 'PRESALE',
      state: 'CREATED',
      money: { goods: 99900, shipping: 0, total: 89900, paid: 10000 },
      orderedAt: '2026-10-21T12:00:05.000Z',
      paidAt: null,
      updatedAt: '2026-10-21T12:01:31.000Z',
      phone: '13700137000',
      lines: [['3571209988776655444', 1, 99900]],
    },
    {
      fixture: 'jd-normal',
      channel: 'JD',
      no: '301234567890',
      type: 'NORMAL',
      state: 'PAID',
      money: { goods: 129900, shipping: 0, total: 124900, paid: 124900 },
      orderedAt: '2026-11-10T16:00:08.000Z',
      paidAt: '2026-11-10T16:00:31.000Z',
      updatedAt: '2026-11-10T16:01:02.000Z',
      phone: '13912345678',
      lines: [['100012345678', 1, 129900]],
    },
    {
      fixture: 'jd-presale',
      channel: 'JD',
      no: '301234567999',
      type: 'PRESALE',
      state: 'CREATED',
      money: { goods: 399900, shipping: 0, total: 389900, paid: 20000 },
      orderedAt: '2026-10-21T12:00:05.000Z',
      paidAt: null,
      updatedAt: '2026-10-21T12:01:30.000Z',
      phone: '15812345678',
      lines: [['100098765432', 1, 399900]],
    },
    {
      fixture: 'douyin-normal',
      channel: 'DOUYIN',
      no: '6928374650192837465',
      type: 'NORMAL',
      state: 'PAID',
      money: { goods: 15000, shipping: 800, total: 15800, paid: 14800 },
      orderedAt: new Date(1795154591_000).toISOString(),
      paidAt: new Date(1795154642_000).toISOString(),
      updatedAt: new Date(1795159800_000).toISOString(),
      phone: '15012345678',
      lines: [['6928374650192837466', 3, 5000]],
    },
    {
      fixture: 'webshop-custom',
      channel: 'WEBSHOP',
      no: 'WS20261120000123',
      type: 'CUSTOM',
      state: 'PAID',
      money: { goods: 25800, shipping: 1000, total: 26800, paid: 26800 },
      orderedAt: '2026-11-20T06:03:11.000Z',
      paidAt: '2026-11-20T06:05:40.000Z',
      updatedAt: '2026-11-20T06:05:41.250Z',
      phone: '18600000000',
      lines: [['1', 2, 12900]],
    },
  ])('takes in $fixture with exact cents and instants', async (c) => {
    const result = await submit(c.channel, [fixture(c.fixture)]);
    expect(result.userErrors).toEqual([]);
    expect(result.results).toEqual([
      {
        index: 0,
        orderId: expect.any(String),
        channelOrderNo: c.no,
        outcome: 'CREATED',
        state: c.state,
        // Douyin's platform subsidy (pay_amount below order_amount) is a warning; see totals-check.
        warnings: c.channel === 'DOUYIN' ? [expect.objectContaining({ code: 'PAID_BELOW_TOTAL' })] : [],
      },
    ]);
    const r = await row(c.channel, c.no);
    expect(r.business_type).toBe(c.type);
    expect(r.state).toBe(c.state);
    expect(money(r)).toEqual(c.money);
    expect(r.ordered_at.toISOString()).toBe(c.orderedAt);
    expect(r.paid_at?.toISOString() ?? null).toBe(c.paidAt);
    expect(r.source_updated_at.toISOString()).toBe(c.updatedAt);
    expect(r.buyer_phone).toBe(c.phone);
    expect(r.items.map((i) => [i.lineNo, i.quantity, i.unitPriceCents])).toEqual(c.lines);
  });

  it('keeps the presale terms of a step trade', async () => {
    const r = await row('TAOBAO', '3571209988776655443');
    expect(r.presale).toEqual({
      depositCents: 10000,
      balanceCents: 79900,
      depositPaidAt: '2026-10-21T12:01:30.000Z',
      balancePaidAt: null,
      promisedShipAt: null,
    });
  });

  it('takes 1,000 orders in one call', async () => {
    const base = fixture('webshop-custom');
    const orders = Array.from({ length: 1000 }, (_, i) => ({
      ...base,
      orderNo: `WSBULK${String(i).padStart(5, '0')}`,
      totalCents: 26800 + i,
      shippingCents: 1000 + i,
      paidCents: 26800 + i,
    }));
    const started = Date.now();
    const result = await submit('WEBSHOP', orders);
    const ms = Date.now() - started;
    expect(result.userErrors).toEqual([]);
    expect(result.results).toHaveLength(1000);
    expect(result.results.every((r, i) => r.index === i && r.outcome === 'CREATED')).toBe(true);
    expect(new Set(result.results.map((r) => r.orderId)).size).toBe(1000);
    const { rows } = await api.pool.query<{ n: string; sum: string }>(
      `select count(*) as n, sum(total_cents) as sum from orders where channel_order_no like 'WSBULK%'`,
    );
    expect(Number(rows[0].n)).toBe(1000);
    expect(Number(rows[0].sum)).toBe(1000 * 26800 + (999 * 1000) / 2);
    expect(ms).toBeLessThan(30_000);
  });

  it.each([
    ['TAOBAO', 'taobao-normal', 'taobao-malformed'],
    ['JD', 'jd-normal', 'jd-malformed'],
    ['DOUYIN', 'douyin-normal', 'douyin-malformed'],
    ['WEBSHOP', 'webshop-custom', 'webshop-malformed'],
  ])(
    '%s: reports each malformed order by index and field, commits the valid ones, writes nothing of the rest',
    async (channel, good, bad) => {
      const valid = (suffix: string) => withNumber(channel, fixture(good), `MIX${suffix}`);
      const malformed = fixture(bad);
      const result = await submit(channel, [valid('A'), malformed, valid('B'), malformed]);

      expect(result.results.map((r) => [r.index, r.outcome])).toEqual([
        [0, 'CREATED'],
        [2, 'CREATED'],
      ]);
      const fields = result.userErrors.map((e) => e.field);
      expect(fields.length).toBeGreaterThanOrEqual(4);
      expect(fields.every((f) => /^orders\[(1|3)\]\./.test(f))).toBe(true);
      expect(fields.filter((f) => f.startsWith('orders[1].'))).toEqual(
        fields.filter((f) => f.startsWith('orders[3].')).map((f) => f.replace('orders[3]', 'orders[1]')),
      );
      for (const e of result.userErrors) {
        expect(e.code).toMatch(/^[A-Z_]+$/);
        expect(e.message.length).toBeGreaterThan(5);
      }
      const { rows } = await api.pool.query<{ channel_order_no: string }>(
        `select channel_order_no from orders where channel = $1 and channel_order_no like '%MIX%' order by 1`,
        [channel],
      );
      expect(rows.map((r) => r.channel_order_no)).toHaveLength(2);
      const malformedNo = String(
        malformed.tid ?? malformed.orderId ?? malformed.shop_order_id ?? malformed.orderNo,
      );
      const leaked = await api.pool.query(
        'select 1 from orders where channel = $1 and channel_order_no = $2',
        [channel, malformedNo],
      );
      expect(leaked.rowCount).toBe(0);
    },
  );

  it('names the defects of a malformed Taobao trade with their codes', async () => {
    const result = await submit('TAOBAO', [fixture('taobao-malformed')]);
    const codes = Object.fromEntries(result.userErrors.map((e) => [e.field, e.code]));
    expect(codes).toMatchObject({
      'orders[0].tid': 'INVALID_ID',
      'orders[0].payment': 'INVALID_MONEY',
      'orders[0].created': 'INVALID_TIME',
      'orders[0].receiver_mobile': 'INVALID_PHONE',
      'orders[0].orders[0].num': 'INVALID_QUANTITY',
      'orders[0].orders[1].price': 'INVALID_MONEY',
    });
    expect(result.results).toEqual([]);
  });

  it('re-sent orders: UNCHANGED when not newer, UPDATED when newer, never a second row', async () => {
    const original = withNumber('WEBSHOP', fixture('webshop-custom'), 'RESEND');
    const first = await submit('WEBSHOP', [original]);
    expect(first.results[0].outcome).toBe('CREATED');
    const orderId = first.results[0].orderId;

    const same = await submit('WEBSHOP', [original]);
    expect(same.results[0]).toMatchObject({ orderId, outcome: 'UNCHANGED' });

    const newer = {
      ...original,
      updatedAt: '2026-11-20T15:00:00+08:00',
      shippingCents: 0,
      totalCents: 25800,
      paidCents: 25800,
    };
    const updated = await submit('WEBSHOP', [newer]);
    expect(updated.results[0]).toMatchObject({ orderId, outcome: 'UPDATED' });

    const older = { ...original, updatedAt: '2026-11-20T14:00:00+08:00', totalCents: 100, paidCents: 100 };
    const stale = await submit('WEBSHOP', [older]);
    expect(stale.results[0]).toMatchObject({ orderId, outcome: 'UNCHANGED' });

    const { rows } = await api.pool.query<Row & { id: string }>(
      `select * from orders where channel = 'WEBSHOP' and channel_order_no = $1`,
      [original.orderNo],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(orderId);
    expect(Number(rows[0].total_cents)).toBe(25800);
    expect(Number(rows[0].shipping_cents)).toBe(0);
    expect(rows[0].source_updated_at.toISOString()).toBe('2026-11-20T07:00:00.000Z');
    expect(rows[0].version).toBe(2);
    // One history row per write, keyed by the payload's time to the millisecond (14:05:41.250 +08).
    const history = await api.pool.query(
      `select type, idempotency_key, outcome, from_state, to_state, occurred_at from order_event
        where order_id = $1 and type in ('ORDER_CREATED', 'ORDER_DATA_UPDATED') order by occurred_at`,
      [orderId],
    );
    expect(history.rows).toEqual([
      {
        type: 'ORDER_CREATED',
        idempotency_key: 'channel:2026-11-20T06:05:41.250Z',
        outcome: 'APPLIED',
        from_state: null,
        to_state: first.results[0].state,
        occurred_at: new Date('2026-11-20T06:05:41.250Z'),
      },
      {
        type: 'ORDER_DATA_UPDATED',
        idempotency_key: 'channel:2026-11-20T07:00:00.000Z',
        outcome: 'RECORDED',
        from_state: null,
        to_state: null,
        occurred_at: new Date('2026-11-20T07:00:00.000Z'),
      },
    ]);
  });

  it('answers UPDATED only when something changed, moves the state from a re-sent status, and reports one it cannot take', async () => {
    const original = withNumber('WEBSHOP', fixture('webshop-custom'), 'HONEST');
    const first = await submit('WEBSHOP', [original]);
    expect(first.results[0]).toMatchObject({ outcome: 'CREATED', state: 'PAID' });
    const orderId = first.results[0].orderId;

    // Newer, but the same data: nothing stored changes.
    const sameData = await submit('WEBSHOP', [{ ...original, updatedAt: '2026-11-20T14:30:00+08:00' }]);
    expect(sameData.results[0]).toMatchObject({ outcome: 'UNCHANGED', state: 'PAID', warnings: [] });

    // Delivered on the web shop with no warehouse or carrier feed: the steps between are implied.
    const delivered = await submit('WEBSHOP', [
      { ...original, status: 'DELIVERED', updatedAt: '2026-11-22T10:00:00+08:00' },
    ]);
    expect(delivered.results[0]).toMatchObject({ outcome: 'UPDATED', state: 'DELIVERED', warnings: [] });
    const { rows: history } = await api.pool.query<{ type: string; outcome: string }>(
      `select type, outcome from order_event where order_id = $1 and outcome in ('APPLIED', 'IMPLIED') order by id`,
      [orderId],
    );
    expect(history.filter((h) => h.outcome === 'IMPLIED')).toHaveLength(5);
    expect(history.at(-1)).toEqual({ type: 'CHANNEL_DELIVERED', outcome: 'APPLIED' });

    // A cancel after delivery cannot be taken: reported with the reason and kept in the history.
    const cancelled = await submit('WEBSHOP', [
      { ...original, status: 'CANCELLED', updatedAt: '2026-11-23T10:00:00+08:00' },
    ]);
    expect(cancelled.results[0]).toMatchObject({ outcome: 'UPDATED', state: 'DELIVERED' });
    expect(cancelled.results[0].warnings).toEqual([
      expect.objectContaining({ field: 'status', code: 'STATUS_NOT_TAKEN' }),
    ]);
    expect(cancelled.results[0].warnings[0].message).toMatch(
      /REJECTED: ORDER_CANCELLED: order cannot move from DELIVERED/,
    );
    const { rows: kept } = await api.pool.query<{ outcome: string }>(
      `select outcome from order_event where order_id = $1 and type = 'ORDER_CANCELLED'`,
      [orderId],
    );
    expect(kept).toEqual([{ outcome: 'REJECTED' }]);
  });

  it('refuses a partner key writing another channel', async () => {
    const key = await api.partner(['JD'], ['orders:write']);
    const body = await api.post<Submitted>(
      SUBMIT,
      { input: { channel: 'TAOBAO', orders: [fixture('taobao-normal')] } },
      key,
    );
    expect(body.data!.submitOrders.userErrors).toEqual([
      expect.objectContaining({ field: 'channel', code: 'CHANNEL_NOT_ALLOWED' }),
    ]);
  });
});

/** The same payload under another order number (and line ids that stay unique). */
function withNumber(channel: string, payload: Record<string, unknown>, tag: string): Record<string, unknown> {
  const copy = structuredClone(payload) as Record<string, unknown> & {
    trade_fullinfo_get_response: { trade: Record<string, unknown> };
  };
  switch (channel) {
    case 'TAOBAO':
      copy.trade_fullinfo_get_response.trade.tid = `9${tag}`;
      break;
    case 'JD':
      copy.orderId = `9${tag}`;
      break;
    case 'DOUYIN':
      copy.shop_order_id = `9${tag}`;
      break;
    default:
      copy.orderNo = `WS${tag}`;
  }
  return copy;
}
