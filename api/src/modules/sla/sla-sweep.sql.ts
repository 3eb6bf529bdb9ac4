import type pg from 'pg';
import { TICKET_STATES, type TicketState, ticketLifecycle } from '../../domain/ticket/ticket-lifecycle.js';
import { SLA_ORDER_COLUMNS, type SlaOrderRow } from './sla-order-row.js';
import type { OrderSweepPlan, SlaHistoryRow, TicketDraft } from './sla-sweep.types.js';

/**
 * The sweep's set-based statements: one per kind of write per batch, whatever its size, each fed
 * with the batch's rows as one JSON document (`json_to_recordset`): one string to send instead of
 * an array literal per column to escape.
 */

/** Dates become ISO-8601 text, which PostgreSQL reads back exactly as `timestamptz`. */
const rowsJson = (rows: readonly object[]) => JSON.stringify(rows);

/** Ticket states a ticket may leave for `to`, from the ticket lifecycle. */
const statesLeadingTo = (to: TicketState) =>
  TICKET_STATES.filter((from) => ticketLifecycle.canTransition(from, to).ok);
const ESCALATABLE = statesLeadingTo('ESCALATED');
const RESOLVABLE = statesLeadingTo('RESOLVED');

/**
 * Claims up to `limit` orders whose check is due, oldest due first, locking them for this
 * transaction. Rows another sweep holds are skipped, not waited for.
 */
export async function claimDueOrders(
  client: pg.PoolClient,
  now: Date,
  limit: number,
): Promise<SlaOrderRow[]> {
  const { rows } = await client.query<SlaOrderRow>(
    `select ${SLA_ORDER_COLUMNS} from orders
      where sla_next_check_at <= $1
      order by sla_next_check_at
      limit $2
      for update skip locked`,
    [now, limit],
  );
  return rows;
}

/** Claims the given orders, due or not; rows another transaction holds are skipped. */
export async function claimOrders(client: pg.PoolClient, ids: readonly string[]): Promise<SlaOrderRow[]> {
  const { rows } = await client.query<SlaOrderRow>(
    `select ${SLA_ORDER_COLUMNS} from orders where id = any($1::uuid[]) order by id for update skip locked`,
    [ids],
  );
  return rows;
}

/** Closes the stages orders moved past and opens or updates the stages they are in. */
export async function writeStageRecords(
  client: pg.PoolClient,
  plans: readonly OrderSweepPlan[],
): Promise<void> {
  const closing = plans.flatMap((p) =>
    p.closeStage
      ? [
          {
            order_id: p.orderId,
            stage: p.closeStage.stage,
            finished_at: p.closeStage.finishedAt,
            max_level: p.closeStage.maxLevel,
          },
        ]
      : [],
  );
  if (closing.length > 0)
    await client.query(
      `update sla_stage_record r set finished_at = greatest(r.started_at, t.finished_at),
              max_level = greatest(r.max_level, t.max_level)
         from json_to_recordset($1::json) as t(order_id uuid, stage text, finished_at timestamptz, max_level int)
        where r.order_id = t.order_id and r.stage = t.stage and r.finished_at is null`,
      [rowsJson(closing)],
    );
  const upserts = plans.flatMap((p) =>
    p.upsertStage
      ? [
          {
            order_id: p.orderId,
            stage: p.upsertStage.stage,
            group_id: p.upsertStage.groupId,
            owner_id: p.upsertStage.ownerId,
            started_at: p.upsertStage.startedAt,
            deadline: p.upsertStage.deadline,
            max_level: p.upsertStage.maxLevel,
            policy_key: p.upsertStage.policyKey,
            policy_version: p.upsertStage.policyVersion,
            late_on_arrival: p.upsertStage.lateOnArrival,
            finished_at: p.upsertStage.finishedAt,
          },
        ]
      : [],
  );
  if (upserts.length === 0) return;
  await client.query(
    `insert into sla_stage_record (order_id, stage, group_id, owner_id, started_at, deadline, finished_at,
        max_level, policy_key, policy_version, late_on_arrival)
     select t.order_id, t.stage, t.group_id, t.owner_id, t.started_at, t.deadline,
            case when t.finished_at is not null then greatest(t.started_at, t.finished_at) end, t.max_level, t.policy_key, t.policy_version, t.late_on_arrival
       from json_to_recordset($1::json) as t(order_id uuid, stage text, group_id text, owner_id text,
              started_at timestamptz, deadline timestamptz, max_level int, policy_key text, policy_version int,
              late_on_arrival boolean, finished_at timestamptz)
     on conflict (order_id, stage) do update set
        deadline = excluded.deadline, finished_at = excluded.finished_at,
        max_level = greatest(sla_stage_record.max_level, excluded.max_level),
        policy_key = excluded.policy_key, policy_version = excluded.policy_version,
        late_on_arrival = excluded.late_on_arrival`,
    [rowsJson(upserts)],
  );
}

