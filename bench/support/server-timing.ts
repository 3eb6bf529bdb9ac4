import { type IncomingMessage, Server, type ServerResponse } from 'node:http';
import pg from 'pg';

/**
 * Server-side timings of an HTTP server running in this process, taken from outside its code:
 *
 * - per request: from the moment Node hands the request to the server (`request` event) until
 *   the response has been written (`finish`), grouped by the `x-bench-kind` header the load
 *   generator sends (the server ignores it);
 * - per SQL statement: from `client.query` until its rows are parsed, for the statements that
 *   `classify` names, with up to `MAX_SAMPLES` different parameter sets seen for each (for EXPLAIN).
 *
 * Installed before the server starts; `uninstall` puts the originals back.
 */
export interface ServerTiming {
  requests: Map<string, number[]>;
  sql: Map<string, number[]>;
  samples: Map<string, Map<string, { text: string; values: unknown[] }>>;
  /** Starts a new measurement window (samples are kept). */
  reset(): void;
  uninstall(): void;
}

type QueryFn = (...args: unknown[]) => unknown;

const MAX_SAMPLES = 100;

export function instrumentServer(classify: (sql: string) => string | null): ServerTiming {
  const timing: ServerTiming = {
    requests: new Map(),
    sql: new Map(),
    samples: new Map(),
    reset() {
      timing.requests.clear();
      timing.sql.clear();
    },
    uninstall() {
      Server.prototype.emit = originalEmit;
      (pg.Client.prototype as unknown as { query: QueryFn }).query = originalQuery;
    },
  };
  const record = (map: Map<string, number[]>, kind: string, ms: number) => {
    const list = map.get(kind);
    if (list) list.push(ms);
    else map.set(kind, [ms]);
  };

  const originalEmit = Server.prototype.emit;
  const emit = originalEmit as (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  Server.prototype.emit = function (this: Server, event: string | symbol, ...args: unknown[]) {
    if (event === 'request') {
      const [req, res] = args as [IncomingMessage, ServerResponse];
      const kind = req.headers['x-bench-kind'];
      if (typeof kind === 'string') {
        const t0 = performance.now();
        res.once('finish', () => record(timing.requests, kind, performance.now() - t0));
      }
    }
    return emit.call(this, event, ...args);
  } as typeof Server.prototype.emit;

  const proto = pg.Client.prototype as unknown as { query: QueryFn };
  const originalQuery = proto.query;
  proto.query = function (this: pg.Client, ...args: unknown[]) {
    const config = args[0];
    const text = typeof config === 'string' ? config : (config as { text?: unknown } | null)?.text;
    const kind = typeof text === 'string' ? classify(text) : null;
    if (!kind) return originalQuery.apply(this, args);
    if (typeof text === 'string') {
      const values = (Array.isArray(args[1]) ? args[1] : []) as unknown[];
      const seen = timing.samples.get(kind) ?? new Map();
      if (seen.size < MAX_SAMPLES) seen.set(JSON.stringify(values), { text, values });
      timing.samples.set(kind, seen);
    }
    const t0 = performance.now();
    const done = () => record(timing.sql, kind, performance.now() - t0);
    const last = args.length - 1;
    if (typeof args[last] === 'function') {
      const callback = args[last] as (...r: unknown[]) => void;
      args[last] = (...r: unknown[]) => {
        done();
        callback(...r);
      };
      return originalQuery.apply(this, args);
    }
    const result = originalQuery.apply(this, args);
    if (result && typeof (result as Promise<unknown>).then === 'function')
      (result as Promise<unknown>).then(done, () => undefined);
    return result;
  };
  return timing;
}
