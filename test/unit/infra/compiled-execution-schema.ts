import {
  GraphQLEnumType,
  GraphQLError,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
} from 'graphql';

interface Order {
  id: string;
  state: string;
  totalCents: number;
  buyer: { name: string };
  items: { title: string; quantity: number }[];
}

const ORDERS: Order[] = [1, 2, 3, 4].map((n) => ({
  id: `o${n}`,
  state: n % 2 ? 'PAID' : 'SHIPPED',
  totalCents: n * 1000,
  buyer: { name: `buyer ${n}` },
  items: [{ title: `item ${n}`, quantity: n }],
}));

const State = new GraphQLEnumType({ name: 'State', values: { PAID: {}, SHIPPED: {} } });

const OrderType = new GraphQLObjectType<Order>({
  name: 'Order',
  fields: {
    id: { type: new GraphQLNonNull(GraphQLString) },
    state: { type: new GraphQLNonNull(State) },
    totalCents: { type: new GraphQLNonNull(GraphQLInt) },
    buyer: {
      type: new GraphQLObjectType({ name: 'Buyer', fields: { name: { type: GraphQLString } } }),
    },
    items: {
      type: new GraphQLList(
        new GraphQLObjectType({
          name: 'Item',
          fields: { title: { type: GraphQLString }, quantity: { type: GraphQLInt } },
        }),
      ),
    },
    /** Always null although declared non-null: graphql's null propagation. */
    missing: { type: new GraphQLNonNull(GraphQLString), resolve: () => null },
  },
});

/** A small schema with the shapes the platform's list pages and refusals have. */
export function makeExecutableSchemaLike(): GraphQLSchema {
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        orders: {
          type: new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(OrderType))),
          args: { first: { type: GraphQLInt, defaultValue: 2 }, state: { type: State } },
          resolve: (_root, args: { first: number; state?: string }) =>
            ORDERS.filter((o) => !args.state || o.state === args.state).slice(0, args.first),
        },
        forbidden: {
          type: GraphQLString,
          resolve: () => {
            throw new GraphQLError('not for you', { extensions: { code: 'FORBIDDEN' } });
          },
        },
        broken: {
          type: GraphQLString,
          resolve: async () => {
            throw new Error('disk on fire');
          },
        },
      },
    }),
    mutation: new GraphQLObjectType({
      name: 'Mutation',
      fields: { touch: { type: GraphQLString, resolve: () => 'touched' } },
    }),
  });
}
