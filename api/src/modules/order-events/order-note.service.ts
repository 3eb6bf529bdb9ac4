import type pg from 'pg';
import type { Viewer } from '../../domain/auth/viewer.js';
import { type FieldError, fail, ok, type Result } from '../../domain/shared/result.js';
import type { OrderNoteType } from './order-note.types.js';

export const MAX_NOTE_LENGTH = 2000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Adds a staff note to an order; the author and role come from the signed-in viewer. */
export async function addOrderNote(
  pool: pg.Pool,
  viewer: Viewer,
  orderId: string,
  text: string,
  now: Date,
): Promise<Result<OrderNoteType>> {
  if (viewer.kind !== 'STAFF')
    return fail([{ field: 'orderId', code: 'FORBIDDEN', message: 'only staff may add notes' }]);
  const body = text.trim();
  const errors: FieldError[] = [];
  if (body === '') errors.push({ field: 'text', code: 'REQUIRED', message: 'the note is empty' });
  else if (body.length > MAX_NOTE_LENGTH)
    errors.push({ field: 'text', code: 'TOO_LONG', message: `at most ${MAX_NOTE_LENGTH} characters` });
  const notFound = { field: 'orderId', code: 'ORDER_NOT_FOUND', message: 'no order with this id' };
  if (!UUID.test(orderId)) errors.push(notFound);
  if (errors.length > 0) return fail(errors);

  const role = viewer.roles[0] ?? 'STAFF';
  const { rows } = await pool.query<{ id: string; order_id: string; created_at: Date }>(
    `insert into order_note (order_id, author_id, author_username, author_role, text, created_at)
     select id, $2, $3, $4, $5, $6 from orders where id = $1
     returning id, order_id, created_at`,
    [orderId, viewer.userId, viewer.username, role, body, now.toISOString()],
  );
  if (rows.length === 0) return fail([notFound]);
  return ok({
    id: rows[0].id,
    orderId: rows[0].order_id,
    author: { userId: viewer.userId, username: viewer.username },
    role,
    text: body,
    createdAt: rows[0].created_at,
  });
}
