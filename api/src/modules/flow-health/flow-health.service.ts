import type pg from 'pg';
import {
  decideRoutingMode,
  type ParseHealth,
  type ParseHealthPolicy,
  type RoutingMode,
  type RoutingModeDecision,
} from '../../domain/routing/parse-health.js';
import { markdownMessage } from '../../domain/wecom/wecom-message.js';
import { inTransaction } from '../../infra/db/transaction.js';
import type { Logger } from '../../infra/logging/logger.js';
import { enqueueOutbox, type OutboxEntry } from '../../infra/outbox/outbox.js';
import { LIVE_EVENT_OUTBOX_TOPICS } from '../../infra/pubsub/live-events.js';
import type { FlowHealthChangedEvent } from '../../infra/pubsub/topics.js';
import { wecomOutboxEntry } from '../wecom/wecom-outbox.js';
import { routingChangeAlert } from './flow-health-alert.js';
import type { FlowHealthTrigger } from './flow-health-event.entity.js';
import type { FlowHealthSettings } from './flow-health-settings.js';
import { readParseHealth, snapshotOf } from './parse-window.js';

/** Outbox topic that becomes the `FLOW_HEALTH_CHANGED` subscription event. */
export const FLOW_HEALTH_CHANGED_TOPIC = LIVE_EVENT_OUTBOX_TOPICS.FLOW_HEALTH_CHANGED;

/** The hold reason order intake gives new orders while routing is paused. */
export const ROUTING_PAUSED = 'ROUTING_PAUSED';

export interface RoutingState {
  mode: RoutingMode;
  reason: string | null;
  changedAt: Date | null;
  changedBy: string | null;
  autoResume: boolean;
  lastCheckedAt: Date | null;
}

export interface FlowHealthDeps {
  pool: pg.Pool;
  settings: FlowHealthSettings;
  logger: Logger;
  /**
   * Routes again every order held with `ROUTING_PAUSED`; answers how many were released, or null
   * when that is not known.
   */
  rerouteHeld: (now: Date) => Promise<number | null>;
}

export interface RoutingChange {
  /** `flow_health_event.id` */
  id: string;
  from: RoutingMode;
  to: RoutingMode;
  trigger: FlowHealthTrigger;
  reason: string;
}

export interface CheckOutcome {
  decision: RoutingModeDecision;
  health: ParseHealth;
  change: RoutingChange | null;
  /** Orders routed again after this run (a resume, or ones left held while active). */
  rerouted: number | null;
}

export interface ManualOutcome {
  state: RoutingState;
  change: RoutingChange | null;
  rerouted: number | null;
  /** Set when routing resumed but re-routing the held orders failed (the next check retries). */
  rerouteError: string | null;
}

interface Actor {
  /** Staff username. */
  username: string;
  userId: string;
}

/**
 * Routing's eyes: pauses it when address parsing fails too often, resumes it (automatically when
 * allowed, or by an operator), and on every change records the history, the operations-group
 * alert and the subscription event in the same transaction as the new mode. A resume then routes
 * the held orders again, after the commit.
 */
export class FlowHealthService {
  constructor(private readonly deps: FlowHealthDeps) {}

  get settings(): FlowHealthSettings {
    return this.deps.settings;
  }

  get policy(): ParseHealthPolicy {
    const { windowMinutes, threshold, minSamples } = this.deps.settings;
    return { windowMinutes, threshold, minSamples };
  }

  /** The current mode (ACTIVE when nothing was ever recorded). */
  async state(): Promise<RoutingState> {
    const { rows } = await this.deps.pool.query<StateRow>(`${SELECT_STATE} where id = 1`);
    return rows[0] ? toState(rows[0]) : INITIAL_STATE;
  }

  /** The address-parse success rate over the window, as the check sees it. */
  parseHealth(now: Date): Promise<ParseHealth> {
    return readParseHealth(this.deps.pool, now, this.policy);
  }

