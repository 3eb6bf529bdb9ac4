import type pg from 'pg';

export const TIMELINE_LIMIT = 200;

export interface TimelineEntry {
  kind: 'EVENT' | 'NOTE';
  occurredAt: Date;
  receivedAt: Date;
  source: string;
  type: string;
  outcome: string | null;
  fromState: string | null;
  toState: string | null;
  reason: string | null;
  author: { userId: string; username: string } | null;
  role: string | null;
  text: string | null;
}

/**
 * Orders' events and notes merged, each order's newest first (by when they happened, then by
 * arrival), at most `limit` per order, in one query for all of them. Notes are left out when
 * `withNotes` is false. An order without any entry maps to an empty list.
 */
export async function loadTimelines(
  pool: pg.Pool,
  orderIds: readonly string[],
  withNotes: boolean,
  limit = TIMELINE_LIMIT,
): Promise<Map<string, TimelineEntry[]>> {
  const { rows } = await pool.query<{
    order_id: string;
    kind: 'EVENT' | 'NOTE';
    occurred_at: Date;
    received_at: Date;
    source: string;
    type: string;
    outcome: string | null;
    from_state: string | null;
    to_state: string | null;
    reason: string | null;
    author_id: string | null;
    author_username: string | null;
    author_role: string | null;
    text: string | null;
  }>(
    `select o.order_id, t.* from unnest($1::uuid[]) with ordinality as o(order_id, n)
     cross join lateral (
       select * from (
         (select 'EVENT' as kind, e.id as seq, e.occurred_at, e.received_at, e.source, e.type, e.outcome,
                 e.from_state, e.to_state, e.reason, null::uuid as author_id, null::text as author_username,
                 null::text as author_role, null::text as text
            from order_event e where e.order_id = o.order_id
           order by e.occurred_at desc, e.id desc limit $2)
         union all
         (select 'NOTE', 0, n.created_at, n.created_at, 'STAFF', 'NOTE', null, null, null, null,
                 n.author_id, n.author_username, n.author_role, n.text
            from order_note n where n.order_id = o.order_id and $3
           order by n.created_at desc limit $2)
       ) u
       order by occurred_at desc, received_at desc, seq desc
       limit $2
     ) t
     order by o.n, t.occurred_at desc, t.received_at desc, t.seq desc`,
    [orderIds, limit, withNotes],
  );
  const timelines = new Map<string, TimelineEntry[]>(orderIds.map((id) => [id, []]));
  for (const r of rows)
    timelines.get(r.order_id)?.push({
      kind: r.kind,
      occurredAt: r.occurred_at,
      receivedAt: r.received_at,
      source: r.source,
      type: r.type,
      outcome: r.outcome,
      fromState: r.from_state,
      toState: r.to_state,
      reason: r.reason,
      author: r.author_id ? { userId: r.author_id, username: r.author_username ?? '' } : null,
      role: r.author_role,
      text: r.text,
    });
  return timelines;
}
