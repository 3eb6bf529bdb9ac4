import type pg from 'pg';

/**
 * Runs `work` in one transaction on a connection of its own: committed when it returns, rolled
 * back when it throws. A connection that drops while checked out (PostgreSQL restarting, a
 * network cut between two statements) fails the work instead of crashing the process with an
 * unhandled `error` event, and is discarded rather than returned to the pool.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (tx: pg.PoolClient) => Promise<T>): Promise<T> {
  const tx = await pool.connect();
  let lost: Error | undefined;
  const onError = (error: Error) => {
    lost = error;
  };
  tx.on('error', onError);
  try {
    await tx.query('begin');
    const result = await work(tx);
    await tx.query('commit');
    return result;
  } catch (error) {
    await tx.query('rollback').catch(() => undefined);
    throw error;
  } finally {
    tx.off('error', onError);
    tx.release(lost);
  }
}