  /** One run of the automatic check (the `flow-health.check` job). */
  async check(now: Date): Promise<CheckOutcome> {
    const { settings } = this.deps;
    const outcome = await this.transaction(async (tx) => {
      const state = await lockState(tx);
      // After a resume, parses made before it no longer count towards pausing again.
      const health = await readParseHealth(
        tx,
        now,
        this.policy,
        state.mode === 'ACTIVE' ? state.changedAt : null,
      );
      const decision = decideRoutingMode(state.mode, health, {
        autoResume: state.autoResume && settings.autoResume,
        resumeThreshold: settings.resumeThreshold,
      });
      await tx.query('update flow_health_state set last_checked_at = $1 where id = 1', [now]);
      if (!decision.changed) return { decision, health, change: null };
      const change = await this.applyChange(tx, {
        from: state.mode,
        to: decision.mode,
        trigger: 'AUTOMATIC',
        actor: 'system',
        actorId: null,
        reason: decision.reason,
        health,
        autoResume: settings.autoResume,
        now,
      });
      return { decision, health, change };
    });
    let rerouted: number | null = null;
    if (outcome.decision.mode === 'ACTIVE' && (outcome.change || (await this.hasHeldOrders())))
      rerouted = await this.reroute(now, outcome.change?.id ?? null);
    return { ...outcome, rerouted };
  }

  /** An operator pauses routing. The pause lasts until an operator resumes it. */
  async pause(actor: Actor, reason: string, now: Date): Promise<ManualOutcome> {
    const change = await this.transaction(async (tx) => {
      const state = await lockState(tx);
      if (state.mode === 'PAUSED') return null;
      return this.applyChange(tx, {
        from: state.mode,
        to: 'PAUSED',
        trigger: 'MANUAL',
        actor: actor.username,
        actorId: actor.userId,
        reason,
        health: await readParseHealth(tx, now, this.policy),
        autoResume: false,
        now,
      });
    });
    return { state: await this.state(), change, rerouted: null, rerouteError: null };
  }

  /**
   * An operator resumes routing; the orders held while it was paused are routed again. Resuming
   * while active only routes again any order still held with `ROUTING_PAUSED`.
   */
  async resume(actor: Actor, note: string | null, now: Date): Promise<ManualOutcome> {
    const change = await this.transaction(async (tx) => {
      const state = await lockState(tx);
      if (state.mode === 'ACTIVE') return null;
      return this.applyChange(tx, {
        from: state.mode,
        to: 'ACTIVE',
        trigger: 'MANUAL',
        actor: actor.username,
        actorId: actor.userId,
        reason: note ? `人工恢复分配：${note}` : '人工恢复分配',
        health: await readParseHealth(tx, now, this.policy),
        autoResume: this.deps.settings.autoResume,
        now,
      });
    });
    let rerouted: number | null = null;
    let rerouteError: string | null = null;
    try {
      rerouted = await this.reroute(now, change?.id ?? null);
    } catch (error) {
      rerouteError = error instanceof Error ? error.message : String(error);
    }
    return { state: await this.state(), change, rerouted, rerouteError };
  }

  private async reroute(now: Date, changeId: string | null): Promise<number | null> {
    try {
      const rerouted = await this.deps.rerouteHeld(now);
      if (changeId)
        await this.deps.pool.query('update flow_health_event set rerouted_orders = $2 where id = $1', [
          changeId,
          rerouted,
        ]);
      this.deps.logger.info({ changeId, rerouted }, 'orders held while routing was paused routed again');
      return rerouted;
    } catch (error) {
      this.deps.logger.error(
        { changeId, err: error instanceof Error ? error.message : String(error) },
        're-routing held orders failed; the next flow-health check retries',
      );
      throw error;
    }
  }

  private async hasHeldOrders(): Promise<boolean> {
    const { rows } = await this.deps.pool.query<{ held: boolean }>(
      'select exists (select 1 from orders where hold_reason = $1) as held',
      [ROUTING_PAUSED],
    );
    return rows[0].held;
  }

