import { Agent, request } from 'node:http';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Prng } from './prng.js';

/**
 * A closed-loop HTTP load generator for GraphQL: `clients` loops, each sending one request,
 * waiting for the whole answer (and an optional think time), then sending the next, over
 * keep-alive connections to 127.0.0.1. It runs in a worker thread so that the server under test
 * keeps the main thread's event loop to itself (the two still share the machine's cores).
 *
 * Each request is a kind (e.g. "by phone") picked by weight from a seeded PRNG, with one of that
 * kind's pre-built bodies. Only requests that start after the warm-up and end before the
 * deadline are measured; an answer that is not HTTP 200 with `data` and no `errors` is counted
 * as an error.
 */

export interface LoadKind {
  kind: string;
  weight: number;
  /** JSON request bodies (`{ query, variables }`), used round-robin per client. */
  bodies: string[];
}

export interface LoadOptions {
  /** http://127.0.0.1:<port>/graphql */
  url: string;
  headers: Record<string, string>;
  /** Headers of each client (client i sends `clientHeaders[i % length]` over `headers`), e.g. one session each. */
  clientHeaders?: Record<string, string>[];
  clients: number;
  warmupMs: number;
  durationMs: number;
  /** Wait between a client's answer and its next request, uniform in [min, max] ms; none when null. */
  thinkMs: [number, number] | null;
  mix: LoadKind[];
  seed: number;
  /** The field under `data` whose `edges` are counted, e.g. "orders". */
  resultField: string;
}

export interface KindResult {
  /** Latencies in ms of the measured requests. */
  latencies: Float64Array;
  errors: number;
  /** Edges returned in all, to show how many rows a kind returns on average. */
  edges: number;
}

export interface LoadResult {
  measuredMs: number;
  perKind: Record<string, KindResult>;
  errorSamples: string[];
  /** Requests sent in the warm-up and measured windows together. */
  sent: number;
  /** Requests sent again because the server had just closed the idle connection they were sent on. */
  retries: number;
  /** The load generator thread's own event-loop delay over the measured window, in ms. */
  generatorEventLoopDelayMs: { p50: number; p99: number; max: number };
}

const REQUEST_TIMEOUT_MS = 10_000;
/** A bound on requests per client, whatever the duration. */
const MAX_REQUESTS_PER_CLIENT = 5_000_000;

/** Runs the load in a worker thread and resolves with what it measured. */
export function runHttpLoad(opts: LoadOptions): Promise<LoadResult> {
  // tsx does not hook worker threads by itself: register it in the worker, then load this file.
  const code = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(import.meta.url)}); })`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(code, { eval: true, workerData: { httpLoad: opts } });
    const limit = setTimeout(
      () => {
        void worker.terminate();
        reject(new Error('the load generator did not finish in time'));
      },
      opts.warmupMs + opts.durationMs + 60_000,
    );
    worker.once('message', (result: LoadResult) => {
      clearTimeout(limit);
      resolve(result);
      void worker.terminate();
    });
    worker.once('error', (error) => {
      clearTimeout(limit);
      reject(error);
    });
    worker.once('exit', (code) => {
      clearTimeout(limit);
      if (code !== 0) reject(new Error(`the load generator exited with ${code}`));
    });
  });
}

function post(
  agent: Agent,
  url: URL,
  headers: Record<string, string>,
  body: string,
): Promise<[number, string]> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        timeout: REQUEST_TIMEOUT_MS,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve([res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')]));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${REQUEST_TIMEOUT_MS} ms`)));
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server closed an idle keep-alive connection just as it was reused: nothing was
      // processed, and the request may be sent again (as Node's documentation advises).
      if (req.reusedSocket && error.code === 'ECONNRESET') reject(new StaleSocket());
      else reject(error);
    });
    req.end(body);
  });
}

class StaleSocket extends Error {}

/** `post`, sent once more on a fresh connection when a reused keep-alive one was already closed. */
async function postOnce(
  agent: Agent,
  url: URL,
  headers: Record<string, string>,
  body: string,
  onRetry: () => void,
): Promise<[number, string]> {
  try {
    return await post(agent, url, headers, body);
  } catch (error) {
    if (!(error instanceof StaleSocket)) throw error;
    onRetry();
    return post(agent, url, headers, body);
  }
}

