import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import type { StaffRole, Viewer } from '../../domain/auth/viewer.js';
import { maskPhone } from '../../domain/privacy/mask.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import { findGroup, listGroups, type ProcessingGroupRow, upsertGroup } from './processing-group.service.js';
import {
  ProcessingGroupInput,
  ProcessingGroupType,
  UpsertProcessingGroupPayload,
} from './processing-group.types.js';
import { routingSettings } from './routing-settings.js';

const CLEAR_CONTACT_ROLES: readonly StaffRole[] = ['ADMIN', 'OPS', 'SUPERVISOR'];
const CLEAR_ROBOT_ROLES: readonly StaffRole[] = ['ADMIN', 'OPS'];

const hasRole = (viewer: Viewer, roles: readonly StaffRole[]) =>
  viewer.kind === 'STAFF' && viewer.roles.some((r) => roles.includes(r));

/** `https://host/path?key=****`: the robot key is a credential. */
export function maskWebhookUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.search
      ? `${parsed.origin}${parsed.pathname}?key=****`
      : `${parsed.origin}${parsed.pathname}`;
  } catch {
    return '****';
  }
}

/** The group as this caller may see it. */
export function groupFor(viewer: Viewer, group: ProcessingGroupRow): ProcessingGroupType {
  const clearContacts = hasRole(viewer, CLEAR_CONTACT_ROLES);
  const clearRobot = hasRole(viewer, CLEAR_ROBOT_ROLES);
  const mobile = (m: string | null) => (m === null || clearContacts ? m : maskPhone(m));
  return Object.assign(new ProcessingGroupType(), {
    ...group,
    ownerMobile: mobile(group.ownerMobile),
    supervisorMobile: mobile(group.supervisorMobile),
    wecomWebhookUrl:
      group.wecomWebhookUrl === null || clearRobot
        ? group.wecomWebhookUrl
        : maskWebhookUrl(group.wecomWebhookUrl),
  });
}

@Resolver(() => ProcessingGroupType)
export class ProcessingGroupResolver {
  @Authorized('OPS', 'SUPERVISOR', 'SERVICE', 'WAREHOUSE', 'FINANCE')
  @Query(() => [ProcessingGroupType], { description: 'Processing groups by id; active ones unless asked.' })
  async processingGroups(
    @Arg('includeInactive', () => Boolean, { defaultValue: false }) includeInactive: boolean,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ProcessingGroupType[]> {
    const groups = await listGroups(ctx.pool, includeInactive);
    return groups.map((g) => groupFor(ctx.viewer, g));
  }

  @Authorized('OPS', 'SUPERVISOR', 'SERVICE', 'WAREHOUSE', 'FINANCE')
  @Query(() => ProcessingGroupType, { nullable: true })
  async processingGroup(
    @Arg('id', () => String) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<ProcessingGroupType | null> {
    const group = await findGroup(ctx.pool, id.trim());
    return group ? groupFor(ctx.viewer, group) : null;
  }

  @Authorized('OPS')
  @Mutation(() => UpsertProcessingGroupPayload, {
    description:
      'Creates or replaces a processing group (OPS, ADMIN). A group in use by the active rules cannot be deactivated.',
  })
  async upsertProcessingGroup(
    @Arg('input', () => ProcessingGroupInput) input: ProcessingGroupInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<UpsertProcessingGroupPayload> {
    const result = await upsertGroup(ctx.pool, input, {
      allowLocalWebhooks: routingSettings.allowLocalWebhooks,
      now: ctx.now,
    });
    if (!result.ok) {
      return Object.assign(new UpsertProcessingGroupPayload(), {
        group: null,
        userErrors: result.errors.map((e) => UserError.from(e)),
      });
    }
    ctx.logger.info({ groupId: result.value.id, active: result.value.active }, 'processing group saved');
    return Object.assign(new UpsertProcessingGroupPayload(), {
      group: groupFor(ctx.viewer, result.value),
      userErrors: [],
    });
  }
}
