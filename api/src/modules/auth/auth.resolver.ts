import { Arg, Authorized, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import type { PartnerScope, StaffRole } from '../../domain/auth/viewer.js';
import type { Channel } from '../../domain/order/order-types.js';
import type { FieldError } from '../../domain/shared/result.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import {
  ApiClientType,
  CreateApiClientInput,
  CreateApiClientPayload,
  CreateStaffUserInput,
  CreateStaffUserPayload,
  LoginPayload,
  StaffUserType,
} from './auth.types.js';
import { signIn } from './sign-in.js';
import { StaffUser } from './staff-user.entity.js';

const toUserType = (u: StaffUser) =>
  Object.assign(new StaffUserType(), {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    roles: u.roles,
  });
const errors = (list: FieldError[]) => list.map((e) => UserError.from(e));

@Resolver()
export class AuthResolver {
  @Mutation(() => LoginPayload, { description: 'Signs a member of staff in and returns a session token.' })
  async login(
    @Arg('username', () => String) username: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LoginPayload> {
    const result = await signIn(
      ctx.orm,
      ctx.auth,
      { username, password, address: ctx.clientAddress ?? null },
      ctx.now,
    );
    if (!result.ok) {
      ctx.logger.info({ code: result.error.code }, 'sign-in refused');
      return Object.assign(new LoginPayload(), {
        token: null,
        user: null,
        userErrors: errors([result.error]),
      });
    }
    return Object.assign(new LoginPayload(), {
      token: result.token,
      user: toUserType(result.user),
      userErrors: [],
    });
  }

  @Authorized()
  @Query(() => StaffUserType, {
    nullable: true,
    description: 'The signed-in member of staff; null for partner keys.',
  })
  async me(@Ctx() ctx: GraphQLContext): Promise<StaffUserType | null> {
    if (ctx.viewer.kind !== 'STAFF') return null;
    const user = await ctx.orm.em.fork().findOne(StaffUser, { id: ctx.viewer.userId });
    return user ? toUserType(user) : null;
  }

  @Authorized('ADMIN')
  @Mutation(() => CreateStaffUserPayload, { description: 'Creates a staff account (ADMIN).' })
  async createStaffUser(
    @Arg('input', () => CreateStaffUserInput) input: CreateStaffUserInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreateStaffUserPayload> {
    const problems: FieldError[] = [];
    if (!/^[a-z0-9_.-]{3,32}$/.test(input.username))
      problems.push({
        field: 'username',
        code: 'INVALID_USERNAME',
        message: '3–32 characters: a-z, 0-9, _ . -',
      });
    if (input.password.length < 10)
      problems.push({ field: 'password', code: 'TOO_SHORT', message: 'at least 10 characters' });
    if (input.roles.length === 0)
      problems.push({ field: 'roles', code: 'REQUIRED', message: 'at least one role' });
    const em = ctx.orm.em.fork();
    if (problems.length === 0 && (await em.count(StaffUser, { username: input.username })) > 0)
      problems.push({ field: 'username', code: 'TAKEN', message: 'this username is already in use' });
    if (problems.length > 0)
      return Object.assign(new CreateStaffUserPayload(), { user: null, userErrors: errors(problems) });
    const user = await ctx.auth.createStaffUser(em, { ...input, roles: input.roles as StaffRole[] });
    return Object.assign(new CreateStaffUserPayload(), { user: toUserType(user), userErrors: [] });
  }

  @Authorized('ADMIN')
  @Mutation(() => CreateApiClientPayload, {
    description: 'Creates a partner API key scoped to channels (ADMIN).',
  })
  async createApiClient(
    @Arg('input', () => CreateApiClientInput) input: CreateApiClientInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<CreateApiClientPayload> {
    const problems: FieldError[] = [];
    if (!input.name.trim())
      problems.push({ field: 'name', code: 'REQUIRED', message: 'give the key a name' });
    if (input.channels.length === 0)
      problems.push({ field: 'channels', code: 'REQUIRED', message: 'at least one channel' });
    if (input.scopes.length === 0)
      problems.push({ field: 'scopes', code: 'REQUIRED', message: 'at least one scope' });
    if (problems.length > 0)
      return Object.assign(new CreateApiClientPayload(), {
        client: null,
        apiKey: null,
        userErrors: errors(problems),
      });
    const { client, key } = await ctx.auth.createApiClient(ctx.orm.em.fork(), {
      name: input.name.trim(),
      channels: input.channels as Channel[],
      scopes: input.scopes as PartnerScope[],
      createdBy: ctx.viewer.kind === 'STAFF' ? ctx.viewer.userId : null,
    });
    return Object.assign(new CreateApiClientPayload(), {
      client: Object.assign(new ApiClientType(), client),
      apiKey: key,
      userErrors: [],
    });
  }
}
