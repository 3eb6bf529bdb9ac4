import type pg from 'pg';
import { bulkOrderInsertSql } from '../../test/support/order-rows.js';

/**
 * Fills `orders` with `count` realistic rows in set-based SQL (`insert … select from
 * generate_series`), in chunks so progress can be shown. Deterministic: every random choice is a
 * hash of the row number (`hashint4`), so the same count always gives the same rows.
 *
 * Shape: a year of orders up to PERIOD_END (about 2,700 a day), channels 40 / 25 / 25 / 10 %
 * (Taobao, JD, Douyin, web shop); orders of the last day still in the warehouse, of the last
 * four days mostly on their way, older ones settled (delivered, some cancelled, refunded or
 * returned); 1–3 lines each; 100,000 different buyer phones (1380013xxxx-style, ten prefixes);
 * eight processing groups plus 5 % not routed; 1.5 % abnormal.
 */

export const PERIOD_END = '2026-11-25T08:00:00Z';
export const PERIOD_DAYS = 365;
/** The phone prefixes the buyers' numbers use (each followed by 4 digits). */
export const PHONE_PREFIXES = [
  '1380013',
  '1390013',
  '1370013',
  '1360013',
  '1350013',
  '1500013',
  '1510013',
  '1860013',
  '1880013',
  '1770013',
];
export const GROUP_IDS = ['G01', 'G02', 'G03', 'G04', 'G05', 'G06', 'G07', 'G08'];

const sqlArray = (values: readonly string[]) => `array[${values.map((v) => `'${v}'`).join(', ')}]`;

const PRODUCTS: ReadonlyArray<readonly [string, string, number, string]> = [
  ['白瓷马克杯 350ml', 'MUG-WHITE-350', 5900, 'drinkware'],
  ['竹制杯垫 4片装', 'COASTER-BAMBOO-4', 2900, 'drinkware'],
  ['头戴式降噪耳机 黑色', 'EARPHONE-NC-BLK', 129900, 'audio'],
  ['手工冷制皂 3块装', 'SOAP-COLD-3', 5000, 'bath'],
  ['纯棉短袖T恤 白色 L', 'TEE-COTTON-WL', 7900, 'apparel'],
  ['保温杯 500ml 不锈钢', 'FLASK-SS-500', 13900, 'drinkware'],
  ['无线鼠标 静音款', 'MOUSE-SILENT', 8900, 'computer'],
  ['机械键盘 87键 青轴', 'KB-87-BLUE', 32900, 'computer'],
  ['乌龙茶 250g 罐装', 'TEA-OOLONG-250', 16800, 'tea'],
  ['坚果礼盒 1.2kg', 'NUTS-GIFT-1200', 19900, 'snacks'],
  ['儿童绘本 10册套装', 'BOOK-KIDS-10', 9900, 'books'],
  ['瑜伽垫 6mm 紫色', 'YOGA-MAT-6-PU', 8900, 'sports'],
  ['数据线 USB-C 1m', 'CABLE-C-1M', 1990, 'computer'],
  ['香薰蜡烛 雪松', 'CANDLE-CEDAR', 6800, 'home'],
  ['帆布托特包 米色', 'BAG-CANVAS-BEIGE', 4900, 'bags'],
  ['刻字钢笔 礼盒装', 'PEN-ENGRAVE-GIFT', 25800, 'stationery'],
];

/** Province, code, city, code, district, code. */
const REGIONS: ReadonlyArray<readonly string[]> = [
  ['浙江省', '330000', '杭州市', '330100', '西湖区', '330106'],
  ['广东省', '440000', '深圳市', '440300', '南山区', '440305'],
  ['广东省', '440000', '广州市', '440100', '天河区', '440106'],
  ['北京市', '110000', '北京市', '110100', '朝阳区', '110105'],
  ['上海市', '310000', '上海市', '310100', '浦东新区', '310115'],
  ['江苏省', '320000', '南京市', '320100', '鼓楼区', '320106'],
  ['四川省', '510000', '成都市', '510100', '武侯区', '510107'],
  ['湖北省', '420000', '武汉市', '420100', '洪山区', '420111'],
];

const column = <T>(rows: ReadonlyArray<ReadonlyArray<T>>, i: number) => rows.map((r) => r[i]);
const intArray = (values: readonly number[]) => `array[${values.join(', ')}]::bigint[]`;

