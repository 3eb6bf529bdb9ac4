import pg from 'pg';

/**
 * The platform's processes on one machine (`npm run api` beside `npm run worker`) share one
 * embedded PostgreSQL. Each names its connections `orderops:<pid>` (`application_name`), so a
 * process about to stop the server can see whether another one still uses it, and leave it running.
 */
export const APPLICATION_NAME_PREFIX = 'orderops:';

export const applicationName = (pid: number) => `${APPLICATION_NAME_PREFIX}${pid}`;

/** Pids of other live platform processes connected to the server at `port`. Empty when unreachable. */
export async function otherPlatformUsers(opts: {
  port: number;
  user: string;
  password: string;
  ownPid: number;
}): Promise<number[]> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: opts.port,
    user: opts.user,
    password: opts.password,
    database: 'postgres',
    connectionTimeoutMillis: 3000,
    query_timeout: 3000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const { rows } = await client.query<{ name: string }>(
      `select distinct application_name as name from pg_stat_activity
        where pid <> pg_backend_pid() and application_name like $1`,
      [`${APPLICATION_NAME_PREFIX}%`],
    );
    return rows
      .map((r) => Number(r.name.slice(APPLICATION_NAME_PREFIX.length)))
      .filter((pid) => Number.isInteger(pid) && pid !== opts.ownPid && isAlive(pid));
  } catch {
    return [];
  } finally {
    await client.end().catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