async function generate(opts: LoadOptions): Promise<LoadResult> {
  const url = new URL(opts.url);
  if (url.hostname !== '127.0.0.1') throw new Error('the load generator only talks to 127.0.0.1');
  const agent = new Agent({ keepAlive: true, maxSockets: opts.clients, maxFreeSockets: opts.clients });
  const perKind: Record<string, { latencies: number[]; errors: number; edges: number }> = {};
  for (const k of opts.mix) perKind[k.kind] = { latencies: [], errors: 0, edges: 0 };
  const weights = Object.fromEntries(opts.mix.map((k) => [k.kind, k.weight]));
  const byKind = new Map(opts.mix.map((k) => [k.kind, k.bodies]));
  const errorSamples: string[] = [];
  const start = performance.now();
  const measureFrom = start + opts.warmupMs;
  const end = measureFrom + opts.durationMs;
  let sent = 0;
  let retries = 0;

  const client = async (id: number) => {
    const rng = Prng.for(opts.seed, id);
    let turn = 0;
    for (let n = 0; n < MAX_REQUESTS_PER_CLIENT; n++) {
      const kind = rng.weighted(weights);
      const bodies = byKind.get(kind)!;
      const body = bodies[(id * 7919 + turn++) % bodies.length];
      const t0 = performance.now();
      if (t0 >= end) return;
      sent++;
      let ok = false;
      let edges = 0;
      let problem = '';
      try {
        const [status, text] = await postOnce(
          agent,
          url,
          {
            ...opts.headers,
            ...(opts.clientHeaders?.length ? opts.clientHeaders[id % opts.clientHeaders.length] : {}),
            'x-bench-kind': kind,
          },
          body,
          () => {
            retries++;
          },
        );
        const answer = JSON.parse(text) as {
          data?: Record<string, { edges?: unknown[] } | null>;
          errors?: { message: string }[];
        };
        edges = answer.data?.[opts.resultField]?.edges?.length ?? 0;
        ok = status === 200 && !answer.errors && Boolean(answer.data?.[opts.resultField]);
        if (!ok) problem = `${kind}: HTTP ${status} ${text.slice(0, 200)}`;
      } catch (error) {
        problem = `${kind}: ${error instanceof Error ? error.message : String(error)}`;
      }
      const t1 = performance.now();
      if (t0 >= measureFrom && t1 <= end) {
        const stats = perKind[kind];
        if (ok) {
          stats.latencies.push(t1 - t0);
          stats.edges += edges;
        } else {
          stats.errors++;
          if (errorSamples.length < 5) errorSamples.push(problem);
        }
      }
      if (opts.thinkMs) {
        const [min, max] = opts.thinkMs;
        await new Promise((r) => setTimeout(r, min + rng.next() * (max - min)));
      }
    }
  };

  // A busy or descheduled generator thread delays answers it has already received: watch it.
  const loop = monitorEventLoopDelay({ resolution: 5 });
  const watch = setTimeout(() => loop.enable(), opts.warmupMs);
  await Promise.all(Array.from({ length: opts.clients }, (_, i) => client(i)));
  clearTimeout(watch);
  loop.disable();
  agent.destroy();
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const result: LoadResult = {
    measuredMs: opts.durationMs,
    perKind: {},
    errorSamples,
    sent,
    retries,
    generatorEventLoopDelayMs: {
      p50: ms(loop.percentile(50)),
      p99: ms(loop.percentile(99)),
      max: ms(loop.max),
    },
  };
  for (const [kind, s] of Object.entries(perKind))
    result.perKind[kind] = { latencies: Float64Array.from(s.latencies), errors: s.errors, edges: s.edges };
  return result;
}

if (!isMainThread && (workerData as { httpLoad?: LoadOptions } | null)?.httpLoad) {
  const opts = (workerData as { httpLoad: LoadOptions }).httpLoad;
  const result = await generate(opts);
  parentPort!.postMessage(result);
}
