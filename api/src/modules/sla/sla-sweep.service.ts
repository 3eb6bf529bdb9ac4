import type pg from 'pg';
import { inTransaction } from '../../infra/db/transaction.js';
import type { Logger } from '../../infra/logging/logger.js';
import { enqueueOutbox } from '../../infra/outbox/outbox.js';
import { liveEventsEntry } from '../../infra/pubsub/live-events.js';
import { writeOrderClocks } from '../orders/order-store.js';
import { ticketRaisedEvent } from '../tickets/ticket-raised.js';
import { AUTO_RESOLUTION } from './sla-messages.js';
import type { SlaOrderRow } from './sla-order-row.js';
import { loadActivePolicies } from './sla-policy.store.js';
import { reminderDigests } from './sla-reminders.js';
import { planOrderSweep } from './sla-sweep.plan.js';
import {
  claimDueOrders,
  claimOrders,
  historyRowKey,
  insertSlaHistory,
  insertTickets,
  resolveLeftStageTickets,
  writeStageRecords,
} from './sla-sweep.sql.js';
import type { OrderSweepPlan, SlaGroup, SweepContext } from './sla-sweep.types.js';

export interface BatchOutcome {
  claimed: number;
  levelsApplied: number;
  recovered: number;
  tickets: number;
  /**
   * Outbox messages newly enqueued: one per WeCom digest (a batch's reminders for one robot, as
   * many as a message holds), one per batch for each event topic.
   */
  outbox: number;
}

export interface SweepTotals extends BatchOutcome {
  batches: number;
  durationMs: number;
}

/** An order whose judgement failed is looked at again after this long, not in a tight loop. */
const RETRY_FAILED_ORDER_MS = 5 * 60_000;

/**
 * The policies and groups one sweep run judges by, read once at its start: a policy saved before
 * the run applies to all of it, one saved during the run from the next.
 */
export async function loadSweepContext(
  pool: pg.Pool,
  options: { opsWebhookUrl?: string | null; recentLateMinutes?: number; logger?: Logger } = {},
): Promise<SweepContext> {
  const [policies, groups] = await Promise.all([loadActivePolicies(pool, options.logger), loadGroups(pool)]);
  return {
    policies,
    groups,
    opsWebhookUrl: options.opsWebhookUrl ?? null,
    recentLateMinutes: options.recentLateMinutes,
  };
}

async function loadGroups(pool: pg.Pool): Promise<Map<string, SlaGroup>> {
  const { rows } = await pool.query<{
    id: string;
    owner_user_id: string | null;
    owner_name: string | null;
    owner_mobile: string | null;
    supervisor_user_id: string | null;
    supervisor_name: string | null;
    supervisor_mobile: string | null;
    wecom_webhook_url: string | null;
  }>(
    `select id, owner_user_id, owner_name, owner_mobile, supervisor_user_id, supervisor_name, supervisor_mobile,
            wecom_webhook_url
       from processing_group`,
  );
  return new Map(
    rows.map((r) => [
      r.id,
      {
        id: r.id,
        ownerUserId: r.owner_user_id,
        ownerName: r.owner_name,
        ownerMobile: r.owner_mobile,
        supervisorUserId: r.supervisor_user_id,
        supervisorName: r.supervisor_name,
        supervisorMobile: r.supervisor_mobile,
        wecomWebhookUrl: r.wecom_webhook_url,
      },
    ]),
  );
}

/**
 * One batch, inside the caller's transaction: claims up to `batchSize` due orders (`FOR UPDATE
 * SKIP LOCKED`), judges each with the pure SLA rules at `now`, and writes every consequence —
 * clock columns, abnormal flag, stage records, history, tickets, outbox messages — with set-based
 * statements. Nothing is visible until the caller commits; a rollback or a lost connection leaves
 * the orders due, unchanged, for the next sweep.
 */
export async function sweepBatch(
  client: pg.PoolClient,
  context: SweepContext,
  now: Date,
  batchSize: number,
  logger?: Logger,
): Promise<BatchOutcome> {
  return applyJudgements(client, await claimDueOrders(client, now, batchSize), context, now, logger);
}

/**
 * Judges the given orders now, due or not, in one transaction of their own; an order another
 * sweep holds is skipped. The same work as a sweep batch, for callers that name the orders.
 */
export async function judgeOrders(
  pool: pg.Pool,
  context: SweepContext,
  orderIds: readonly string[],
  now: Date,
  logger?: Logger,
): Promise<BatchOutcome> {
  return inTransaction(pool, async (client) =>
    applyJudgements(client, await claimOrders(client, orderIds), context, now, logger),
  );
}

