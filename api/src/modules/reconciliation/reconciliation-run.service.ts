import type pg from 'pg';
import type { MatchingSettings } from '../../domain/reconciliation/reconciliation-types.js';
import { businessDayRange } from '../../domain/sla/business-time.js';
import { enqueueOutbox, type SqlExecutor } from '../../infra/outbox/outbox.js';
import { liveEventsEntry } from '../../infra/pubsub/live-events.js';
import { computeOutcomes, PASS_TABLES, type RunScope } from './reconciliation-run.sql.js';

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
 * Reconciles a range of business days: the rules applied set-wise once over the whole range into
 * `run_outcome` (on a connection of its own, kept for the run), then merged day by day, one
 * transaction per day (so a long run shows progress in `reconciliation_run.days_done` and a
 * failure keeps the days before it). The queue `reconciliation_item` holds differences only, by
 * item key: a new difference is inserted and opens, a known one is written only when its answer or
 * state changes — one that now matches is resolved by the run, final ones stay final — every state
 * change audited. Matched payments (most of the money) are not kept as items: the day's counts by
 * outcome go to `reconciliation_day_outcome`, which the report, the ERP export and the invoice
 * check read. The day's new differences are announced as one `discrepancyFound` event through the
 * outbox, all in the day's transaction.
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
  const session = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  session.on('error', onError);
  try {
    const scope: RunScope = {
      from: businessDayRange(days[0]).from,
      to: businessDayRange(days[days.length - 1]).to,
      shop: request.shop,
    };
    const sizes = await inSessionTransaction(session, async () => {
      // Payments recorded before this time were seen by the scope's reading. A payment's
      // `recorded_at` is when its transaction began, which may commit after the reading; a minute
      // before it leaves room for any write transaction of the platform (bounded by its statement
      // and idle-in-transaction timeouts) to have committed. An order paid meanwhile waits for the
      // next run to count as reconciled.
      const read = await session.query<{ at: Date }>(`select now() - interval '1 minute' as at`);
      const computed = await computeOutcomes(session, scope, request.settings, request.now, true);
      // Each item already in the queue, with its state before the run, read in a statement of its
      // own: read inside the writes, a plan made while the queue was empty would scan every row
      // just written, once per outcome. The days' items are apart, so one read serves every day.
      await session.query(
        `create temp table run_prior on commit preserve rows as
           select o.item_key, o.merge_day, i.id, i.state, i.outcome, i.order_id, i.record_id, i.gateway, i.payment_no,
                  i.expected_cents, i.actual_cents
             from run_outcome o join reconciliation_item i on i.item_key = o.item_key`,
      );
      // The known items whose answer or state this run changes (on a re-run, few), with their
      // next state: a difference stays open, one that now matches is resolved by the run, final
      // ones stay final.
      await session.query(
        `create temp table run_change on commit preserve rows as
           select * from (
             select p.id, o.merge_day, p.state as from_state, o.type, o.order_id, o.record_id, o.gateway, o.payment_no,
                    o.expected_cents, o.actual_cents,
                    case
                      when p.state in ('RESOLVED', 'WRITTEN_OFF') then p.state
                      when o.type = 'MATCHED' then case when p.state is null then null else 'RESOLVED' end
                      else coalesce(p.state, 'OPEN') end as to_state,
                    (p.outcome, p.order_id, p.record_id, p.gateway, p.payment_no, p.expected_cents, p.actual_cents)
                      is distinct from (o.type, o.order_id, o.record_id, o.gateway, o.payment_no, o.expected_cents, o.actual_cents)
                      as answer_changed
               from run_outcome o join run_prior p on p.item_key = o.item_key
           ) n where n.answer_changed or n.from_state is distinct from n.to_state`,
      );
      await session.query('create index on run_outcome (merge_day)');
      return { ...computed, countedAt: read.rows[0].at };
    });
    add('orders', sizes.orders);
    add('records', sizes.records);
    for (const [index, day] of days.entries()) {
      const dayCounts = await inSessionTransaction(session, () =>
        mergeDay(session, { runId, day, first: index === 0, countedAt: sizes.countedAt }, request),
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
  } finally {
    if (!lost) await session.query(`drop table if exists ${PASS_TABLES}`).catch(() => undefined);
    session.off('error', onError);
    // A connection that dropped is discarded rather than returned to the pool.
    session.release(lost);
  }
}

/**
 * The memory each sort and hash of a run may use before spilling to disk. A run hashes its whole
 * scope at once: at 1,000,000 orders its largest hash tables take about 300 MB; at 64 MB they
 * spilled and the day's expected payments took 13.5 s instead of 3.6 s. One run's session uses it
 * (PostgreSQL's `hash_mem_multiplier` doubles it for hashes), for the run's transactions only.
 */
const RUN_WORK_MEM = '256MB';

/** One transaction on the run's own connection, whose sets are sorted and hashed in memory. */
async function inSessionTransaction<T>(session: pg.PoolClient, work: () => Promise<T>): Promise<T> {
  await session.query('begin');
  try {
    await session.query(`set local work_mem = '${RUN_WORK_MEM}'`);
    const result = await work();
    await session.query('commit');
    return result;
  } catch (error) {
    await session.query('rollback').catch(() => undefined);
    throw error;
  }
}

/**
 * Merges the outcomes of `day` (`merge_day`) into the queue. The first day's transaction also
 * resolves the open differences of the run's orders and records that no rule finds any more.
 */
async function mergeDay(
  tx: SqlExecutor,
  { runId, day, first, countedAt }: { runId: string; day: string; first: boolean; countedAt: Date },
  request: RunRequest,
): Promise<Record<string, number>> {
  // New differences: a plain insert, each audited (a matched payment is counted below, not kept).
  const inserted = await tx.query(
    `with ins as (
       insert into reconciliation_item (item_key, outcome, state, order_id, record_id, shop, channel, channel_order_no,
                                        gateway, payment_no, expected_cents, actual_cents, business_date,
                                        last_run_id, found_at, updated_at)
       select o.item_key, o.type, 'OPEN', o.order_id, o.record_id,
              o.shop, o.channel, o.channel_order_no, o.gateway, o.payment_no, o.expected_cents, o.actual_cents,
              o.business_date, $1, $2, $2
         from run_outcome o
        where o.merge_day = $3 and o.type <> 'MATCHED'
          and not exists (select 1 from run_prior p where p.merge_day = $3 and p.item_key = o.item_key)
       -- A run of an overlapping range committed the item meanwhile: its answer stands.
       on conflict (item_key) do nothing
       returning id, outcome, state
     ),
     audit as (
       insert into reconciliation_audit (item_id, action, actor, from_state, to_state, note, at)
       select id, 'FOUND', 'reconciliation', null, 'OPEN', outcome, $2 from ins where state = 'OPEN'
     )
     select outcome, count(*)::int as opened from ins where state = 'OPEN' group by outcome`,
    [runId, request.now, day],
  );
  // Known items: only those whose answer or state changes (`run_change`) are written, each state
  // change audited.
  const updated = await tx.query(
    `with up as (
       update reconciliation_item i set
         outcome = n.type, order_id = n.order_id, record_id = n.record_id, gateway = n.gateway,
         payment_no = n.payment_no, expected_cents = n.expected_cents, actual_cents = n.actual_cents,
         state = n.to_state, last_run_id = $1, updated_at = $2
         from run_change n
        where i.id = n.id and n.merge_day = $3
       returning i.id, i.outcome, n.from_state, i.state as to_state
     ),
     audit as (
       insert into reconciliation_audit (item_id, action, actor, from_state, to_state, note, at)
       select id, case when to_state = 'OPEN' then 'FOUND' else 'CLEARED_BY_RUN' end, 'reconciliation',
              from_state, to_state, outcome, $2
         from up where to_state is distinct from from_state
     )
     select outcome, count(*)::int as opened from up
      where to_state = 'OPEN' and from_state is distinct from 'OPEN' group by outcome`,
    [runId, request.now, day],
  );
  // The day's counts by outcome (matched payments are counted, not kept as items) replace what an
  // earlier run counted for the day and shop.
  await tx.query(
    'delete from reconciliation_day_outcome where merge_day = $1 and ($2::text is null or shop = $2)',
    [day, request.shop],
  );
  // The same counts, by outcome, are the run's own for the day.
  const outcomes = await tx.query(
    `with counted as (
       insert into reconciliation_day_outcome (shop, merge_day, business_date, outcome, n, run_id, counted_at)
       select shop, merge_day, business_date, type, count(*), $1, $3 from run_outcome where merge_day = $2
        group by shop, merge_day, business_date, type
       returning outcome, n
     )
     select outcome, sum(n)::int as n from counted group by outcome`,
    [runId, day, countedAt],
  );
  const cleared = first
    ? await tx.query(
        `with cleared as (
       update reconciliation_item i set state = 'RESOLVED', updated_at = $2, last_run_id = $1
        where i.state in ('OPEN', 'CONFIRMED') and i.last_run_id <> $1
          and (i.order_id in (select id from scope_order) or i.record_id in (select id from scope_rec))
          and not exists (select 1 from run_outcome o where o.item_key = i.item_key)
       returning i.id, i.outcome
     )
     insert into reconciliation_audit (item_id, action, actor, from_state, to_state, note, at)
     select id, 'CLEARED_BY_RUN', 'reconciliation', 'OPEN', 'RESOLVED', outcome, $2 from cleared`,
        [runId, request.now],
      )
    : null;
  const counts: Record<string, number> = { cleared: cleared?.rowCount ?? 0 };
  for (const row of outcomes.rows as { outcome: string; n: number }[]) counts[row.outcome] = row.n;
  const opened: Record<string, number> = {};
  for (const row of [...inserted.rows, ...updated.rows] as { outcome: string; opened: number }[])
    opened[row.outcome] = (opened[row.outcome] ?? 0) + row.opened;
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
