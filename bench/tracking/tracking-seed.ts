import type pg from 'pg';

/**
 * Bulk data for the tracking benchmarks, written by set-wise SQL in chunks: `orders` shipped
 * orders whose buyers are `phones` distinct numbers (13900000000 + i % phones), and one shipment
 * each, `stalledShare` of them due for a stall check an hour ago and the rest in a day.
 */
export async function seedShippedOrders(
  pool: pg.Pool,
  opts: { orders: number; phones: number; stalledShare: number; now: Date; chunk?: number },
): Promise<void> {
  const chunk = opts.chunk ?? 50_000;
  const stalledEvery = opts.stalledShare > 0 ? Math.round(1 / opts.stalledShare) : 0;
  for (let from = 0; from < opts.orders; from += chunk) {
    const to = Math.min(opts.orders, from + chunk) - 1;
    await pool.query(
      `with o as (
         insert into orders (channel, channel_order_no, business_type, state, channel_status, ordered_at, paid_at,
             source_updated_at, goods_cents, shipping_cents, total_cents, paid_cents, buyer_name, buyer_phone,
             address, items, state_entered_at, region)
         select 'WEBSHOP', 'BT' || i, 'NORMAL', 'IN_TRANSIT', 'BENCH', $3::timestamptz - (i % 720) * interval '1 hour',
                $3::timestamptz - (i % 720) * interval '1 hour', $3, 9900, 0, 9900, 9900, '王小明',
                (13900000000 + i % $4)::text,
                '{"province":"浙江省","city":"杭州市","district":"西湖区","detail":"示例路1号"}',
                '[{"title":"保温杯","quantity":1,"priceCents":9900,"category":"HOME","sku":"CUP-1"}]',
                '{}', '{"provinceCode":"33"}'
           from generate_series($1::int, $2::int) as i
         returning id, channel_order_no)
       insert into shipment (order_id, carrier, waybill_no, state, state_at, last_event_at, shipped_at, eta,
           origin_province, destination_province, next_stall_check_at, created_at, updated_at)
       select o.id, 'zhongtong', 'ZT' || substr(o.channel_order_no, 3), 'IN_TRANSIT', $3::timestamptz - interval '25 hours',
              $3::timestamptz - interval '25 hours', $3::timestamptz - interval '30 hours', $3::timestamptz + interval '2 days',
              '33', '31',
              case when $5 > 0 and substr(o.channel_order_no, 3)::int % $5 = 0 then $3::timestamptz - interval '1 hour'
                   else $3::timestamptz + interval '1 day' end,
              $3, $3
         from o`,
      [from, to, opts.now, opts.phones, stalledEvery],
    );
  }
  await pool.query('analyze orders');
  await pool.query('analyze shipment');
}
