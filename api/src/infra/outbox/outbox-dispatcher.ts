import type pg from 'pg';
import { inTransaction } from '../db/transaction.js';
import type { Logger } from '../logging/logger.js';
import { afterFailure, afterSuccess, breakerStatus, CLOSED_BREAKER } from './circuit-breaker.js';
import {
  claimInTransaction,
  claimWithLease,
  type DueLane,
  dueLanes,
  recordOutcomes,
  saveBreaker,
} from './lane-store.js';
import {
  type DeliveryOutcome,
  LEASE_MARGIN_MS,
  MAX_HANDLER_TIMEOUT_MS,
  type OutboxHandler,
  type OutboxRecord,
} from './outbox-handler.js';

export type { DeliveryOutcome, OutboxHandler, OutboxRecord } from './outbox-handler.js';

export interface DispatchResult {
  claimed: number;
  delivered: number;
  failed: number;
  dead: number;
  /** Held back without an attempt (a receiver's rate limit). */
  deferred: number;
}

export interface DispatcherOptions {
  pool: pg.Pool;
  handlers: ReadonlyMap<string, OutboxHandler>;
  /** Recorded on each delivered message. */
  deliveredBy: string;
  logger: Logger;
  /** Lanes delivered at the same time. @default 16 */
  maxLanes?: number;
  /** How often a run looks for lanes that became due (retries) between wake-ups. @default 500 */
  rescanMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const emptyResult = (): DispatchResult => ({ claimed: 0, delivered: 0, failed: 0, dead: 0, deferred: 0 });

/**
 * Delivers the outbox lane by lane: each lane claims a few messages with a lease, delivers them
 * with a time limit and records each outcome at once (claim → send → mark), so a crash repeats at
 * most the messages in flight, one call per lane. Lanes run side by side: a slow or failing
 * receiver delays only its own lane, and its circuit breaker stops calling it for a while.
 */
export class OutboxDispatcher {
  private readonly lanesRunning = new Map<string, Promise<void>>();
  private wakeUp: (() => void) | null = null;
  private poked = false;
  private pokes = 0;
  private stopping = false;
  private running: Promise<DispatchResult> | null = null;

  constructor(private readonly opts: DispatcherOptions) {}

  /** Something was enqueued: a running `run` looks for new lanes at once. */
  poke(): void {
    this.pokes++;
    this.poked = true;
    this.wakeUp?.();
  }

  get isRunning(): boolean {
    return this.running !== null;
  }