/** Writes every consequence of judging the claimed rows at `now`, in the caller's transaction. */
async function applyJudgements(
  client: pg.PoolClient,
  rows: readonly SlaOrderRow[],
  context: SweepContext,
  now: Date,
  logger?: Logger,
): Promise<BatchOutcome> {
  const plans = rows.map((row) => judge(row, context, now, logger));
  await writeOrderClocks(client, plans, now);
  await writeStageRecords(client, plans);
  const newHistory = await insertSlaHistory(
    client,
    plans.flatMap((p) => p.history),
    now,
  );
  await resolveLeftStageTickets(
    client,
    plans.flatMap((p) => (p.resolveTicketsOf ? [{ orderId: p.orderId, stage: p.resolveTicketsOf }] : [])),
    AUTO_RESOLUTION,
    now,
  );
  const tickets = await insertTickets(
    client,
    plans.flatMap((p) => p.tickets),
    now,
  );
  const outbox = await enqueueOutbox(client, [
    ...reminderDigests(
      plans.flatMap((p) => p.reminders),
      (orderId, historyKey) => newHistory.has(historyRowKey(orderId, historyKey)),
    ),
    ...liveEventsEntry(
      'ORDER_UPDATED',
      plans.flatMap((p) => (p.orderUpdated ? [p.orderUpdated] : [])),
    ),
    ...liveEventsEntry(
      'TICKET_RAISED',
      tickets.map((t) => ticketRaisedEvent(t, now)),
    ),
  ]);
  return {
    claimed: rows.length,
    levelsApplied: plans.reduce((n, p) => n + p.levelsApplied, 0),
    recovered: plans.filter((p) => p.recovered).length,
    tickets: tickets.length,
    outbox,
  };
}

/** A judgement that throws must not hold the whole batch back: that order is retried later. */
function judge(row: SlaOrderRow, context: SweepContext, now: Date, logger?: Logger): OrderSweepPlan {
  try {
    return planOrderSweep(row, context, now);
  } catch (error) {
    logger?.error({ orderId: row.id, err: (error as Error).message }, 'SLA judgement failed; retried later');
    return {
      orderId: row.id,
      order: {
        slaStage: row.sla_stage,
        slaDeadline: row.sla_deadline,
        nextCheckAt: new Date(now.getTime() + RETRY_FAILED_ORDER_MS),
        escalationLevel: row.escalation_level,
        escalationStage: row.escalation_stage,
        policyKey: row.sla_policy_key,
        policyVersion: row.sla_policy_version,
        abnormal: row.abnormal,
        policyPromisedDeliveryAt:
          row.promised_delivery_source === 'SLA_POLICY' ? row.promised_delivery_at : null,
      },
      closeStage: null,
      upsertStage: null,
      resolveTicketsOf: null,
      history: [],
      tickets: [],
      reminders: [],
      orderUpdated: null,
      levelsApplied: 0,
      recovered: false,
    };
  }
}

/** One batch in its own transaction. */
export function sweepOnce(
  pool: pg.Pool,
  context: SweepContext,
  now: Date,
  batchSize: number,
  logger?: Logger,
): Promise<BatchOutcome> {
  return inTransaction(pool, (client) => sweepBatch(client, context, now, batchSize, logger));
}

export interface SweepOptions {
  pool: pg.Pool;
  batchSize: number;
  /** Batches run at once, each on its own connection; SKIP LOCKED keeps them apart. @default 1 */
  parallelism?: number;
  /** Start no new batch after this long; what is left stays due for the next run. */
  budgetMs?: number;
  opsWebhookUrl?: string | null;
  /** See `SweepContext.recentLateMinutes`. @default DEFAULT_RECENT_LATE_MINUTES */
  recentLateMinutes?: number;
  logger?: Logger;
  /** Judge by this context instead of reading it (a caller sweeping several times in a row). */
  context?: SweepContext;
  /** Called after each committed batch, e.g. to report progress. */
  onBatch?: (batch: BatchOutcome) => void;
}

/** A sweep pass: batches until no order is due at `now` (or the budget is spent). */
export async function runSlaSweep(options: SweepOptions, now: Date): Promise<SweepTotals> {
  const started = Date.now();
  const context =
    options.context ??
    (await loadSweepContext(options.pool, {
      opsWebhookUrl: options.opsWebhookUrl,
      recentLateMinutes: options.recentLateMinutes,
      logger: options.logger,
    }));
  const totals: SweepTotals = {
    batches: 0,
    claimed: 0,
    levelsApplied: 0,
    recovered: 0,
    tickets: 0,
    outbox: 0,
    durationMs: 0,
  };
  const lane = async () => {
    for (;;) {
      if (options.budgetMs !== undefined && Date.now() - started > options.budgetMs) return;
      const batch = await sweepOnce(options.pool, context, now, options.batchSize, options.logger);
      if (batch.claimed > 0) totals.batches += 1;
      totals.claimed += batch.claimed;
      totals.levelsApplied += batch.levelsApplied;
      totals.recovered += batch.recovered;
      totals.tickets += batch.tickets;
      totals.outbox += batch.outbox;
      options.onBatch?.(batch);
      if (batch.claimed < options.batchSize) return;
    }
  };
  // Every lane finishes before the pass ends, even when one of them failed.
  const lanes = await Promise.allSettled(Array.from({ length: Math.max(1, options.parallelism ?? 1) }, lane));
  const failed = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failed) throw failed.reason;
  totals.durationMs = Date.now() - started;
  return totals;
}