  private async applyChange(
    tx: pg.PoolClient,
    change: {
      from: RoutingMode;
      to: RoutingMode;
      trigger: FlowHealthTrigger;
      actor: string;
      actorId: string | null;
      reason: string;
      health: ParseHealth;
      autoResume: boolean;
      now: Date;
    },
  ): Promise<RoutingChange> {
    const { settings, logger } = this.deps;
    const alert = routingChangeAlert({
      toMode: change.to,
      trigger: change.trigger,
      actor: change.actor,
      reason: change.reason,
      at: change.now,
      health: change.health,
      autoResume: change.autoResume,
      resumeThreshold: settings.resumeThreshold,
    });
    const { rows } = await tx.query<{ id: string }>(
      `insert into flow_health_event (occurred_at, from_mode, to_mode, trigger, actor, actor_id, reason,
          parse_health, alert, alert_target)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) returning id`,
      [
        change.now,
        change.from,
        change.to,
        change.trigger,
        change.actor,
        change.actorId,
        change.reason,
        JSON.stringify(snapshotOf(change.health)),
        alert,
        settings.opsWebhookUrl ? 'OPS_WECOM' : 'NOT_CONFIGURED',
      ],
    );
    const id = rows[0].id;
    await tx.query(
      `update flow_health_state set routing_mode = $1, reason = $2, changed_at = $3, changed_by = $4,
              auto_resume = $5 where id = 1`,
      [change.to, change.reason, change.now, change.actor, change.autoResume],
    );
    const event: Omit<FlowHealthChangedEvent, 'eventId'> = {
      changeId: id,
      routingMode: change.to,
      previousMode: change.from,
      trigger: change.trigger,
      reason: change.reason,
      changedBy: change.actor,
      parseSuccessRate: change.health.overall.rate,
      occurredAt: change.now.toISOString(),
    };
    const entries: OutboxEntry[] = [
      { topic: FLOW_HEALTH_CHANGED_TOPIC, dedupeKey: `${FLOW_HEALTH_CHANGED_TOPIC}:${id}`, payload: event },
    ];
    if (settings.opsWebhookUrl)
      entries.push(
        wecomOutboxEntry({
          webhookUrl: settings.opsWebhookUrl,
          message: markdownMessage(alert),
          dedupeKey: `wecom:flow-health:${id}:${change.to}`,
          purpose: 'flow-health',
        }),
      );
    await enqueueOutbox(tx, entries);
    const facts = { changeId: id, routingMode: change.to, trigger: change.trigger, actor: change.actor };
    if (settings.opsWebhookUrl) logger.warn(facts, 'routing mode changed; operations group alerted');
    else
      logger.warn(
        facts,
        'routing mode changed; OPS_WECOM_WEBHOOK_URL is not set, so the alert is only kept in the history',
      );
    return { id, from: change.from, to: change.to, trigger: change.trigger, reason: change.reason };
  }

  private transaction<T>(work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.deps.pool, work);
  }
}

interface StateRow {
  routing_mode: RoutingMode;
  reason: string | null;
  changed_at: Date | null;
  changed_by: string | null;
  auto_resume: boolean;
  last_checked_at: Date | null;
}

const SELECT_STATE =
  'select routing_mode, reason, changed_at, changed_by, auto_resume, last_checked_at from flow_health_state';

const INITIAL_STATE: RoutingState = {
  mode: 'ACTIVE',
  reason: null,
  changedAt: null,
  changedBy: null,
  autoResume: true,
  lastCheckedAt: null,
};

const toState = (row: StateRow): RoutingState => ({
  mode: row.routing_mode,
  reason: row.reason,
  changedAt: row.changed_at,
  changedBy: row.changed_by,
  autoResume: row.auto_resume,
  lastCheckedAt: row.last_checked_at,
});

/** Creates the single row on first use and locks it for the rest of the transaction. */
async function lockState(tx: pg.PoolClient): Promise<RoutingState> {
  await tx.query(
    `insert into flow_health_state (id, routing_mode, auto_resume) values (1, 'ACTIVE', true)
     on conflict (id) do nothing`,
  );
  const { rows } = await tx.query<StateRow>(`${SELECT_STATE} where id = 1 for update`);
  return toState(rows[0]);
}
