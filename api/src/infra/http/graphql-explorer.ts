import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Express, Request } from 'express';

/**
 * A GraphQL explorer (GraphiQL 3) served by the platform itself from its npm packages: no CDN
 * (Apollo's landing page loads Sandbox from Apollo's CDN, which is blocked or unreachable in many
 * networks) and no telemetry. GraphiQL 3 is the last version with a browser build that needs no
 * bundler; it runs on the browser builds of React 18 and graphql-ws (for subscriptions).
 */
export interface ExplorerDefaults {
  /** Shown in the headers editor, e.g. `{ "authorization": "Bearer …" }`. */
  headers: Record<string, string>;
  /** The operation in the editor on a first visit. */
  query: string;
}

const require = createRequire(import.meta.url);
const packageDir = (name: string) => dirname(require.resolve(`${name}/package.json`));

/** Same-origin assets under /explorer/, each from its package. */
const ASSETS: Record<string, { file: string; type: string }> = {
  'react.js': { file: join(packageDir('react'), 'umd', 'react.production.min.js'), type: 'text/javascript' },
  'react-dom.js': {
    file: join(packageDir('react-dom'), 'umd', 'react-dom.production.min.js'),
    type: 'text/javascript',
  },
  'graphql-ws.js': {
    file: join(packageDir('graphql-ws'), 'umd', 'graphql-ws.min.js'),
    type: 'text/javascript',
  },
  'graphiql.js': { file: join(packageDir('graphiql'), 'graphiql.min.js'), type: 'text/javascript' },
  'graphiql.css': { file: join(packageDir('graphiql'), 'graphiql.min.css'), type: 'text/css' },
};

/** Runs in the browser: GraphiQL with a fetcher for HTTP and one graphql-ws client per set of headers. */
const BOOT = `
const defaults = JSON.parse(document.getElementById('explorer-defaults').textContent);
const url = location.origin + '/graphql';
let ws = null;
let wsHeaders = null;
function fetcher(params, opts) {
  const headers = (opts && opts.headers) || {};
  const key = JSON.stringify(headers);
  if (key !== wsHeaders) {
    if (ws) ws.dispose();
    ws = graphqlWs.createClient({ url: url.replace(/^http/, 'ws'), lazy: true, connectionParams: headers });
    wsHeaders = key;
  }
  return GraphiQL.createFetcher({ url, wsClient: ws })(params, opts);
}
ReactDOM.createRoot(document.getElementById('explorer')).render(
  React.createElement(GraphiQL, {
    fetcher,
    defaultQuery: defaults.query,
    defaultHeaders: JSON.stringify(defaults.headers, null, 2),
    defaultEditorToolsVisibility: 'headers',
    shouldPersistHeaders: false,
  }),
);
`;

/** JSON safe inside a <script> element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replaceAll('<', '\\u003c');

function page(defaults: ExplorerDefaults): string {
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>订单中台 GraphQL</title>
<link rel="stylesheet" href="/explorer/graphiql.css">
<style>body { margin: 0; } #explorer { height: 100vh; }</style>
</head>
<body>
<div id="explorer"></div>
<script type="application/json" id="explorer-defaults">${scriptJson(defaults)}</script>
<script src="/explorer/react.js"></script>
<script src="/explorer/react-dom.js"></script>
<script src="/explorer/graphql-ws.js"></script>
<script src="/explorer/graphiql.js"></script>
<script>${BOOT}</script>
</body>
</html>
`;
}

/** A browser asking for a page, not a client posting or getting an operation. */
const wantsPage = (req: Request) =>
  req.query.query === undefined && req.accepts(['application/json', 'text/html']) === 'text/html';

/** Serves the explorer at `GET /graphql` (browsers only) and `GET /explorer`, its assets under /explorer/. */
export function mountGraphQLExplorer(app: Express, opts: { defaults(): Promise<ExplorerDefaults> }): void {
  const send = async (res: Parameters<Parameters<Express['get']>[1]>[1]) => {
    res
      .type('html')
      .set('cache-control', 'no-store')
      .send(page(await opts.defaults()));
  };
  app.get('/graphql', (req, res, next) => {
    if (!wantsPage(req)) return next();
    send(res).catch(next);
  });
  app.get('/explorer', (_req, res, next) => {
    send(res).catch(next);
  });
  app.get('/explorer/:asset', (req, res, next) => {
    const asset = ASSETS[req.params.asset];
    if (!asset) return next();
    res.type(asset.type).sendFile(asset.file, { maxAge: '1d' });
  });
}
