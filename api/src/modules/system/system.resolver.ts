import { GraphQLDateTime } from 'graphql-scalars';
import { Authorized, Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';

@ObjectType('PlatformInfo', { description: 'What this API process is and what it runs on.' })
export class PlatformInfo {
  @Field(() => String)
  version!: string;

  @Field(() => String, { description: 'Job store of the scheduler: `postgresql` or `mongodb`.' })
  schedulerBackend!: string;

  @Field(() => GraphQLDateTime, { description: 'Server time; the business time zone is Asia/Shanghai.' })
  serverTime!: Date;
}

@Resolver()
export class SystemResolver {
  @Authorized()
  @Query(() => PlatformInfo, {
    description: 'Version and runtime facts of the platform (signed-in callers).',
  })
  platformInfo(@Ctx() ctx: GraphQLContext): PlatformInfo {
    return Object.assign(new PlatformInfo(), {
      version: ctx.platform.version,
      schedulerBackend: ctx.platform.schedulerBackend,
      serverTime: ctx.now,
    });
  }
}
