import { createPubSub } from '@graphql-yoga/subscription';
import { type GraphQLSchema } from 'graphql';
import pg from 'pg';
import { authChecker } from '../../../api/src/app/auth-checker.js';
import type { Viewer } from '../../../api/src/domain/auth/viewer.js';
import { buildGraphQLSchema } from '../../../api/src/infra/graphql/build-schema.js';
import { createLogger } from '../../../api/src/infra/logging/logger.js';
import { FlowHealthResolver } from '../../../api/src/modules/flow-health/flow-health.resolver.js';
import { ReportResolver } from '../../../api/src/modules/reports/report.resolver.js';
import { type GqlAnswer, runGraphql, staff } from '../../support/graphql-in-process.js';
import { type MigratedDb, openMigratedDb } from '../../support/migrated-db.js';
import { insertOrderRow } from '../../support/order-rows.js';

export const silentLogger = createLogger('silent', 'reports-test');

export type ReportsDb = MigratedDb;

/** A database of its own, migrated as the platform migrates it, with a pool and an ORM on it. */
export const openReportsDb = (prefix: string): Promise<ReportsDb> => openMigratedDb(prefix, 8);

let schema: Promise<GraphQLSchema> | null = null;

/** The report queries and the flow-health board they add to. */
export function reportsSchema(): Promise<GraphQLSchema> {
  schema ??= buildGraphQLSchema([ReportResolver, FlowHealthResolver], createPubSub(), authChecker);
  return schema;
}

export { type GqlAnswer, staff };

/** Runs an operation as `viewer`; errors are returned, not thrown. */
export function gql<T = Record<string, unknown>>(
  db: ReportsDb,
  viewer: Viewer,
  query: string,
  variables: Record<string, unknown> = {},
  options: { now?: Date; extra?: Record<string, unknown> } = {},
): Promise<GqlAnswer<T>> {
  return runGraphql<T>(reportsSchema(), db, viewer, query, variables, options);
}

export interface StageSpec {
  stage: string;
  groupId?: string | null;
  ownerId?: string | null;
  startedAt: string;
  deadline: string;
  finishedAt?: string | null;
  maxLevel?: number;
}

/** Writes `sla_stage_record` rows as the SLA sweep would, one order each. */
export async function insertStages(pool: pg.Pool, stages: readonly StageSpec[]): Promise<void> {
  await pool.query(
    `insert into sla_stage_record (order_id, stage, group_id, owner_id, started_at, deadline, finished_at,
        max_level, policy_key, policy_version)
     select gen_random_uuid(), t.stage, t.group_id, t.owner_id, t.started_at, t.deadline, t.finished_at,
            t.max_level, 'NORMAL', 1
       from unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[],
                   $7::int[]) as t(stage, group_id, owner_id, started_at, deadline, finished_at, max_level)`,
    [
      stages.map((s) => s.stage),
      stages.map((s) => (s.groupId === undefined ? 'east' : s.groupId)),
      stages.map((s) => (s.ownerId === undefined ? OWNER_A : s.ownerId)),
      stages.map((s) => s.startedAt),
      stages.map((s) => s.deadline),
      stages.map((s) => s.finishedAt ?? null),
      stages.map((s) => s.maxLevel ?? 0),
    ],
  );
}

export const OWNER_A = '00000000-0000-4000-8000-00000000000a';
export const OWNER_B = '00000000-0000-4000-8000-00000000000b';

export interface EventSpec {
  source: string;
  type: string;
  occurredAt: Date;
  receivedAt: Date;
  outcome?: string;
  toState?: string | null;
  orderId?: string;
}

let eventNo = 0;

/** Writes `order_event` rows as intake and the event webhooks would. */
export async function insertEvents(pool: pg.Pool, events: readonly EventSpec[]): Promise<void> {
  await pool.query(
    `insert into order_event (order_id, source, type, idempotency_key, occurred_at, received_at, outcome, to_state)
     select coalesce(t.order_id, gen_random_uuid()), t.source, t.type, t.key, t.occurred_at, t.received_at,
            t.outcome, t.to_state
       from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::timestamptz[],
                   $7::text[], $8::text[]) as t(order_id, source, type, key, occurred_at, received_at, outcome, to_state)`,
    [
      events.map((e) => e.orderId ?? null),
      events.map((e) => e.source),
      events.map((e) => e.type),
      events.map(() => `test:${++eventNo}`),
      events.map((e) => e.occurredAt),
      events.map((e) => e.receivedAt),
      events.map((e) => e.outcome ?? 'APPLIED'),
      events.map((e) => (e.toState === undefined ? null : e.toState)),
    ],
  );
}

let orderNo = 0;

/** One order row with only what the reports read; returns its id. */
export async function insertOrder(
  pool: pg.Pool,
  order: { paidAt: Date | null; state?: string },
): Promise<string> {
  const at = order.paidAt ?? new Date();
  return insertOrderRow(pool, {
    channel_order_no: `RPT-${process.pid}-${++orderNo}`,
    state: order.state ?? 'PAID',
    channel_status: 'PAID',
    ordered_at: at,
    paid_at: order.paidAt,
    source_updated_at: at,
    state_entered_at: undefined,
  });
}
