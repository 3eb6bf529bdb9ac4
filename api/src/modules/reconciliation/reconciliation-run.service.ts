import type pg from 'pg';
import type { MatchingSettings } from '../../domain/reconciliation/reconciliation-types.js';
import { businessDayRange } from '../../domain/sla/business-time.js';
import { inTransaction } from '../../infra/db/transaction.js';
import { enqueueOutbox, type SqlExecutor } from '../../infra/outbox/outbox.js';
import { liveEventsEntry } from '../../infra/pubsub/live-events.js';
import { computeOutcomes, type RunScope } from './reconciliation-run.sql.js';

export interface RunRequest {
  shop: string | null;
  fromDate: string;
  toDate: string;
  trigger: 'SCHEDULE' | 'MANUAL';
  startedBy: string;
  settings: MatchingSettings;
  /** Business time the rules judge by (settlement windows). */
  now: Date;
}

export interface RunSummary {
  id: string;
  state: 'DONE' | 'FAILED';
  counts: Record<string, number>;
  durationMs: number;
  error: string | null;
}

const DAY_MS = 86_400_000;

/** Every business day from `from` to `to`, both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (
    let at = businessDayRange(from).from.getTime();
    at <= businessDayRange(to).from.getTime();
    at += DAY_MS
  )
    days.push(new Date(at + 8 * 3600_000).toISOString().slice(0, 10));
  return days;
}

/**
 * Reconciles a range of business days, one day per transaction (so a long run shows progress in
 * `reconciliation_run.days_done` and a failure keeps the days before it). Each day: the rules
 * set-wise into `run_outcome`, then merged into `reconciliation_item` by item key — a matched item
 * keeps no state, a new difference opens, one that now matches is resolved by the run, final ones
 * stay final — every state change audited, and the day's new differences announced as one
 * `discrepancyFound` event through the outbox, all in the day's transaction.
 */
export async function runReconciliation(pool: pg.Pool, request: RunRequest): Promise<RunSummary> {
  const days = daysBetween(request.fromDate, request.toDate);
  const started = Date.now();
  const { rows } = await pool.query<{ id: string }>(
    `insert into reconciliation_run (shop, from_date, to_date, trigger, started_by, state, days_done, days_total,
                                     counts, settings, started_at)
     values ($1, $2, $3, $4, $5, 'RUNNING', 0, $6, '{}', $7, $8) returning id`,
    [
      request.shop,
      request.fromDate,
      request.toDate,
      request.trigger,
      request.startedBy,
      days.length,
      JSON.stringify(request.settings),
      request.now,
    ],
  );
  const runId = rows[0].id;
  const counts: Record<string, number> = {};
  const add = (key: string, n: number) => {
    counts[key] = (counts[key] ?? 0) + n;
  };
  try {
    for (const [index, day] of days.entries()) {
      const range = businessDayRange(day);
      const dayCounts = await inTransaction(pool, (tx) =>
        reconcileDay(tx, runId, day, { ...range, shop: request.shop }, request),
      );
      for (const [key, n] of Object.entries(dayCounts)) add(key, n);
      await pool.query('update reconciliation_run set days_done = $2, counts = $3 where id = $1', [
        runId,
        index + 1,
        JSON.stringify(counts),
      ]);
    }
    const durationMs = Date.now() - started;
    await pool.query(
      `update reconciliation_run set state = 'DONE', finished_at = $2, duration_ms = $3 where id = $1`,
      [runId, new Date(request.now.getTime() + durationMs), durationMs],
    );
    return { id: runId, state: 'DONE', counts, durationMs, error: null };
  } catch (error) {
    const durationMs = Date.now() - started;
    const message = (error as Error).message.slice(0, 500);
    await pool.query(
      `update reconciliation_run set state = 'FAILED', error = $2, finished_at = $3, duration_ms = $4 where id = $1`,
      [runId, message, new Date(request.now.getTime() + durationMs), durationMs],
    );
    return { id: runId, state: 'FAILED', counts, durationMs, error: message };
  }
}

