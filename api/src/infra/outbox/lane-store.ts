import type pg from 'pg';
import type { BreakerState } from './circuit-breaker.js';
import type { DeliveryOutcome, OutboxRecord } from './outbox-handler.js';
import { MAX_DELIVERY_ATTEMPTS, nextAttemptAt } from './retry-policy.js';

/**
 * The outbox's SQL: which lanes have due messages, claiming with a lease, recording outcomes and
 * the lanes' breakers. A claim pushes `available_at` past the lease, so no other worker takes the
 * messages while they are in flight, and a worker that dies leaves them due again after it.
 */

type Queryable = Pick<pg.Pool, 'query'> | pg.PoolClient;

interface MessageRow {
  id: string;
  topic: string;
  lane: string;
  dedupe_key: string;
  payload: Record<string, unknown>;
  attempts: number;
  created_at: Date;
}

const toRecord = (row: MessageRow): OutboxRecord => ({
  id: row.id,
  topic: row.topic,
  lane: row.lane,
  dedupeKey: row.dedupe_key,
  payload: row.payload,
  attempts: row.attempts,
  createdAt: row.created_at,
});

export interface DueLane {
  lane: string;
  topic: string;
  breaker: BreakerState;
}

/** Lanes with a due message whose breaker is not open, oldest first. */
export async function dueLanes(db: Queryable, limit: number): Promise<DueLane[]> {
  const { rows } = await db.query<{
    lane: string;
    topic: string;
    consecutive_failures: number | null;
    open_until: Date | null;
  }>(
    `select d.lane, d.topic, l.consecutive_failures, l.open_until
       from (select lane, min(topic) as topic, min(available_at) as oldest from outbox_message
              where delivered_at is null and dead_at is null and available_at <= now()
              group by lane) d
       left join outbox_lane l on l.lane = d.lane
      where l.open_until is null or l.open_until <= now()
      order by d.oldest limit $1`,
    [limit],
  );
  return rows.map((r) => ({
    lane: r.lane,
    topic: r.topic,
    breaker: { consecutiveFailures: r.consecutive_failures ?? 0, openUntil: r.open_until },
  }));
}

const CLAIMABLE = `select id from outbox_message
   where lane = $1 and delivered_at is null and dead_at is null and available_at <= now()
   order by available_at, id limit $2 for update skip locked`;

/** Claims up to `limit` due messages of `lane` for `leaseMs`, counting the attempt. */
export async function claimWithLease(
  db: Queryable,
  lane: string,
  limit: number,
  leaseMs: number,
): Promise<OutboxRecord[]> {
  const { rows } = await db.query<MessageRow>(
    `update outbox_message m set available_at = now() + $3 * interval '1 millisecond'
       from (${CLAIMABLE}) c where m.id = c.id
     returning m.id, m.topic, m.lane, m.dedupe_key, m.payload, m.attempts, m.created_at`,
    [lane, limit, leaseMs],
  );
  return rows.map(toRecord).sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)));
}

/** Locks up to `limit` due messages of `lane` in the caller's transaction (transactional handlers). */
export async function claimInTransaction(
  tx: pg.PoolClient,
  lane: string,
  limit: number,
): Promise<OutboxRecord[]> {
  const { rows } = await tx.query<MessageRow>(
    `select id, topic, lane, dedupe_key, payload, attempts, created_at from outbox_message
      where id in (${CLAIMABLE}) order by id`,
    [lane, limit],
  );
  return rows.map(toRecord);
}

export interface OutcomeTotals {
  delivered: number;
  failed: number;
  dead: number;
  deferred: number;
}

/**
 * Records each message's outcome as soon as its delivery call returned: delivered ones get
 * `delivered_at` (the time of delivery), failed ones their backoff, held-back ones their new time.
 */
