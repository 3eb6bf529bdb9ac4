import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { createPubSub } from '@graphql-yoga/subscription';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authChecker } from '../../../api/src/app/auth-checker.js';
import { RESOLVERS } from '../../../api/src/app/resolvers.js';
import { ANONYMOUS } from '../../../api/src/domain/auth/viewer.js';
import { buildGraphQLSchema } from '../../../api/src/infra/graphql/build-schema.js';
import { customerContext } from '../../../api/src/modules/customer/customer-context.js';
import { CustomerKeys } from '../../../api/src/modules/customer/customer-keys.js';
import { mountCustomerRoutes } from '../../../api/src/modules/customer/customer-routes.js';
import { runGraphql } from '../../support/graphql-in-process.js';
import { logger, serve } from '../tracking/tracking-kit.js';
import { type OrdersPlatform, startOrdersPlatform } from './orders-kit.js';

/**
 * Typed web shop orders over HTTP into a real PostgreSQL, beside the channel JSON: the same rules
 * and coded errors on both paths, unknown JSON fields as warnings, a Hong Kong buyer stored as
 * E.164, masked in answers and able to sign in with an SMS code and find the order.
 */

// biome-ignore lint/suspicious/noExplicitAny: channel fixtures are raw JSON that tests edit by path.
const fixture = (name: string): any =>
  JSON.parse(readFileSync(`test/fixtures/channels/${name}.json`, 'utf8'));

const SUBMIT = `mutation ($input: SubmitOrdersInput!) { submitOrders(input: $input) {
  results { index orderId channelOrderNo outcome state warnings { field code message } }
  userErrors { field code message } } }`;

interface Finding {
  field: string;
  code: string;
  message: string;
}
interface Submitted {
  submitOrders: {
    results: { index: number; orderId: string; outcome: string; state: string; warnings: Finding[] }[];
    userErrors: Finding[];
  };
}

let platform: OrdersPlatform;
let ops: Record<string, string>;

beforeAll(async () => {
  platform = await startOrdersPlatform('webshop_typed');
  ops = await platform.staff('OPS');
});
afterAll(async () => {
  await platform?.close();
});

const submit = async (input: Record<string, unknown>) => {
  const body = await platform.post<Submitted>(SUBMIT, { input }, ops);
  expect(body.errors).toBeUndefined();
  return body.data?.submitOrders as Submitted['submitOrders'];
};

/** A web shop order as the typed input takes it (the JSON fixture, which has the same fields). */
function typedOrder(orderNo: string, phone: string) {
  return { ...fixture('webshop-custom'), orderNo, buyer: { name: '陈测试', phone } };
}

const codes = (findings: Finding[]) => findings.map((f) => `${f.field} ${f.code}`);

