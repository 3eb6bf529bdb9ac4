import { Arg, Authorized, Ctx, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { CHANNELS, type Channel } from '../../domain/order/order-types.js';
import { routesChannel } from '../../domain/routing/parse-health.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import type { FlowHealthChangedEvent } from '../../infra/pubsub/topics.js';
import { ChannelEnum } from '../orders/order.type.js';
import type { FreshnessMonitor } from '../reports/freshness-monitor.js';
import { webhookStats } from '../webhooks/webhook-stats.js';
import type { FlowHealthService, ManualOutcome, RoutingState } from './flow-health.service.js';
import {
  ChannelRoutingStatusType,
  FlowHealthChangedEventType,
  FlowHealthType,
  RoutingModePayload,
  RoutingStatusType,
} from './flow-health.types.js';
import { describeProblems } from './flow-health-problems.js';
import { loadFlowHealthReport, type WebhookActivity } from './flow-health-report.js';

/** What the flow-health operations need besides the common context; provided by the platform. */
export interface FlowHealthContext extends GraphQLContext {
  flowHealth: FlowHealthService;
  /** Status sources behind their freshness target are listed with the problems. */
  freshness?: FreshnessMonitor;
}

const STAFF = ['OPS', 'SUPERVISOR', 'FINANCE', 'WAREHOUSE', 'SERVICE'] as const;
const MAX_REASON = 500;

@Resolver()
export class FlowHealthResolver {
  @Authorized(...STAFF)
  @Query(() => FlowHealthType, {
    description:
      'Whether orders flow: routing mode, address-parse success rate, data completeness, interfaces, held orders and the problems to act on (staff).',
  })
  async flowHealth(@Ctx() ctx: FlowHealthContext): Promise<FlowHealthType> {
    const service = serviceOf(ctx);
    const report = await loadFlowHealthReport(service, ctx.pool, ctx.now, webhookActivity());
    const { settings } = service;
    const rate = (r: { total: number; ok: number; rate: number | null }) => ({ ...r });
    return Object.assign(new FlowHealthType(), {
      checkedAt: report.checkedAt,
      routing: statusOf(report.routing.platform),
      channelRouting: CHANNELS.map((channel) => {
        const state = report.routing.channels[channel];
        return Object.assign(new ChannelRoutingStatusType(), statusOf(state), {
          channel,
          lastCheckedAt: report.routing.platform.lastCheckedAt,
          routesNewOrders: routesChannel(report.routing.platform.mode, state.mode),
          heldOrders: report.pausedHeldByChannel[channel] ?? 0,
        });
      }),
      parseSuccess: {
        windowMinutes: settings.windowMinutes,
        threshold: settings.threshold,
        resumeThreshold: settings.resumeThreshold,
        minSamples: settings.minSamples,
        platformMinChannels: settings.platformMinChannels,
        overall: rate(report.parse.overall),
        byChannel: CHANNELS.filter((c) => report.parse.byChannel[c]).map((channel) => ({
          channel,
          ...rate(report.parse.byChannel[channel]!),
        })),
        belowThreshold: report.parse.belowThreshold,
        channelsBelowThreshold: report.parse.channelsBelowThreshold,
      },
      completeness: report.completeness,
      pendingEvents: report.pendingEvents,
      connectivity: {
        eventSources: report.eventSources,
        channels: report.channels,
        webhooks: report.webhooks,
      },
      ruleHitsToday: report.ruleHitsToday,
      heldOrders: report.heldOrders,
      opsAlerts: { configured: settings.opsWebhookUrl !== null, failedDeliveries: report.outbox.deadWecom },
      problems: [...describeProblems(report, settings), ...((await ctx.freshness?.problems(ctx.now)) ?? [])],
      recentChanges: report.recentChanges.map((c) => ({ ...c, alertSent: c.alertTarget === 'OPS_WECOM' })),
    });
  }

  @Authorized('OPS')
  @Mutation(() => RoutingModePayload, {
    description:
      'Pauses routing for one channel, or for the whole platform without one: new orders (of that channel) are held with ROUTING_PAUSED until resumeRouting for the same scope. Alerts the operations group (OPS).',
  })
  async pauseRouting(
    @Arg('reason', () => String, { description: 'Why, for the history and the alert.' }) reason: string,
    @Ctx() ctx: FlowHealthContext,
    @Arg('channel', () => ChannelEnum, {
      nullable: true,
      description: 'The channel to pause; without it, the whole platform.',
    })
    channel?: Channel | null,
  ): Promise<RoutingModePayload> {
    const text = reason.trim();
    const problem =
      text === ''
        ? { field: 'reason', code: 'REQUIRED', message: 'say why routing is paused' }
        : text.length > MAX_REASON
          ? { field: 'reason', code: 'TOO_LONG', message: `at most ${MAX_REASON} characters` }
          : null;
    const service = serviceOf(ctx);
    const scope = channel ?? null;
    if (problem) {
      const state = scope ? (await service.states()).channels[scope] : await service.state();
      return payload(scope, { state, change: null, rerouted: null }, [problem]);
    }
    return payload(scope, await service.pause(actorOf(ctx), text, ctx.now, scope));
  }

  @Authorized('OPS')
  @Mutation(() => RoutingModePayload, {
    description:
      'Resumes routing for one channel, or for the whole platform without one, and routes again the open orders held with ROUTING_PAUSED where routing is now active (a channel paused on its own stays paused when the platform resumes). Alerts the operations group (OPS).',
  })
  async resumeRouting(
    @Arg('note', () => String, { nullable: true, description: 'What was fixed, for the history.' })
    note: string | null | undefined,
    @Ctx() ctx: FlowHealthContext,
    @Arg('channel', () => ChannelEnum, {
      nullable: true,
      description: 'The channel to resume; without it, the whole platform.',
    })
    channel?: Channel | null,
  ): Promise<RoutingModePayload> {
    const text = note?.trim().slice(0, MAX_REASON) || null;
    const scope = channel ?? null;
    const outcome = await serviceOf(ctx).resume(actorOf(ctx), text, ctx.now, scope);
    const problems = outcome.rerouteError
      ? [
          {
            field: 'reroute',
            code: 'REROUTE_FAILED',
            message:
              'routing resumed, but routing the held orders again failed; the next flow-health check retries',
          },
        ]
      : [];
    if (outcome.rerouteError)
      ctx.logger.error({ err: outcome.rerouteError }, 're-routing after resume failed');
    return payload(scope, outcome, problems);
  }

  @Authorized(...STAFF)
  @Subscription(() => FlowHealthChangedEventType, {
    topics: 'FLOW_HEALTH_CHANGED',
    description:
      'Routing paused or resumed, for the whole platform or one channel, automatically or by an operator (staff).',
  })
  flowHealthChanged(@Root() event: FlowHealthChangedEvent): FlowHealthChangedEventType {
    return Object.assign(new FlowHealthChangedEventType(), {
      ...event,
      channel: event.channel ?? null,
      occurredAt: new Date(event.occurredAt),
    });
  }
}

/** The signed-webhook counters of this API process, busiest first. */
function webhookActivity(): WebhookActivity[] {
  return Object.entries(webhookStats())
    .map(([name, c]) => ({
      name,
      requests: c.requests,
      accepted: c.accepted,
      signatureFailures: c.signatureFailures,
      notConfigured: c.notConfigured,
      malformed: c.malformed,
      serverErrors: c.serverErrors,
    }))
    .sort((a, b) => b.requests - a.requests || a.name.localeCompare(b.name));
}

function serviceOf(ctx: FlowHealthContext): FlowHealthService {
  if (!ctx.flowHealth) throw new Error('flow health is not provided by this process');
  return ctx.flowHealth;
}

function actorOf(ctx: GraphQLContext): { username: string; userId: string } {
  const viewer = ctx.viewer;
  if (viewer.kind !== 'STAFF') throw new Error('only staff change the routing mode');
  return { username: viewer.username, userId: viewer.userId };
}

function statusOf(state: RoutingState): RoutingStatusType {
  return Object.assign(new RoutingStatusType(), {
    mode: state.mode,
    reason: state.reason,
    since: state.changedAt,
    changedBy: state.changedBy,
    autoResume: state.autoResume,
    lastCheckedAt: state.lastCheckedAt,
  });
}

function payload(
  channel: Channel | null,
  outcome: Pick<ManualOutcome, 'state' | 'change' | 'rerouted'>,
  problems: { field: string; code: string; message: string }[] = [],
): RoutingModePayload {
  return Object.assign(new RoutingModePayload(), {
    channel,
    routing: statusOf(outcome.state),
    changed: outcome.change !== null,
    reroutedOrders: outcome.rerouted,
    userErrors: problems.map((p) => UserError.from(p)),
  });
}
