import type pg from 'pg';
import type { Channel } from '../../domain/order/order-types.js';
import type { ParseHealth, RoutingMode } from '../../domain/routing/parse-health.js';
import { markdownMessage } from '../../domain/wecom/wecom-message.js';
import type { Logger } from '../../infra/logging/logger.js';
import { enqueueOutbox, type OutboxEntry } from '../../infra/outbox/outbox.js';
import { LIVE_EVENT_OUTBOX_TOPICS } from '../../infra/pubsub/live-events.js';
import type { FlowHealthChangedEvent } from '../../infra/pubsub/topics.js';
import { wecomOutboxEntry } from '../wecom/wecom-outbox.js';
import { routingChangeAlert } from './flow-health-alert.js';
import type { FlowHealthTrigger } from './flow-health-event.entity.js';
import type { FlowHealthSettings } from './flow-health-settings.js';
import { snapshotOf } from './parse-window.js';
import { writeScopeMode } from './routing-state.store.js';

export interface RoutingChangeInput {
  /** The channel whose routing changes; null for the whole platform. */
  channel: Channel | null;
  from: RoutingMode;
  to: RoutingMode;
  trigger: FlowHealthTrigger;
  actor: string;
  actorId: string | null;
  reason: string;
  health: ParseHealth;
  autoResume: boolean;
  now: Date;
}

export interface RecordedRoutingChange {
  /** `flow_health_event.id` */
  id: string;
  /** The channel whose routing changed; null for the whole platform. */
  channel: Channel | null;
  from: RoutingMode;
  to: RoutingMode;
  trigger: FlowHealthTrigger;
  reason: string;
}

/**
 * Changes one scope's mode and, in the same transaction, appends the history row and queues the
 * subscription event and (when configured) the operations-group alert.
 */
export async function recordRoutingChange(
  tx: pg.PoolClient,
  deps: { settings: FlowHealthSettings; logger: Logger },
  change: RoutingChangeInput,
): Promise<RecordedRoutingChange> {
  const { settings, logger } = deps;
  const alert = routingChangeAlert({
    channel: change.channel,
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
    `insert into flow_health_event (occurred_at, channel, from_mode, to_mode, trigger, actor, actor_id, reason,
        parse_health, alert, alert_target)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) returning id`,
    [
      change.now,
      change.channel,
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
  await writeScopeMode(tx, change.channel, {
    mode: change.to,
    reason: change.reason,
    at: change.now,
    by: change.actor,
    autoResume: change.autoResume,
  });
  const topic = LIVE_EVENT_OUTBOX_TOPICS.FLOW_HEALTH_CHANGED;
  const rate = change.channel ? change.health.byChannel[change.channel]?.rate : change.health.overall.rate;
  const event: Omit<FlowHealthChangedEvent, 'eventId'> = {
    changeId: id,
    channel: change.channel,
    routingMode: change.to,
    previousMode: change.from,
    trigger: change.trigger,
    reason: change.reason,
    changedBy: change.actor,
    parseSuccessRate: rate ?? null,
    occurredAt: change.now.toISOString(),
  };
  const entries: OutboxEntry[] = [{ topic, dedupeKey: `${topic}:${id}`, payload: event }];
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
  const facts = {
    changeId: id,
    channel: change.channel ?? 'ALL',
    routingMode: change.to,
    trigger: change.trigger,
    actor: change.actor,
  };
  if (settings.opsWebhookUrl) logger.warn(facts, 'routing mode changed; operations group alerted');
  else
    logger.warn(
      facts,
      'routing mode changed; OPS_WECOM_WEBHOOK_URL is not set, so the alert is only kept in the history',
    );
  return {
    id,
    channel: change.channel,
    from: change.from,
    to: change.to,
    trigger: change.trigger,
    reason: change.reason,
  };
}
