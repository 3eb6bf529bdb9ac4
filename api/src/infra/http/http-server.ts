import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { resolve } from 'node:path';
import { ApolloServer, type BaseContext } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginInlineTraceDisabled,
  ApolloServerPluginLandingPageDisabled,
} from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { expressMiddleware } from '@as-integrations/express5';
import express, { type Express } from 'express';
import {
  GraphQLError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  type ValidationRule,
  validate,
} from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { type WebSocket, WebSocketServer } from 'ws';
import { compiledExecution } from '../graphql/compiled-execution.js';
import { databaseUnavailablePlugin } from '../graphql/database-unavailable.js';
import { createQueryLimitRules, type QueryLimits } from '../graphql/query-limits.js';
import { guardOperation, type RequestGuards, requestGuardsPlugin } from '../graphql/request-guards.js';
import type { Logger } from '../logging/logger.js';
import { DEFAULT_EDGE_LIMITS, type EdgeLimits, maxStringLiteralRule } from './edge-limits.js';
import { jsonErrors, jsonNotFound, requestIds } from './json-errors.js';
import { securityHeaders } from './security-headers.js';

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
  /** Extra validation rules for every operation, HTTP and subscriptions. */
  validationRules?: ValidationRule[];
  /**
   * Depth and cost limits: checked at validation, and the cost again with the variables an
   * operation runs with. Absent: no limits.
   */
  queryLimits?: QueryLimits;
  /** Body, string and message size limits. @default DEFAULT_EDGE_LIMITS */
  edgeLimits?: Partial<EdgeLimits>;
  /** Who may ask for `__schema` / `__type`. @default everyone */
  mayIntrospect?: (context: C) => boolean;
  /** Error answers carry stack traces (`GRAPHQL_DEBUG`). @default false */
  debug?: boolean;
  /** When the credentials of a subscription connection run out; the socket closes then (4401). */
  sessionEndsAt?: (context: C) => Date | null;
  /**
   * Registers a callback run whenever access was taken back somewhere; every open subscription
   * connection then has its credentials checked again and closes (4403) if they no longer pass.
   * Returns the unregister function.
   */
  onRevocation?: (recheck: () => void) => () => void;
  /** Mounts extra HTTP routes (e.g. signed webhooks) before GraphQL and the site. */
  routes?: (app: Express) => void;
  /** Built tracking site to serve at `/`, if present. */
  staticDir: string;
  logger: Logger;
}

