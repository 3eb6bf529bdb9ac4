import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Viewer } from '../../../api/src/domain/auth/viewer.js';
import {
  clock,
  createGroup,
  gql,
  insertOrder,
  OWNER_ID,
  openSlaDb,
  type SlaDb,
  SUPERVISOR_ID,
  staff,
  sweep,
} from '../sla/sla-kit.js';

const OTHER_OWNER = '00000000-0000-4000-8000-0000000000c3';
const TICKET_FIELDS = `id orderId channelOrderNo stage level state groupId assigneeUserId assigneeName resolution
  acknowledgedBy resolvedBy escalatedToTicketId comments { authorName text }`;

interface TicketView {
  id: string;
  orderId: string;
  level: number;
  state: string;
  groupId: string;
  assigneeUserId: string;
  assigneeName: string | null;
  resolution: string | null;
  acknowledgedBy: string | null;
  resolvedBy: string | null;
  escalatedToTicketId: string | null;
  comments: { authorName: string; text: string }[];
}

interface Payload {
  ticket: TicketView | null;
  userErrors: { field: string; code: string; message: string }[];
}

describe('tickets', () => {
  let db: SlaDb;
  const { at } = clock();
  const ops = staff('OPS');
  const supervisor = staff('SUPERVISOR');
  let orders: { a: string[]; b: string[] };

  beforeAll(async () => {
    db = await openSlaDb('tickets');
    await createGroup(db.pool, { id: 'group-a' });
    await createGroup(db.pool, { id: 'group-b', ownerUserId: OTHER_OWNER });
    orders = { a: [], b: [] };
    for (let i = 0; i < 3; i++)
      orders.a.push(await insertOrder(db.pool, { paidAt: at(-40), groupId: 'group-a' }));
    for (let i = 0; i < 2; i++)
      orders.b.push(await insertOrder(db.pool, { paidAt: at(-40), groupId: 'group-b' }));
    // The first order of group A is late enough for its supervisor as well.
    await db.pool.query(`update orders set paid_at = $2 where id = $1`, [orders.a[0], at(-200)]);
    await sweep(db, at(0));
  });
  afterAll(async () => {
    await db?.close();
  });

  const list = (
    filter: Record<string, unknown>,
    first = 50,
    after: string | null = null,
    viewer: Viewer = ops,
  ) =>
    gql<{
      tickets: {
        edges: { cursor: string; node: TicketView }[];
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        totalCount: number;
      };
    }>(
      db,
      viewer,
      `query ($filter: TicketFilter, $first: Int, $after: String) {
        tickets(filter: $filter, first: $first, after: $after) {
          edges { cursor node { ${TICKET_FIELDS} } } pageInfo { hasNextPage endCursor } totalCount } }`,
      { filter, first, after },
    );

  const mutate = async (
    name: string,
    args: Record<string, unknown>,
    viewer: Viewer = ops,
  ): Promise<Payload> => {
    const params = Object.keys(args)
      .map((k) => `${k}: $${k}`)
      .join(', ');
    const types = Object.keys(args)
      .map((k) => `$${k}: ${k === 'id' ? 'ID!' : 'String!'}`)
      .join(', ');
    const { data, errors } = await gql<Record<string, Payload>>(
      db,
      viewer,
      `mutation (${types}) { ${name}(${params}) { ticket { ${TICKET_FIELDS} } userErrors { field code message } } }`,
      args,
      at(5),
    );
    expect(errors).toEqual([]);
    return data[name];
  };

  it('lists tickets by group, assignee, state and order, newest first, a page at a time', async () => {
    const all = await list({});
    expect(all.errors).toEqual([]);
    expect(all.data.tickets.totalCount).toBe(6);
    expect((await list({ groupId: 'group-a' })).data.tickets.totalCount).toBe(4);
    const mine = await list({ assigneeUserId: OTHER_OWNER });
    expect(mine.data.tickets.edges.map((e) => e.node.orderId).sort()).toEqual([...orders.b].sort());
    const bySupervisor = await list({ assigneeUserId: SUPERVISOR_ID });
    expect(
      bySupervisor.data.tickets.edges.map((e) => [e.node.orderId, e.node.level, e.node.assigneeName]),
    ).toEqual([[orders.a[0], 2, '李主管']]);
    const escalated = await list({ state: 'ESCALATED' });
    expect(
      escalated.data.tickets.edges.map((e) => [e.node.orderId, e.node.level, e.node.assigneeUserId]),
    ).toEqual([[orders.a[0], 1, OWNER_ID]]);
    expect((await list({ orderId: orders.a[0] })).data.tickets.totalCount).toBe(2);
    expect((await list({ orderId: 'not-a-uuid' })).data.tickets.totalCount).toBe(0);

    const seen: string[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page++) {
      const answer = await list({}, 4, after);
      seen.push(...answer.data.tickets.edges.map((e) => e.node.id));
      if (!answer.data.tickets.pageInfo.hasNextPage) break;
      after = answer.data.tickets.pageInfo.endCursor;
    }
    expect(seen).toEqual(all.data.tickets.edges.map((e) => e.node.id));
    expect(new Set(seen).size).toBe(6);
    const bad = await list({}, 10, 'not-a-cursor');
    expect(bad.errors.map((e) => e.code)).toEqual(['BAD_USER_INPUT']);
  });

  it('moves OPEN → ACKNOWLEDGED → RESOLVED, recording who and how', async () => {
    const [edge] = (await list({ orderId: orders.b[0] })).data.tickets.edges;
    const acknowledged = await mutate('acknowledgeTicket', { id: edge.node.id });
    expect(acknowledged.userErrors).toEqual([]);
    expect(acknowledged.ticket).toMatchObject({ state: 'ACKNOWLEDGED', acknowledgedBy: 'test-ops' });
    const resolved = await mutate('resolveTicket', { id: edge.node.id, resolution: '仓库已补发接单消息' });
    expect(resolved.ticket).toMatchObject({
      state: 'RESOLVED',
      resolvedBy: 'test-ops',
      resolution: '仓库已补发接单消息',
    });
    const stored = await db.pool.query('select acknowledged_at, resolved_at from ticket where id = $1', [
      edge.node.id,
    ]);
    expect(stored.rows[0]).toEqual({ acknowledged_at: at(5), resolved_at: at(5) });
  });

  it('refuses illegal moves with the reason, changing nothing', async () => {
    const [edge] = (await list({ orderId: orders.b[0] })).data.tickets.edges;
    const again = await mutate('resolveTicket', { id: edge.node.id, resolution: '再次关闭' });
    expect(again.ticket).toBeNull();
    expect(again.userErrors).toEqual([
      {
        field: 'id',
        code: 'TERMINAL_STATE',
        message: 'ticket is RESOLVED, a final state; it cannot move to RESOLVED',
      },
    ]);
    const [open] = (await list({ orderId: orders.b[1] })).data.tickets.edges;
    await mutate('acknowledgeTicket', { id: open.node.id });
    const twice = await mutate('acknowledgeTicket', { id: open.node.id });
    expect(twice.userErrors).toEqual([
      {
        field: 'id',
        code: 'TRANSITION_NOT_ALLOWED',
        message:
          'ticket cannot move from ACKNOWLEDGED to ACKNOWLEDGED; from ACKNOWLEDGED it can move to ESCALATED, RESOLVED',
      },
    ]);
    const blank = await mutate('resolveTicket', { id: open.node.id, resolution: '  ' });
    expect(blank.userErrors.map((e) => [e.field, e.code])).toEqual([['resolution', 'REQUIRED']]);
    const missing = await mutate('acknowledgeTicket', { id: '00000000-0000-4000-8000-00000000ffff' });
    expect(missing.userErrors.map((e) => [e.field, e.code])).toEqual([['id', 'NOT_FOUND']]);
    const state = await db.pool.query('select state from ticket where id = $1', [open.node.id]);
    expect(state.rows[0].state).toBe('ACKNOWLEDGED');
  });

  it('lets the supervisor pick up an escalated ticket', async () => {
    const [escalated] = (await list({ state: 'ESCALATED' })).data.tickets.edges;
    expect(escalated.node.escalatedToTicketId).not.toBeNull();
    const picked = await mutate('acknowledgeTicket', { id: escalated.node.id }, supervisor);
    expect(picked.ticket).toMatchObject({ state: 'ACKNOWLEDGED', acknowledgedBy: 'test-supervisor' });
  });

  it('keeps comments in order, on any state, and refuses empty ones', async () => {
    const [edge] = (await list({ orderId: orders.b[0] })).data.tickets.edges;
    await mutate('commentOnTicket', { id: edge.node.id, text: '已电话联系仓库' });
    const second = await mutate(
      'commentOnTicket',
      { id: edge.node.id, text: '仓库确认今日发出' },
      supervisor,
    );
    expect(second.ticket?.comments).toEqual([
      { authorName: 'test-ops', text: '已电话联系仓库' },
      { authorName: 'test-supervisor', text: '仓库确认今日发出' },
    ]);
    const empty = await mutate('commentOnTicket', { id: edge.node.id, text: '' });
    expect(empty.userErrors.map((e) => [e.field, e.code])).toEqual([['text', 'REQUIRED']]);
    const one = await gql<{ ticket: TicketView }>(
      db,
      ops,
      `query ($id: ID!) { ticket(id: $id) { ${TICKET_FIELDS} } }`,
      {
        id: edge.node.id,
      },
    );
    expect(one.data.ticket.comments).toHaveLength(2);
  });

  it('is for staff who work orders only', async () => {
    const partner: Viewer = {
      kind: 'PARTNER',
      clientId: 'p1',
      name: 'p',
      channels: ['TAOBAO'],
      scopes: ['orders:read'],
    };
    expect((await list({}, 10, null, partner)).errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    expect((await list({}, 10, null, staff('FINANCE'))).errors.map((e) => e.code)).toEqual(['FORBIDDEN']);
    expect((await list({}, 10, null, staff('WAREHOUSE'))).errors).toEqual([]);
  });
});
