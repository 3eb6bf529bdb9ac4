import { Arg, Authorized, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { parseSlaPolicyInput } from '../../domain/sla/validate-sla-policy.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import { dryRunSlaPolicy } from './sla-dry-run.service.js';
import { findPolicyVersion, listActiveVersions, listVersionsOf, saveSlaPolicy } from './sla-policy.store.js';
import {
  DryRunSlaPolicyPayload,
  SaveSlaPolicyPayload,
  SlaDryRunOrderType,
  SlaDryRunType,
  SlaLevelCountType,
  SlaPolicyInput,
  SlaPolicyType,
  SlaPolicyVersionType,
} from './sla-policy.types.js';

/** A typed GraphQL input as the plain value the policy parser reads (absent fields dropped). */
const plain = (input: unknown): unknown => JSON.parse(JSON.stringify(input ?? null));

@Resolver(() => SlaPolicyType)
export class SlaPolicyResolver {
  @Authorized('OPS', 'SUPERVISOR')
  @Query(() => [SlaPolicyType], { description: 'The active SLA policies, one per key, with their history.' })
  async slaPolicies(@Ctx() ctx: GraphQLContext): Promise<SlaPolicyType[]> {
    const active = await listActiveVersions(ctx.pool, ctx.logger);
    return active.map((row) =>
      Object.assign(new SlaPolicyType(), { key: row.policyKey, active: SlaPolicyVersionType.from(row) }),
    );
  }

  @FieldResolver(() => [SlaPolicyVersionType], { description: 'Every version of this key, newest first.' })
  async versions(@Root() policy: SlaPolicyType, @Ctx() ctx: GraphQLContext): Promise<SlaPolicyVersionType[]> {
    const rows = await listVersionsOf(ctx.pool, policy.key);
    return rows.map((row) => SlaPolicyVersionType.from(row));
  }

  @Authorized('OPS', 'SUPERVISOR')
  @Query(() => SlaPolicyVersionType, { nullable: true, description: 'One saved version, active or not.' })
  async slaPolicyVersion(
    @Arg('key', () => String) key: string,
    @Arg('version', () => Int) version: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SlaPolicyVersionType | null> {
    const row = await findPolicyVersion(ctx.pool, key, version);
    return row ? SlaPolicyVersionType.from(row) : null;
  }

  @Authorized('OPS')
  @Mutation(() => SaveSlaPolicyPayload, {
    description:
      'Validates a policy and saves it as the next, only active version of its key (OPS, ADMIN). On any defect nothing is saved. Open orders it may govern are judged by it from the next SLA sweep.',
  })
  async saveSlaPolicy(
    @Arg('input', () => SlaPolicyInput) input: SlaPolicyInput,
    @Arg('comment', () => String, { nullable: true }) comment: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<SaveSlaPolicyPayload> {
    const result = await saveSlaPolicy(ctx.pool, plain(input), {
      createdBy: ctx.viewer.kind === 'STAFF' ? ctx.viewer.username : 'unknown',
      comment: comment ?? null,
      now: ctx.now,
    });
    if (!result.ok)
      return Object.assign(new SaveSlaPolicyPayload(), {
        policy: null,
        userErrors: result.errors.map((e) => UserError.from(e)),
      });
    ctx.logger.info({ policyKey: result.value.policyKey, version: result.value.version }, 'SLA policy saved');
    return Object.assign(new SaveSlaPolicyPayload(), {
      policy: SlaPolicyVersionType.from(result.value),
      userErrors: [],
    });
  }

  @Authorized('OPS', 'SUPERVISOR')
  @Mutation(() => DryRunSlaPolicyPayload, {
    description:
      'Validates a policy like saveSlaPolicy and answers which open orders would be overdue, and at which level, if it were live now. Nothing is saved.',
  })
  async dryRunSlaPolicy(
    @Arg('input', () => SlaPolicyInput) input: SlaPolicyInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<DryRunSlaPolicyPayload> {
    const parsed = parseSlaPolicyInput(plain(input));
    if (!parsed.ok)
      return Object.assign(new DryRunSlaPolicyPayload(), {
        report: null,
        userErrors: parsed.errors.map((e) => UserError.from(e)),
      });
    const report = await dryRunSlaPolicy(ctx.pool, parsed.value, ctx.now);
    return Object.assign(new DryRunSlaPolicyPayload(), {
      report: Object.assign(new SlaDryRunType(), {
        evaluated: report.evaluated,
        overdue: report.overdue,
        byLevel: report.byLevel.map((l) => Object.assign(new SlaLevelCountType(), l)),
        orders: report.orders.map((o) => Object.assign(new SlaDryRunOrderType(), o)),
      }),
      userErrors: [],
    });
  }
}
