import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { ORDER_STATES } from '../../domain/order/order-types.js';
import type { FieldError } from '../../domain/shared/result.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import { type DivisionStatus, divisionRegistry } from './division-registry.js';
import { rerouteOrders } from './reroute.service.js';
import { dryRunOpenOrders } from './routing-dry-run.service.js';
import {
  findVersion,
  listVersions,
  loadRoutingState,
  parseProposedRuleSet,
  type RuleSetVersionRow,
  saveRuleSet,
} from './routing-rules.store.js';
import {
  DivisionDataStatusType,
  DryRunRoutingRulesPayload,
  ReloadDivisionDataPayload,
  RerouteFilterInput,
  RerouteOrdersPayload,
  RoutingDryRunType,
  RoutingRuleHitDayType,
  RoutingRuleSetInput,
  RoutingRuleSetType,
  RoutingRuleSetVersionPage,
  RoutingRuleSetVersionType,
  SaveRoutingRulesPayload,
} from './routing-rules.types.js';

const MAX_REROUTE_IDS = 10_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const toVersionType = (row: RuleSetVersionRow): RoutingRuleSetVersionType =>
  Object.assign(new RoutingRuleSetVersionType(), row);

const userErrors = (errors: readonly FieldError[]) => errors.map((e) => UserError.from(e));

/** A typed GraphQL input as the plain value the rule-set parser reads (absent fields dropped). */
const plain = (input: unknown): unknown => JSON.parse(JSON.stringify(input ?? null));

function statusType(status: DivisionStatus): DivisionDataStatusType {
  return Object.assign(new DivisionDataStatusType(), {
    loaded: status.loaded,
    source: status.source,
    loadedAt: status.loadedAt,
    counts: status.counts && {
      provinces: status.counts.provinces,
      cities: status.counts.cities,
      districts: status.counts.districts,
    },
    lastFailureAt: status.lastFailureAt,
    lastFailure: userErrors(status.lastFailure),
  });
}

@Resolver(() => RoutingRuleSetType)
export class RoutingRulesResolver {
  @Authorized('OPS', 'SUPERVISOR')
  @Query(() => RoutingRuleSetType, { description: 'The active routing rule set and its saved versions.' })
  async routingRuleSet(@Ctx() ctx: GraphQLContext): Promise<RoutingRuleSetType> {
    const state = await loadRoutingState(ctx.pool);
    const active = await findVersion(ctx.pool, state.version);
    return Object.assign(new RoutingRuleSetType(), { active: toVersionType(active!) });
  }

