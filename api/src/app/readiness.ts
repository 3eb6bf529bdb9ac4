import { GraphQLError } from 'graphql';
import type pg from 'pg';
import { isDatabaseUnavailable } from '../infra/db/pool.js';
import { databaseUnavailableError } from '../infra/graphql/database-unavailable.js';
import type { PgPubSub } from '../infra/pubsub/pg-pubsub.js';
import type { Scheduler } from '../infra/scheduler/scheduler.js';

/** How long /readyz waits for each dependency before calling it down. */
const READY_CHECK_MS = 2000;

/** The dependencies that are not reachable now (empty when ready); never waits more than 2 s. */
export async function unreadyDependencies(deps: {
  pool: pg.Pool;
  scheduler: Scheduler;
  pubsub: PgPubSub;
}): Promise<string[]> {
  const [database, scheduler] = await Promise.all([
    within(
      deps.pool.query('select 1').then(() => true),
      READY_CHECK_MS,
    ),
    within(deps.scheduler.ping(), READY_CHECK_MS),
  ]);
  const down: string[] = [];
  if (!database) down.push('database');
  if (!scheduler) down.push('scheduler');
  if (!deps.pubsub.isListening) down.push('pubsub');
  return down;
}

/** Turns a lost database into the coded 503 error; anything else is thrown as it was. */
export function rethrowUnavailable(error: unknown): never {
  if (!(error instanceof GraphQLError) && isDatabaseUnavailable(error)) throw databaseUnavailableError();
  throw error;
}

async function within(check: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([check.catch(() => false), late]);
  } finally {
    clearTimeout(timer);
  }
}
