import { Arg, Authorized, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import { visibleChannels } from '../../domain/auth/viewer.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import { applyFlatOrderEvents, MAX_EVENTS_PER_CALL } from './order-event.flat.js';
import {
  OrderEventResultType,
  RecordOrderEventsInput,
  RecordOrderEventsPayload,
} from './order-event.types.js';
import { addOrderNote } from './order-note.service.js';
import { AddOrderNotePayload } from './order-note.types.js';

const payload = (results: OrderEventResultType[], userErrors: UserError[]) =>
  Object.assign(new RecordOrderEventsPayload(), { results, userErrors });

@Resolver()
export class OrderEventResolver {
  @Authorized('OPS', 'WAREHOUSE', 'events:write')
  @Mutation(() => RecordOrderEventsPayload, {
    description:
      'Reports lifecycle events (payment, warehouse, carrier, customer service). Idempotent per (order, idempotencyKey); late and out-of-order events are kept but never move an order backwards.',
  })
  async recordOrderEvents(
    @Arg('input', () => RecordOrderEventsInput) input: RecordOrderEventsInput,
    @Ctx() ctx: GraphQLContext,
  ): Promise<RecordOrderEventsPayload> {
    if (input.events.length > MAX_EVENTS_PER_CALL) {
      const error = {
        field: 'events',
        code: 'TOO_MANY',
        message: `at most ${MAX_EVENTS_PER_CALL} events per call, got ${input.events.length}`,
      };
      return payload([], [UserError.from(error)]);
    }
    const results = await applyFlatOrderEvents(
      ctx.pool,
      input.events.map((e) => ({ ...e })),
      ctx.now,
      { allowedChannels: visibleChannels(ctx.viewer) },
    );
    return payload(
      results.map((r) =>
        Object.assign(new OrderEventResultType(), {
          index: r.index,
          orderId: r.orderId,
          outcome: r.outcome,
          fromState: r.fromState,
          toState: r.toState,
          reason: r.reason,
          impliedSteps: r.impliedSteps,
        }),
      ),
      results.flatMap((r) =>
        r.errors.map((e) =>
          UserError.from({ ...e, field: `events[${r.index}]${e.field ? `.${e.field}` : ''}` }),
        ),
      ),
    );
  }

  @Authorized('ADMIN', 'OPS', 'SUPERVISOR', 'FINANCE', 'WAREHOUSE', 'SERVICE')
  @Mutation(() => AddOrderNotePayload, {
    description: "Adds a staff note to an order's timeline (staff only).",
  })
  async addOrderNote(
    @Arg('orderId', () => ID) orderId: string,
    @Arg('text', () => String) text: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<AddOrderNotePayload> {
    const result = await addOrderNote(ctx.pool, ctx.viewer, orderId, text, ctx.now);
    return Object.assign(new AddOrderNotePayload(), {
      note: result.ok ? result.value : null,
      userErrors: result.ok ? [] : result.errors.map((e) => UserError.from(e)),
    });
  }
}
