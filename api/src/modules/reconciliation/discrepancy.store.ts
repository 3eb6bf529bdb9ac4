import type pg from 'pg';
import {
  type DiscrepancyState,
  discrepancyLifecycle,
} from '../../domain/reconciliation/discrepancy-lifecycle.js';
import { type FieldError, fail, ok, type Result } from '../../domain/shared/result.js';
import { inTransaction } from '../../infra/db/transaction.js';
import type { SqlExecutor } from '../../infra/outbox/outbox.js';

export interface DiscrepancyRow {
  id: string;
  itemKey: string;
  outcome: string;
  state: DiscrepancyState;
  orderId: string | null;
  recordId: string | null;
  shop: string;
  channel: string;
  channelOrderNo: string | null;
  gateway: string | null;
  paymentNo: string | null;
  expectedCents: string | null;
  actualCents: string | null;
  currency: string;
  businessDate: string;
  assignee: string | null;
  foundAt: Date;
  updatedAt: Date;
}

export interface AuditRow {
  action: string;
  actor: string;
  fromState: string | null;
  toState: string | null;
  note: string | null;
  at: Date;
}

export interface DiscrepancyFilter {
  shop?: string | null;
  channel?: string | null;
  gateway?: string | null;
  type?: string | null;
  state?: DiscrepancyState | null;
  assignee?: string | null;
  fromDate?: string | null;
  toDate?: string | null;
}

const COLUMNS = `id, item_key as "itemKey", outcome, state, order_id as "orderId", record_id as "recordId", shop, channel,
  channel_order_no as "channelOrderNo", gateway, payment_no as "paymentNo", expected_cents::text as "expectedCents",
  actual_cents::text as "actualCents", currency, to_char(business_date, 'YYYY-MM-DD') as "businessDate", assignee,
  found_at as "foundAt", updated_at as "updatedAt"`;

/** Discrepancies (items with a state) newest business day first, then by id; keyset pages. */
export async function listDiscrepancies(
  db: SqlExecutor,
  filter: DiscrepancyFilter,
  first: number,
  after: { businessDate: string; id: string } | null,
): Promise<{ rows: DiscrepancyRow[]; hasNextPage: boolean }> {
  const { rows } = await db.query(
    `select ${COLUMNS} from reconciliation_item
      where state is not null
        and ($1::text is null or shop = $1) and ($2::text is null or channel = $2)
        and ($3::text is null or gateway = $3) and ($4::text is null or outcome = $4)
        and ($5::text is null or state = $5) and ($6::text is null or assignee = $6)
        and ($7::date is null or business_date >= $7) and ($8::date is null or business_date <= $8)
        and ($9::date is null or (business_date, id) < ($9::date, $10::uuid))
      order by business_date desc, id desc limit $11`,
    [
      filter.shop ?? null,
      filter.channel ?? null,
      filter.gateway ?? null,
      filter.type ?? null,
      filter.state ?? null,
      filter.assignee ?? null,
      filter.fromDate ?? null,
      filter.toDate ?? null,
      after?.businessDate ?? null,
      after?.id ?? null,
      first + 1,
    ],
  );
  return { rows: (rows as DiscrepancyRow[]).slice(0, first), hasNextPage: rows.length > first };
}

export async function findDiscrepancy(
  db: SqlExecutor,
  id: string,
  lock = false,
): Promise<DiscrepancyRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const { rows } = await db.query(
    `select ${COLUMNS} from reconciliation_item where id = $1 and state is not null${lock ? ' for update' : ''}`,
    [id],
  );
  return (rows[0] as DiscrepancyRow | undefined) ?? null;
}

export async function discrepancyHistory(db: SqlExecutor, id: string): Promise<AuditRow[]> {
  const { rows } = await db.query(
    `select action, actor, from_state as "fromState", to_state as "toState", note, at
       from reconciliation_audit where item_id = $1 order by id`,
    [id],
  );
  return rows as AuditRow[];
}

const MAX_NOTE = 2000;
const notFound: FieldError[] = [{ field: 'id', code: 'NOT_FOUND', message: 'No discrepancy has this id.' }];

function checkNote(note: string | null, required: boolean): FieldError[] {
  const text = note?.trim() ?? '';
  if (required && text === '') return [{ field: 'note', code: 'REQUIRED', message: 'Write why.' }];
  if (text.length > MAX_NOTE)
    return [{ field: 'note', code: 'TOO_LARGE', message: `Keep the note within ${MAX_NOTE} characters.` }];
  return [];
}

export type DiscrepancyDecision =
  | { action: 'CONFIRM' | 'RESOLVE' | 'WRITE_OFF'; note: string | null }
  | { action: 'ASSIGN'; assignee: string | null }
  | { action: 'NOTE'; note: string };

const TARGET: Record<'CONFIRM' | 'RESOLVE' | 'WRITE_OFF', DiscrepancyState> = {
  CONFIRM: 'CONFIRMED',
  RESOLVE: 'RESOLVED',
  WRITE_OFF: 'WRITTEN_OFF',
};

/**
 * Applies a finance decision under a row lock, audited in the same transaction. Moves follow the
 * discrepancy lifecycle; a refused move answers its reason on `id` and changes nothing. Resolving
 * and writing off need a note saying why.
 */
export async function decideDiscrepancy(
  pool: pg.Pool,
  id: string,
  decision: DiscrepancyDecision,
  actor: string,
  now: Date,
): Promise<Result<DiscrepancyRow>> {
  const defects =
    decision.action === 'ASSIGN'
      ? (decision.assignee?.length ?? 0) > 100
        ? [{ field: 'assignee', code: 'TOO_LARGE', message: 'Name the assignee in 100 characters or fewer.' }]
        : []
      : checkNote(decision.note, decision.action !== 'CONFIRM');
  if (defects.length > 0) return fail(defects);
  return inTransaction(pool, async (tx) => {
    const item = await findDiscrepancy(tx, id, true);
    if (!item) return fail(notFound);
    let toState: DiscrepancyState = item.state;
    if (decision.action === 'CONFIRM' || decision.action === 'RESOLVE' || decision.action === 'WRITE_OFF') {
      toState = TARGET[decision.action];
      const check = discrepancyLifecycle.canTransition(item.state, toState);
      if (!check.ok) return fail([{ field: 'id', code: check.code, message: check.reason }]);
    }
    const assignee = decision.action === 'ASSIGN' ? decision.assignee?.trim() || null : item.assignee;
    await tx.query(
      'update reconciliation_item set state = $2, assignee = $3, updated_at = $4 where id = $1',
      [id, toState, assignee, now],
    );
    const note =
      decision.action === 'ASSIGN'
        ? assignee
          ? `assigned to ${assignee}`
          : 'unassigned'
        : decision.note?.trim() || null;
    await tx.query(
      `insert into reconciliation_audit (item_id, action, actor, from_state, to_state, note, at)
       values ($1, $2, $3, $4, $5, $6, $7)`,
      [id, decision.action, actor, item.state, toState, note, now],
    );
    return ok({ ...item, state: toState, assignee, updatedAt: now });
  });
}