/** Rows `from`..`to` (inclusive). `h(k)` is a non-negative hash of the row number, one per purpose k. */
export function insertChunkSql(): string {
  const h = (k: number) => `(hashint4(g * 16 + ${k}) & 2147483647)`;
  const title = sqlArray(column(PRODUCTS, 0) as string[]);
  const sku = sqlArray(column(PRODUCTS, 1) as string[]);
  const cents = intArray(column(PRODUCTS, 2) as number[]);
  const category = sqlArray(column(PRODUCTS, 3) as string[]);
  const region = (i: number) => `(${sqlArray(column(REGIONS, i))})[1 + o.h6 % ${REGIONS.length}]`;
  const line = (n: number) =>
    `jsonb_build_object('lineNo', '${n}', 'sku', (${sku})[o.p${n}], 'title', (${title})[o.p${n}], ` +
    `'quantity', o.q${n}, 'unitPriceCents', (${cents})[o.p${n}], 'category', (${category})[o.p${n}])`;
  const lineCents = (n: number) => `(${cents})[s.p${n}] * s.q${n}`;
  return bulkOrderInsertSql(
    {
      channel: `o.channel`,
      channel_order_no: `case o.channel
         when 'TAOBAO' then '35' || lpad(o.g::text, 9, '0') || lpad((o.h2 % 100000000)::text, 8, '0')
         when 'JD' then (300000000000 + o.g::bigint * 1000 + o.h2 % 1000)::text
         when 'DOUYIN' then '69' || lpad(o.g::text, 9, '0') || lpad((o.h2 % 100000000)::text, 8, '0')
         else 'WS' || to_char(o.ordered_at at time zone 'Asia/Shanghai', 'YYYYMMDD') || lpad(o.g::text, 9, '0')
       end`,
      business_type: `o.business_type`,
      state: `o.state`,
      channel_status: `case o.state when 'CREATED' then 'WAIT_BUYER_PAY' when 'PAID' then 'WAIT_SELLER_SEND_GOODS'
         when 'DELIVERED' then 'TRADE_FINISHED' when 'CANCELLED' then 'TRADE_CLOSED' else 'WAIT_BUYER_CONFIRM_GOODS' end`,
      ordered_at: `o.ordered_at`,
      paid_at: `o.paid_at`,
      source_updated_at: `coalesce(o.paid_at, o.ordered_at) + interval '30 seconds'`,
      goods_cents: `o.goods`,
      shipping_cents: `o.shipping`,
      total_cents: `o.goods + o.shipping`,
      paid_cents: `case when o.paid_at is null then 0 else o.goods + o.shipping end`,
      presale: `case when o.business_type = 'PRESALE' then jsonb_build_object('depositCents', o.goods / 5,
         'balanceCents', o.goods - o.goods / 5 + o.shipping, 'depositPaidAt', o.ordered_at, 'balancePaidAt', o.paid_at,
         'promisedShipAt', o.ordered_at + interval '14 days') end`,
      buyer_name: `(${sqlArray('王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹'.split(''))})[1 + o.h5 % 30] ||
         (${sqlArray(['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '军', '洋', '勇', '艳', '杰', '娟', '涛', '明', '超', '秀英', '霞', '平', '刚', '桂英', '晓东', '子涵', '雨萱', '浩然', '欣怡', '思远', '一鸣', '佳琪'])})[1 + (o.h5 / 30) % 30]`,
      buyer_phone: `(${sqlArray(PHONE_PREFIXES)})[1 + o.h4 % 10] || lpad(((o.h4 / 10) % 10000)::text, 4, '0')`,
      address: `jsonb_build_object('province', ${region(0)}, 'city', ${region(2)}, 'district', ${region(4)}, 'street', '测试街道',
         'detail', '示例路' || (1 + o.h6 % 300) || '号演示小区' || (1 + o.h6 % 30) || '幢' || (101 + o.h6 % 20) || '室')`,
      region: `case when o.h6 % 10 = 0 then null else jsonb_build_object('provinceCode', ${region(1)}, 'provinceName',
         ${region(0)}, 'cityCode', ${region(3)}, 'cityName', ${region(2)}, 'districtCode', ${region(5)},
         'districtName', ${region(4)}) end`,
      items: `case o.lines when 1 then jsonb_build_array(${line(1)})
                    when 2 then jsonb_build_array(${line(1)}, ${line(2)})
                    else jsonb_build_array(${line(1)}, ${line(2)}, ${line(3)}) end`,
      payment_no: `case when o.paid_at is null then null else 'PAY' || to_char(o.paid_at, 'YYYYMMDD') || lpad(o.g::text, 9, '0') end`,
      group_id: `case when o.h7 % 100 < 5 then null else (${sqlArray(GROUP_IDS)})[1 + o.h7 % ${GROUP_IDS.length}] end`,
      state_entered_at: `jsonb_build_object('CREATED', o.ordered_at, o.state, coalesce(o.paid_at, o.ordered_at) + interval '1 hour')`,
      abnormal: `o.h3 % 1000 < 15`,
      created_at: `o.ordered_at + interval '5 seconds'`,
      updated_at: `coalesce(o.paid_at, o.ordered_at) + interval '1 hour'`,
    },
    `(
    select s.*,
           case when s.state in ('CREATED') or (s.state = 'CANCELLED' and s.h3 % 2 = 0) then null
                else s.ordered_at + make_interval(secs => 10 + s.h3 % 900) end as paid_at,
           ${lineCents(1)} + case when s.lines >= 2 then ${lineCents(2)} else 0 end
             + case when s.lines >= 3 then ${lineCents(3)} else 0 end as goods,
           case when s.h1 % 7 = 0 then 800 else 0 end as shipping
      from (
        select t.*,
               case
                 when t.age_s < 86400 then (array['CREATED','PAID','PAID','PAID','WAREHOUSE_ACCEPTED','PICKING','PACKED',
                   'SHIPPED','IN_TRANSIT','CANCELLED'])[1 + t.h3 % 10]
                 when t.age_s < 4 * 86400 then (array['PAID','SHIPPED','IN_TRANSIT','IN_TRANSIT','IN_TRANSIT',
                   'OUT_FOR_DELIVERY','DELIVERED','DELIVERED','DELIVERY_FAILED','CANCELLED'])[1 + t.h3 % 10]
                 when t.h3 % 40 < 36 then 'DELIVERED'
                 when t.h3 % 40 < 38 then 'CANCELLED'
                 when t.h3 % 40 < 39 then 'REFUNDED'
                 else 'RETURNED'
               end as state,
               1 + t.h2 % 3 as lines,
               1 + (t.h6 + 5) % 16 as p1, 1 + (t.h6 + 10) % 16 as p2, 1 + (t.h6 + 15) % 16 as p3,
               case when t.h9 % 10 < 7 then 1 else 2 end as q1, case when t.h9 % 100 < 70 then 1 else 2 end as q2,
               case when t.h9 % 1000 < 700 then 1 else 3 end as q3
          from (
            select g, ${h(1)} as h1, ${h(2)} as h2, ${h(3)} as h3, ${h(4)} as h4, ${h(5)} as h5, ${h(6)} as h6,
                   ${h(7)} as h7, ${h(9)} as h9,
                   ${h(8)} % (${PERIOD_DAYS} * 86400) as age_s,
                   timestamptz '${PERIOD_END}' - make_interval(secs => ${h(8)} % (${PERIOD_DAYS} * 86400))
                     - make_interval(secs => (${h(11)} % 1000000) / 1000000.0) as ordered_at,
                   case when ${h(1)} % 100 < 40 then 'TAOBAO' when ${h(1)} % 100 < 65 then 'JD'
                        when ${h(1)} % 100 < 90 then 'DOUYIN' else 'WEBSHOP' end as channel,
                   case when ${h(10)} % 100 < 92 then 'NORMAL' when ${h(10)} % 100 < 97 then 'PRESALE'
                        else 'CUSTOM' end as business_type
              from generate_series($1::int, $2::int) as g
            offset 0
          ) t
        offset 0
      ) s
    offset 0
  ) o`,
  );
}

/** Inserts rows 1..count in chunks of `chunk`, reporting after each. Returns the time taken in ms. */
export async function bulkLoadOrders(
  client: pg.PoolClient,
  count: number,
  chunk: number,
  onChunk: (loaded: number) => void,
): Promise<number> {
  const sql = insertChunkSql();
  const t0 = performance.now();
  for (let from = 1; from <= count; from += chunk) {
    const to = Math.min(count, from + chunk - 1);
    await client.query(sql, [from, to]);
    onChunk(to);
  }
  return performance.now() - t0;
}
