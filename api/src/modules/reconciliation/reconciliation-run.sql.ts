import type { MatchingSettings } from '../../domain/reconciliation/reconciliation-types.js';
import type { SqlExecutor } from '../../infra/outbox/outbox.js';
import { expectedPaymentsSql, ORDERS_IN_SCOPE_SQL } from './order-money.source.js';

/**
 * The matching rules of `domain/reconciliation/matching.ts`, applied set-wise: one statement per
 * rule over the run's scope, into a temporary `run_outcome` table (dropped at commit). The two
 * must give the same answers; test/integration/reconciliation/run-agreement.test.ts holds them
 * together on generated data.
 */

export interface RunScope {
  /** `[from, to)`: the business days of the pass as instants. */
  from: Date;
  to: Date;
  /** null: every shop. */
  shop: string | null;
}

const DEADLINE = (paidAt: string, channel: string) => `
  ((date_trunc('day', ${paidAt} at time zone 'Asia/Shanghai')
    + make_interval(days => coalesce(($3::jsonb ->> ${channel})::int, $4::int) + 1)) at time zone 'Asia/Shanghai')`;

const RECORD_DAY = `(r.occurred_at at time zone 'Asia/Shanghai')::date`;

/** The temporary tables of a pass, in the order they can be dropped. */
export const PASS_TABLES = 'run_change, run_prior, run_outcome, scope_rec, scope_exp, scope_order';

/** The money records a pass reads: payments and refunds, with the order in scope they belong to. */
const RECORD_COLUMNS = `r.id, r.kind, r.gateway, r.payment_no, r.channel, r.merchant_order_no, r.part, r.amount_cents,
  r.fee_cents, r.occurred_at`;

/**
 * Fills `scope_order`, `scope_exp`, `scope_rec` and `run_outcome` for one pass over a scope of one
 * or more business days. Each outcome carries `merge_day`: the business day whose merge writes it —
 * the day of its order's first payment in the scope, or, for money without an order in scope, the
 * day of the money — so one pass over a range gives each day what a pass over that day alone
 * would. The tables are dropped at commit unless `keep` (then the caller drops `PASS_TABLES`).
 * Returns their sizes.
 *
 * Each table is read as few times as the rules allow, joined by hash on the order's id: the
 * scope's orders carry their number and first payment time, their expected payments and money
 * records carry the order (so no rule joins orders to records again), and the rules that concern
 * few orders (refunds, balances) first pick those orders, then add up only theirs.
 */
