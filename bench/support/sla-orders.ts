import type pg from 'pg';
import { bulkOrderInsertSql } from '../../test/support/order-rows.js';
import { thousands } from './stats.js';

/** The SLA benchmarks' data: 5 processing groups with WeCom robots and their open orders. */
const GROUPS = 5;
const OWNER = '00000000-0000-4000-8000-00000000b001';

export async function seedSlaGroups(pool: pg.Pool): Promise<void> {
  await pool.query(
    `insert into processing_group (id, name, owner_user_id, owner_name, owner_mobile, supervisor_user_id,
        supervisor_name, supervisor_mobile, wecom_webhook_url, active)
     select 'bench-' || g, '压测组' || g, $1, '负责人', '1380013' || lpad(g::text, 4, '0'), $1, '主管',
            '1390013' || lpad(g::text, 4, '0'), 'https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=bench-' || g, true
       from generate_series(0, $2 - 1) g
     on conflict (id) do nothing`,
    [OWNER, GROUPS],
  );
}

export async function clearSlaOrders(pool: pg.Pool): Promise<void> {
  await pool.query('truncate orders, order_event, ticket, ticket_comment, sla_stage_record, outbox_message');
}

/**
 * Bulk-loads `total` open NORMAL orders already judged in their first stage (warehouse acceptance
 * within 30 min of payment), with their stage records, in arrival order: the first `due` were paid
 * an hour before `now`, so their check is due; the others were paid ten minutes ago (due in 20).
 */
export async function loadSlaOrders(
  pool: pg.Pool,
  total: number,
  due: number,
  now: Date,
  log: (line: string) => void,
): Promise<void> {
  const started = Date.now();
  await pool.query('alter table orders disable trigger orders_sla_reschedule');
  const chunk = 100_000;
  for (let from = 1; from <= total; from += chunk) {
    const to = Math.min(total, from + chunk - 1);
    await pool.query(
      bulkOrderInsertSql(
        {
          channel: `(array['TAOBAO','JD','DOUYIN','WEBSHOP'])[1 + g % 4]`,
          channel_order_no: `'SLA-BENCH-' || g`,
          channel_status: `'PAID'`,
          ordered_at: `p.paid - interval '2 minutes'`,
          paid_at: 'p.paid',
          source_updated_at: 'p.paid',
          goods_cents: '12900',
          total_cents: '12900',
          paid_cents: '12900',
          buyer_name: `'压测买家'`,
          buyer_phone: `'1380013' || lpad((g % 10000)::text, 4, '0')`,
          address: `'{"province":"浙江省","city":"杭州市","district":"西湖区","street":null,"detail":"示例路 1 号"}'`,
          state_entered_at: `jsonb_build_object('PAID', p.paid)`,
          group_id: `'bench-' || (g % $5)`,
          owner_id: '$4',
          sla_stage: `'WAREHOUSE_ACCEPTED@PAID_AT'`,
          sla_deadline: `p.paid + interval '30 minutes'`,
          sla_next_check_at: `p.paid + interval '30 minutes'`,
          sla_policy_key: `'NORMAL:*:*'`,
          sla_policy_version: '1',
        },
        `generate_series($1::int, $2::int) g,
              lateral (select $3::timestamptz - case when g <= $6 then interval '60 minutes'
                                                      else interval '10 minutes' end as paid) p`,
      ),
      [from, to, now, OWNER, GROUPS, due],
    );
    log(`  loaded ${thousands(to)} / ${thousands(total)} orders`);
  }
  await pool.query('alter table orders enable trigger orders_sla_reschedule');
  await pool.query(
    `insert into sla_stage_record (order_id, stage, group_id, owner_id, started_at, deadline, max_level, policy_key,
        policy_version)
     select id, sla_stage, group_id, owner_id, paid_at, sla_deadline, 0, sla_policy_key, sla_policy_version from orders`,
  );
  await pool.query('vacuum analyze orders');
  await pool.query('vacuum analyze sla_stage_record');
  const { rows } = await pool.query<{ due: number }>(
    'select count(*)::int as due from orders where sla_next_check_at <= $1',
    [now],
  );
  log(
    `  ${thousands(total)} orders, ${thousands(rows[0].due)} due, loaded in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
}
