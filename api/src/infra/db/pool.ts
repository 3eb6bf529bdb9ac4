import pg from 'pg';
import type { Logger } from '../logging/logger.js';

/** Time limits on every database connection the platform opens. */
export interface DatabaseLimits {
  /** A statement running longer is cancelled by the server. @default 10000 */
  statementTimeoutMs: number;
  /**
   * The client gives up on an answer after this long, even when the server is frozen and can no
   * longer cancel anything itself. @default statementTimeoutMs + 2000
   */
  queryTimeoutMs: number;
  /** Opening a connection (or waiting for a free one in the pool) fails after this long. @default 5000 */
  connectTimeoutMs: number;
}

export const DEFAULT_DATABASE_LIMITS: DatabaseLimits = {
  statementTimeoutMs: 10_000,
  queryTimeoutMs: 12_000,
  connectTimeoutMs: 5_000,
};

/** The `pg` options that apply `limits` to each connection. */
export function connectionLimits(limits: DatabaseLimits) {
  return {
    statement_timeout: limits.statementTimeoutMs,
    query_timeout: limits.queryTimeoutMs,
    connectionTimeoutMillis: limits.connectTimeoutMs,
    // A worker that dies between "begin" and "commit" must not hold locks for long.
    idle_in_transaction_session_timeout: Math.max(limits.statementTimeoutMs * 6, 60_000),
    keepAlive: true,
  };
}

/**
 * A pool that survives PostgreSQL restarting, crashing or terminating its backends: an idle
 * connection that fails is logged and replaced on the next checkout (without this listener `pg`
 * re-emits the error on the pool and the process dies of an unhandled `error` event).
 */
export function createPool(opts: {
  url: string;
  max: number;
  limits: DatabaseLimits;
  logger: Logger;
  /** Names the pool in logs, e.g. `app`, `scheduler`. */
  name: string;
}): pg.Pool {
  const pool = new pg.Pool({ connectionString: opts.url, max: opts.max, ...connectionLimits(opts.limits) });
  pool.on('error', (error) =>
    opts.logger.warn({ pool: opts.name, err: error.message }, 'idle database connection failed'),
  );
  // A checked-out client that loses its connection emits `error` on itself; listen on each so a
  // holder that forgot to (such as a LISTEN connection inside a dependency) cannot crash the process.
  pool.on('connect', (client) => {
    client.on('error', (error) =>
      opts.logger.warn({ pool: opts.name, err: error.message }, 'database connection lost'),
    );
  });
  return pool;
}

/** Whether `error` means the database could not be reached or answered in time (not a bad query). */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (
    let e = error as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    e = e.cause as typeof e, depth++
  ) {
    const code = typeof e.code === 'string' ? e.code : '';
    const message = typeof e.message === 'string' ? e.message : '';
    if ((e as { name?: unknown }).name === 'ConnectionException') return true;
    if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH'].includes(code))
      return true;
    // 57P01 admin shutdown, 57P02 crash shutdown, 57P03 cannot connect now, 08xxx connection
    // exceptions, 57014 statement cancelled by the statement timeout.
    if (/^(08|57P0)/.test(code) || code === '57014') return true;
    if (
      /ECONNREFUSED|ECONNRESET|Connection terminated|Query read timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Connection ended|terminating connection|Knex: Timeout acquiring a connection|the database system is (starting up|shutting down)/i.test(
        message,
      )
    )
      return true;
  }
  return false;
}
