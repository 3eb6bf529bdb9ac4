import type pg from 'pg';
import { type FieldError, fail, ok, type Result } from '../../domain/shared/result.js';
import { ticketLifecycle } from '../../domain/ticket/ticket-lifecycle.js';
import { inTransaction } from '../../infra/db/transaction.js';
import { type Actor, findTicket, type TicketCommentRow, type TicketRow } from './ticket.row.js';

const notFound = (): FieldError[] => [{ field: 'id', code: 'NOT_FOUND', message: 'No ticket has this id.' }];

export const MAX_TEXT = 2000;

function checkText(value: string, field: string, what: string): FieldError[] {
  const text = value.trim();
  if (text === '') return [{ field, code: 'REQUIRED', message: `Write ${what}.` }];
  if (text.length > MAX_TEXT)
    return [{ field, code: 'TOO_LARGE', message: `Keep ${what} within ${MAX_TEXT} characters.` }];
  return [];
}

/**
 * Moves a ticket to ACKNOWLEDGED or RESOLVED as `actor`, under a row lock. A move the ticket
 * lifecycle refuses is answered with its reason on `id`, and nothing changes.
 */
export async function moveTicket(
  pool: pg.Pool,
  id: string,
  to: 'ACKNOWLEDGED' | 'RESOLVED',
  actor: Actor,
  now: Date,
  resolution?: string,
): Promise<Result<TicketRow>> {
  if (to === 'RESOLVED') {
    const defects = checkText(resolution ?? '', 'resolution', 'how it was resolved');
    if (defects.length > 0) return fail(defects);
  }
  return inTransaction(pool, async (tx) => {
    const ticket = await findTicket(tx, id, true);
    if (!ticket) return fail(notFound());
    const check = ticketLifecycle.canTransition(ticket.state, to);
    if (!check.ok) return fail([{ field: 'id', code: check.code, message: check.reason }]);
    if (to === 'ACKNOWLEDGED')
      await tx.query(
        `update ticket set state = 'ACKNOWLEDGED', acknowledged_at = $2, acknowledged_by = $3, updated_at = $2
          where id = $1`,
        [id, now, actor.username],
      );
    else
      await tx.query(
        `update ticket set state = 'RESOLVED', resolved_at = $2, resolved_by = $3, resolution = $4, updated_at = $2
          where id = $1`,
        [id, now, actor.username, resolution!.trim()],
      );
    return ok((await findTicket(tx, id))!);
  });
}

/** Appends a comment; allowed in every state, a resolved ticket included. */
export async function addComment(
  pool: pg.Pool,
  id: string,
  actor: Actor,
  text: string,
  now: Date,
): Promise<Result<{ ticket: TicketRow; comment: TicketCommentRow }>> {
  const defects = checkText(text, 'text', 'a comment');
  if (defects.length > 0) return fail(defects);
  return inTransaction(pool, async (tx) => {
    const ticket = await findTicket(tx, id, true);
    if (!ticket) return fail(notFound());
    const { rows } = await tx.query<{ id: string }>(
      `insert into ticket_comment (ticket_id, author_user_id, author_name, text, created_at)
       values ($1, $2, $3, $4, $5) returning id`,
      [id, actor.userId, actor.username, text.trim(), now],
    );
    await tx.query('update ticket set updated_at = $2 where id = $1', [id, now]);
    return ok({
      ticket: { ...ticket, updatedAt: now },
      comment: {
        id: String(rows[0].id),
        ticketId: id,
        authorUserId: actor.userId,
        authorName: actor.username,
        text: text.trim(),
        createdAt: now,
      },
    });
  });
}