async function reconcileDay(
  tx: SqlExecutor,
  runId: string,
  day: string,
  scope: RunScope,
  request: RunRequest,
): Promise<Record<string, number>> {
  // The day's sets are sorted and hashed in memory rather than spilled to disk.
  await tx.query(`set local work_mem = '64MB'`, []);
  const sizes = await computeOutcomes(tx, scope, request.settings, request.now);
  // Each item's state before the merge, read in a statement of its own: read inside the upsert, a
  // plan made while the queue was empty would scan every row the upsert had just written, once per
  // outcome.
  await tx.query(
    `create temp table run_prior on commit drop as
       select o.item_key, i.state from run_outcome o join reconciliation_item i on i.item_key = o.item_key`,
    [],
  );
  // One statement: the upsert by item key and the audit of every state that changed.
  const merged = await tx.query(
    `with up as (
       insert into reconciliation_item as i (item_key, outcome, state, order_id, record_id, shop, channel, channel_order_no,
                                             gateway, payment_no, expected_cents, actual_cents, business_date,
                                             last_run_id, found_at, updated_at)
       select o.item_key, o.type, case when o.type = 'MATCHED' then null else 'OPEN' end, o.order_id, o.record_id,
              o.shop, o.channel, o.channel_order_no, o.gateway, o.payment_no, o.expected_cents, o.actual_cents,
              o.business_date, $1, $2, $2
         from run_outcome o
       on conflict (item_key) do update set
         outcome = excluded.outcome, order_id = excluded.order_id, record_id = excluded.record_id,
         gateway = excluded.gateway, payment_no = excluded.payment_no, expected_cents = excluded.expected_cents,
         actual_cents = excluded.actual_cents, last_run_id = excluded.last_run_id, updated_at = excluded.updated_at,
         state = case
           when i.state in ('RESOLVED', 'WRITTEN_OFF') then i.state
           when excluded.outcome = 'MATCHED' then case when i.state is null then null else 'RESOLVED' end
           else coalesce(i.state, 'OPEN') end
       returning i.id, i.item_key, i.outcome, i.state as to_state
     ),
     changes as (
       select up.id, up.outcome, p.state as from_state, up.to_state
         from up left join run_prior p on p.item_key = up.item_key
        where up.to_state is distinct from p.state
     ),
     audit as (
       insert into reconciliation_audit (item_id, action, actor, from_state, to_state, note, at)
       select id, case when to_state = 'OPEN' then 'FOUND' else 'CLEARED_BY_RUN' end, 'reconciliation',
              from_state, to_state, outcome, $2
         from changes
     )
     select up.outcome, count(*)::int as n, count(c.id) filter (where c.to_state = 'OPEN')::int as opened
       from up left join changes c on c.id = up.id
      group by up.outcome`,
    [runId, request.now],
  );
  const cleared = await tx.query(
    `with cleared as (
       update reconciliation_item i set state = 'RESOLVED', updated_at = $2, last_run_id = $1
        where i.state in ('OPEN', 'CONFIRMED') and i.last_run_id <> $1
          and (i.order_id in (select order_id from scope_order) or i.record_id in (select id from scope_rec))
          and not exists (select 1 from run_outcome o where o.item_key = i.item_key)
       returning i.id, i.outcome
     )
     insert into reconciliation_audit (item_id, action, actor, from_state, to_state, note, at)
     select id, 'CLEARED_BY_RUN', 'reconciliation', 'OPEN', 'RESOLVED', outcome, $2 from cleared`,
    [runId, request.now],
  );
  const counts: Record<string, number> = {
    orders: sizes.orders,
    records: sizes.records,
    cleared: cleared.rowCount ?? 0,
  };
  const opened: Record<string, number> = {};
  for (const row of merged.rows as { outcome: string; n: number; opened: number }[]) {
    counts[row.outcome] = row.n;
    if (row.opened > 0) opened[row.outcome] = row.opened;
  }
  const total = Object.values(opened).reduce((s, n) => s + n, 0);
  counts.opened = total;
  if (total > 0)
    await enqueueOutbox(
      tx,
      liveEventsEntry('DISCREPANCY_FOUND', [
        {
          runId,
          shop: request.shop,
          businessDate: day,
          total,
          byType: opened,
          occurredAt: request.now.toISOString(),
        },
      ]),
    );
  return counts;
}
