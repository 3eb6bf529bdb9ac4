import { Arg, Authorized, Ctx, Field, ID, Mutation, ObjectType, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import {
  type Actor,
  deactivateStaffUser,
  revokeApiClient,
  revokeStaffSessions,
} from './access-revocation.js';

@ObjectType('RevokeAccessPayload')
export class RevokeAccessPayload {
  @Field(() => ID, { nullable: true, description: 'The user or API client whose access was taken back.' })
  revokedId!: string | null;

  @Field(() => [UserError])
  userErrors!: UserError[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const EFFECT =
  'Takes effect in every API process at once: requests with the old credentials are refused and open subscriptions using them are closed.';

/** Taking access back (ADMIN). Each mutation is audited. */
@Resolver()
export class AccessRevocationResolver {
  @Authorized('ADMIN')
  @Mutation(() => RevokeAccessPayload, {
    description: `Deactivates a staff account and invalidates its tokens (ADMIN). ${EFFECT}`,
  })
  async deactivateStaffUser(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RevokeAccessPayload> {
    return revoked(id, 'id', 'no staff user with this id', () =>
      deactivateStaffUser(ctx.orm, id, actorOf(ctx), ctx.now),
    );
  }

  @Authorized('ADMIN')
  @Mutation(() => RevokeAccessPayload, {
    description: `Invalidates every token of a staff account; the account may sign in again (ADMIN). ${EFFECT}`,
  })
  async revokeStaffSessions(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RevokeAccessPayload> {
    return revoked(id, 'id', 'no staff user with this id', () =>
      revokeStaffSessions(ctx.orm, id, actorOf(ctx), ctx.now),
    );
  }

  @Authorized('ADMIN')
  @Mutation(() => RevokeAccessPayload, {
    description: `Revokes a partner API key for good (ADMIN). ${EFFECT}`,
  })
  async revokeApiClient(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RevokeAccessPayload> {
    return revoked(id, 'id', 'no API client with this id', () =>
      revokeApiClient(ctx.orm, id, actorOf(ctx), ctx.now),
    );
  }
}

const actorOf = (ctx: GraphQLContext): Actor => ({
  userId: ctx.viewer.kind === 'STAFF' ? ctx.viewer.userId : 'unknown',
  address: ctx.clientAddress ?? null,
});

async function revoked(
  id: string,
  field: string,
  missing: string,
  run: () => Promise<{ id: string } | null>,
): Promise<RevokeAccessPayload> {
  const found = UUID.test(id) ? await run() : null;
  return Object.assign(new RevokeAccessPayload(), {
    revokedId: found?.id ?? null,
    userErrors: found ? [] : [UserError.from({ field, code: 'NOT_FOUND', message: missing })],
  });
}
