import { formatYuan } from '../../domain/reconciliation/money.js';
import { businessDayRange, shanghaiIsoTime } from '../../domain/sla/business-time.js';
import type { SqlExecutor } from '../../infra/outbox/outbox.js';
import { RECONCILED_ORDER_SQL } from './reconciled-orders.js';

/**
 * The columns of the ERP export, in this order, forever: new ones are added at the end. Documented
 * in README (Reconciliation → ERP export).
 */
export const ERP_COLUMNS = [
  'business_date',
  'shop',
  'channel',
  'channel_order_no',
  'order_id',
  'movement',
  'gateway',
  'record_no',
  'payment_no',
  'part',
  'line_type',
  'amount',
  'amount_cents',
  'currency',
  'occurred_at',
  'outcome',
  'discrepancy_state',
] as const;

const PAGE = 5000;

/** RFC 4180 quoting; a leading =, +, - or @ is prefixed with ' so spreadsheets never run it. */
export function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = /^[=+\-@]/.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

interface ExportRow {
  id: string;
  channel: string;
  channel_order_no: string | null;
  order_id: string | null;
  movement: string;
  gateway: string | null;
  record_no: string | null;
  payment_no: string | null;
  part: string | null;
  line_type: string | null;
  amount_cents: string;
  currency: string;
  occurred_at: Date | null;
  outcome: string | null;
  state: string | null;
}

/**
 * Writes one shop's (or every shop's) day as ERP lines: one per money movement of the day with the
 * outcome of its order's match (MATCHED when a run reconciled the order and found no difference for
 * it; empty while no run has), then one per expected payment no money came for. Read in keyset
 * pages and handed to `write` line by line (which waits when the receiver is slow), so memory holds
 * one page whatever the day's size.
 */
export async function writeErpExport(
  db: SqlExecutor,
  date: string,
  shop: string | null,
  write: (text: string) => Promise<void>,
): Promise<number> {
  const { from, to } = businessDayRange(date);
  await write(`${ERP_COLUMNS.join(',')}\r\n`);
  let lines = 0;
  const emit = async (row: ExportRow) => {
    const cells = [
      date,
      row.channel,
      row.channel,
      row.channel_order_no,
      row.order_id,
      row.movement,
      row.gateway,
      row.record_no,
      row.payment_no,
      row.part,
      row.line_type,
      formatYuan(BigInt(row.amount_cents)),
      row.amount_cents,
      row.currency,
      row.occurred_at ? shanghaiIsoTime(row.occurred_at) : null,
      row.outcome,
      row.state,
    ];
    await write(`${cells.map(csvCell).join(',')}\r\n`);
    lines += 1;
  };
  let after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await db.query(
      `select r.id, r.channel, r.merchant_order_no as channel_order_no, o.id as order_id, r.kind as movement, r.gateway,
              r.record_no, r.payment_no, r.part, r.line_type, r.amount_cents::text, r.currency, r.occurred_at,
              coalesce(i.outcome, case when o.id is not null and ${RECONCILED_ORDER_SQL} then 'MATCHED' end) as outcome,
              i.state
         from money_record r
         left join orders o on o.channel = r.channel and o.channel_order_no = r.merchant_order_no
         left join lateral (
           select outcome, state from reconciliation_item i
            where i.record_id = r.id or (o.id is not null and i.item_key = 'e:' || o.id || ':' || coalesce(r.part, 'FULL'))
            order by (i.record_id = r.id) desc nulls last, i.item_key limit 1
         ) i on true
        where r.occurred_at >= $1 and r.occurred_at < $2 and ($3::text is null or r.channel = $3) and r.id > $4
        order by r.id limit ${PAGE}`,
      [from, to, shop, after],
    );
    for (const row of rows as ExportRow[]) await emit(row);
    if (rows.length < PAGE) break;
    after = (rows[rows.length - 1] as ExportRow).id;
  }
  after = '00000000-0000-0000-0000-000000000000';
  for (;;) {
    const { rows } = await db.query(
      `select i.id, i.channel, i.channel_order_no, i.order_id, 'EXPECTED' as movement, null as gateway, null as record_no,
              i.payment_no, split_part(i.item_key, ':', 3) as part, null as line_type, i.expected_cents::text as amount_cents,
              i.currency, null as occurred_at, i.outcome, i.state
         from reconciliation_item i
        where i.record_id is null and i.item_key like 'e:%' and i.business_date = $1 and ($2::text is null or i.shop = $2)
          and i.id > $3
        order by i.id limit ${PAGE}`,
      [date, shop, after],
    );
    for (const row of rows as ExportRow[]) await emit(row);
    if (rows.length < PAGE) break;
    after = (rows[rows.length - 1] as ExportRow).id;
  }
  return lines;
}
