/** One side effect to record with the state change that causes it. */
export interface OutboxEntry {
  topic: string;
  /** Same key, same effect: a second enqueue of it is ignored. */
  dedupeKey: string;
  payload: Record<string, unknown>;
  /** Deliver not before this time. @default now */
  availableAt?: Date;
  /**
   * Messages of one lane are delivered one call at a time, each lane beside the others: give each
   * receiver of a topic its own lane (e.g. one per WeCom robot) so a slow one delays only itself.
   * @default the topic
   */
  lane?: string;
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
  // One JSON document for the whole batch: nothing to escape per row.
  const result = await tx.query(
    `insert into outbox_message (topic, lane, dedupe_key, payload, available_at)
     select t.topic, coalesce(t.lane, t.topic), t.dedupe_key, t.payload, coalesce(t.available_at, now())
       from json_to_recordset($1::json)
         as t(topic text, lane text, dedupe_key text, payload jsonb, available_at timestamptz)
     on conflict (dedupe_key) do nothing`,
    [
      JSON.stringify(
        entries.map((e) => ({
          topic: e.topic,
          lane: e.lane ?? null,
          dedupe_key: e.dedupeKey,
          payload: e.payload,
          available_at: e.availableAt ?? null,
        })),
      ),
    ],
  );
  await tx.query(`select pg_notify('${OUTBOX_WAKE_CHANNEL}', '')`, []);
  return result.rowCount ?? 0;
}
