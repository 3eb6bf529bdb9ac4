import type pg from 'pg';
import type { Channel } from '../../domain/order/order-types.js';
import {
  decideRoutingModes,
  type ParseHealth,
  type ParseHealthPolicy,
  parseHealth,
  type RoutingModeDecision,
} from '../../domain/routing/parse-health.js';
import { inTransaction } from '../../infra/db/transaction.js';
import type { Logger } from '../../infra/logging/logger.js';
import { LIVE_EVENT_OUTBOX_TOPICS } from '../../infra/pubsub/live-events.js';
import { CLOSED_STATES } from '../routing/reroute.service.js';
import type { FlowHealthSettings } from './flow-health-settings.js';
import { readParseHealth, readParseWindow } from './parse-window.js';
import {
  type RecordedRoutingChange,
  type RoutingChangeInput,
  recordRoutingChange,
} from './routing-change.js';
import {
  currentModes,
  lockRoutingStates,
  type RoutingScope,
  type RoutingState,
  type RoutingStates,
  readRoutingStates,
  routedChannels,
  stateOf,
} from './routing-state.store.js';

export type { RoutingScope, RoutingState, RoutingStates } from './routing-state.store.js';

/** Outbox topic that becomes the `FLOW_HEALTH_CHANGED` subscription event. */
export const FLOW_HEALTH_CHANGED_TOPIC = LIVE_EVENT_OUTBOX_TOPICS.FLOW_HEALTH_CHANGED;

/** The hold reason order intake gives new orders while routing is paused for them. */
export const ROUTING_PAUSED = 'ROUTING_PAUSED';

export interface FlowHealthDeps {
  pool: pg.Pool;
  settings: FlowHealthSettings;
  logger: Logger;
  /**
   * Routes again the open orders held with `ROUTING_PAUSED` (of these channels; all when null);
   * answers how many were released, or null when that is not known.
   */
  rerouteHeld: (now: Date, channels: readonly Channel[] | null) => Promise<number | null>;
}

/** One change of a scope's routing mode, as recorded. */
export type RoutingChange = RecordedRoutingChange;

export interface CheckOutcome {
  /** The whole platform's decision. */
  decision: RoutingModeDecision;
  /** Each channel's decision, from its own parses. */
  channelDecisions: Record<Channel, RoutingModeDecision>;
  health: ParseHealth;
  /** The platform's change first, then the channels' in name order. */
  changes: RoutingChange[];
  /** The platform's change, if it changed (also in `changes`). */
  change: RoutingChange | null;
  /** Orders routed again after this run (resumes, or ones left held where routing is active). */
  rerouted: number | null;
}

export interface ManualOutcome {
  /** The scope asked about (the platform when no channel was named). */
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
 * Routing's eyes: pauses a channel whose address parsing fails too often, and the whole platform
 * when it fails across channels; resumes them (automatically when allowed, or by an operator); on
 * every change records the history, the operations-group alert and the subscription event in the
 * same transaction as the new mode. A resume then routes the held orders again, after the commit.
 */
export class FlowHealthService {
  constructor(private readonly deps: FlowHealthDeps) {}

  get settings(): FlowHealthSettings {
    return this.deps.settings;
  }

  get policy(): ParseHealthPolicy {
    const { windowMinutes, threshold, minSamples, platformMinChannels } = this.deps.settings;
    return { windowMinutes, threshold, minSamples, platformMinChannels };
  }

  /** The whole platform's mode (ACTIVE when nothing was ever recorded). */
  async state(): Promise<RoutingState> {
    return (await this.states()).platform;
  }

  /** The platform's mode and every channel's. */
  states(): Promise<RoutingStates> {
    return readRoutingStates(this.deps.pool);
  }

  /** The address-parse success rate over the window, as the check sees it. */
  parseHealth(now: Date): Promise<ParseHealth> {
    return readParseHealth(this.deps.pool, now, this.policy);
  }

  /** One run of the automatic check (the `flow-health.check` job), for every scope. */
  async check(now: Date): Promise<CheckOutcome> {
    const { settings } = this.deps;
    const outcome = await this.transaction(async (tx) => {
      const states = await lockRoutingStates(tx);
      const window = await readParseWindow(tx, now, settings.windowMinutes);
      const decided = decideRoutingModes(window, now, currentModes(states), {
        autoResume: settings.autoResume,
        resumeThreshold: settings.resumeThreshold,
        policy: this.policy,
      });
      await tx.query('update flow_health_state set last_checked_at = $1 where id = 1', [now]);
      const changes: RoutingChange[] = [];
      const scopes: [RoutingScope, RoutingModeDecision][] = [
        [null, decided.platform],
        ...Object.entries(decided.channels).map(
          ([c, d]) => [c as Channel, d] as [Channel, RoutingModeDecision],
        ),
      ];
      for (const [scope, decision] of scopes) {
        if (!decision.changed) continue;
        changes.push(
          await this.applyChange(tx, scope, {
            from: stateOf(states, scope).mode,
            to: decision.mode,
            trigger: 'AUTOMATIC',
            actor: 'system',
            actorId: null,
            reason: decision.reason,
            // For the history and the alert: the platform's rates as it decided on them; for a
            // channel, the whole window of every channel (its reason names its own rate).
            health: scope === null ? decided.platform.health : parseHealth(window, now, this.policy),
            autoResume: settings.autoResume,
            now,
          }),
        );
      }
      const channelDecisions = {} as Record<Channel, RoutingModeDecision>;
      for (const [channel, d] of Object.entries(decided.channels))
        channelDecisions[channel as Channel] = { mode: d.mode, changed: d.changed, reason: d.reason };
      const { health, ...platform } = decided.platform;
      return { decision: platform, channelDecisions, health, changes };
    });
    const rerouted = await this.rerouteAfter(now, outcome.changes, true);
    const change = outcome.changes.find((c) => c.channel === null) ?? null;
    return { ...outcome, change, rerouted };
  }

