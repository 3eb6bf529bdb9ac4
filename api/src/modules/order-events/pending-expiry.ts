import type pg from 'pg';
import { expiredReason } from '../../domain/order/order-event-fold.js';
import { inTransaction } from '../../infra/db/transaction.js';

/**
 * Turns PENDING events received more than `ttlMs` before `now` into REJECTED, keeping why they
 * waited in the reason, for orders no later event has touched (a touched order's waiting events
 * are judged by the same rule as it is decided). Up to `batch` orders per transaction, locked in
 * id order like `applyOrderEvents` locks them; orders held by a running call are skipped and
 * taken by the next sweep. Returns how many events expired.
 */
export async function expirePendingEvents(
  pool: pg.Pool,
  now: Date,
  ttlMs: number,
  batch = 500,
): Promise<number> {
  const cutoff = new Date(now.getTime() - ttlMs).toISOString();
  let expired = 0;
  for (;;) {
    const count = await inTransaction(pool, async (client) => {
      const { rows } = await client.query<{ id: string }>(
        `select id from orders
          where id in (select order_id from order_event where outcome = 'PENDING' and received_at <= $1)
          order by id limit $2
          for update skip locked`,
        [cutoff, batch],
      );
      if (rows.length === 0) return 0;
      const updated = await client.query(
        `update order_event set outcome = 'REJECTED', reason = $3 || coalesce(reason, '')
          where order_id = any($1::uuid[]) and outcome = 'PENDING' and received_at <= $2`,
        [rows.map((r) => r.id), cutoff, expiredReason(ttlMs, '')],
      );
      return updated.rowCount ?? 0;
    });
    expired += count;
    if (count === 0) return expired;
  }
}