  @FieldResolver(() => RoutingRuleSetVersionPage, { description: 'Saved versions, newest first.' })
  async versions(
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RoutingRuleSetVersionPage> {
    const size = Math.min(Math.max(first, 1), 100);
    const before = after && /^\d{1,9}$/.test(after) ? Number(after) : null;
    const page = await listVersions(ctx.pool, size, before);
    return Object.assign(new RoutingRuleSetVersionPage(), {
      nodes: page.versions.map(toVersionType),
      hasNextPage: page.hasMore,
      endCursor: page.versions.length > 0 ? String(page.versions[page.versions.length - 1].version) : null,
      totalCount: page.total,
    });
  }

  @Authorized('OPS', 'SUPERVISOR')
  @Query(() => RoutingRuleSetVersionType, {
    nullable: true,
    description: 'One saved version, active or not.',
  })
  async routingRuleSetVersion(
    @Arg('version', () => Int) version: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RoutingRuleSetVersionType | null> {
    const row = await findVersion(ctx.pool, version);
    return row ? toVersionType(row) : null;
  }

  @Authorized('OPS')
  @Mutation(() => SaveRoutingRulesPayload, {
    description:
      'Validates a whole rule set and saves it as the next, only active version (OPS, ADMIN). Region codes must exist in the division data. On any defect nothing is saved.',
  })
  async saveRoutingRules(
    @Arg('input', () => RoutingRuleSetInput) input: RoutingRuleSetInput,
    @Arg('comment', () => String, { nullable: true }) comment: string | null | undefined,
    @Arg('baseVersion', () => Int, {
      nullable: true,
      description: 'The version the edit started from; the save is refused if another was saved since.',
    })
    baseVersion: number | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SaveRoutingRulesPayload> {
    const result = await saveRuleSet(ctx.pool, plain(input), {
      createdBy: ctx.viewer.kind === 'STAFF' ? ctx.viewer.username : 'unknown',
      comment: comment ?? null,
      baseVersion: baseVersion ?? null,
      isKnownRegionCode: knownRegionCheck(ctx),
      now: ctx.now,
    });
    if (!result.ok)
      return Object.assign(new SaveRoutingRulesPayload(), {
        ruleSet: null,
        userErrors: userErrors(result.errors),
      });
    ctx.logger.info(
      { version: result.value.version, rules: result.value.rules.length },
      'routing rule set saved',
    );
    return Object.assign(new SaveRoutingRulesPayload(), {
      ruleSet: toVersionType(result.value),
      userErrors: [],
    });
  }

  @Authorized('OPS', 'SUPERVISOR')
  @Mutation(() => DryRunRoutingRulesPayload, {
    description:
      'Validates a rule set like saveRoutingRules and answers which open orders it would move, without saving or moving anything.',
  })
  async dryRunRoutingRules(
    @Arg('input', () => RoutingRuleSetInput) input: RoutingRuleSetInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DryRunRoutingRulesPayload> {
    const proposed = await parseProposedRuleSet(ctx.pool, plain(input), knownRegionCheck(ctx));
    if (!proposed.ok)
      return Object.assign(new DryRunRoutingRulesPayload(), {
        report: null,
        userErrors: userErrors(proposed.errors),
      });
    const current = await loadRoutingState(ctx.pool);
    const report = await dryRunOpenOrders(ctx.pool, current, proposed.value);
    return Object.assign(new DryRunRoutingRulesPayload(), {
      report: Object.assign(new RoutingDryRunType(), {
        baseVersion: report.baseVersion,
        evaluated: report.evaluated,
        movedCount: report.movedCount,
        moved: report.moved,
        byTransition: report.byTransition,
        ruleHits: Object.entries(report.ruleHits).map(([ruleId, count]) => ({ ruleId, count })),
        unassignedOpenOrders: report.unassigned,
      }),
      userErrors: [],
    });
  }

  @Authorized('OPS')
  @Mutation(() => RerouteOrdersPayload, {
    description:
      'Routes open orders again with the data, rules and routing mode in use now (OPS, ADMIN): held orders get a group once they can. Each order that moves gets a history entry.',
  })
  async rerouteOrders(
    @Arg('filter', () => RerouteFilterInput) filter: RerouteFilterInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RerouteOrdersPayload> {
    const errors: FieldError[] = [];
    const ids = filter.orderIds ?? null;
    if (ids && ids.length > MAX_REROUTE_IDS)
      errors.push({ field: 'orderIds', code: 'TOO_MANY', message: `最多 ${MAX_REROUTE_IDS} 个订单` });
    ids?.forEach((id, i) => {
      if (!UUID.test(id))
        errors.push({ field: `orderIds[${i}]`, code: 'INVALID_ID', message: '不是订单编号' });
    });
    filter.states?.forEach((state, i) => {
      if (!(ORDER_STATES as readonly string[]).includes(state))
        errors.push({ field: `states[${i}]`, code: 'UNKNOWN_STATE', message: `未知的订单状态 ${state}` });
    });
    const empty = { evaluated: 0, moved: 0, stillHeld: 0, released: 0 };
    if (errors.length > 0)
      return Object.assign(new RerouteOrdersPayload(), { ...empty, userErrors: userErrors(errors) });
    const outcome = await rerouteOrders(
      ctx.pool,
      {
        orderIds: ids ?? undefined,
        holdReason: filter.holdReason?.trim() || undefined,
        groupIds: filter.groupIds ?? undefined,
        states: filter.states ?? undefined,
      },
      ctx.now,
    );
    ctx.logger.info({ ...outcome }, 'orders routed again');
    return Object.assign(new RerouteOrdersPayload(), { ...outcome, userErrors: [] });
  }

  @Authorized('OPS', 'SUPERVISOR')
  @Query(() => [RoutingRuleHitDayType], {
    description:
      'Orders routed per rule and Shanghai business day, for the last `days` days (today included).',
  })
  async routingRuleHits(
    @Arg('days', () => Int, { defaultValue: 7 }) days: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RoutingRuleHitDayType[]> {
    const span = Math.min(Math.max(days, 1), 366);
    const { rows } = await ctx.pool.query<{ day: string; rule_id: string; count: number }>(
      `select to_char(day, 'YYYY-MM-DD') as day, rule_id, count from routing_rule_hit
        where day > ($1::timestamptz at time zone 'Asia/Shanghai')::date - $2::int
        order by day desc, count desc, rule_id`,
      [ctx.now.toISOString(), span],
    );
    return rows.map((r) =>
      Object.assign(new RoutingRuleHitDayType(), { day: r.day, ruleId: r.rule_id, count: r.count }),
    );
  }

  @Authorized('OPS', 'SUPERVISOR')
  @Query(() => DivisionDataStatusType, {
    description: 'The division data this process parses addresses with.',
  })
  divisionDataStatus(): DivisionDataStatusType {
    return statusType(divisionRegistry.status());
  }

  @Authorized('ADMIN')
  @Mutation(() => ReloadDivisionDataPayload, {
    description:
      'Reads the division data again in this process (ADMIN). A failed load keeps the previous data in use and reports why.',
  })
  reloadDivisionData(@Ctx() ctx: GraphQLContext): ReloadDivisionDataPayload {
    const result = divisionRegistry.reload(ctx.now);
    return Object.assign(new ReloadDivisionDataPayload(), {
      status: statusType(result.status),
      userErrors: result.ok ? [] : userErrors(result.errors),
    });
  }
}

/** Region codes are checked against the division data when it is loaded, else by shape only. */
function knownRegionCheck(ctx: GraphQLContext) {
  if (divisionRegistry.current !== null) return divisionRegistry.isKnownRegionCode;
  ctx.logger.warn('division data not loaded: routing rule region codes are checked by shape only');
  return undefined;
}
