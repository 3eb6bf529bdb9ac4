import type { TicketState } from '../../domain/ticket/ticket-lifecycle.js';
import { COLUMNS, type Db, type DbRow, FROM, isUuid, type TicketRow, toRow } from './ticket.row.js';

export interface TicketListFilter {
  state?: TicketState | null;
  groupId?: string | null;
  assigneeUserId?: string | null;
  orderId?: string | null;
}

const CURSOR_PREFIX = 't1|';

export function encodeTicketCursor(createdAt: string, id: string): string {
  return Buffer.from(`${CURSOR_PREFIX}${createdAt}|${id}`, 'utf8').toString('base64url');
}

export function decodeTicketCursor(text: string): { createdAt: string; id: string } | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(text)) return null;
  const decoded = Buffer.from(text, 'base64url').toString('utf8');
  if (!decoded.startsWith(CURSOR_PREFIX)) return null;
  const [createdAt, id, ...rest] = decoded.slice(CURSOR_PREFIX.length).split('|');
  if (rest.length > 0 || !id || !isUuid(id) || Number.isNaN(Date.parse(createdAt ?? ''))) return null;
  return { createdAt, id };
}

function whereOf(filter: TicketListFilter, params: unknown[]): string {
  const conditions: string[] = [];
  const add = (sql: (p: string) => string, value: unknown) => {
    params.push(value);
    conditions.push(sql(`$${params.length}`));
  };
  if (filter.state) add((p) => `t.state = ${p}`, filter.state);
  if (filter.groupId) add((p) => `t.group_id = ${p}`, filter.groupId);
  if (filter.assigneeUserId) add((p) => `t.assignee_user_id = ${p}`, filter.assigneeUserId);
  if (filter.orderId) add((p) => `t.order_id = ${p}::uuid`, filter.orderId);
  return conditions.length > 0 ? conditions.join(' and ') : 'true';
}

/** Newest first (created at, then id), one page after `after`. */
export async function listTickets(
  db: Db,
  filter: TicketListFilter,
  first: number,
  after: { createdAt: string; id: string } | null,
): Promise<{ rows: { cursor: string; ticket: TicketRow }[]; hasNextPage: boolean }> {
  if (filter.orderId && !isUuid(filter.orderId)) return { rows: [], hasNextPage: false };
  const params: unknown[] = [];
  let where = whereOf(filter, params);
  if (after) {
    params.push(after.createdAt, after.id);
    where += ` and (t.created_at, t.id) < ($${params.length - 1}::timestamptz, $${params.length}::uuid)`;
  }
  params.push(first + 1);
  const { rows } = await db.query<DbRow>(
    `select ${COLUMNS} from ${FROM} where ${where} order by t.created_at desc, t.id desc limit $${params.length}`,
    params,
  );
  return {
    rows: rows
      .slice(0, first)
      .map((r) => ({ cursor: encodeTicketCursor(r.cursor_at, r.id), ticket: toRow(r) })),
    hasNextPage: rows.length > first,
  };
}

export async function countTickets(db: Db, filter: TicketListFilter): Promise<number> {
  if (filter.orderId && !isUuid(filter.orderId)) return 0;
  const params: unknown[] = [];
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from ticket t where ${whereOf(filter, params)}`,
    params,
  );
  return rows[0].n;
}
