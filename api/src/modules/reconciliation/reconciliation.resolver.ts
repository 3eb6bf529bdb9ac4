import { GraphQLError } from 'graphql';
import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { DISCREPANCY_STATES } from '../../domain/reconciliation/discrepancy-lifecycle.js';
import type { FieldError, Result } from '../../domain/shared/result.js';
import { isBusinessDate } from '../../domain/sla/business-time.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import type { DiscrepancyFoundEvent } from '../../infra/pubsub/topics.js';
import { PageInfo } from '../orders/order-connection.type.js';
import {
  type DiscrepancyDecision,
  type DiscrepancyRow,
  decideDiscrepancy,
  discrepancyHistory,
  findDiscrepancy,
  listDiscrepancies,
} from './discrepancy.store.js';
import {
  DailyReconciliationReportType,
  DiscrepancyAuditType,
  DiscrepancyConnection,
  DiscrepancyEdge,
  DiscrepancyFilterInput,
  DiscrepancyFoundType,
  DiscrepancyPayload,
  DiscrepancyType,
  ReconciliationRunPayload,
  ReconciliationRunType,
} from './reconciliation.types.js';
import { RECONCILIATION_READERS, RECONCILIATION_WRITERS } from './reconciliation-access.js';
import { dailyReport } from './reconciliation-report.js';
import { daysBetween, runReconciliation } from './reconciliation-run.service.js';
import { DEFAULT_MATCHING, type ReconciliationSettings } from './reconciliation-settings.js';

/** What reconciliation resolvers need besides the common context. */
export type ReconciliationContext = GraphQLContext & { reconciliation?: ReconciliationSettings };

export const MAX_DISCREPANCY_PAGE = 200;
/** Longest range one run may take from GraphQL; the daily job does the rest. */
export const MAX_RUN_DAYS = 31;

const badInput = (argument: string, message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });

const encodeCursor = (row: DiscrepancyRow) =>
  Buffer.from(`${row.businessDate}|${row.id}`).toString('base64url');
