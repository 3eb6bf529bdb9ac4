/** One side effect to record with the state change that causes it. */
export interface OutboxEntry {
  topic: string;
  /** Same key, same effect: a second enqueue of it is ignored. */
  dedupeKey: string;
  payload: Record<string, unknown>;
  /** Deliver not before this time. @default now */
  availableAt?: Date;
}

/** The smallest query interface both `pg` clients and MikroORM connections can satisfy. */
export interface SqlExecutor {
  query(sql: string, params: unknown[]): Promise<{ rows: unknown[]; rowCount?: number | null }>;
}

/** Wakes the dispatchers; delivered by PostgreSQL only if the enqueuing transaction commits. */
export const OUTBOX_WAKE_CHANNEL = 'outbox_new';

/**
 * Writes entries in the caller's transaction. Returns how many were new (the rest were
 * duplicates by `dedupeKey`). Must run inside the transaction that changes the state.
 */
export async function enqueueOutbox(tx: SqlExecutor, entries: readonly OutboxEntry[]): Promise<number> {
  if (entries.length === 0) return 0;
  // Two JSON documents for the whole batch, matched by position: flat strings to send, nothing to
  // escape per row, and the payloads parsed once, straight into jsonb.
  const result = await tx.query(
    `insert into outbox_message (topic, dedupe_key, payload, available_at)
     select t.topic, t.dedupe_key, p.payload, coalesce(t.available_at, now())
       from rows from (json_to_recordset($1::json) as (topic text, dedupe_key text, available_at timestamptz))
              with ordinality as t(topic, dedupe_key, available_at, i)
       join jsonb_array_elements($2::jsonb) with ordinality as p(payload, i) using (i)
     on conflict (dedupe_key) do nothing`,
    [
      JSON.stringify(
        entries.map((e) => ({
          topic: e.topic,
          dedupe_key: e.dedupeKey,
          available_at: e.availableAt ?? null,
        })),
      ),
      JSON.stringify(entries.map((e) => e.payload)),
    ],
  );
  await tx.query(`select pg_notify('${OUTBOX_WAKE_CHANNEL}', '')`, []);
  return result.rowCount ?? 0;
}
