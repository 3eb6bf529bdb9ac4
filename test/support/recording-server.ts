import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from './wait-for.js';

/** One request the server received. */
export interface RecordedRequest {
  method: string;
  /** Path with its query string, e.g. `/cgi-bin/webhook/send?key=abc`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The body parsed as JSON; `undefined` when it was empty or not JSON. */
  body: unknown;
  rawBody: string;
  /** When the request had been read in full. */
  at: Date;
}

/** How to answer one request. */
export interface ScriptedResponse {
  /** @default 200 */
  status?: number;
  /** Sent as JSON unless it is a string. @default { errcode: 0, errmsg: 'ok' } */
  body?: unknown;
  /** Wait this long before answering (a slow or hanging peer). */
  delayMs?: number;
  headers?: Record<string, string>;
}

export interface RecordingServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** Every request so far, in arrival order. */
  readonly requests: readonly RecordedRequest[];
  /**
   * Replaces the script: the next requests are answered with these, in order; after them, with
   * `fallback` (by default 200 `{ errcode: 0, errmsg: 'ok' }`).
   */
  script(responses: readonly ScriptedResponse[], fallback?: ScriptedResponse): void;
  /** Forgets the requests received and the script. */
  reset(): void;
  /** Resolves with the requests once at least `count` have arrived. */
  waitForRequests(count: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

const WECOM_OK: ScriptedResponse = { status: 200, body: { errcode: 0, errmsg: 'ok' } };

/**
 * A real HTTP server on 127.0.0.1 and a free port that records each request and answers with a
 * scripted sequence, e.g. `[{ body: { errcode: 45009 } }, { body: { errcode: 0 } }]`, an HTTP 500,
 * or a delay longer than the client's timeout. Defaults to answering like a WeCom group robot.
 */
export async function startRecordingServer(
  responses: readonly ScriptedResponse[] = [],
  fallback: ScriptedResponse = WECOM_OK,
): Promise<RecordingServer> {
  const requests: RecordedRequest[] = [];
  let queue = [...responses];
  let otherwise = fallback;
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = rawBody === '' ? undefined : JSON.parse(rawBody);
      } catch {
        body = undefined;
      }
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        rawBody,
        at: new Date(),
      });
      const answer = queue.shift() ?? otherwise;
      const respond = () => {
        if (res.destroyed) return;
        const payload = answer.body === undefined ? WECOM_OK.body : answer.body;
        const text = typeof payload === 'string' ? payload : JSON.stringify(payload);
        res.writeHead(answer.status ?? 200, {
          'content-type': typeof payload === 'string' ? 'text/plain' : 'application/json',
          ...answer.headers,
        });
        res.end(text);
      };
      if (answer.delayMs) {
        const timer = setTimeout(() => {
          timers.delete(timer);
          respond();
        }, answer.delayMs);
        timers.add(timer);
      } else respond();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    script(next, nextFallback = WECOM_OK) {
      queue = [...next];
      otherwise = nextFallback;
    },
    reset() {
      requests.length = 0;
      queue = [];
      otherwise = fallback;
    },
    waitForRequests(count, timeoutMs = 10_000) {
      return waitFor(() => (requests.length >= count ? [...requests] : null), {
        timeoutMs,
        message: `${count} request(s) at the recording server`,
      });
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