  /** No new claims; messages in flight are delivered and marked. Resolves when the run has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeUp?.();
    await this.running?.catch(() => undefined);
  }

  /**
   * Delivers until nothing is due or `budgetMs` is spent; no delivery starts that could end after
   * `budgetMs` plus the longest handler timeout. A second call while one runs joins it.
   */
  run(budgetMs: number): Promise<DispatchResult> {
    if (this.running) {
      this.poke();
      return this.running;
    }
    this.running = this.runLanes(Date.now() + budgetMs).finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async runLanes(deadline: number): Promise<DispatchResult> {
    const result = emptyResult();
    const maxLanes = this.opts.maxLanes ?? 16;
    const rescanMs = this.opts.rescanMs ?? 500;
    // A lane that stopped on an error (its database connection lost, say) waits for the next run.
    const failedLanes = new Set<string>();
    // Lanes whose messages are SQL (subscription events) are tried at once on every wake-up, without
    // the scan for due lanes, which costs more while thousands of slow messages wait.
    const fastLanes = [...this.opts.handlers.values()].filter((h) => h.transactional).map((h) => h.topic);
    const start = (lane: DueLane) => {
      if (
        this.lanesRunning.has(lane.lane) ||
        failedLanes.has(lane.lane) ||
        this.lanesRunning.size >= maxLanes
      )
        return;
      const pokesAtStart = this.pokes;
      const work = this.runLane(lane, deadline, result)
        .catch((error: Error) => {
          failedLanes.add(lane.lane);
          this.opts.logger.warn({ lane: lane.lane, err: error.message }, 'outbox lane stopped on an error');
        })
        .finally(() => {
          this.lanesRunning.delete(lane.lane);
          // Something enqueued while the lane was finishing may have been missed by its last claim.
          if (this.pokes !== pokesAtStart) this.poked = true;
          this.wakeUp?.();
        });
      this.lanesRunning.set(lane.lane, work);
    };
    let lastScan = 0;
    this.poked = true;
    for (;;) {
      const poked = this.poked;
      this.poked = false;
      if (!this.stopping && Date.now() < deadline) {
        if (poked) for (const topic of fastLanes) start({ lane: topic, topic, breaker: CLOSED_BREAKER });
        if (rescanMs === 0 || Date.now() - lastScan >= rescanMs || this.lanesRunning.size === 0) {
          lastScan = Date.now();
          try {
            for (const lane of await dueLanes(this.opts.pool, maxLanes * 2)) start(lane);
          } catch (error) {
            this.opts.logger.warn(
              { err: (error as Error).message },
              'outbox: could not look for due messages',
            );
          }
        }
      }
      if (this.lanesRunning.size === 0 && !this.poked) return result;
      if (this.poked) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, rescanMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }

  private async runLane(due: DueLane, deadline: number, result: DispatchResult): Promise<void> {
    const handler = this.opts.handlers.get(due.topic);
    const timeoutMs = Math.min(handler?.timeoutMs ?? DEFAULT_TIMEOUT_MS, MAX_HANDLER_TIMEOUT_MS);
    let breaker = due.breaker;
    while (!this.stopping && Date.now() < deadline) {
      const step = handler?.transactional
        ? await this.deliverInTransaction(due.lane, handler)
        : await this.deliverLeased(due.lane, handler, due.topic, timeoutMs);
      if (step.claimed === 0) return;
      for (const key of Object.keys(result) as (keyof DispatchResult)[]) result[key] += step[key];
      const attempted = step.delivered + step.failed + step.dead;
      if (attempted === 0) continue;
      const wasOpenable = breaker.consecutiveFailures > 0;
      if (step.delivered > 0) {
        breaker = afterSuccess();
        if (wasOpenable) await saveBreaker(this.opts.pool, due.lane, due.topic, breaker, null);
        continue;
      }
      breaker = afterFailure(breaker, new Date());
      await saveBreaker(this.opts.pool, due.lane, due.topic, breaker, step.lastError);
      if (breakerStatus(breaker, new Date()) === 'OPEN') {
        this.opts.logger.warn(
          { lane: due.lane, failures: breaker.consecutiveFailures, until: breaker.openUntil },
          'outbox lane paused: its receiver keeps failing',
        );
        return;
      }
    }
  }

  /** Claim with a lease, deliver outside any transaction, mark each outcome. */
  private async deliverLeased(
    lane: string,
    handler: OutboxHandler | undefined,
    topic: string,
    timeoutMs: number,
  ): Promise<DispatchResult & { lastError: string | null }> {
    const leaseMs = timeoutMs + LEASE_MARGIN_MS;
    const messages = await claimWithLease(this.opts.pool, lane, 1, leaseMs);
    if (messages.length === 0) return { ...emptyResult(), lastError: null };
    // The handler decides from the first message how many go together (a digest, or just one).
    const size =
      typeof handler?.claimSize === 'function' ? handler.claimSize(messages[0]) : (handler?.claimSize ?? 1);
    if (size > 1) messages.push(...(await claimWithLease(this.opts.pool, lane, size - 1, leaseMs)));
    const outcomes = handler
      ? await deliverWithin(handler, messages, timeoutMs)
      : messages.map(() => failure(`no handler for topic ${topic}`));
    return this.record(this.opts.pool, messages, outcomes);
  }

  /** Claim, deliver and mark in one transaction: for handlers whose effect is SQL. */
  private deliverInTransaction(
    lane: string,
    handler: OutboxHandler,
  ): Promise<DispatchResult & { lastError: string | null }> {
    return inTransaction(this.opts.pool, async (tx) => {
      const size = typeof handler.claimSize === 'number' ? handler.claimSize : 1;
      const messages = await claimInTransaction(tx, lane, size);
      if (messages.length === 0) return { ...emptyResult(), lastError: null };
      await tx.query('savepoint deliver');
      let outcomes: DeliveryOutcome[];
      try {
        outcomes = await handler.deliver(messages, { signal: AbortSignal.timeout(DEFAULT_TIMEOUT_MS), tx });
        if (outcomes.length !== messages.length)
          throw new Error(`handler for ${handler.topic} answered ${outcomes.length} of ${messages.length}`);
        await tx.query('release savepoint deliver');
      } catch (error) {
        await tx.query('rollback to savepoint deliver');
        outcomes = messages.map(() => failure(errorText(error)));
      }
      return this.record(tx, messages, outcomes);
    });
  }

  private async record(
    db: pg.Pool | pg.PoolClient,
    messages: OutboxRecord[],
    outcomes: DeliveryOutcome[],
  ): Promise<DispatchResult & { lastError: string | null }> {
    const totals = await recordOutcomes(db, messages, outcomes, this.opts.deliveredBy, new Date());
    let lastError: string | null = null;
    for (const [i, outcome] of outcomes.entries()) {
      if (outcome.ok || outcome.notAttempted) continue;
      lastError = outcome.error;
      this.opts.logger.warn(
        {
          outboxId: messages[i].id,
          topic: messages[i].topic,
          attempts: messages[i].attempts + 1,
          err: outcome.error,
        },
        'outbox delivery failed',
      );
    }
    return { claimed: messages.length, ...totals, lastError };
  }
}

/** Calls the handler with an abort signal, and stops waiting for it when its time is up. */
async function deliverWithin(
  handler: OutboxHandler,
  messages: OutboxRecord[],
  timeoutMs: number,
): Promise<DeliveryOutcome[]> {
  const signal = AbortSignal.timeout(timeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<DeliveryOutcome[]>((resolve) => {
    timer = setTimeout(
      () => resolve(messages.map(() => failure(`${handler.topic}: no answer within ${timeoutMs} ms`))),
      timeoutMs + 100,
    );
  });
  try {
    const outcomes = await Promise.race([handler.deliver(messages, { signal, tx: null }), late]);
    if (outcomes.length !== messages.length)
      return messages.map(() =>
        failure(`handler for ${handler.topic} answered ${outcomes.length} of ${messages.length}`),
      );
    return outcomes;
  } catch (error) {
    return messages.map(() => failure(errorText(error)));
  } finally {
    clearTimeout(timer);
  }
}

const failure = (error: string): DeliveryOutcome => ({ ok: false, error, retryable: true });
const errorText = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Delivers what is due now, lane by lane, and returns when nothing is due (or `budgetMs`, 30 s by
 * default, is spent). For tests, benchmarks and scripts; the worker runs an `OutboxDispatcher`.
 */
export async function dispatchOutboxBatch(opts: {
  pool: pg.Pool;
  handlers: ReadonlyMap<string, OutboxHandler>;
  deliveredBy: string;
  logger: Logger;
  /** Kept for callers of the former batch API; lanes claim by their handler's `claimSize`. */
  batchSize?: number;
  budgetMs?: number;
}): Promise<DispatchResult> {
  const dispatcher = new OutboxDispatcher({ ...opts, rescanMs: 0 });
  return dispatcher.run(opts.budgetMs ?? 30_000);
}