function decodeCursor(cursor: string): { businessDate: string; id: string } | null {
  const [businessDate, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  return isBusinessDate(businessDate ?? '') && /^[0-9a-f-]{36}$/.test(id ?? '') ? { businessDate, id } : null;
}

function actorOf(ctx: GraphQLContext): string {
  if (ctx.viewer.kind !== 'STAFF')
    throw new GraphQLError('staff only', { extensions: { code: 'FORBIDDEN' } });
  return ctx.viewer.username;
}

const payload = (result: Result<DiscrepancyRow, FieldError[]>): DiscrepancyPayload =>
  Object.assign(new DiscrepancyPayload(), {
    discrepancy: result.ok ? DiscrepancyType.from(result.value) : null,
    userErrors: result.ok ? [] : result.errors.map((e) => UserError.from(e)),
  });

@Resolver(() => DiscrepancyType)
export class ReconciliationResolver {
  @Authorized(...RECONCILIATION_READERS)
  @Query(() => DiscrepancyConnection, { description: 'The finance queue, newest business day first.' })
  async discrepancies(
    @Arg('filter', () => DiscrepancyFilterInput, { nullable: true }) filter: DiscrepancyFilterInput | null,
    @Arg('first', () => Int, { nullable: true, defaultValue: 50 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DiscrepancyConnection> {
    if (!Number.isInteger(first) || first < 0 || first > MAX_DISCREPANCY_PAGE)
      throw badInput('first', `first must be from 0 to ${MAX_DISCREPANCY_PAGE}.`);
    const cursor = after ? decodeCursor(after) : null;
    if (after && !cursor) throw badInput('after', 'after is not a cursor returned by this API.');
    for (const field of ['fromDate', 'toDate'] as const)
      if (filter?.[field] && !isBusinessDate(filter[field]!))
        throw badInput(`filter.${field}`, `${field} must be YYYY-MM-DD.`);
    if (filter?.state && !(DISCREPANCY_STATES as readonly string[]).includes(filter.state))
      throw badInput('filter.state', `state must be one of ${DISCREPANCY_STATES.join(', ')}.`);
    const page = await listDiscrepancies(
      ctx.pool,
      { ...filter, state: filter?.state as never },
      first,
      cursor,
    );
    const edges = page.rows.map((row) =>
      Object.assign(new DiscrepancyEdge(), { cursor: encodeCursor(row), node: DiscrepancyType.from(row) }),
    );
    return Object.assign(new DiscrepancyConnection(), {
      edges,
      pageInfo: Object.assign(new PageInfo(), {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      }),
    });
  }

  @Authorized(...RECONCILIATION_READERS)
  @Query(() => DiscrepancyType, { nullable: true })
  async discrepancy(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DiscrepancyType | null> {
    const row = await findDiscrepancy(ctx.pool, id);
    return row ? DiscrepancyType.from(row) : null;
  }

  @Authorized(...RECONCILIATION_READERS)
  @Query(() => [DiscrepancyAuditType], { description: 'Every decision on a discrepancy, oldest first.' })
  async discrepancyHistory(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DiscrepancyAuditType[]> {
    if (!(await findDiscrepancy(ctx.pool, id))) return [];
    return (await discrepancyHistory(ctx.pool, id)).map((row) => DiscrepancyAuditType.from(row));
  }

  @Authorized(...RECONCILIATION_READERS)
  @Query(() => [ReconciliationRunType], { description: 'The latest runs, newest first.' })
  async reconciliationRuns(
    @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ReconciliationRunType[]> {
    if (!Number.isInteger(first) || first < 0 || first > 100)
      throw badInput('first', 'first must be from 0 to 100.');
    const { rows } = await ctx.pool.query(
      `select *, to_char(from_date, 'YYYY-MM-DD') as from_date, to_char(to_date, 'YYYY-MM-DD') as to_date
         from reconciliation_run order by started_at desc, id desc limit $1`,
      [first],
    );
    return rows.map((row) => ReconciliationRunType.from(row));
  }

  @Authorized(...RECONCILIATION_READERS)
  @Query(() => DailyReconciliationReportType)
  async reconciliationReport(
    @Arg('shop', () => String) shop: string,
    @Arg('date', () => String, { description: 'Business day, YYYY-MM-DD (Shanghai).' }) date: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DailyReconciliationReportType> {
    if (!isBusinessDate(date)) throw badInput('date', 'date must be YYYY-MM-DD.');
    return DailyReconciliationReportType.from(await dailyReport(ctx.pool, shop, date));
  }

  @Authorized(...RECONCILIATION_WRITERS)
  @Mutation(() => ReconciliationRunPayload, {
    description: `Reconciles business days fromDate..toDate (at most ${MAX_RUN_DAYS}) for one shop or all, now; answers when done.`,
  })
  async runReconciliation(
    @Arg('fromDate', () => String) fromDate: string,
    @Arg('toDate', () => String) toDate: string,
    @Arg('shop', () => String, { nullable: true }) shop: string | null,
    @Ctx() ctx: ReconciliationContext,
  ): Promise<ReconciliationRunPayload> {
    const errors: FieldError[] = [];
    if (!isBusinessDate(fromDate))
      errors.push({ field: 'fromDate', code: 'INVALID_DATE', message: 'Use YYYY-MM-DD.' });
    if (!isBusinessDate(toDate))
      errors.push({ field: 'toDate', code: 'INVALID_DATE', message: 'Use YYYY-MM-DD.' });
    else if (
      errors.length === 0 &&
      (toDate < fromDate || daysBetween(fromDate, toDate).length > MAX_RUN_DAYS)
    )
      errors.push({
        field: 'toDate',
        code: 'INVALID_RANGE',
        message: `toDate must be on or after fromDate, within ${MAX_RUN_DAYS} days.`,
      });
    if (errors.length > 0)
      return Object.assign(new ReconciliationRunPayload(), {
        run: null,
        userErrors: errors.map((e) => UserError.from(e)),
      });
    const summary = await runReconciliation(ctx.pool, {
      shop: shop?.trim() || null,
      fromDate,
      toDate,
      trigger: 'MANUAL',
      startedBy: actorOf(ctx),
      settings: ctx.reconciliation?.matching ?? DEFAULT_MATCHING,
      now: ctx.now,
    });
    const { rows } = await ctx.pool.query(
      `select *, to_char(from_date, 'YYYY-MM-DD') as from_date, to_char(to_date, 'YYYY-MM-DD') as to_date
         from reconciliation_run where id = $1`,
      [summary.id],
    );
    return Object.assign(new ReconciliationRunPayload(), {
      run: ReconciliationRunType.from(rows[0]),
      userErrors: [],
    });
  }

  private async decide(ctx: GraphQLContext, id: string, decision: DiscrepancyDecision) {
    return payload(await decideDiscrepancy(ctx.pool, id, decision, actorOf(ctx), ctx.now));
  }

  @Authorized(...RECONCILIATION_WRITERS)
  @Mutation(() => DiscrepancyPayload, { description: 'Gives a discrepancy to someone (null: nobody).' })
  assignDiscrepancy(
    @Arg('id', () => ID) id: string,
    @Arg('assignee', () => String, { nullable: true }) assignee: string | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return this.decide(ctx, id, { action: 'ASSIGN', assignee });
  }

  @Authorized(...RECONCILIATION_WRITERS)
  @Mutation(() => DiscrepancyPayload, { description: 'Adds a note, in any state.' })
  noteDiscrepancy(
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String) note: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    return this.decide(ctx, id, { action: 'NOTE', note });
  }

  @Authorized(...RECONCILIATION_WRITERS)
  @Mutation(() => DiscrepancyPayload, {
    description: 'OPEN → CONFIRMED: finance agrees the difference is real.',
  })
  confirmDiscrepancy(
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() ctx: GraphQLContext,
  ) {
    return this.decide(ctx, id, { action: 'CONFIRM', note });
  }

  @Authorized(...RECONCILIATION_WRITERS)
  @Mutation(() => DiscrepancyPayload, { description: '→ RESOLVED: the money was put right; say how.' })
  resolveDiscrepancy(
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String) note: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    return this.decide(ctx, id, { action: 'RESOLVE', note });
  }

  @Authorized(...RECONCILIATION_WRITERS)
  @Mutation(() => DiscrepancyPayload, { description: '→ WRITTEN_OFF (核销): accepted as it is; say why.' })
  writeOffDiscrepancy(
    @Arg('id', () => ID) id: string,
    @Arg('note', () => String) note: string,
    @Ctx() ctx: GraphQLContext,
  ) {
    return this.decide(ctx, id, { action: 'WRITE_OFF', note });
  }

  @Authorized(...RECONCILIATION_READERS)
  @Subscription(() => DiscrepancyFoundType, {
    topics: 'DISCREPANCY_FOUND',
    filter: ({ payload: e, args }: { payload: DiscrepancyFoundEvent; args: { shop?: string | null } }) =>
      !args.shop || e.shop === null || e.shop === args.shop,
    description: 'New discrepancies, one event per run and business day; optionally for one shop.',
  })
  discrepancyFound(
    @Root() event: DiscrepancyFoundEvent,
    @Arg('shop', () => String, { nullable: true }) _shop?: string | null,
  ): DiscrepancyFoundType {
    return DiscrepancyFoundType.from(event);
  }
}
