import { GraphQLError } from 'graphql';
import {
  Arg,
  Authorized,
  Ctx,
  FieldResolver,
  ID,
  Int,
  Mutation,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import type { GraphQLContext } from '../../app/context.js';
import type { Viewer } from '../../domain/auth/viewer.js';
import type { FieldError, Result } from '../../domain/shared/result.js';
import type { TicketState } from '../../domain/ticket/ticket-lifecycle.js';
import { UserError } from '../../infra/graphql/user-error.type.js';
import type { TicketRaisedEvent } from '../../infra/pubsub/topics.js';
import { PageInfo } from '../orders/order-connection.type.js';
import { type Actor, findTicket, listComments, type TicketRow } from './ticket.row.js';
import { addComment, moveTicket } from './ticket.store.js';
import {
  TicketCommentType,
  TicketConnection,
  TicketEdge,
  TicketFilter,
  TicketPayload,
  TicketRaisedType,
  TicketType,
} from './ticket.types.js';
import { countTickets, decodeTicketCursor, listTickets, type TicketListFilter } from './ticket-query.js';

export const DEFAULT_TICKET_PAGE = 50;
export const MAX_TICKET_PAGE = 200;

/** Staff who work late orders; partners never see tickets. */
const STAFF_ROLES = ['OPS', 'SUPERVISOR', 'WAREHOUSE', 'SERVICE'] as const;

const badInput = (argument: string, message: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', argument } });

function actorOf(viewer: Viewer): Actor {
  if (viewer.kind !== 'STAFF') throw new GraphQLError('staff only', { extensions: { code: 'FORBIDDEN' } });
  return { userId: viewer.userId, username: viewer.username };
}

const payload = (result: Result<TicketRow, FieldError[]>): TicketPayload =>
  Object.assign(
    new TicketPayload(),
    result.ok
      ? { ticket: TicketType.from(result.value), userErrors: [] }
      : { ticket: null, userErrors: result.errors.map((e) => UserError.from(e)) },
  );

@Resolver(() => TicketType)
export class TicketResolver {
  @Authorized(...STAFF_ROLES)
  @Query(() => TicketConnection, {
    description: `Tickets newest first, a page at a time: pass the last \`endCursor\` as \`after\`. At most ${MAX_TICKET_PAGE} per page.`,
  })
  async tickets(
    @Arg('filter', () => TicketFilter, { nullable: true }) filter: TicketFilter | null | undefined,
    @Arg('first', () => Int, { nullable: true, defaultValue: DEFAULT_TICKET_PAGE }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null | undefined,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TicketConnection> {
    const size = first ?? DEFAULT_TICKET_PAGE;
    if (!Number.isInteger(size) || size < 0 || size > MAX_TICKET_PAGE)
      throw badInput('first', `first must be from 0 to ${MAX_TICKET_PAGE}, got ${size}.`);
    const cursor = after != null ? decodeTicketCursor(after) : null;
    if (after != null && !cursor) throw badInput('after', 'after is not a cursor returned by this API.');
    const query: TicketListFilter = {
      state: (filter?.state as TicketState | null | undefined) ?? null,
      groupId: filter?.groupId ?? null,
      assigneeUserId: filter?.assigneeUserId ?? null,
      orderId: filter?.orderId ?? null,
    };
    const page = await listTickets(ctx.pool, query, size, cursor);
    const edges = page.rows.map((row) =>
      Object.assign(new TicketEdge(), { cursor: row.cursor, node: TicketType.from(row.ticket) }),
    );
    return Object.assign(new TicketConnection(), {
      edges,
      pageInfo: Object.assign(new PageInfo(), {
        hasNextPage: page.hasNextPage,
        hasPreviousPage: false,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges[edges.length - 1]?.cursor ?? null,
      }),
      countTotal: () => countTickets(ctx.pool, query),
    });
  }

  @Authorized(...STAFF_ROLES)
  @Query(() => TicketType, { nullable: true })
  async ticket(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<TicketType | null> {
    const row = await findTicket(ctx.pool, id);
    return row ? TicketType.from(row) : null;
  }

  @FieldResolver(() => [TicketCommentType], { description: 'Oldest first.' })
  async comments(@Root() ticket: TicketType, @Ctx() ctx: GraphQLContext): Promise<TicketCommentType[]> {
    return (await listComments(ctx.pool, ticket.id)).map((row) => TicketCommentType.from(row));
  }

  @Authorized(...STAFF_ROLES)
  @Mutation(() => TicketPayload, { description: 'Takes a ticket on: OPEN or ESCALATED → ACKNOWLEDGED.' })
  async acknowledgeTicket(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TicketPayload> {
    return payload(await moveTicket(ctx.pool, id, 'ACKNOWLEDGED', actorOf(ctx.viewer), ctx.now));
  }

  @Authorized(...STAFF_ROLES)
  @Mutation(() => TicketPayload, { description: 'Closes a ticket with how it was resolved.' })
  async resolveTicket(
    @Arg('id', () => ID) id: string,
    @Arg('resolution', () => String) resolution: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TicketPayload> {
    return payload(await moveTicket(ctx.pool, id, 'RESOLVED', actorOf(ctx.viewer), ctx.now, resolution));
  }

  @Authorized(...STAFF_ROLES)
  @Mutation(() => TicketPayload, { description: 'Adds a comment, in any state.' })
  async commentOnTicket(
    @Arg('id', () => ID) id: string,
    @Arg('text', () => String) text: string,
    @Ctx() ctx: GraphQLContext,
  ): Promise<TicketPayload> {
    const result = await addComment(ctx.pool, id, actorOf(ctx.viewer), text, ctx.now);
    return payload(result.ok ? { ok: true, value: result.value.ticket } : result);
  }

  @Authorized(...STAFF_ROLES)
  @Subscription(() => TicketRaisedType, {
    topics: 'TICKET_RAISED',
    filter: ({
      payload: event,
      args,
    }: {
      payload: TicketRaisedEvent;
      args: { groupIds?: string[] | null };
    }) => !args.groupIds?.length || (event.groupId !== null && args.groupIds.includes(event.groupId)),
    description:
      'Tickets as the SLA sweep opens them, across every API process; optionally for some groups only.',
  })
  ticketRaised(
    @Root() event: TicketRaisedEvent,
    @Arg('groupIds', () => [String], { nullable: true }) _groupIds?: string[] | null,
  ): TicketRaisedType {
    return TicketRaisedType.from(event);
  }
}
