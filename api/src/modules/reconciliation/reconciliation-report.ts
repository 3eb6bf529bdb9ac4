import { businessDayRange } from '../../domain/sla/business-time.js';
import type { SqlExecutor } from '../../infra/outbox/outbox.js';

/** One shop's money and outcomes on one business day. Amounts are cents as decimal strings. */
export interface DailyReconciliationReport {
  shop: string;
  businessDate: string;
  currency: string;
  grossCents: string;
  refundCents: string;
  /** Fees on payments plus fee lines (commission, service fees). */
  feeCents: string;
  subsidyCents: string;
  /** gross − refunds − fees + subsidies. */
  netCents: string;
  outcomes: Record<string, number>;
}

/**
 * The report of `shop` on `date` from the ledger and the latest run's outcomes about that day (the
 * counts of `reconciliation_day_outcome`, matched payments included).
 */
export async function dailyReport(
  db: SqlExecutor,
  shop: string,
  date: string,
): Promise<DailyReconciliationReport> {
  const { from, to } = businessDayRange(date);
  const money = await db.query(
    `select coalesce(sum(amount_cents) filter (where kind = 'PAYMENT'), 0) as gross,
            coalesce(sum(amount_cents) filter (where kind = 'REFUND'), 0) as refunds,
            coalesce(sum(amount_cents) filter (where kind = 'FEE'), 0) + coalesce(sum(fee_cents) filter (where kind = 'PAYMENT'), 0) as fees,
            coalesce(sum(amount_cents) filter (where kind = 'SUBSIDY'), 0) as subsidies
       from money_record where channel = $1 and occurred_at >= $2 and occurred_at < $3`,
    [shop, from, to],
  );
  const outcomes = await db.query(
    `select outcome, sum(n)::int as n from reconciliation_day_outcome where shop = $1 and business_date = $2 group by outcome`,
    [shop, date],
  );
  const m = money.rows[0] as Record<string, string>;
  const [gross, refunds, fees, subsidies] = [m.gross, m.refunds, m.fees, m.subsidies].map((v) => BigInt(v));
  return {
    shop,
    businessDate: date,
    currency: 'CNY',
    grossCents: gross.toString(),
    refundCents: refunds.toString(),
    feeCents: fees.toString(),
    subsidyCents: subsidies.toString(),
    netCents: (gross - refunds - fees + subsidies).toString(),
    outcomes: Object.fromEntries(
      (outcomes.rows as { outcome: string; n: number }[]).map((r) => [r.outcome, r.n]),
    ),
  };
}
