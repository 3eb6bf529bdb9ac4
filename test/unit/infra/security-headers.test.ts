import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type RequestHandler } from 'express';
import helmet from 'helmet';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from '../../../api/src/infra/http/security-headers.js';

const OPTIONS = { contentSecurityPolicy: false, crossOriginEmbedderPolicy: false } as const;

/** The headers of a real answer from an app with this middleware in front. */
async function headersWith(middleware: RequestHandler): Promise<IncomingHttpHeaders> {
  const app = express();
  app.use((_req, res, next) => {
    res.setHeader('X-Powered-By', 'something');
    next();
  });
  app.use(middleware);
  app.get('/', (_req, res) => {
    res.json({ ok: true });
  });
  const server = createServer(app);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  try {
    const { port } = server.address() as AddressInfo;
    const response = await fetch(`http://127.0.0.1:${port}/`);
    await response.text();
    const headers: IncomingHttpHeaders = {};
    response.headers.forEach((value, name) => {
      if (name !== 'date' && name !== 'keep-alive') headers[name] = value;
    });
    return headers;
  } finally {
    await new Promise((done) => server.close(done));
  }
}

describe('security headers', () => {
  it("answers with exactly helmet's headers, computed once", async () => {
    const fromHelmet = await headersWith(helmet(OPTIONS));
    const computed = await headersWith(securityHeaders(OPTIONS));
    expect(computed).toEqual(fromHelmet);
    expect(computed['x-powered-by']).toBeUndefined();
    expect(computed['strict-transport-security']).toMatch(/max-age=/);
    expect(Object.keys(computed).length).toBeGreaterThan(8);
  });

  it('follows the options: a content policy when asked for', async () => {
    const computed = await headersWith(securityHeaders({ crossOriginEmbedderPolicy: false }));
    expect(computed['content-security-policy']).toBe(
      (await headersWith(helmet({ crossOriginEmbedderPolicy: false })))['content-security-policy'],
    );
  });
});