describe('submitOrders with typed web shop orders', () => {
  it('takes a typed order with a +852 phone, stores it as E.164 and masks it for masked roles', async () => {
    const answer = await submit({
      channel: 'WEBSHOP',
      webshopOrders: [typedOrder('WS-HK-1', '+852 5123 4567')],
    });
    expect(answer.userErrors).toEqual([]);
    expect(answer.results).toEqual([
      expect.objectContaining({ index: 0, outcome: 'CREATED', state: 'PAID', warnings: [] }),
    ]);
    const { rows } = await platform.pool.query(
      `select buyer_phone, total_cents from orders where channel = 'WEBSHOP' and channel_order_no = 'WS-HK-1'`,
    );
    expect(rows).toEqual([{ buyer_phone: '+85251234567', total_cents: '26800' }]);

    const ORDER = `{ order(channel: WEBSHOP, channelOrderNo: "WS-HK-1") { buyer { phone } } }`;
    const clear = await platform.post<{ order: { buyer: { phone: string } } }>(ORDER, {}, ops);
    expect(clear.data?.order.buyer.phone).toBe('+85251234567');
    const finance = await platform.post<{ order: { buyer: { phone: string } } }>(
      ORDER,
      {},
      await platform.staff('FINANCE'),
    );
    expect(finance.data?.order.buyer.phone).toBe('+852 ****4567');
    const partner = await platform.post<{ order: { buyer: { phone: string } } }>(
      ORDER,
      {},
      await platform.partner(['WEBSHOP']),
    );
    expect(partner.data?.order.buyer.phone).toBe('+852 ****4567');

    const search = await platform.post<{ orders: { edges: { node: { channelOrderNo: string } }[] } }>(
      `{ orders(filter: { buyerPhone: "00852 5123-4567" }) { edges { node { channelOrderNo } } } }`,
      {},
      ops,
    );
    expect(search.data?.orders.edges.map((e) => e.node.channelOrderNo)).toEqual(['WS-HK-1']);
  });

  it('gives the typed and the JSON path the same coded errors, named under the list used', async () => {
    const broken = {
      ...typedOrder('WS-BAD-1', '5123 4567'),
      createdAt: '2026-11-20 14:03:11',
      shippingCents: -1,
      totalCents: 999_999,
      paidCents: 5,
    };
    const typed = await submit({ channel: 'WEBSHOP', webshopOrders: [broken] });
    const json = await submit({ channel: 'WEBSHOP', orders: [broken] });
    expect(typed.results).toEqual([]);
    expect(codes(typed.userErrors)).toEqual([
      'webshopOrders[0].createdAt INVALID_TIME',
      'webshopOrders[0].shippingCents INVALID_MONEY',
      'webshopOrders[0].buyer.phone INVALID_PHONE',
    ]);
    expect(
      typed.userErrors.map((e) => ({ ...e, field: e.field.replace('webshopOrders', 'orders') })),
    ).toEqual(json.userErrors);

    // Sound fields, contradicting figures: the totals check, the same on both paths.
    const figures = {
      ...typedOrder('WS-BAD-2', '13800138000'),
      goodsCents: 25_800,
      totalCents: 999_999,
      paidCents: 5,
    };
    const typedTotals = await submit({ channel: 'WEBSHOP', webshopOrders: [figures] });
    expect(codes(typedTotals.userErrors)).toEqual([
      'webshopOrders[0].totalCents TOTAL_MISMATCH',
      'webshopOrders[0].paidCents PAID_MISMATCH',
    ]);
    const { rows } = await platform.pool.query(`select 1 from orders where channel_order_no like 'WS-BAD-%'`);
    expect(rows).toEqual([]);
  });

  it('takes the README example as it is written', async () => {
    const readme = readFileSync('README.md', 'utf8');
    const example = /```json\n(\{ "input": \{ "channel": "WEBSHOP", "webshopOrders"[\s\S]*?)```/.exec(readme);
    if (!example) throw new Error('the README has no typed web shop example');
    const { input } = JSON.parse(example[1]);
    const answer = await submit(input);
    expect(answer.userErrors).toEqual([]);
    expect(answer.results).toEqual([
      expect.objectContaining({ outcome: 'CREATED', state: 'PAID', warnings: [] }),
    ]);
  });

  it('refuses webshopOrders for another channel, and both lists at once', async () => {
    const order = typedOrder('WS-X', '13800138000');
    expect(codes((await submit({ channel: 'JD', webshopOrders: [order] })).userErrors)).toEqual([
      'channel CHANNEL_MISMATCH',
    ]);
    expect(
      codes((await submit({ channel: 'WEBSHOP', orders: [order], webshopOrders: [order] })).userErrors),
    ).toEqual(['webshopOrders CONFLICTING_INPUT']);
    expect(codes((await submit({ channel: 'WEBSHOP' })).userErrors)).toEqual(['orders REQUIRED']);
  });

  it('lets GraphQL refuse what the types rule out: a status the shop does not have', async () => {
    const order = { ...typedOrder('WS-Y', '13800138000'), status: 'PICKING' };
    const body = await platform.post(SUBMIT, { input: { channel: 'WEBSHOP', webshopOrders: [order] } }, ops);
    expect(body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('unknown fields in channel JSON', () => {
  it('takes each channel order and lists its unknown fields as warnings', async () => {
    const webshop = { ...fixture('webshop-custom'), orderNo: 'WS-UNK-1', giftWrap: true };
    webshop.items[0].engraving = '生日快乐';
    const taobao = fixture('taobao-presale-step');
    taobao.tid = '4000000000000000001';
    taobao.new_flag = 1;
    const jd = { ...fixture('jd-normal'), orderId: '900000000001' };
    jd.consigneeInfo.email = 'x';
    const douyin = { ...fixture('douyin-normal'), shop_order_id: '7000000000000000001' };
    douyin.sku_order_list[0].gift = true;

    const cases: [string, unknown, string[]][] = [
      ['WEBSHOP', webshop, ['giftWrap UNKNOWN_FIELD', 'items[0].engraving UNKNOWN_FIELD']],
      ['TAOBAO', taobao, ['new_flag UNKNOWN_FIELD']],
      ['JD', jd, ['consigneeInfo.email UNKNOWN_FIELD']],
      ['DOUYIN', douyin, ['sku_order_list[0].gift UNKNOWN_FIELD']],
    ];
    for (const [channel, order, expected] of cases) {
      const answer = await submit({ channel, orders: [order] });
      expect(answer.userErrors, channel).toEqual([]);
      expect(answer.results[0].outcome, channel).toBe('CREATED');
      expect(
        codes(answer.results[0].warnings).filter((w) => w.includes('UNKNOWN_FIELD')),
        channel,
      ).toEqual(expected);
    }
  });

  it('keeps the warnings in the order history, where staff read them in the timeline', async () => {
    const TIMELINE = `{ order(channel: WEBSHOP, channelOrderNo: "WS-UNK-1") { timeline { type outcome reason } } }`;
    const body = await platform.post<{
      order: { timeline: { type: string; outcome: string; reason: string }[] };
    }>(TIMELINE, {}, ops);
    expect(body.data?.order.timeline.filter((e) => e.type === 'INTAKE_WARNING')).toEqual([
      {
        type: 'INTAKE_WARNING',
        outcome: 'RECORDED',
        reason: 'UNKNOWN_FIELD giftWrap; UNKNOWN_FIELD items[0].engraving',
      },
    ]);
    // The same payload again changes nothing and writes no second row.
    const again = { ...fixture('webshop-custom'), orderNo: 'WS-UNK-1', giftWrap: true };
    again.items[0].engraving = '生日快乐';
    expect((await submit({ channel: 'WEBSHOP', orders: [again] })).results[0].outcome).toBe('UNCHANGED');
    const { rows } = await platform.pool.query(
      `select count(*)::int as n from order_event e join orders o on o.id = e.order_id
        where o.channel_order_no = 'WS-UNK-1' and e.type = 'INTAKE_WARNING'`,
    );
    expect(rows[0].n).toBe(1);
  });

  it('lists at most ten unknown fields per order', async () => {
    const order: Record<string, unknown> = { ...fixture('webshop-custom'), orderNo: 'WS-UNK-2' };
    for (let i = 0; i < 30; i += 1) order[`extra_${i}`] = i;
    const answer = await submit({ channel: 'WEBSHOP', orders: [order] });
    expect(answer.results[0].warnings).toHaveLength(10);
    expect(answer.results[0].warnings[9]).toMatchObject({ field: '$', code: 'UNKNOWN_FIELDS_OMITTED' });
  });
});

describe('totals checked on every channel', () => {
  it('refuses goods 100 + shipping 100, total 999,999, paid 5, naming the fields', async () => {
    const taobao = {
      ...fixture('taobao-presale-step'),
      tid: '4000000000000000002',
      type: 'fixed',
      step_trade_status: null,
      step_paid_fee: null,
      total_fee: '1.00',
      post_fee: '1.00',
      payment: '9999.99',
    };
    taobao.orders = [{ oid: '1', title: '样品', num: 1, price: '1.00' }];
    const jd = {
      ...fixture('jd-normal'),
      orderId: '900000000002',
      orderTotalPrice: '1.00',
      freightPrice: '1.00',
      orderPayment: '9999.99',
      itemInfoList: [{ skuId: '1', skuName: '样品', itemTotal: '1', jdPrice: '1.00' }],
    };
    const douyin = {
      ...fixture('douyin-normal'),
      shop_order_id: '7000000000000000002',
      post_amount: 100,
      order_amount: 999_999,
      pay_amount: 5,
      sku_order_list: [{ sku_order_id: '1', product_name: '样品', item_num: 1, sku_price: 100 }],
    };
    const webshop = {
      ...fixture('webshop-custom'),
      orderNo: 'WS-TOT-1',
      goodsCents: 100,
      shippingCents: 100,
      totalCents: 999_999,
      paidCents: 5,
      items: [{ lineNo: '1', title: '样品', quantity: 1, unitPriceCents: 100, category: 'x' }],
    };
    const cases: [string, unknown, string[]][] = [
      ['TAOBAO', taobao, ['orders[0].payment TOTAL_MISMATCH']],
      ['JD', jd, ['orders[0].orderPayment TOTAL_MISMATCH']],
      ['DOUYIN', douyin, ['orders[0].order_amount TOTAL_MISMATCH']],
      ['WEBSHOP', webshop, ['orders[0].totalCents TOTAL_MISMATCH', 'orders[0].paidCents PAID_MISMATCH']],
    ];
    for (const [channel, order, expected] of cases) {
      const answer = await submit({ channel, orders: [order] });
      expect(answer.results, channel).toEqual([]);
      expect(codes(answer.userErrors), channel).toEqual(expected);
    }
  });
});

describe('a Hong Kong buyer signs in by SMS code', () => {
  it('finds the order stored under +852 and sees it masked', async () => {
    const keys = await CustomerKeys.open(platform.pool);
    const server = await serve((app) =>
      mountCustomerRoutes(app, {
        pool: platform.pool,
        keys,
        smsPerPhonePerDay: 5,
        logger,
        makeCode: () => '246810',
      }),
    );
    try {
      const post = async (path: string, body: unknown) => {
        const r = await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(body),
        });
        return { status: r.status, body: (await r.json()) as { token?: string } };
      };
      expect((await post('/api/customer/code', { phone: '+852 5123 4567' })).status).toBe(200);
      const session = await post('/api/customer/session', { phone: '00852-5123-4567', code: '246810' });
      expect(session.status).toBe(200);

      const checked = await customerContext(keys, `Customer ${session.body.token}`, new Date());
      if (!checked?.ok) throw new Error('customer token refused');
      expect(checked.session.phone).toBe('+85251234567');
      const schema = buildGraphQLSchema(RESOLVERS, createPubSub(), authChecker);
      const answer = await runGraphql<{ myOrders: { channelOrderNo: string; receiverPhone: string }[] }>(
        schema,
        platform,
        ANONYMOUS,
        '{ myOrders { channelOrderNo receiverPhone } }',
        {},
        { extra: { customer: checked.session } },
      );
      expect(answer.errors).toEqual([]);
      expect(answer.data.myOrders).toEqual([{ channelOrderNo: 'WS-HK-1', receiverPhone: '+852 ****4567' }]);

      const { rows } = await platform.pool.query(
        'select phone_masked from sms_message order by created_at desc limit 1',
      );
      expect(rows[0].phone_masked).toBe('+852 ****4567');
    } finally {
      await server.close();
    }
  });
});
