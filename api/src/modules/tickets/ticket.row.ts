import type pg from 'pg';
import type { TicketState } from '../../domain/ticket/ticket-lifecycle.js';

/** A pool or a client inside a transaction. */
export type Db = pg.Pool | pg.PoolClient;

export interface TicketRow {
  id: string;
  orderId: string;
  channel: string;
  channelOrderNo: string;
  stage: string;
  level: number;
  deadline: Date;
  groupId: string | null;
  assigneeUserId: string | null;
  assigneeName: string | null;
  state: TicketState;
  resolution: string | null;
  createdAt: Date;
  updatedAt: Date;
  acknowledgedAt: Date | null;
  acknowledgedBy: string | null;
  resolvedAt: Date | null;
  resolvedBy: string | null;
  escalatedAt: Date | null;
  escalatedToTicketId: string | null;
}

export interface TicketCommentRow {
  id: string;
  ticketId: string;
  authorUserId: string;
  authorName: string;
  text: string;
  createdAt: Date;
}

/** Who acts on a ticket. */
export interface Actor {
  userId: string;
  username: string;
}

export const COLUMNS = `t.id, t.order_id, o.channel, o.channel_order_no, t.stage, t.level, t.deadline, t.group_id,
  t.assignee_user_id, t.assignee_name, t.state, t.resolution, t.created_at, t.updated_at, t.acknowledged_at,
  t.acknowledged_by, t.resolved_at, t.resolved_by, t.escalated_at, t.escalated_to_ticket_id,
  to_char(t.created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_at`;
export const FROM = 'ticket t join orders o on o.id = t.order_id';

export interface DbRow {
  id: string;
  order_id: string;
  channel: string;
  channel_order_no: string;
  stage: string;
  level: number;
  deadline: Date;
  group_id: string | null;
  assignee_user_id: string | null;
  assignee_name: string | null;
  state: TicketState;
  resolution: string | null;
  created_at: Date;
  updated_at: Date;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  resolved_at: Date | null;
  resolved_by: string | null;
  escalated_at: Date | null;
  escalated_to_ticket_id: string | null;
  cursor_at: string;
}

export const toRow = (r: DbRow): TicketRow => ({
  id: r.id,
  orderId: r.order_id,
  channel: r.channel,
  channelOrderNo: r.channel_order_no,
  stage: r.stage,
  level: r.level,
  deadline: r.deadline,
  groupId: r.group_id,
  assigneeUserId: r.assignee_user_id,
  assigneeName: r.assignee_name,
  state: r.state,
  resolution: r.resolution,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
  acknowledgedAt: r.acknowledged_at,
  acknowledgedBy: r.acknowledged_by,
  resolvedAt: r.resolved_at,
  resolvedBy: r.resolved_by,
  escalatedAt: r.escalated_at,
  escalatedToTicketId: r.escalated_to_ticket_id,
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (text: string) => UUID.test(text);

export async function findTicket(db: Db, id: string, lock = false): Promise<TicketRow | null> {
  if (!isUuid(id)) return null;
  const { rows } = await db.query<DbRow>(
    `select ${COLUMNS} from ${FROM} where t.id = $1${lock ? ' for update of t' : ''}`,
    [id],
  );
  return rows[0] ? toRow(rows[0]) : null;
}

export async function listComments(db: Db, ticketId: string): Promise<TicketCommentRow[]> {
  const { rows } = await db.query<{
    id: string;
    ticket_id: string;
    author_user_id: string;
    author_name: string;
    text: string;
    created_at: Date;
  }>(
    `select id, ticket_id, author_user_id, author_name, text, created_at from ticket_comment
      where ticket_id = $1 order by created_at, id`,
    [ticketId],
  );
  return rows.map((r) => ({
    id: String(r.id),
    ticketId: r.ticket_id,
    authorUserId: r.author_user_id,
    authorName: r.author_name,
    text: r.text,
    createdAt: r.created_at,
  }));
}
