import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mountGraphQLExplorer } from '../../../api/src/infra/http/graphql-explorer.js';

const CHROMIUM = '/usr/bin/chromium';
if (!existsSync(CHROMIUM))
  console.log(`graphql-explorer: the browser check is skipped, ${CHROMIUM} is missing`);

/** The explorer page and its assets, over real HTTP; GraphQL requests pass through untouched. */
describe('GraphQL explorer', () => {
  let server: Server;
  let base = '';
  const defaults = {
    headers: { authorization: 'Bearer token-</script><script>alert(1)</script>' },
    query: '{ orders(first: 1) { edges { node { id } } } }',
  };

  beforeAll(async () => {
    const app = express();
    mountGraphQLExplorer(app, { defaults: async () => defaults });
    // Stands in for Apollo: whatever the explorer lets through ends here.
    app.use('/graphql', (_req, res) => {
      res.status(299).json({ passedThrough: true });
    });
    server = await new Promise<Server>((resolve) => {
      const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
    });
    const address = server.address();
    base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  const page = async (path: string) => {
    const response = await fetch(`${base}${path}`, {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    return {
      status: response.status,
      type: response.headers.get('content-type'),
      html: await response.text(),
    };
  };

  it('answers a browser at /graphql and /explorer with a page that loads only its own assets', async () => {
    for (const path of ['/graphql', '/explorer']) {
      const { status, type, html } = await page(path);
      expect(status).toBe(200);
      expect(type).toMatch(/^text\/html/);
      const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]);
      expect(references.sort()).toEqual([
        '/explorer/graphiql.css',
        '/explorer/graphiql.js',
        '/explorer/graphql-ws.js',
        '/explorer/react-dom.js',
        '/explorer/react.js',
      ]);
      expect(html).not.toMatch(/https?:\/\//);
    }
  });

  it('serves each asset from its npm package', async () => {
    const expected: Record<string, [RegExp, string]> = {
      'react.js': [/javascript/, 'React'],
      'react-dom.js': [/javascript/, 'ReactDOM'],
      'graphql-ws.js': [/javascript/, 'graphqlWs'],
      'graphiql.js': [/javascript/, 'GraphiQL'],
      'graphiql.css': [/css/, '.graphiql-container'],
    };
    for (const [asset, [type, marker]] of Object.entries(expected)) {
      const response = await fetch(`${base}/explorer/${asset}`);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get('content-type'), asset).toMatch(type);
      expect(await response.text(), asset).toContain(marker);
    }
    expect((await fetch(`${base}/explorer/..%2Fpackage.json`)).status).toBe(404);
  });

  it('embeds the defaults as data, so a header value cannot end the script', async () => {
    const { html } = await page('/graphql');
    const data = html.match(/<script type="application\/json" id="explorer-defaults">(.*?)<\/script>/s);
    expect(data).not.toBeNull();
    expect(JSON.parse(data![1])).toEqual(defaults);
    expect(html).not.toContain('<script>alert(1)');
  });

  it.skipIf(!existsSync(CHROMIUM))(
    'renders in headless Chromium with every other host unreachable',
    async () => {
      // Every name but 127.0.0.1 fails to resolve: a page that needed a CDN would stay empty.
      const dom = await new Promise<string>((resolve, reject) =>
        execFile(
          CHROMIUM,
          [
            '--headless',
            '--no-sandbox',
            '--disable-gpu',
            '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
            '--virtual-time-budget=10000',
            '--dump-dom',
            `${base}/explorer`,
          ],
          { timeout: 90_000, maxBuffer: 64 * 1024 * 1024 },
          (error, stdout) => (error ? reject(error) : resolve(stdout)),
        ),
      );
      expect(dom).toContain('graphiql-execute-button');
      expect(dom).toContain('orders(first: 1)');
      expect(dom).toContain('token-');
    },
    120_000,
  );

  it('lets GraphQL requests through: GET with a query or asking for JSON, and POST', async () => {
    const get = await fetch(`${base}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { accept: 'text/html' },
    });
    expect(get.status).toBe(299);
    const json = await fetch(`${base}/graphql`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(299);
    const post = await fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(post.status).toBe(299);
  });
});
