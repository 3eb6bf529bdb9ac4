/**
 * Whether a run has reconciled the money of the order `o` (a row of `orders` in the enclosing
 * query): a run counted its shop's outcomes on a day the order was paid, having read the money
 * after every payment of the order was recorded. Matched payments are not kept as items, so this
 * is how the invoice check and the ERP export tell "matched" from "not reconciled yet"; an order's
 * differences are its items.
 */
export const RECONCILED_ORDER_SQL = `exists (
  select 1 from order_payment p
    join reconciliation_day_outcome d
      on d.shop = o.channel and d.merge_day = (p.paid_at at time zone 'Asia/Shanghai')::date
   where p.order_id = o.id and p.kind in ('FULL', 'DEPOSIT', 'BALANCE')
     and d.counted_at >= (select max(q.recorded_at) from order_payment q where q.order_id = o.id))`;