export interface Credentials {
  authorization?: string;
  apiKey?: string;
  /** The caller's network address. */
  address?: string;
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
  // No ETag over answers built per request (GraphQL, health): hashing each body cost about 1 % of
  // a list page's CPU and nothing caches a POST. The site's static files keep theirs.
  app.set('etag', false);
  const httpServer: Server = createServer(app);
  const limits: EdgeLimits = { ...DEFAULT_EDGE_LIMITS, ...opts.edgeLimits };
  const validationRules = [
    ...(opts.validationRules ?? []),
    ...(opts.queryLimits ? createQueryLimitRules(opts.queryLimits) : []),
    maxStringLiteralRule(limits.stringChars),
  ];
  const guards: RequestGuards<C> = {
    schema: opts.schema,
    queryLimits: opts.queryLimits ?? null,
    maxStringChars: limits.stringChars,
    mayIntrospect: opts.mayIntrospect ?? (() => true),
  };
  // maxPayload bounds every frame, connection_init included, before it is read into memory.
  const wsServer = new WebSocketServer({
    server: httpServer,
    path: '/graphql',
    maxPayload: limits.wsPayloadBytes,
  });
  const credentialsOf = (params: Record<string, unknown> | undefined, address?: string): Credentials => ({
    authorization: typeof params?.authorization === 'string' ? params.authorization : undefined,
    apiKey: typeof params?.apiKey === 'string' ? params.apiKey : undefined,
    address,
  });
  const connections = new SubscriptionConnections<C>(opts);
  const stopRechecks = opts.onRevocation?.(() => connections.recheck());
  const subscriptions = useServer(
    {
      schema: opts.schema,
      // Parsed and validated here rather than by graphql-ws, so that the variables and the caller
      // are known: the cost is priced with the real page sizes and the strings are measured.
      onSubscribe: async (ctx, _id, payload) => {
        let document: ReturnType<typeof parse>;
        try {
          document = parse(payload.query, { maxTokens: limits.documentTokens });
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('the query could not be parsed')];
        }
        const invalid = validate(opts.schema, document, [...specifiedRules, ...validationRules]);
        if (invalid.length > 0) return invalid;
        const contextValue = await opts.context(
          credentialsOf(ctx.connectionParams, ctx.extra.request.socket.remoteAddress),
        );
        const refusal = guardOperation(
          guards,
          { document, operationName: payload.operationName, variables: payload.variables },
          contextValue,
        );
        if (refusal) return [refusal];
        return {
          schema: opts.schema,
          document,
          operationName: payload.operationName,
          variableValues: payload.variables,
          contextValue,
        };
      },
      // Subscriptions are authenticated once, when the client connects; a refusal closes with 4403.
      onConnect: async (ctx) => {
        const credentials = credentialsOf(ctx.connectionParams, ctx.extra.request.socket.remoteAddress);
        try {
          const context = await opts.context(credentials);
          if (!opts.acceptSubscriber(context)) return false;
          connections.add(ctx.extra.socket, credentials, opts.sessionEndsAt?.(context) ?? null);
          return true;
        } catch {
          return false;
        }
      },
    },
    wsServer,
  );
  const apollo = new ApolloServer<C>({
    // Queries run compiled once per document (compiled-execution.ts); the rest as graphql-js does.
    gateway: compiledExecution(opts.schema),
    introspection: true,
    includeStacktraceInErrorResponses: opts.debug ?? false,
    parseOptions: { maxTokens: limits.documentTokens },
    // The platform owns shutdown order (requests, then scheduler, then database); Apollo must not
    // stop itself on SIGTERM first.
    stopOnTerminationSignals: false,
    validationRules,
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
      // The platform sets no cache hints and is no federated subgraph: without these two, Apollo
      // installs plugins that wrap every field's resolver (2–4 % of a list request's CPU).
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginInlineTraceDisabled(),
      databaseUnavailablePlugin<C>(),
      requestGuardsPlugin(guards, opts.logger, opts.debug ?? false),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              stopRechecks?.();
              connections.clear();
              await subscriptions.dispose();
            },
          };
        },
      },
    ],
  });
  await apollo.start();

  app.disable('x-powered-by');
  app.use(requestIds());
  // The tracking site and the explorer page load their own scripts and styles; their content
  // policy belongs to them, the other headers apply to every answer.
  app.use(securityHeaders({ contentSecurityPolicy: false, crossOriginEmbedderPolicy: false }));
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
    express.json({ limit: limits.graphqlBodyBytes }),
    expressMiddleware(apollo, {
      context: async ({ req }) =>
        opts.context({
          authorization: req.headers.authorization,
          apiKey: req.header('x-api-key') ?? undefined,
          address: req.socket.remoteAddress,
        }),
    }),
  );
  const siteDir = resolve(opts.staticDir);
  if (existsSync(siteDir)) app.use(express.static(siteDir, { index: 'index.html', extensions: ['html'] }));
  else opts.logger.warn({ siteDir }, 'tracking site is not built; run `npm run build:site`');
  app.use(jsonNotFound());
  app.use(jsonErrors(opts.logger, opts.debug ?? false));

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

/** Longest delay `setTimeout` takes; a later end is waited for in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Open subscription connections and the credentials each was opened with: closed when those run
 * out (4401), and checked again after every revocation (4403 when they no longer pass).
 */
class SubscriptionConnections<C extends BaseContext> {
  private readonly open = new Map<WebSocket, { credentials: Credentials; timer: NodeJS.Timeout | null }>();

  constructor(private readonly opts: Pick<HttpServerOptions<C>, 'context' | 'acceptSubscriber' | 'logger'>) {}

  add(socket: WebSocket, credentials: Credentials, endsAt: Date | null): void {
    const entry: { credentials: Credentials; timer: NodeJS.Timeout | null } = { credentials, timer: null };
    const arm = () => {
      if (!endsAt) return;
      const wait = endsAt.getTime() - Date.now();
      if (wait <= 0) {
        socket.close(4401, 'Session expired');
        return;
      }
      entry.timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
      entry.timer.unref();
    };
    arm();
    this.open.set(socket, entry);
    socket.once('close', () => {
      if (entry.timer) clearTimeout(entry.timer);
      this.open.delete(socket);
    });
  }

  recheck(): void {
    for (const [socket, { credentials }] of this.open) {
      this.opts
        .context(credentials)
        .then((context) => this.opts.acceptSubscriber(context))
        .catch(() => false)
        .then((accepted) => {
          if (!accepted) socket.close(4403, 'Forbidden');
        });
    }
  }

  clear(): void {
    for (const entry of this.open.values()) if (entry.timer) clearTimeout(entry.timer);
    this.open.clear();
  }
}
