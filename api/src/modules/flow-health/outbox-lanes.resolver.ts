import { GraphQLDateTime } from 'graphql-scalars';
import {
  Authorized,
  Ctx,
  Field,
  FieldResolver,
  Int,
  ObjectType,
  Resolver,
  registerEnumType,
} from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { type BreakerStatus, breakerStatus } from '../../infra/outbox/circuit-breaker.js';
import { loadLaneHealth } from '../../infra/outbox/lane-store.js';
import { FlowHealthType } from './flow-health.types.js';

enum OutboxBreakerState {
  CLOSED = 'CLOSED',
  OPEN = 'OPEN',
  HALF_OPEN = 'HALF_OPEN',
}
registerEnumType(OutboxBreakerState, {
  name: 'OutboxBreakerState',
  description:
    'CLOSED: delivering. OPEN: the receiver kept failing, nothing is sent to it until `openUntil`. HALF_OPEN: the next delivery is a trial.',
});

@ObjectType('OutboxLaneHealth', {
  description: 'One delivery lane of the outbox: a topic, or one receiver of a topic (one per WeCom robot).',
})
export class OutboxLaneHealthType {
  @Field(() => String)
  lane!: string;

  @Field(() => String)
  topic!: string;

  @Field(() => OutboxBreakerState)
  breaker!: BreakerStatus;

  @Field(() => Int, { description: 'Deliveries that failed in a row.' })
  consecutiveFailures!: number;

  @Field(() => GraphQLDateTime, { nullable: true })
  openUntil!: Date | null;

  @Field(() => String, { nullable: true, description: 'Why the last delivery failed (host and path only).' })
  lastError!: string | null;

  @Field(() => Int, { description: 'Messages waiting in the lane.' })
  pending!: number;

  @Field(() => GraphQLDateTime, {
    nullable: true,
    description: 'When the longest-waiting message was written.',
  })
  oldestPendingSince!: Date | null;
}

@Resolver(() => FlowHealthType)
export class OutboxLanesResolver {
  @Authorized('OPS', 'SUPERVISOR')
  @FieldResolver(() => [OutboxLaneHealthType], {
    description:
      'Outbox lanes with messages waiting or a circuit breaker not closed, the longest waiting first (OPS, SUPERVISOR).',
  })
  async outboxLanes(@Ctx() ctx: GraphQLContext): Promise<OutboxLaneHealthType[]> {
    const lanes = await loadLaneHealth(ctx.pool);
    return lanes.map((lane) => ({
      ...lane,
      breaker: breakerStatus(
        { consecutiveFailures: lane.consecutiveFailures, openUntil: lane.openUntil },
        ctx.now,
      ),
    }));
  }
}
