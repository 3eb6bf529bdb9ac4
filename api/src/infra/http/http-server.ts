import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { ApolloServer, type BaseContext } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import { GraphQLError, type GraphQLSchema, specifiedRules, type ValidationRule, validate } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import { databaseUnavailablePlugin } from '../graphql/database-unavailable.js';
import type { Logger } from '../logging/logger.js';

export interface HttpServerOptions<C extends BaseContext> {
  host: string;
  port: number;
  schema: GraphQLSchema;
  /**
   * Builds the resolver context for one operation from the caller's credentials (HTTP headers, or
   * the graphql-ws connection parameters `authorization` / `apiKey`). Throwing rejects the call.
   */
  context: (credentials: Credentials) => Promise<C>;
  /** Decides at connection time whether a subscription client may connect. */
  acceptSubscriber: (context: C) => boolean;
  /** Answers /readyz: the names of the dependencies that are not reachable (empty when ready). */
  unready: () => Promise<string[]>;
  /** Extra validation rules (e.g. depth and cost limits) for every operation, HTTP and subscriptions. */
  validationRules?: ValidationRule[];
  /** Mounts extra HTTP routes (e.g. signed webhooks) before GraphQL and the site. */
  routes?: (app: Express) => void;
  /** Built tracking site to serve at `/`, if present. */
  staticDir: string;
  logger: Logger;
}

export interface Credentials {
  authorization?: string;
  apiKey?: string;
}

export interface RunningHttpServer {
  url: string;
  port: number;
  /** Stops taking connections, lets in-flight requests finish, closes subscriptions. */
  close(): Promise<void>;
}

/** GraphQL over HTTP and graphql-ws on the same path, health checks and the tracking site. */
export async function startHttpServer<C extends BaseContext>(
  opts: HttpServerOptions<C>,
): Promise<RunningHttpServer> {
  const app = express();
  const httpServer: Server = createServer(app);
  const wsServer = new WebSocketServer({ server: httpServer, path: '/graphql' });
  const credentialsOf = (params: Record<string, unknown> | undefined): Credentials => ({
    authorization: typeof params?.authorization === 'string' ? params.authorization : undefined,
    apiKey: typeof params?.apiKey === 'string' ? params.apiKey : undefined,
  });
  const subscriptions = useServer(
    {
      schema: opts.schema,
      validate: (schema, document) =>
        validate(schema, document, [...specifiedRules, ...(opts.validationRules ?? [])]),
      // Subscriptions are authenticated once, when the client connects; a refusal closes with 4403.
      onConnect: async (ctx) => {
        try {
          return opts.acceptSubscriber(await opts.context(credentialsOf(ctx.connectionParams)));
        } catch {
          return false;
        }
      },
      context: (ctx) => opts.context(credentialsOf(ctx.connectionParams)),
    },
    wsServer,
  );
  const apollo = new ApolloServer<C>({
    schema: opts.schema,
    introspection: true,
    // The platform owns shutdown order (requests, then scheduler, then database); Apollo must not
    // stop itself on SIGTERM first.
    stopOnTerminationSignals: false,
    validationRules: opts.validationRules,
    // Apollo reports every validation failure as GRAPHQL_VALIDATION_FAILED; a rule that names its
    // own code (QUERY_TOO_DEEP, QUERY_TOO_COSTLY) keeps it, as it does over graphql-ws.
    formatError: (formatted, error) => {
      const own = error instanceof GraphQLError ? error.originalError : undefined;
      const code = own instanceof GraphQLError ? own.extensions.code : undefined;
      return formatted.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' && typeof code === 'string'
        ? { ...formatted, extensions: { ...formatted.extensions, code } }
        : formatted;
    },
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // Browsers get the platform's own explorer (graphql-explorer.ts), not Apollo's CDN page.
      ApolloServerPluginLandingPageDisabled(),
      databaseUnavailablePlugin<C>(),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              await subscriptions.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const down = await opts.unready().catch(() => ['readiness check']);
    res
      .status(down.length === 0 ? 200 : 503)
      .json({ status: down.length === 0 ? 'ready' : 'unavailable', down });
  });
  opts.routes?.(app);
  app.use(
    '/graphql',
    express.json({ limit: '50mb' }),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        opts.context({
          authorization: req.headers.authorization,
          apiKey: req.header('x-api-key') ?? undefined,
        }),
    }),
  );
  const siteDir = resolve(opts.staticDir);
  if (existsSync(siteDir)) app.use(express.static(siteDir, { index: 'index.html', extensions: ['html'] }));
  else opts.logger.warn({ siteDir }, 'tracking site is not built; run `npm run build:site`');

  await new Promise<void>((done, fail) => {
    httpServer.once('error', fail);
    httpServer.listen(opts.port, opts.host, () => done());
  });
  const address = httpServer.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  const shownHost = opts.host === '0.0.0.0' ? 'localhost' : opts.host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    async close() {
      await apollo.stop();
    },
  };
}