/**
 * Appends SYSTEM history rows; a key already written (by an earlier, committed sweep) is skipped.
 * Returns the rows inserted, as `<orderId> <idempotencyKey>`.
 */
export async function insertSlaHistory(
  client: pg.PoolClient,
  rows: readonly SlaHistoryRow[],
  now: Date,
): Promise<Set<string>> {
  if (rows.length === 0) return new Set();
  const inserted = await client.query<{ order_id: string; idempotency_key: string }>(
    `insert into order_event (order_id, source, type, idempotency_key, occurred_at, received_at, outcome,
        from_state, to_state, reason, payload)
     select t.order_id, 'SYSTEM', t.type, t.key, t.occurred_at, $2, 'RECORDED', null, null, t.reason, t.payload
       from json_to_recordset($1::json) as t(order_id uuid, type text, key text, occurred_at timestamptz,
              reason text, payload jsonb)
     on conflict (order_id, idempotency_key) do nothing
     returning order_id, idempotency_key`,
    [
      rowsJson(
        rows.map((r) => ({
          order_id: r.orderId,
          type: r.type,
          key: r.idempotencyKey,
          occurred_at: r.occurredAt,
          reason: r.reason,
          payload: r.payload,
        })),
      ),
      now,
    ],
  );
  return new Set(inserted.rows.map((r) => historyRowKey(r.order_id, r.idempotency_key)));
}

/** How `insertSlaHistory` names an inserted row. */
export const historyRowKey = (orderId: string, idempotencyKey: string) => `${orderId} ${idempotencyKey}`;

/**
 * Inserts tickets, at most one per (order, stage, level): returns the ones actually inserted.
 * Each inserted supervisor's ticket then takes over the lower unresolved tickets of its stage.
 */
export async function insertTickets(
  client: pg.PoolClient,
  drafts: readonly TicketDraft[],
  now: Date,
): Promise<TicketDraft[]> {
  if (drafts.length === 0) return [];
  const { rows } = await client.query<{ id: string }>(
    `insert into ticket (id, order_id, stage, level, deadline, group_id, assignee_user_id, assignee_name, state,
        created_at, updated_at)
     select t.id, t.order_id, t.stage, t.level, t.deadline, t.group_id, t.assignee_user_id, t.assignee_name,
            'OPEN', $2, $2
       from json_to_recordset($1::json) as t(id uuid, order_id uuid, stage text, level int, deadline timestamptz,
              group_id text, assignee_user_id text, assignee_name text)
     on conflict (order_id, stage, level) do nothing
     returning id`,
    [
      rowsJson(
        drafts.map((d) => ({
          id: d.id,
          order_id: d.orderId,
          stage: d.stage,
          level: d.level,
          deadline: d.deadline,
          group_id: d.groupId,
          assignee_user_id: d.assigneeUserId,
          assignee_name: d.assigneeName,
        })),
      ),
      now,
    ],
  );
  const inserted = new Set(rows.map((r) => r.id));
  const created = drafts.filter((d) => inserted.has(d.id));
  const escalating = created.filter((d) => d.escalates);
  if (escalating.length > 0)
    await client.query(
      `update ticket t set state = 'ESCALATED', escalated_at = $2, escalated_to_ticket_id = e.id, updated_at = $2
         from json_to_recordset($1::json) as e(id uuid, order_id uuid, stage text, level int)
        where t.order_id = e.order_id and t.stage = e.stage and t.level < e.level and t.id <> e.id
          and t.state = any($3::text[])`,
      [
        rowsJson(escalating.map((d) => ({ id: d.id, order_id: d.orderId, stage: d.stage, level: d.level }))),
        now,
        ESCALATABLE,
      ],
    );
  return created;
}

/** The system closes the unresolved tickets of stages their orders have left. */
export async function resolveLeftStageTickets(
  client: pg.PoolClient,
  stages: readonly { orderId: string; stage: string }[],
  resolution: string,
  now: Date,
): Promise<void> {
  if (stages.length === 0) return;
  await client.query(
    `update ticket t set state = 'RESOLVED', resolved_at = $2, resolved_by = 'system', resolution = $3,
            updated_at = $2
       from json_to_recordset($1::json) as s(order_id uuid, stage text)
      where t.order_id = s.order_id and t.stage = s.stage and t.state = any($4::text[])`,
    [rowsJson(stages.map((s) => ({ order_id: s.orderId, stage: s.stage }))), now, resolution, RESOLVABLE],
  );
}