  /**
   * An operator pauses routing for one channel, or for the whole platform without one. The pause
   * lasts until an operator resumes it.
   */
  async pause(
    actor: Actor,
    reason: string,
    now: Date,
    channel: Channel | null = null,
  ): Promise<ManualOutcome> {
    const change = await this.transaction(async (tx) => {
      const states = await lockRoutingStates(tx);
      if (stateOf(states, channel).mode === 'PAUSED') return null;
      return this.applyChange(tx, channel, {
        from: 'ACTIVE',
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
    return { state: await this.scopeState(channel), change, rerouted: null, rerouteError: null };
  }

  /**
   * An operator resumes routing for one channel, or for the whole platform without one; the
   * orders held meanwhile are routed again where routing is now active. Resuming a scope that is
   * active only routes again any order of it still held with `ROUTING_PAUSED`.
   */
  async resume(
    actor: Actor,
    note: string | null,
    now: Date,
    channel: Channel | null = null,
  ): Promise<ManualOutcome> {
    const change = await this.transaction(async (tx) => {
      const states = await lockRoutingStates(tx);
      if (stateOf(states, channel).mode === 'ACTIVE') return null;
      return this.applyChange(tx, channel, {
        from: 'PAUSED',
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
      rerouted = change
        ? await this.rerouteAfter(now, [change], false)
        : await this.reroute(now, null, channel ? [channel] : null);
    } catch (error) {
      rerouteError = error instanceof Error ? error.message : String(error);
    }
    return { state: await this.scopeState(channel), change, rerouted, rerouteError };
  }

  private async scopeState(channel: Channel | null): Promise<RoutingState> {
    return stateOf(await this.states(), channel);
  }

  /**
   * Routes again after resumes: each resumed scope's held orders, the count kept with its change.
   * With `retryHeld`, also any order still held where routing is active (a failed earlier try).
   */
  private async rerouteAfter(
    now: Date,
    changes: RoutingChange[],
    retryHeld: boolean,
  ): Promise<number | null> {
    const resumed = changes.filter((c) => c.to === 'ACTIVE');
    const states = await this.states();
    const active = new Set(routedChannels(states));
    let total: number | null = null;
    const add = (n: number | null) => {
      if (n !== null) total = (total ?? 0) + n;
    };
    // The platform first: its resume releases every channel that is not paused on its own.
    for (const change of resumed.sort((a, b) => (a.channel === null ? -1 : b.channel === null ? 1 : 0))) {
      const channels = change.channel === null ? [...active] : [change.channel].filter((c) => active.has(c));
      add(await this.reroute(now, change.id, channels));
      for (const c of channels) active.delete(c);
    }
    if (retryHeld && active.size > 0 && (await this.hasHeldOrders([...active])))
      add(await this.reroute(now, null, [...active]));
    return total;
  }

  private async reroute(
    now: Date,
    changeId: string | null,
    channels: Channel[] | null,
  ): Promise<number | null> {
    // Nothing to release here (a resumed channel the platform pause still holds, or one whose
    // orders the platform's resume in the same run released): the count stays unknown (null).
    if (channels !== null && channels.length === 0) return null;
    try {
      const rerouted = await this.deps.rerouteHeld(now, channels);
      if (changeId)
        await this.deps.pool.query('update flow_health_event set rerouted_orders = $2 where id = $1', [
          changeId,
          rerouted,
        ]);
      this.deps.logger.info(
        { changeId, channels, rerouted },
        'orders held while routing was paused routed again',
      );
      return rerouted;
    } catch (error) {
      this.deps.logger.error(
        { changeId, err: error instanceof Error ? error.message : String(error) },
        're-routing held orders failed; the next flow-health check retries',
      );
      throw error;
    }
  }

  /** Whether an open order of these channels is still held with `ROUTING_PAUSED`. */
  private async hasHeldOrders(channels: Channel[]): Promise<boolean> {
    const { rows } = await this.deps.pool.query<{ held: boolean }>(
      `select exists (select 1 from orders where hold_reason = $1 and channel = any($2::text[])
                         and state <> all($3::text[])) as held`,
      [ROUTING_PAUSED, channels, CLOSED_STATES],
    );
    return rows[0].held;
  }

  private applyChange(
    tx: pg.PoolClient,
    channel: Channel | null,
    change: Omit<RoutingChangeInput, 'channel'>,
  ): Promise<RoutingChange> {
    return recordRoutingChange(tx, this.deps, { ...change, channel });
  }

  private transaction<T>(work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
    return inTransaction(this.deps.pool, work);
  }
}
