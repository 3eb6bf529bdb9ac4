import { createServer, type Server } from 'node:http';
import type pg from 'pg';
import type { Channel, OrderState } from '../../api/src/domain/order/order-types.js';
import {
  decodeCursor,
  listOrders,
  type OrderListFilter,
  type OrderSort,
} from '../../api/src/modules/orders/order-query.js';

/**
 * The floor the GraphQL path is measured against: a bare `node:http` handler that reads the same
 * request body, runs the same SQL (`listOrders`, as the `orders` resolver does) and writes the
 * same JSON as the bench's GraphQL query selects — with none of Express, Apollo, graphql-js,
 * type-graphql, authentication or limits. Staff in clear (the bench signs in as admin).
 */
export async function startBareOrdersServer(pool: pg.Pool, port: number): Promise<Server> {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void answer(pool, Buffer.concat(chunks).toString('utf8')).then(
        (json) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(json);
        },
        (error: unknown) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ errors: [{ message: String(error) }] }));
        },
      );
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  return server;
}

interface Variables {
  filter?: (Omit<OrderListFilter, 'orderedFrom' | 'paidFrom' | 'paidTo'> & Record<string, unknown>) | null;
  first?: number;
  after?: string;
  orderBy?: OrderSort;
}

const date = (value: unknown) => (typeof value === 'string' ? new Date(value) : null);

async function answer(pool: pg.Pool, text: string): Promise<string> {
  const { variables = {} } = JSON.parse(text) as { variables?: Variables };
  const filter = variables.filter ?? {};
  const first = variables.first ?? 20;
  const page = await listOrders(pool, {
    visibleChannels: null,
    filter: {
      channels: filter.channels as Channel[] | undefined,
      states: filter.states as OrderState[] | undefined,
      buyerPhone: filter.buyerPhone as string | undefined,
      groupIds: filter.groupIds as string[] | undefined,
      orderedFrom: date(filter.orderedFrom),
      orderedTo: date(filter.orderedTo),
      paidFrom: date(filter.paidFrom),
      paidTo: date(filter.paidTo),
    },
    orderBy: variables.orderBy ?? 'ORDERED_AT_DESC',
    first,
    after: variables.after ? decodeCursor(variables.after) : null,
  });
  const edges = page.rows.map(({ cursor, order }) => ({
    cursor,
    node: {
      id: order.id,
      channel: order.channel,
      channelOrderNo: order.channelOrderNo,
      state: order.state,
      businessType: order.businessType,
      orderedAt: order.orderedAt.toISOString(),
      paidAt: order.paidAt ? order.paidAt.toISOString() : null,
      totalCents: order.totalCents,
      groupId: order.groupId,
      abnormal: order.abnormal,
      buyer: { name: order.buyerName, phone: order.buyerPhone },
      items: order.items.map((item) => ({ title: item.title, quantity: item.quantity })),
    },
  }));
  return JSON.stringify({
    data: {
      orders: {
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
      },
    },
  });
}