export async function computeOutcomes(
  tx: SqlExecutor,
  scope: RunScope,
  settings: MatchingSettings,
  now: Date,
  keep = false,
): Promise<{ orders: number; records: number; outcomes: number }> {
  const params = [scope.from, scope.to, scope.shop];
  const onCommit = keep ? 'on commit preserve rows' : 'on commit drop';
  await tx.query(`drop table if exists ${PASS_TABLES}`, []);
  const orders = await tx.query(
    `create temp table scope_order ${onCommit} as ${ORDERS_IN_SCOPE_SQL}`,
    params,
  );
  // A primary key, so the expected payments group by it and carry its columns.
  await tx.query('alter table scope_order add primary key (id)', []);
  await tx.query(
    `create temp table scope_exp ${onCommit} as ${expectedPaymentsSql('true', 'scope_order', ', o.first_paid_at')}`,
    [],
  );
  const records = await tx.query(
    `create temp table scope_rec ${onCommit} as
       select ${RECORD_COLUMNS}, o.id as order_id, o.first_paid_at
         from money_record r
         join scope_order o on o.channel = r.channel and o.channel_order_no = r.merchant_order_no
        where r.kind in ('PAYMENT', 'REFUND')
       union all
       select ${RECORD_COLUMNS}, null::uuid, null::timestamptz
         from money_record r
        where r.kind in ('PAYMENT', 'REFUND') and r.occurred_at >= $1 and r.occurred_at < $2
          and ($3::text is null or r.channel = $3)
          and not exists (
            select 1 from scope_order o where o.channel = r.channel and o.channel_order_no = r.merchant_order_no
          )`,
    params,
  );
  // No ANALYZE: sampling the fresh temporary tables cost as much as building them. Without their
  // statistics the planner guesses a filtered scan at a few hundred rows and joins by sorting both
  // sides, twice as slow as hashing them; the rules statement is held to hash joins.
  const ruleParams = [
    now,
    JSON.stringify(settings.fees),
    JSON.stringify(settings.settlementDays),
    settings.defaultSettlementDays,
  ];
  await tx.query('set local enable_mergejoin = off', []);
  const outcomes = await tx.query(
    `create temp table run_outcome ${onCommit} as
     with ranked as (
       select e.order_id, e.shop, e.channel, e.channel_order_no, e.part, e.payment_no as expected_no,
              e.amount_cents as expected_cents, e.paid_at, e.first_paid_at, r.id as record_id, r.gateway,
              r.payment_no as record_no, r.amount_cents as record_cents, r.occurred_at,
              r.order_id as record_order_id, r.channel as record_channel, r.merchant_order_no,
              r.first_paid_at as record_first_paid_at,
              row_number() over part as rn,
              -- What the part's records add up to, and how many there are: a split payment.
              sum(r.amount_cents) over whole as part_cents, count(r.id) over whole as part_records,
              first_value(r.amount_cents) over part as primary_cents
         from scope_exp e
         -- A full join: a payment of an order in scope for a part it does not expect comes out too.
         full join (select * from scope_rec where kind = 'PAYMENT' and order_id is not null) r
           on r.order_id = e.order_id and coalesce(r.part, 'FULL') = e.part
       window part as (
                partition by e.order_id, e.part
                order by coalesce(e.payment_no is not null and r.payment_no = e.payment_no, false) desc, r.occurred_at, r.id
              ),
              whole as (part rows between unbounded preceding and unbounded following)
     ),
     parts as (
       select *, part_records > 1 and part_cents = expected_cents and primary_cents <> expected_cents as split
         from ranked
     )
     select u.item_key, u.type, u.order_id, u.record_id, u.shop, u.channel, u.channel_order_no, u.gateway, u.payment_no,
            u.expected_cents, u.actual_cents,
            -- The business day of an order-wide item (refunds, balance) is that of its merge.
            coalesce(u.business_date, (u.first_paid_at at time zone 'Asia/Shanghai')::date) as business_date,
            coalesce((u.first_paid_at at time zone 'Asia/Shanghai')::date, u.business_date) as merge_day
       from (
     select 'e:' || order_id || ':' || part as item_key,
            case when record_id is null then
                   case when $1::timestamptz < ${DEADLINE('paid_at', 'channel')} then 'PENDING_SETTLEMENT' else 'MISSING_PAYMENT' end
                 when record_cents = expected_cents or split then 'MATCHED' else 'AMOUNT_MISMATCH' end as type,
            order_id, record_id, shop, channel, channel_order_no, gateway,
            case when record_id is null then expected_no else record_no end as payment_no,
            expected_cents, case when split then part_cents else record_cents end as actual_cents,
            (paid_at at time zone 'Asia/Shanghai')::date as business_date, first_paid_at
       from parts where rn = 1 and order_id is not null
     union all
     select 'r:' || record_id || ':DUPLICATE', 'DUPLICATE_PAYMENT', order_id, record_id, shop, channel, channel_order_no,
            gateway, record_no, 0, record_cents, (occurred_at at time zone 'Asia/Shanghai')::date, first_paid_at
       from parts where rn > 1 and order_id is not null and not split
     union all
     select 'r:' || record_id || ':ORDER', 'PAYMENT_WITHOUT_ORDER', record_order_id, record_id, record_channel,
            record_channel, merchant_order_no, gateway, record_no, 0, record_cents,
            (occurred_at at time zone 'Asia/Shanghai')::date, record_first_paid_at
       from ranked where order_id is null
     union all
     select 'r:' || r.id || ':FEE', 'FEE_VARIANCE', r.order_id, r.id, r.channel, r.channel, r.merchant_order_no,
            r.gateway, r.payment_no, f.expected_fee, r.fee_cents, ${RECORD_DAY}, r.first_paid_at
       from scope_rec r
       cross join lateral (
         select (r.amount_cents * ($2::jsonb -> r.gateway ->> 'rateBp')::bigint + 5000) / 10000 as expected_fee,
                ($2::jsonb -> r.gateway ->> 'toleranceCents')::bigint as tolerance
       ) f
      where r.order_id is not null and r.kind = 'PAYMENT' and r.fee_cents is not null and $2::jsonb ? r.gateway
        and abs(r.fee_cents - f.expected_fee) > f.tolerance
     union all
     select 'o:' || order_id || ':REFUND', 'REFUND_MISMATCH', order_id, null, channel, channel, merchant_order_no,
            null, null, paid, refunded, null::date, first_paid_at
       from (select order_id, channel, merchant_order_no, min(first_paid_at) as first_paid_at,
                    coalesce(sum(amount_cents) filter (where kind = 'PAYMENT'), 0) as paid,
                    coalesce(sum(amount_cents) filter (where kind = 'REFUND'), 0) as refunded
               from scope_rec
              -- Only orders with a refund can have refunded more than was paid.
              where order_id in (select order_id from scope_rec where kind = 'REFUND' and order_id is not null)
              group by order_id, channel, merchant_order_no) t
      where refunded > paid
     union all
     select 'o:' || order_id || ':BALANCE', 'BALANCE_UNPAID', order_id, null, shop, channel, channel_order_no,
            null, null, max(total_cents), sum(amount_cents), null::date, min(first_paid_at)
       from scope_exp
      where order_id in (select order_id from scope_exp where balance_due)
      group by order_id, shop, channel, channel_order_no
     union all
     select 'r:' || r.id || ':ORDER', case when r.kind = 'PAYMENT' then 'PAYMENT_WITHOUT_ORDER' else 'REFUND_MISMATCH' end,
            null, r.id, r.channel, r.channel, r.merchant_order_no, r.gateway, r.payment_no, null, r.amount_cents, ${RECORD_DAY},
            null
       from scope_rec r
       left join lateral (
         -- One index probe per record whose order is not in scope, never a hash of every order.
         select true as found from orders o
          where o.channel = r.channel and o.channel_order_no = r.merchant_order_no limit 1
       ) o on true
      where r.order_id is null and o.found is null
       ) u`,
    ruleParams,
  );
  await tx.query('set local enable_mergejoin to default', []);
  return { orders: orders.rowCount ?? 0, records: records.rowCount ?? 0, outcomes: outcomes.rowCount ?? 0 };
}

export interface OutcomeRow {
  item_key: string;
  type: string;
  order_id: string | null;
  record_id: string | null;
  shop: string;
  channel: string;
  channel_order_no: string | null;
  gateway: string | null;
  payment_no: string | null;
  expected_cents: string | null;
  actual_cents: string | null;
}

export async function readOutcomes(tx: SqlExecutor): Promise<OutcomeRow[]> {
  return (await tx.query('select * from run_outcome order by item_key', [])).rows as OutcomeRow[];
}
