import type pg from 'pg';
import { maskPhone } from '../../domain/privacy/mask.js';

export type CustomerAction =
  | 'CODE_REQUESTED'
  | 'CODE_REFUSED'
  | 'CODE_VERIFIED'
  | 'CODE_WRONG'
  | 'LOCKED'
  | 'ORDERS_VIEWED'
  | 'SUBSCRIBED';

/** Appends one audit line: the phone masked and digested, never in clear. */
export async function audit(
  db: pg.Pool | pg.PoolClient,
  entry: {
    phone: string;
    phoneDigest: string;
    action: CustomerAction;
    clientAddress?: string | null;
    orderCount?: number | null;
  },
  now: Date,
): Promise<void> {
  await db.query(
    `insert into customer_audit (phone_digest, phone_masked, action, client_address, order_count, at)
     values ($1, $2, $3, $4, $5, $6)`,
    [
      entry.phoneDigest,
      maskPhone(entry.phone),
      entry.action,
      entry.clientAddress ?? null,
      entry.orderCount ?? null,
      now,
    ],
  );
}