export async function recordOutcomes(
  db: Queryable,
  messages: readonly OutboxRecord[],
  outcomes: readonly DeliveryOutcome[],
  deliveredBy: string,
  now: Date,
): Promise<OutcomeTotals> {
  const totals: OutcomeTotals = { delivered: 0, failed: 0, dead: 0, deferred: 0 };
  const delivered: string[] = [];
  const updates: { id: string; attempts: number; error: string; at: string; dead: boolean }[] = [];
  for (const [i, message] of messages.entries()) {
    const outcome = outcomes[i];
    if (outcome.ok) {
      delivered.push(message.id);
      continue;
    }
    const attempts = message.attempts + (outcome.notAttempted ? 0 : 1);
    const dead = !outcome.notAttempted && (!outcome.retryable || attempts >= MAX_DELIVERY_ATTEMPTS);
    const at = outcome.retryAt ?? nextAttemptAt(now, attempts, Math.random());
    totals[dead ? 'dead' : outcome.notAttempted ? 'deferred' : 'failed'] += 1;
    updates.push({
      id: message.id,
      attempts,
      error: outcome.error.slice(0, 2000),
      at: at.toISOString(),
      dead,
    });
  }
  if (delivered.length > 0) {
    await db.query(
      `update outbox_message set delivered_at = clock_timestamp(), delivered_by = $2,
              attempts = attempts + 1, last_error = null
        where id = any($1::bigint[]) and delivered_at is null`,
      [delivered, deliveredBy],
    );
    totals.delivered = delivered.length;
  }
  if (updates.length > 0)
    await db.query(
      `update outbox_message m set attempts = u.attempts, last_error = u.error, available_at = u.at,
              dead_at = case when u.dead then now() else null end
         from json_to_recordset($1::json) as u(id bigint, attempts int, error text, at timestamptz, dead boolean)
        where m.id = u.id and m.delivered_at is null`,
      [JSON.stringify(updates)],
    );
  return totals;
}

/** Saves a lane's breaker (and the last error, for operators). */
export async function saveBreaker(
  db: Queryable,
  lane: string,
  topic: string,
  state: BreakerState,
  lastError: string | null,
): Promise<void> {
  await db.query(
    `insert into outbox_lane (lane, topic, consecutive_failures, open_until, last_error, changed_at)
     values ($1, $2, $3, $4, $5, now())
     on conflict (lane) do update set consecutive_failures = excluded.consecutive_failures,
       open_until = excluded.open_until, last_error = coalesce(excluded.last_error, outbox_lane.last_error),
       changed_at = now()`,
    [lane, topic, state.consecutiveFailures, state.openUntil, lastError?.slice(0, 2000) ?? null],
  );
}

export interface LaneHealth {
  lane: string;
  topic: string;
  consecutiveFailures: number;
  openUntil: Date | null;
  lastError: string | null;
  pending: number;
  oldestPendingSince: Date | null;
}

/** Lanes with messages waiting or a breaker not closed, the longest waiting first. */
export async function loadLaneHealth(db: Queryable, limit = 100): Promise<LaneHealth[]> {
  const { rows } = await db.query<{
    lane: string;
    topic: string;
    consecutive_failures: number | null;
    open_until: Date | null;
    last_error: string | null;
    pending: number | null;
    oldest: Date | null;
  }>(
    `with waiting as (
       select lane, min(topic) as topic, count(*)::int as pending, min(created_at) as oldest
         from outbox_message where delivered_at is null and dead_at is null group by lane)
     select coalesce(w.lane, l.lane) as lane, coalesce(w.topic, l.topic) as topic, l.consecutive_failures,
            l.open_until, l.last_error, w.pending, w.oldest
       from waiting w full join (select * from outbox_lane where consecutive_failures > 0) l on l.lane = w.lane
      order by w.oldest nulls last, 1 limit $1`,
    [limit],
  );
  return rows.map((r) => ({
    lane: r.lane,
    topic: r.topic,
    consecutiveFailures: r.consecutive_failures ?? 0,
    openUntil: r.open_until,
    lastError: r.consecutive_failures ? r.last_error : null,
    pending: r.pending ?? 0,
    oldestPendingSince: r.oldest,
  }));
}
